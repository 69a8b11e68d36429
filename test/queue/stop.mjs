// Stop from main's API: a polling execution on a worker ends within about 2 s (the fake's log
// shows the queries stop) and its status is canceled. Once for an execution main queued (webhook
// on main) and once for one the webhook process queued.
import { setTimeout as delay } from 'node:timers/promises';

import { FINISHED } from '../../scripts/queue/cluster.mjs';
import { pollingExecution } from './outputs.mjs';

export const STOP_WORKFLOW = { id: 'queueStop0000000', name: 'Queue: stop', path: 'queue-stop' };

const queriesOf = (fake, taskId) =>
	fake.log.filter((e) => e.kind === 'query' && e.taskId === taskId).length;

/** After POST …/stop: when the last query came, when the execution ended and with what status. */
async function watchAfterStop({ cluster, fake }, { task, executionId, tStop, watchMs }) {
	let seen = queriesOf(fake, task.id);
	const obs = { lastQueryAt: null, status: null, finishedAfterMs: null };
	while (Date.now() - tStop < watchMs && !(Date.now() - tStop > 8000 && task.finished)) {
		const n = queriesOf(fake, task.id);
		if (n > seen) [seen, obs.lastQueryAt] = [n, Date.now()];
		if (obs.finishedAfterMs === null) {
			const { status } = await cluster.main.getExecution(executionId);
			if (FINISHED.has(status)) [obs.status, obs.finishedAfterMs] = [status, Date.now() - tStop];
		}
		await delay(100);
	}
	obs.status ??= (await cluster.main.getExecution(executionId)).status;
	await delay(2000); // the worker's own end of the run, if it still comes
	obs.finalStatus = (await cluster.main.getExecution(executionId)).status;
	obs.lastQueryMs = obs.lastQueryAt === null ? 0 : obs.lastQueryAt - tStop;
	return { ...obs, queries: seen };
}

async function observeStop(ctx, { label, via, expectStops, latencyMs }) {
	const { cluster, fake } = ctx;
	const prompt = `[latency:${latencyMs}] ${label} stop, queued by ${via}`;
	const { posted, task, running } = await pollingExecution(cluster, fake, STOP_WORKFLOW, prompt, {
		via,
		queries: 2,
	});
	const workers = cluster.workerOf(running.id);
	const tStop = Date.now();
	const stop = await cluster.main.rest('POST', `/executions/${running.id}/stop`);
	// Watch 8 s; when the stop is not expected to reach the worker, on until the task is done.
	const watchMs = expectStops ? 8000 : latencyMs + 10_000;
	const after = await watchAfterStop(ctx, { task, executionId: running.id, tStop, watchMs });
	const { lastQueryAt: _at, ...seen } = after;
	const figures = { label, via, executionId: running.id, worker: workers[0], ...seen };
	return {
		...{ label, via, version: cluster.version, posted, id: running.id, stop, workers, task },
		...after,
		figures: { ...figures, taskFinished: task.finished },
	};
}

/**
 * via 'main': main queued the job and keeps its handle: stop must reach the worker. via 'webhook':
 * n8n 2.41.1's stop only publishes a 'stop-execution' command that a worker acts on for executions
 * in its ActiveExecutions, where its JobProcessor never puts queued jobs; only the process that
 * queued a job can abort it. Expected there (and documented): canceled in the database, while the
 * worker polls on to the end. `expectStops` says which of the two is asserted.
 */
export const stopScenario = ({
	label,
	via,
	expectStops = via === 'main',
	latencyMs = 120_000,
}) => ({
	name: `stop from main, execution queued by ${via}`,
	act: (ctx) => observeStop(ctx, { label, via, expectStops, latencyMs }),
	assert: [
		{
			name: (o) => `${o.label}: webhook on ${o.via} accepted`,
			ok: (o) => o.posted.status === 200,
			evidence: (o) => `${o.posted.status}`,
		},
		{
			name: (o) => `${o.label}: POST /rest/executions/${o.id}/stop on main answered 200`,
			ok: (o) => o.stop.status === 200,
			evidence: (o) => `${o.stop.status}`,
		},
		{
			name: (o) => `${o.label}: the execution ran on a worker`,
			ok: (o) => o.workers.length === 1,
			evidence: (o) => o.workers.join(',') || 'none',
		},
		{
			when: () => expectStops,
			name: (o) =>
				`${o.label}: queries to the gateway stopped within 2.5 s of stop (${o.via}-queued)`,
			ok: (o) => o.lastQueryMs <= 2500,
			evidence: (o) =>
				o.lastQueryAt === null
					? 'no query after stop'
					: `last query ${o.lastQueryMs} ms after stop`,
		},
		{
			when: () => !expectStops,
			name: (o) =>
				`${o.label}: n8n ${o.version} cannot stop a ${o.via}-queued execution on its worker: it polled on until the task was done (documented)`,
			ok: (o) => o.lastQueryMs > 2500 && o.task.finished,
			evidence: (o) =>
				`last query ${o.lastQueryMs} ms after stop, task finished: ${o.task.finished}`,
		},
		{
			name: (o) => `${o.label}: status canceled (${o.via}-queued)`,
			ok: (o) => o.status === 'canceled' && o.finalStatus === 'canceled',
			evidence: (o) =>
				`${o.status}${o.finishedAfterMs !== null ? ` after ${o.finishedAfterMs} ms` : ''}, later ${o.finalStatus}`,
		},
	],
});

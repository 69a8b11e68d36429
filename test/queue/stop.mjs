// Stop from main's API: a polling execution on a worker ends within about 2 s (the fake's log
// shows the queries stop) and its status is canceled. Once for an execution main queued (webhook
// on main) and once for one the webhook process queued.
import { setTimeout as delay } from 'node:timers/promises';

import { FINISHED } from '../../scripts/queue/cluster.mjs';

export const STOP_PATH = 'queue-stop';

const queriesOf = (fake, taskId) =>
	fake.log.filter((e) => e.kind === 'query' && e.taskId === taskId).length;

async function until(fn, { timeoutMs, what }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await delay(100);
	}
}

/**
 * via 'main': main queued the job and keeps its handle: stop must reach the worker. via 'webhook':
 * n8n 2.41.1's stop only publishes a 'stop-execution' command that a worker acts on for executions
 * in its ActiveExecutions, where its JobProcessor never puts queued jobs; only the process that
 * queued a job can abort it. Expected there (and documented): canceled in the database, while the
 * worker polls on to the end. `expectStops` says which of the two is asserted.
 */
export async function runStop({
	cluster,
	fake,
	check,
	label,
	workflowId,
	via,
	expectStops = via === 'main',
	latencyMs = 120_000,
}) {
	const prompt = `[latency:${latencyMs}] ${label} stop, queued by ${via}`;
	const posted = await cluster.post(STOP_PATH, { prompts: [prompt] }, { via });
	check(`${label}: webhook on ${via} accepted`, posted.status === 200, `${posted.status}`);
	const task = await until(
		() => [...fake.tasks.values()].find((t) => t.prompt === prompt && t.queries >= 2),
		{ timeoutMs: 90_000, what: 'two queries of the task' },
	);
	const running = await until(
		async () =>
			(await cluster.main.listExecutions({ workflowId, limit: 20 })).find(
				(e) => e.status === 'running',
			),
		{ timeoutMs: 30_000, what: 'a running execution' },
	);
	const workers = cluster.workerOf(running.id);
	const tStop = Date.now();
	const r = await cluster.main.rest('POST', `/executions/${running.id}/stop`);
	let lastQueryAt = null;
	let seen = queriesOf(fake, task.id);
	let status = null;
	let finishedAfterMs = null;
	// Watch 8 s; when the stop is not expected to reach the worker, on until the task is done.
	const watchMs = expectStops ? 8000 : latencyMs + 10_000;
	while (Date.now() - tStop < watchMs && !(Date.now() - tStop > 8000 && task.finished)) {
		const n = queriesOf(fake, task.id);
		if (n > seen) {
			seen = n;
			lastQueryAt = Date.now();
		}
		if (finishedAfterMs === null) {
			const ex = await cluster.main.getExecution(running.id);
			if (FINISHED.has(ex.status)) {
				status = ex.status;
				finishedAfterMs = Date.now() - tStop;
			}
		}
		await delay(100);
	}
	if (status === null) status = (await cluster.main.getExecution(running.id)).status;
	await delay(2000); // the worker's own end of the run, if it still comes
	const finalStatus = (await cluster.main.getExecution(running.id)).status;
	const lastQueryMs = lastQueryAt === null ? 0 : lastQueryAt - tStop;
	check(
		`${label}: POST /rest/executions/${running.id}/stop on main answered 200`,
		r.status === 200,
		`${r.status}`,
	);
	check(
		`${label}: the execution ran on a worker`,
		workers.length === 1,
		workers.join(',') || 'none',
	);
	if (expectStops) {
		check(
			`${label}: queries to the gateway stopped within 2.5 s of stop (${via}-queued)`,
			lastQueryMs <= 2500,
			lastQueryAt === null ? 'no query after stop' : `last query ${lastQueryMs} ms after stop`,
		);
	} else {
		check(
			`${label}: n8n ${cluster.version} cannot stop a ${via}-queued execution on its worker: it polled on until the task was done (documented)`,
			lastQueryMs > 2500 && task.finished,
			`last query ${lastQueryMs} ms after stop, task finished: ${task.finished}`,
		);
	}
	check(
		`${label}: status canceled (${via}-queued)`,
		status === 'canceled' && finalStatus === 'canceled',
		`${status}${finishedAfterMs !== null ? ` after ${finishedAfterMs} ms` : ''}, later ${finalStatus}`,
	);
	console.log(
		`    figures: ${JSON.stringify({ label, via, executionId: running.id, worker: workers[0], lastQueryMs, status, finishedAfterMs, finalStatus, queries: seen, taskFinished: task.finished })}`,
	);
	return { via, lastQueryMs, status, finishedAfterMs, finalStatus, queries: seen };
}

// n8n 1.123.x re-runs a stalled job (Bull's maxStalledCount, QUEUE_WORKER_MAX_STALLED_COUNT, default
// 1): a worker dies mid-poll (SIGKILL, as a crash or an OOM kill), its job's lock expires, another
// worker's stall check puts the job back and runs the execution again, which submits the prompt a
// second time. With QUEUE_WORKER_MAX_STALLED_COUNT=0 the job fails instead and nothing is re-submitted.
import { setTimeout as delay } from 'node:timers/promises';

import { FINISHED } from '../../scripts/queue/cluster.mjs';
import { errorOf, pollingExecution } from './outputs.mjs';

export const STALL_WORKFLOW = {
	id: 'queueStall000000',
	name: 'Queue: stalled job',
	path: 'queue-stall',
	parameters: { pollInterval: 2 },
};

// Short lock/stall timings so the dead worker's job is noticed in seconds.
const STALL_ENV = {
	QUEUE_WORKER_LOCK_DURATION: '5000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2500',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};

/** A worker SIGKILLed while polling, a second one started; watched until a re-run or the end. */
async function observeStall({ cluster, fake }, { label, name, maxStalled, watchMs }) {
	const env = { ...STALL_ENV };
	if (maxStalled !== undefined) env.QUEUE_WORKER_MAX_STALLED_COUNT = String(maxStalled);
	await cluster.stopWorkers();
	await cluster.addWorker(`${name}-a`, { env });
	const prompt = `[latency:20000] stalled job, ${name}`;
	const polling = { via: 'main', timeoutMs: 60_000 };
	const { running } = await pollingExecution(cluster, fake, STALL_WORKFLOW, prompt, polling);
	const tKill = Date.now();
	await cluster.stopWorker(`${name}-a`, { signal: 'SIGKILL' });
	await cluster.addWorker(`${name}-b`, { env });
	// Watch until a second submit (re-run) and its end, or until the execution ends without one.
	const submits = () => fake.stats().submitsPerPrompt[prompt] ?? 0;
	let secondSubmitMs = null;
	for (const deadline = Date.now() + watchMs; Date.now() < deadline; await delay(500)) {
		if (secondSubmitMs === null && submits() > 1) secondSubmitMs = Date.now() - tKill;
		if (FINISHED.has((await cluster.main.getExecution(running.id)).status)) break;
	}
	await delay(8000); // a late re-run would submit now
	const execution = await cluster.main.getExecution(running.id);
	const figures = {
		...{ label, name, maxStalledCount: maxStalled ?? 'default (1)', submits: submits() },
		tasks: fake.stats().tasksPerPrompt[prompt] ?? 0,
		reRunOnSecondWorker: cluster.workerOf(running.id).includes(`${name}-b`),
		...{ secondSubmitAfterKillMs: secondSubmitMs, status: execution.status },
		error: errorOf(execution),
	};
	return { ...figures, figures };
}

export const stalledScenarios = (label) => [
	{
		name: `stalled job on ${label}, default QUEUE_WORKER_MAX_STALLED_COUNT`,
		act: (ctx) => {
			ctx.fake.reset();
			return observeStall(ctx, { label, name: 'default', watchMs: 90_000 });
		},
		assert: [
			{
				name: `${label} default QUEUE_WORKER_MAX_STALLED_COUNT: the stalled job re-ran and submitted the prompt again`,
				ok: (o) => o.reRunOnSecondWorker && o.submits === 2,
				evidence: (o) =>
					`${o.submits} submits, re-run on the second worker: ${o.reRunOnSecondWorker}, status ${o.status}`,
			},
		],
	},
	{
		name: `stalled job on ${label}, QUEUE_WORKER_MAX_STALLED_COUNT=0`,
		act: (ctx) =>
			observeStall(ctx, { label, name: 'max-stalled-0', maxStalled: 0, watchMs: 60_000 }),
		assert: [
			{
				name: `${label} QUEUE_WORKER_MAX_STALLED_COUNT=0: no re-run, one submit`,
				ok: (o) => !o.reRunOnSecondWorker && o.submits === 1,
				evidence: (o) => `${o.submits} submits, re-run: ${o.reRunOnSecondWorker}`,
			},
			{
				name: `${label} QUEUE_WORKER_MAX_STALLED_COUNT=0: the execution ends failed, not left running`,
				ok: (o) => FINISHED.has(o.status) && o.status !== 'success',
				evidence: (o) => `${o.status}: ${o.error ?? ''}`,
			},
		],
	},
];

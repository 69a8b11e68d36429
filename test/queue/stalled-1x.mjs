// n8n 1.123.x re-runs a stalled job (Bull's maxStalledCount, QUEUE_WORKER_MAX_STALLED_COUNT, default
// 1): a worker dies mid-poll (SIGKILL, as a crash or an OOM kill), its job's lock expires, another
// worker's stall check puts the job back and runs the execution again, which submits the prompt a
// second time. With QUEUE_WORKER_MAX_STALLED_COUNT=0 the job fails instead and nothing is re-submitted.
import { setTimeout as delay } from 'node:timers/promises';

import { FINISHED } from '../../scripts/queue/cluster.mjs';

export const STALL_PATH = 'queue-stall';

// Short lock/stall timings so the dead worker's job is noticed in seconds.
export const STALL_ENV = {
	QUEUE_WORKER_LOCK_DURATION: '5000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2500',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};

async function until(fn, { timeoutMs }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > deadline) return null;
		await delay(250);
	}
}

async function oneCase({ cluster, fake, workflowId, name, maxStalled, watchMs }) {
	const env = {
		...STALL_ENV,
		...(maxStalled === undefined ? {} : { QUEUE_WORKER_MAX_STALLED_COUNT: String(maxStalled) }),
	};
	for (const w of [...cluster.workers.keys()]) await cluster.stopWorker(w, { timeoutMs: 30_000 });
	await cluster.addWorker(`${name}-a`, { env });
	const prompt = `[latency:20000] stalled job, ${name}`;
	const afterId = await cluster.lastExecutionId(workflowId);
	await cluster.post(STALL_PATH, { prompts: [prompt] }, { via: 'main' });
	const task = await until(
		() => [...fake.tasks.values()].find((t) => t.prompt === prompt && t.queries >= 1),
		{ timeoutMs: 60_000 },
	);
	if (!task) throw new Error(`${name}: the task was never polled`);
	const [running] = await cluster.waitForExecutions({
		workflowId,
		count: 1,
		afterId,
		finished: false,
	});
	const tKill = Date.now();
	await cluster.stopWorker(`${name}-a`, { signal: 'SIGKILL' });
	await cluster.addWorker(`${name}-b`, { env });
	// Watch until a second submit (re-run) and its end, or until the execution ends without one.
	const submits = () => fake.stats().submitsPerPrompt[prompt] ?? 0;
	let ex = null;
	let secondSubmitMs = null;
	const deadline = Date.now() + watchMs;
	while (Date.now() < deadline) {
		if (secondSubmitMs === null && submits() > 1) secondSubmitMs = Date.now() - tKill;
		ex = await cluster.main.getExecution(running.id);
		if (FINISHED.has(ex.status)) break;
		await delay(500);
	}
	await delay(8000); // a late re-run would submit now
	const reRan = cluster.workerOf(running.id).includes(`${name}-b`);
	ex = await cluster.main.getExecution(running.id);
	return {
		name,
		maxStalledCount: maxStalled ?? 'default (1)',
		submits: submits(),
		tasks: fake.stats().tasksPerPrompt[prompt] ?? 0,
		reRunOnSecondWorker: reRan,
		secondSubmitAfterKillMs: secondSubmitMs,
		status: ex.status,
		error: ex.data?.resultData?.error?.message ?? null,
	};
}

export async function runStalled1x({ cluster, fake, check, label, workflowId }) {
	fake.reset();
	const dflt = await oneCase({
		cluster,
		fake,
		workflowId,
		name: 'default',
		maxStalled: undefined,
		watchMs: 90_000,
	});
	console.log(`    figures: ${JSON.stringify({ label, ...dflt })}`);
	check(
		`${label} default QUEUE_WORKER_MAX_STALLED_COUNT: the stalled job re-ran and submitted the prompt again`,
		dflt.reRunOnSecondWorker && dflt.submits === 2,
		`${dflt.submits} submits, re-run on the second worker: ${dflt.reRunOnSecondWorker}, status ${dflt.status}`,
	);
	const zero = await oneCase({
		cluster,
		fake,
		workflowId,
		name: 'max-stalled-0',
		maxStalled: 0,
		watchMs: 60_000,
	});
	console.log(`    figures: ${JSON.stringify({ label, ...zero })}`);
	check(
		`${label} QUEUE_WORKER_MAX_STALLED_COUNT=0: no re-run, one submit`,
		!zero.reRunOnSecondWorker && zero.submits === 1,
		`${zero.submits} submits, re-run: ${zero.reRunOnSecondWorker}`,
	);
	check(
		`${label} QUEUE_WORKER_MAX_STALLED_COUNT=0: the execution ends failed, not left running`,
		FINISHED.has(zero.status) && zero.status !== 'success',
		`${zero.status}: ${zero.error ?? ''}`,
	);
	return { dflt, zero };
}

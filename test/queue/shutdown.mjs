// SIGTERM to the worker that is polling a task. One worker runs at a time, so the job lands on the
// worker we signal. (a) N8N_GRACEFUL_SHUTDOWN_TIMEOUT above the node's Timeout: the execution
// completes and the worker exits 0. (b) n8n's default (30 s): measured — when the worker exits, what
// status the execution gets and when; the task ID is in the worker's log (text and JSON metadata,
// never the key) and Get Task fetches the orphaned task.
import { setTimeout as delay } from 'node:timers/promises';

import { FINISHED } from '../../scripts/queue/cluster.mjs';
import { imageProblem, nodeItems } from './outputs.mjs';

export const SHUTDOWN_PATHS = {
	long: 'queue-shutdown-long',
	def: 'queue-shutdown-default',
	getTask: 'queue-get-task',
};

// Short Bull lock/stall timings so a dead worker's job is noticed in seconds, not minutes; JSON logs
// so the submitted-task line's metadata can be read.
const WORKER_ENV = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2500',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
	N8N_LOG_FORMAT: 'json',
};

async function until(fn, { timeoutMs, what, everyMs = 200 }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await delay(everyMs);
	}
}

const polledTask = (fake, prompt, queries = 1) =>
	until(() => [...fake.tasks.values()].find((t) => t.prompt === prompt && t.queries >= queries), {
		timeoutMs: 90_000,
		what: `a query of "${prompt}"`,
	});

/** The worker log's JSON line for a submitted task, or null. */
export function submittedLine(logText, taskId) {
	for (const line of logText.split('\n')) {
		if (!line.includes(`Jimeng task ${taskId} submitted`)) continue;
		try {
			return JSON.parse(line.slice(line.indexOf('{')));
		} catch {
			return { message: line, metadata: null };
		}
	}
	return null;
}

export async function runShutdown({ cluster, fake, check, label, ids, apiKey }) {
	fake.reset();
	for (const name of [...cluster.workers.keys()])
		await cluster.stopWorker(name, { timeoutMs: 30_000 });
	const figures = {};

	// (a) graceful timeout 60 s, node Timeout 30 s, generation 15 s
	await cluster.addWorker('worker-graceful-60s', {
		env: { ...WORKER_ENV, N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '60' },
	});
	const promptA = `[latency:15000] ${label} SIGTERM, graceful 60 s`;
	await cluster.post(SHUTDOWN_PATHS.long, { prompts: [promptA] });
	const taskA = await polledTask(fake, promptA);
	const exitA = await cluster.stopWorker('worker-graceful-60s', { timeoutMs: 90_000 });
	const [sumA] = await cluster.waitForExecutions({
		workflowId: ids.long,
		count: 1,
		timeoutMs: 60_000,
	});
	const exA = await cluster.main.getExecution(sumA.id);
	const [itemA] = nodeItems(exA, 'Jimeng');
	figures.graceful60 = { exitCode: exitA.code, exitMs: exitA.ms, status: exA.status };
	check(
		`${label} (a) graceful 60 s > Timeout 30 s: the execution completed after SIGTERM`,
		exA.status === 'success' && itemA?.json?.taskId === taskA.id,
		`${exA.status}`,
	);
	check(
		`${label} (a) its image is right (through main)`,
		!(await imageProblem(cluster.main, fake, itemA)),
		'',
	);
	check(
		`${label} (a) the worker exited cleanly (code 0) once the execution was done`,
		exitA.code === 0 && !exitA.forced,
		`code ${exitA.code}, ${exitA.ms} ms after SIGTERM`,
	);

	// (b) n8n's default graceful timeout (30 s), generation 45 s: the worker gives up mid-poll.
	const dflt = await cluster.addWorker('worker-default-grace', {
		env: WORKER_ENV,
		unset: ['N8N_GRACEFUL_SHUTDOWN_TIMEOUT'],
	});
	const promptB = `[latency:45000] ${label} SIGTERM, default graceful timeout`;
	await cluster.post(SHUTDOWN_PATHS.def, { prompts: [promptB] });
	const taskB = await polledTask(fake, promptB);
	const [runningB] = await cluster.waitForExecutions({
		workflowId: ids.def,
		count: 1,
		finished: false,
	});
	const tSig = Date.now();
	const stopping = cluster.stopWorker('worker-default-grace', { timeoutMs: 120_000 });
	const rescue = cluster.addWorker('worker-rescue', { env: WORKER_ENV });
	const exitB = await stopping;
	const queriesAtExit = taskB.queries;
	await rescue;
	let exB = await cluster.main.getExecution(runningB.id);
	const statusAtExit = exB.status;
	const deadline = Date.now() + 150_000;
	while (!FINISHED.has(exB.status) && Date.now() < deadline) {
		await delay(1000);
		exB = await cluster.main.getExecution(runningB.id);
	}
	const finishedAfterSigtermMs = FINISHED.has(exB.status) ? Date.now() - tSig : null;
	await delay(3000);
	const submitsB = fake.stats().submitsPerPrompt[promptB] ?? 0;
	figures.defaultGrace = {
		exitCode: exitB.code,
		exitSignal: exitB.signal,
		exitMs: exitB.ms,
		queriesBeforeExit: queriesAtExit,
		statusAtExit,
		finalStatus: exB.status,
		finishedAfterSigtermMs,
		error: exB.data?.resultData?.error?.message ?? null,
		submits: submitsB,
	};
	const waited =
		dflt.proc.log().includes('Waiting for 1 active executions to finish') ||
		/Waiting for \d+ active execution/.test(dflt.proc.log());
	check(
		`${label} (b) default graceful timeout: the worker waited ~30 s, then exited`,
		exitB.ms >= 25_000 && exitB.ms < 60_000 && !exitB.forced,
		`code ${exitB.code}, ${exitB.ms} ms after SIGTERM${waited ? ', logged "Waiting for … active executions"' : ''}`,
	);
	check(
		`${label} (b) the interrupted execution ends (not left running)`,
		FINISHED.has(exB.status),
		`${statusAtExit} at exit → ${exB.status}${finishedAfterSigtermMs ? ` ${Math.round(finishedAfterSigtermMs / 1000)} s after SIGTERM` : ''}; ${figures.defaultGrace.error ?? ''}`,
	);
	check(`${label} (b) no re-run: the prompt was submitted once`, submitsB === 1, `${submitsB}`);

	// The task ID survives in the killed worker's log, as text and as metadata, without the key.
	const line = submittedLine(dflt.proc.log(), taskB.id);
	const meta = line?.metadata ?? {};
	check(
		`${label} (b) the killed worker's log has "Jimeng task ${taskB.id.slice(0, 8)}… submitted (execution ${runningB.id}, item 0)"`,
		!!line && line.message.includes(`(execution ${runningB.id}, item 0)`) && line.level === 'info',
		line?.message ?? 'no line',
	);
	check(
		`${label} (b) its metadata: taskId, executionId, itemIndex, node`,
		meta.taskId === taskB.id &&
			String(meta.executionId) === String(runningB.id) &&
			meta.itemIndex === 0 &&
			meta.node === 'Jimeng',
		JSON.stringify({
			taskId: meta.taskId,
			executionId: meta.executionId,
			itemIndex: meta.itemIndex,
			node: meta.node,
		}),
	);
	check(
		`${label} (b) the killed worker's log never carries the key`,
		!dflt.proc.log().includes(apiKey),
		'',
	);

	// Recover the orphan: Get Task with the ID from the log.
	const afterG = await cluster.lastExecutionId(ids.getTask);
	await cluster.post(SHUTDOWN_PATHS.getTask, { taskId: meta.taskId ?? taskB.id });
	const [sumG] = await cluster.waitForExecutions({
		workflowId: ids.getTask,
		count: 1,
		afterId: afterG,
		timeoutMs: 120_000,
	});
	const exG = await cluster.main.getExecution(sumG.id);
	const [itemG] = nodeItems(exG, 'Jimeng Get Task');
	check(
		`${label} (b) Get Task with the logged ID fetched the orphaned task's image`,
		exG.status === 'success' &&
			itemG?.json?.taskId === taskB.id &&
			!(await imageProblem(cluster.main, fake, itemG)),
		`${exG.status} ${itemG?.json?.status ?? ''}`,
	);
	check(
		`${label} (b) recovering billed nothing more (still one submit)`,
		(fake.stats().submitsPerPrompt[promptB] ?? 0) === 1,
		'',
	);
	console.log(`    figures: ${JSON.stringify(figures)}`);
	return figures;
}

/** A worker without the package: what a user sees when one process lacks it. */
export async function runMissingPackage({ cluster, check, label, variant }) {
	for (const name of [...cluster.workers.keys()])
		await cluster.stopWorker(name, { timeoutMs: 30_000 });
	await cluster.addWorker('worker-without-package', { withPackage: false });
	const afterId = await cluster.lastExecutionId(variant.workflow.id);
	await cluster.post(variant.path, {});
	const [sum] = await cluster.waitForExecutions({
		workflowId: variant.workflow.id,
		count: 1,
		afterId,
		timeoutMs: 60_000,
	});
	const ex = await cluster.main.getExecution(sum.id);
	const message = ex.data?.resultData?.error?.message ?? '';
	console.log(
		`    figures: ${JSON.stringify({ label, missingPackage: { status: ex.status, message } })}`,
	);
	check(
		`${label}: a worker without the package fails the execution, naming the node type`,
		ex.status === 'error' && /n8n-nodes-jimeng/.test(message),
		`${ex.status}: ${message}`,
	);
	await cluster.stopWorker('worker-without-package', { timeoutMs: 30_000 });
}

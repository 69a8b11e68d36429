// SIGTERM to the worker that is polling a task. One worker runs at a time, so the job lands on the
// worker we signal. (a) N8N_GRACEFUL_SHUTDOWN_TIMEOUT above the node's Timeout: the execution
// completes and the worker exits 0. (b) n8n's default (30 s): measured — when the worker exits, what
// status the execution gets and when; the task ID is in the worker's log (text and JSON metadata,
// never the key) and Get Task fetches the orphaned task. And a worker without the package.
import { setTimeout as delay } from 'node:timers/promises';

import { FINISHED } from '../../scripts/queue/cluster.mjs';
import { nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { until } from '../../scripts/support/scenarios.mjs';
import { errorOf, imageProblem, onlyExecution, pollingExecution } from './outputs.mjs';

export const SHUTDOWN_WORKFLOWS = {
	long: {
		id: 'queueShutLong000',
		name: 'Queue: shutdown, Timeout 30 s',
		path: 'queue-shutdown-long',
		parameters: { pollInterval: 2, timeout: 30 },
	},
	def: {
		id: 'queueShutDefault',
		name: 'Queue: shutdown, default Timeout',
		path: 'queue-shutdown-default',
		parameters: { pollInterval: 2 },
	},
	getTask: { id: 'queueGetTask0000', path: 'queue-get-task' },
};

// Short Bull lock/stall timings so a dead worker's job is noticed in seconds, not minutes; JSON logs
// so the submitted-task line's metadata can be read.
const WORKER_ENV = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2500',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
	N8N_LOG_FORMAT: 'json',
};

/** The worker log's JSON line for a submitted task, or null. */
function submittedLine(logText, taskId) {
	const line = logText.split('\n').find((l) => l.includes(`Jimeng task ${taskId} submitted`));
	if (!line) return null;
	try {
		return JSON.parse(line.slice(line.indexOf('{')));
	} catch {
		return { message: line, metadata: null };
	}
}

/** The one execution of `workflow` after `afterId` and its first Jimeng item. */
async function firstItemRun(cluster, workflowId, { node = 'Jimeng', ...options }) {
	const { execution } = await onlyExecution(cluster, workflowId, options);
	return { execution, item: nodeOutputItems(execution, node)[0] };
}

async function observeGraceful({ cluster, fake }, label) {
	fake.reset();
	await cluster.stopWorkers();
	const env = { ...WORKER_ENV, N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '60' };
	await cluster.addWorker('worker-graceful-60s', { env });
	const prompt = `[latency:15000] ${label} SIGTERM, graceful 60 s`;
	const { task } = await pollingExecution(cluster, fake, SHUTDOWN_WORKFLOWS.long, prompt);
	const exit = await cluster.stopWorker('worker-graceful-60s', { timeoutMs: 90_000 });
	const run = await firstItemRun(cluster, SHUTDOWN_WORKFLOWS.long.id, { timeoutMs: 60_000 });
	const problem = await imageProblem(cluster.main, fake, run.item);
	const figures = { exitCode: exit.code, exitMs: exit.ms, status: run.execution.status };
	return { label, task, exit, ...run, problem, figures };
}

/** SIGTERM, a rescue worker started at once; the execution watched until it ends. */
async function observeDefaultGrace({ cluster, fake }, label) {
	const worker = await cluster.addWorker('worker-default-grace', {
		env: WORKER_ENV,
		unset: ['N8N_GRACEFUL_SHUTDOWN_TIMEOUT'],
	});
	const prompt = `[latency:45000] ${label} SIGTERM, default graceful timeout`;
	const { task, running } = await pollingExecution(cluster, fake, SHUTDOWN_WORKFLOWS.def, prompt);
	const tSig = Date.now();
	const stopping = cluster.stopWorker('worker-default-grace', { timeoutMs: 120_000 });
	const rescue = cluster.addWorker('worker-rescue', { env: WORKER_ENV });
	const exit = await stopping;
	const queriesBeforeExit = task.queries;
	await rescue;
	const statusAtExit = (await cluster.main.getExecution(running.id)).status;
	const ended = await until(
		async () => {
			const execution = await cluster.main.getExecution(running.id);
			return FINISHED.has(execution.status) && execution;
		},
		{ timeoutMs: 150_000, what: 'the interrupted execution to end', everyMs: 1000 },
	).catch(() => null);
	const finishedAfterSigtermMs = ended ? Date.now() - tSig : null;
	await delay(3000);
	const execution = ended ?? (await cluster.main.getExecution(running.id));
	const log = worker.proc.log();
	const figures = {
		...{ exitCode: exit.code, exitSignal: exit.signal, exitMs: exit.ms, queriesBeforeExit },
		...{ statusAtExit, finalStatus: execution.status, finishedAfterSigtermMs },
		error: errorOf(execution),
	};
	return {
		...{ label, prompt, task, exit, executionId: running.id, execution, statusAtExit },
		...{ finishedAfterSigtermMs, log, line: submittedLine(log, task.id), figures },
		submits: fake.stats().submitsPerPrompt[prompt] ?? 0,
	};
}

export const shutdownScenarios = (label) => [
	{
		name: 'worker SIGTERM mid-poll, N8N_GRACEFUL_SHUTDOWN_TIMEOUT 60 s',
		act: (ctx) => observeGraceful(ctx, label),
		assert: [
			{
				name: `${label} (a) graceful 60 s > Timeout 30 s: the execution completed after SIGTERM`,
				ok: (o) => o.execution.status === 'success' && o.item?.json?.taskId === o.task.id,
				evidence: (o) => o.execution.status,
			},
			{
				name: `${label} (a) its image is right (through main)`,
				ok: (o) => !o.problem,
				evidence: (o) => o.problem ?? '',
			},
			{
				name: `${label} (a) the worker exited cleanly (code 0) once the execution was done`,
				ok: (o) => o.exit.code === 0 && !o.exit.forced,
				evidence: (o) => `code ${o.exit.code}, ${o.exit.ms} ms after SIGTERM`,
			},
		],
	},
	{
		name: "worker SIGTERM mid-poll, n8n's default graceful timeout",
		act: async (ctx) => (ctx.orphan = await observeDefaultGrace(ctx, label)),
		assert: DEFAULT_GRACE_ASSERTIONS,
	},
	{
		name: 'the orphaned task, recovered with Get Task',
		act: (ctx) => observeRecovery(ctx, ctx.orphan),
		assert: [
			{
				name: `${label} (b) Get Task with the logged ID fetched the orphaned task's image`,
				ok: (o) =>
					o.execution.status === 'success' && o.item?.json?.taskId === o.taskId && !o.problem,
				evidence: (o) => `${o.execution.status} ${o.item?.json?.status ?? ''}`,
			},
			{
				name: `${label} (b) recovering billed nothing more (still one submit)`,
				ok: (o) => o.submits === 1,
				evidence: (o) => `${o.submits}`,
			},
		],
	},
];

const DEFAULT_GRACE_ASSERTIONS = [
	{
		name: (o) => `${o.label} (b) default graceful timeout: the worker waited ~30 s, then exited`,
		ok: (o) => o.exit.ms >= 25_000 && o.exit.ms < 60_000 && !o.exit.forced,
		evidence: (o) =>
			`code ${o.exit.code}, ${o.exit.ms} ms after SIGTERM${/Waiting for \d+ active execution/.test(o.log) ? ', logged "Waiting for … active executions"' : ''}`,
	},
	{
		name: (o) => `${o.label} (b) the interrupted execution ends (not left running)`,
		ok: (o) => FINISHED.has(o.execution.status),
		evidence: (o) =>
			`${o.statusAtExit} at exit → ${o.execution.status}${o.finishedAfterSigtermMs ? ` ${Math.round(o.finishedAfterSigtermMs / 1000)} s after SIGTERM` : ''}; ${o.figures.error ?? ''}`,
	},
	{
		name: (o) => `${o.label} (b) no re-run: the prompt was submitted once`,
		ok: (o) => o.submits === 1,
		evidence: (o) => `${o.submits}`,
	},
	// The task ID survives in the killed worker's log, as text and as metadata, without the key.
	{
		name: (o) =>
			`${o.label} (b) the killed worker's log has "Jimeng task ${o.task.id.slice(0, 8)}… submitted (execution ${o.executionId}, item 0)"`,
		ok: (o) =>
			!!o.line?.message?.includes(`(execution ${o.executionId}, item 0)`) &&
			o.line.level === 'info',
		evidence: (o) => o.line?.message ?? 'no line',
	},
	{
		name: (o) => `${o.label} (b) its metadata: taskId, executionId, itemIndex, node`,
		ok: ({ line, task, executionId }) =>
			line?.metadata?.taskId === task.id &&
			String(line.metadata.executionId) === String(executionId) &&
			line.metadata.itemIndex === 0 &&
			line.metadata.node === 'Jimeng',
		evidence: ({ line }) => {
			const { taskId, executionId, itemIndex, node } = line?.metadata ?? {};
			return JSON.stringify({ taskId, executionId, itemIndex, node });
		},
	},
	{
		name: (o) => `${o.label} (b) the killed worker's log never carries the key`,
		ok: (o, ctx) => !o.log.includes(ctx.apiKey),
	},
];

/** Get Task with the ID from the killed worker's log. */
async function observeRecovery({ cluster, fake }, orphan) {
	const taskId = orphan.line?.metadata?.taskId ?? orphan.task.id;
	const afterId = await cluster.lastExecutionId(SHUTDOWN_WORKFLOWS.getTask.id);
	await cluster.post(SHUTDOWN_WORKFLOWS.getTask.path, { taskId });
	const options = { afterId, node: 'Jimeng Get Task', timeoutMs: 120_000 };
	const run = await firstItemRun(cluster, SHUTDOWN_WORKFLOWS.getTask.id, options);
	const problem = await imageProblem(cluster.main, fake, run.item);
	const submits = fake.stats().submitsPerPrompt[orphan.prompt] ?? 0;
	return { taskId: orphan.task.id, ...run, problem, submits };
}

/** A worker without the package: what a user sees when one process lacks it. */
export const missingPackageScenario = (label, slug) => ({
	name: 'a worker without the package',
	async act({ cluster, variants }) {
		const variant = variants.find((v) => v.slug === slug);
		await cluster.stopWorkers();
		await cluster.addWorker('worker-without-package', { withPackage: false });
		const workflowId = variant.workflow.id;
		const afterId = await cluster.lastExecutionId(workflowId);
		await cluster.post(variant.path, {});
		const { execution } = await onlyExecution(cluster, workflowId, { afterId, timeoutMs: 60_000 });
		await cluster.stopWorker('worker-without-package', { timeoutMs: 30_000 });
		const { status } = execution;
		const message = errorOf(execution) ?? '';
		return { status, message, figures: { label, missingPackage: { status, message } } };
	},
	assert: [
		{
			name: `${label}: a worker without the package fails the execution, naming the node type`,
			ok: (o) => o.status === 'error' && /n8n-nodes-jimeng/.test(o.message),
			evidence: (o) => `${o.status}: ${o.message}`,
		},
	],
});

// 20 concurrent webhook executions × 10 prompts on two workers, against an unlimited gateway and
// against one that allows 10 tasks at once (maxActiveTasks): all complete, no 50430 reaches a
// user, no prompt billed twice. Prints how often the gateway refused and how long it took.
// bench/queue.mjs runs the same load and reads the same assertions.
import { nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { countBy, errorOf, imageProblems, perWorker } from './outputs.mjs';

export const LOAD_WORKFLOWS = {
	load: { id: 'queueLoad0000000', name: 'Queue: load', path: 'queue-load' },
	retries: {
		id: 'queueLoadRetry10',
		name: 'Queue: load, Max Retries 10',
		path: 'queue-load-retries',
		options: { maxRetries: 10 },
	},
};

/**
 * POST `executions` webhooks of `prompts` prompts each (`<label> e<i> p<j>`) and, when all were
 * accepted, wait for their executions to end: { posted, list, wallMs } (list: [] when one was not).
 */
export async function postPrompts(cluster, { workflow, label, executions, prompts, timeoutMs }) {
	const afterId = await cluster.lastExecutionId(workflow.id);
	const t0 = Date.now();
	const bodies = Array.from({ length: executions }, (_, e) => ({
		prompts: Array.from({ length: prompts }, (_, p) => `${label} e${e} p${p}`),
	}));
	const posted = await Promise.all(bodies.map((b) => cluster.post(workflow.path, b)));
	const list = posted.every((p) => p.status === 200)
		? await cluster.waitForExecutions({
				workflowId: workflow.id,
				count: executions,
				afterId,
				timeoutMs,
			})
		: [];
	return { posted, list, wallMs: Date.now() - t0 };
}

/** The load's run: executions read through main, the fake's counts, the figures printed. */
export async function observeLoad({ cluster, fake }, options) {
	const { label, executions = 20, prompts = 10, maxActiveTasks = null } = options;
	fake.reset();
	fake.setOptions({ maxActiveTasks });
	try {
		const run = await postPrompts(cluster, { ...options, executions, prompts, timeoutMs: 300_000 });
		const runs = await Promise.all(run.list.map((e) => cluster.main.getExecution(e.id)));
		const firsts = runs.map((r) => nodeOutputItems(r, 'Jimeng')[0]);
		const obs = {
			...{ label, executions, prompts, maxActiveTasks, posted: run.posted, runs },
			items: runs.flatMap((r) => nodeOutputItems(r, 'Jimeng')),
			// One image per execution, bytes checked through main (all of them would only repeat the check).
			problems: await imageProblems(cluster.main, fake, firsts),
			perWorker: perWorker(cluster, run.list),
			stats: fake.stats(),
			refused: fake.log.filter((e) => e.kind === 'submit' && e.fault === 'max-active'),
		};
		obs.figures = loadFigures(obs, { wallMs: run.wallMs, latencyMs: options.latencyMs });
		return obs;
	} finally {
		fake.setOptions({ maxActiveTasks: null });
	}
}

function loadFigures(o, { wallMs, latencyMs }) {
	const { executions, prompts, maxActiveTasks, runs, stats } = o;
	const durations = runs
		.map((r) => new Date(r.stoppedAt) - new Date(r.startedAt))
		.sort((a, b) => a - b);
	const refusedPerExecution = countBy(o.refused.map((r) => /e(\d+) p/.exec(r.prompt ?? '')?.[1]));
	return {
		...{ label: o.label, maxActiveTasks, executions, prompts, wallMs },
		idealMs: maxActiveTasks
			? Math.ceil((executions * prompts) / maxActiveTasks) * latencyMs
			: latencyMs,
		executionMs: {
			min: durations[0],
			median: durations[Math.floor(durations.length / 2)],
			max: durations.at(-1),
		},
		succeeded: succeeded(o).length,
		failedWith50430: refusalsReachingUser(o),
		failure: errorOf(runs.find((r) => r.status !== 'success') ?? {}),
		submits: stats.submits,
		tasksCreated: stats.tasksCreated,
		// Created (billed) but in no output: the tasks of items whose execution failed on another item.
		tasksWithoutOutput:
			stats.tasksCreated - new Set(o.items.map((i) => i.json?.taskId).filter(Boolean)).size,
		refused50430: o.refused.length,
		executionsRefused: Object.keys(refusedPerExecution).length,
		maxRefusedInOneExecution: Math.max(0, ...Object.values(refusedPerExecution)),
		gatewayPeakActive: stats.maxActiveTasks,
		perWorker: o.perWorker,
	};
}

const succeeded = (o) => o.runs.filter((r) => r.status === 'success');
const failedStatuses = (o) => o.runs.filter((r) => r.status !== 'success').map((r) => r.status);
const refusalsReachingUser = (o) =>
	o.runs.filter((r) => JSON.stringify(r.data?.resultData?.error ?? '').includes('50430')).length;
const billedTwice = (o) => Object.entries(o.stats.tasksPerPrompt).filter(([, n]) => n > 1);
const timesText = ([prompt, n]) => `${n}× ${prompt}`;

export const LOAD_ASSERTIONS = [
	{
		name: (o) => `${o.label}: ${o.executions} webhooks accepted`,
		ok: (o) => o.posted.every((p) => p.status === 200),
		evidence: (o) => o.posted.map((p) => p.status).join(','),
	},
	{
		name: (o) => `${o.label}: all ${o.executions} executions succeeded`,
		ok: (o) => succeeded(o).length === o.executions,
		evidence: (o) => failedStatuses(o).join(','),
	},
	{
		name: (o) => `${o.label}: ${o.executions * o.prompts} image items, no error item`,
		ok: (o) =>
			o.items.length === o.executions * o.prompts &&
			o.items.every((i) => i.binary?.data && !i.json?.error),
		evidence: (o) =>
			`${o.items.length} items, ${o.items.filter((i) => i.json?.error).length} errors`,
	},
	{
		name: (o) => `${o.label}: no 50430 reaches a user`,
		ok: (o) => refusalsReachingUser(o) === 0,
		evidence: (o) => `${refusalsReachingUser(o)} execution error(s) with 50430`,
	},
	{
		name: (o) => `${o.label}: first image of each execution has the fake's bytes (through main)`,
		ok: (o) => o.problems.length === 0 && o.runs.length === o.executions,
		evidence: (o) => o.problems.slice(0, 2).join('; '),
	},
	{
		name: (o) => `${o.label}: spread over both workers`,
		ok: (o) =>
			Object.keys(o.perWorker).length >= 2 &&
			Object.values(o.perWorker).reduce((a, b) => a + b, 0) === o.executions,
		evidence: (o) => JSON.stringify(o.perWorker),
	},
	{
		name: (o) =>
			`${o.label}: every prompt billed exactly once (${o.stats.tasksCreated} tasks for ${o.executions * o.prompts} prompts)`,
		ok: (o) =>
			billedTwice(o).length === 0 &&
			Object.keys(o.stats.tasksPerPrompt).length === o.executions * o.prompts &&
			o.stats.tasksCreated === o.executions * o.prompts,
		evidence: (o) => billedTwice(o).slice(0, 3).map(timesText).join('; '),
	},
	{
		when: (o) => o.maxActiveTasks,
		name: (o) => `${o.label}: the gateway never ran more than ${o.maxActiveTasks} tasks`,
		ok: (o) => o.stats.maxActiveTasks <= o.maxActiveTasks,
		evidence: (o) => `${o.stats.maxActiveTasks}`,
	},
];

/** A load scenario: `options` as observeLoad's (label, workflow, maxActiveTasks, latencyMs, …). */
export const loadScenario = (title, options) => ({
	name: title,
	act: (ctx) => observeLoad(ctx, options),
	assert: LOAD_ASSERTIONS,
});

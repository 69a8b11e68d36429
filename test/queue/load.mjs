// 20 concurrent webhook executions × 10 prompts on two workers, against an unlimited gateway and
// against one that allows 10 tasks at once (maxActiveTasks): all complete, no 50430 reaches a
// user, no prompt billed twice. Prints how often the gateway refused and how long it took.
import { imageProblem, nodeItems } from './outputs.mjs';

export const LOAD_PATH = 'queue-load';

/**
 * `measureOnly`: record what happens (failed executions, refusals) without requiring completion —
 * for the node's defaults against a limit shared by many executions. Billing is checked either way.
 */
export async function runLoad({
	cluster,
	fake,
	check,
	label,
	workflowId,
	path = LOAD_PATH,
	executions = 20,
	prompts = 10,
	maxActiveTasks = null,
	latencyMs,
	measureOnly = false,
}) {
	fake.reset();
	fake.setOptions({ maxActiveTasks });
	const afterId = await cluster.lastExecutionId(workflowId);
	const t0 = Date.now();
	const bodies = Array.from({ length: executions }, (_, e) => ({
		prompts: Array.from({ length: prompts }, (_, p) => `${label} e${e} p${p}`),
	}));
	const posted = await Promise.all(bodies.map((b) => cluster.post(path, b)));
	check(
		`${label}: ${executions} webhooks accepted`,
		posted.every((p) => p.status === 200),
		posted.map((p) => p.status).join(','),
	);
	const list = await cluster.waitForExecutions({
		workflowId,
		count: executions,
		afterId,
		timeoutMs: 300_000,
	});
	const wallMs = Date.now() - t0;
	const runs = await Promise.all(list.map((e) => cluster.main.getExecution(e.id)));
	const ok = runs.filter((r) => r.status === 'success');
	const items = runs.flatMap((r) => nodeItems(r, 'Jimeng'));
	const errors = items.filter((i) => i.json?.error);
	const refusalsReachingUser = runs.filter((r) =>
		JSON.stringify(r.data?.resultData?.error ?? '').includes('50430'),
	).length;
	const failure =
		runs.find((r) => r.status !== 'success')?.data?.resultData?.error?.message ?? null;
	if (!measureOnly) {
		check(
			`${label}: all ${executions} executions succeeded`,
			ok.length === executions,
			runs
				.map((r) => r.status)
				.filter((s) => s !== 'success')
				.join(',') || '',
		);
		check(
			`${label}: ${executions * prompts} image items, no error item`,
			items.length === executions * prompts &&
				errors.length === 0 &&
				items.every((i) => i.binary?.data),
			`${items.length} items, ${errors.length} errors`,
		);
		check(
			`${label}: no 50430 reaches a user`,
			refusalsReachingUser === 0,
			`${refusalsReachingUser} execution error(s) with 50430`,
		);
		// One image per execution, bytes checked through main (all of them would only repeat the same check).
		const problems = [];
		for (const r of runs) {
			const first = nodeItems(r, 'Jimeng')[0];
			const p = first ? await imageProblem(cluster.main, fake, first) : 'no item';
			if (p) problems.push(p);
		}
		check(
			`${label}: first image of each execution has the fake's bytes (through main)`,
			problems.length === 0,
			problems.slice(0, 2).join('; '),
		);
	}
	const perWorker = {};
	for (const e of list)
		for (const w of cluster.workerOf(e.id)) perWorker[w] = (perWorker[w] ?? 0) + 1;
	const names = Object.keys(perWorker);
	check(
		`${label}: spread over both workers`,
		names.length >= 2 && Object.values(perWorker).reduce((a, b) => a + b, 0) === executions,
		JSON.stringify(perWorker),
	);
	const stats = fake.stats();
	const twice = Object.entries(stats.tasksPerPrompt).filter(([, n]) => n > 1);
	const created = Object.keys(stats.tasksPerPrompt).length;
	if (measureOnly) {
		check(
			`${label}: no prompt billed twice (${stats.tasksCreated} tasks for ${created} prompts submitted)`,
			twice.length === 0 && stats.tasksCreated === created,
			twice
				.slice(0, 3)
				.map(([p, n]) => `${n}× ${p}`)
				.join('; '),
		);
	} else {
		check(
			`${label}: every prompt billed exactly once (${stats.tasksCreated} tasks for ${executions * prompts} prompts)`,
			twice.length === 0 &&
				created === executions * prompts &&
				stats.tasksCreated === executions * prompts,
			twice
				.slice(0, 3)
				.map(([p, n]) => `${n}× ${p}`)
				.join('; '),
		);
	}
	const refused = fake.log.filter((e) => e.kind === 'submit' && e.fault === 'max-active');
	const refusedPerExecution = {};
	for (const r of refused) {
		const e = /e(\d+) p/.exec(r.prompt ?? '')?.[1];
		refusedPerExecution[e] = (refusedPerExecution[e] ?? 0) + 1;
	}
	const durations = runs
		.map((r) => new Date(r.stoppedAt) - new Date(r.startedAt))
		.sort((a, b) => a - b);
	const ideal = maxActiveTasks
		? Math.ceil((executions * prompts) / maxActiveTasks) * latencyMs
		: latencyMs;
	const figures = {
		label,
		maxActiveTasks,
		executions,
		prompts,
		wallMs,
		idealMs: ideal,
		executionMs: {
			min: durations[0],
			median: durations[Math.floor(durations.length / 2)],
			max: durations.at(-1),
		},
		succeeded: ok.length,
		failedWith50430: refusalsReachingUser,
		failure,
		submits: stats.submits,
		tasksCreated: stats.tasksCreated,
		// Created (billed) but in no output: the tasks of items whose execution failed on another item.
		tasksWithoutOutput:
			stats.tasksCreated - new Set(items.map((i) => i.json?.taskId).filter(Boolean)).size,
		refused50430: refused.length,
		executionsRefused: Object.keys(refusedPerExecution).length,
		maxRefusedInOneExecution: Math.max(0, ...Object.values(refusedPerExecution)),
		gatewayPeakActive: stats.maxActiveTasks,
		perWorker,
	};
	console.log(`    figures: ${JSON.stringify(figures)}`);
	if (maxActiveTasks)
		check(
			`${label}: the gateway never ran more than ${maxActiveTasks} tasks`,
			stats.maxActiveTasks <= maxActiveTasks,
			`${stats.maxActiveTasks}`,
		);
	fake.setOptions({ maxActiveTasks: null });
	return figures;
}

// Reading an execution's results back through main: image bytes through main's binary-data
// endpoint, compared with what the fake gateway served; who ran what, and how often.
import { createHash } from 'node:crypto';

import { fetchBinaryFromServer } from '../../scripts/n8n/binary.mjs';
import { until } from '../../scripts/support/scenarios.mjs';

export const jimengNodes = (workflow) =>
	workflow.nodes.filter((n) => n.type === 'n8n-nodes-jimeng.jimeng').map((n) => n.name);

/**
 * Check one output item's image: binary `data`, mime image/png, bytes from main's /rest/binary-data
 * equal to what the fake served for (taskId, imageIndex). Returns a problem string or null.
 */
export async function imageProblem(main, fake, item) {
	const bin = item?.binary?.data;
	if (!bin) return 'no binary data';
	if (bin.mimeType !== 'image/png') return `mime ${bin.mimeType}`;
	const { taskId, imageIndex } = item.json;
	const want = fake.imageSha256For(taskId, (imageIndex ?? 1) - 1);
	let got;
	try {
		const { bytes } = await fetchBinaryFromServer(main, bin);
		got = createHash('sha256').update(bytes).digest('hex');
	} catch (err) {
		return `binary ${bin.id}: ${err.message}`;
	}
	return got === want
		? null
		: `bytes of ${bin.id} differ from the fake's (${got.slice(0, 10)} ≠ ${String(want).slice(0, 10)})`;
}

export async function imageProblems(main, fake, items) {
	const problems = [];
	for (const item of items) problems.push(await imageProblem(main, fake, item));
	return problems.filter(Boolean);
}

/** Which binary data mode an item's id names (`database`, `filesystem-v2`, …). */
export const binaryModeOf = (item) =>
	item?.binary?.data?.id?.split(':')[0] ?? (item?.binary?.data ? 'inline' : null);

export const countBy = (values) =>
	values.reduce((counts, v) => ({ ...counts, [v]: (counts[v] ?? 0) + 1 }), {});

/**
 * POST one prompt to a workflow's webhook; once the fake has queried its task `queries` times, the
 * task and the execution running it: { posted, task, running }.
 */
export async function pollingExecution(cluster, fake, workflow, prompt, options = {}) {
	const { via, queries = 1, timeoutMs = 90_000 } = options;
	const afterId = await cluster.lastExecutionId(workflow.id);
	const posted = await cluster.post(workflow.path, { prompts: [prompt] }, { via });
	const task = await until(
		() => [...fake.tasks.values()].find((t) => t.prompt === prompt && t.queries >= queries),
		{ timeoutMs, what: `${queries} query(ies) of "${prompt}"`, everyMs: 100 },
	);
	const started = { workflowId: workflow.id, count: 1, afterId, finished: false };
	const [running] = await cluster.waitForExecutions(started);
	return { posted, task, running };
}

export const errorOf = (execution) => execution.data?.resultData?.error?.message ?? null;

/** The one execution of a workflow after `afterId`, read through main: { summary, execution }. */
export async function onlyExecution(cluster, workflowId, { afterId = 0, timeoutMs }) {
	const [summary] = await cluster.waitForExecutions({ workflowId, count: 1, afterId, timeoutMs });
	return { summary, execution: await cluster.main.getExecution(summary.id) };
}

export const perWorker = (cluster, executions) =>
	countBy(executions.flatMap((e) => cluster.workerOf(e.id)));

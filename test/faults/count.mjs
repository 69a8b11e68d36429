// Runs f and g of the fault suite: Number of Images under submit faults, every input item asking for
// N single-image tasks. A submit is retried only after a complete refusal, which creates no task.
import { entriesOf, executeRun, executes, runRow, runWorkflow } from './execute.mjs';
import { ownItems, submitKind } from './outcomes.mjs';
import { AMBIGUOUS, COUNT_IMAGES, countRuns, MAY_BE_CREATED } from './scenarios.mjs';

export const countWorkflows = (args) =>
	countRuns(args).map((run) => runWorkflow(run, `count${run.key}`));

/** What one input item came to: its images, its error item, and what the fake did for its prompt. */
function readItem(prompt, k, items, log, stats) {
	const p = ownItems(items, k, prompt, log);
	const failed = p.errors.flatMap((item) => item.json.failedTasks ?? []);
	return {
		...p,
		failed,
		indexes: [...p.images.map((item) => item.json.imageIndex), ...failed.map((f) => f.imageIndex)],
		accepted: p.submits.filter((e) => !e.fault && e.statusCode === 200).length,
		ambiguous: p.submits.filter((e) => AMBIGUOUS.has(submitKind(e))).length,
		tasks: stats.tasksPerPrompt[prompt] ?? 0,
	};
}

const ALL = Array.from({ length: COUNT_IMAGES }, (_, i) => i + 1).join(',');
const complete = (p) => [...p.indexes].sort((a, b) => a - b).join(',') === ALL;
const maybeCreated = (f) => MAY_BE_CREATED.test(f.message);
const failedText = (f) => (maybeCreated(f) ? 'cut off' : f.message.slice(0, 40));

async function actCount(ctx, { run, workflow }) {
	const o = await executeRun(ctx, workflow, { faults: run.faults });
	const per = run.prompts.map((prompt, k) => readItem(prompt, k, o.items, o.log, o.stats));
	ctx.rows.push(countRow({ ...o, run, per }));
	return { ...o, run, per };
}

function countRow(o) {
	const { run, per } = o;
	const most = (of) => Math.max(0, ...per.map(of));
	return runRow(run, o, {
		succeeded: `${per.reduce((n, p) => n + p.images.length, 0)}/${per.length * COUNT_IMAGES} images`,
		failed: per.flatMap((p) => p.failed.map(failedText)).join('; ') || '–',
		duplicates: `max tasks/item ${most((p) => p.tasks)} of ${COUNT_IMAGES} (max submits/item ${most((p) => p.submits.length)})`,
		leaks: o.keyInData ? 'LEAK' : 'none',
	});
}

/** Run f: each scripted item's images, failed tasks, tasks and submits. */
const SCRIPTED = {
	each: (o) => (o.run.scripted ?? []).map((want, k) => ({ key: o.run.key, want, p: o.per[k] })),
	assert: [
		{
			name: ({ key, want }) =>
				`${key}: ${want.label} → ${want.images} images${want.failed.length ? ' and an error item naming the failed task' : ''}, ${COUNT_IMAGES} tasks, ${want.submits} submits`,
			ok: ({ want, p }) =>
				p.images.length === want.images &&
				p.failed.length === want.failed.length &&
				want.failed.every((re, i) => re.test(String(p.failed[i]?.message))) &&
				p.tasks === COUNT_IMAGES &&
				p.submits.length === want.submits,
			evidence: ({ p }) =>
				`${p.images.length} images, failed: ${p.failed.map((f) => `#${f.imageIndex} ${String(f.message).slice(0, 90)}`).join('; ') || 'none'}; ${p.tasks} tasks, ${p.submits.length} submits`,
		},
	],
};

const countAssertions = (key) => [
	executes(key),
	{
		name: `${key}: no item created more than ${COUNT_IMAGES} tasks`,
		ok: ({ per }) => per.every((p) => p.tasks <= COUNT_IMAGES),
		evidence: ({ per }) =>
			`tasks per item ${per.map((p) => p.tasks).join(', ')}; submits per item ${per.map((p) => p.submits.length).join(', ')}`,
	},
	{
		name: `${key}: every task the gateway created was answered to the node or reported as maybe created`,
		ok: ({ per }) => per.every((p) => p.tasks === p.accepted + p.ambiguous),
		evidence: ({ per }) =>
			per.map((p) => `${p.tasks} = ${p.accepted} accepted + ${p.ambiguous} cut off`).join('; '),
	},
	{
		name: `${key}: every imageIndex 1…${COUNT_IMAGES} of every item is an image or a failed task, none twice`,
		ok: ({ per }) => per.every(complete),
		evidence: ({ per }) =>
			per
				.filter((p) => !complete(p))
				.map((p) => `${p.prompt}: ${p.indexes.join(',')}`)
				.join('; ') || `${per.length} items complete`,
	},
	{
		name: `${key}: an item with failed tasks has exactly one error item, after its images`,
		ok: ({ per }) =>
			per.every(
				(p) =>
					p.errors.length === (p.failed.length ? 1 : 0) &&
					(!p.errors.length || p.own.at(-1) === p.errors[0]),
			),
		evidence: ({ per }) =>
			per.map((p) => `${p.images.length} images + ${p.errors.length} error item`).join('; '),
	},
	{
		name: `${key}: every submit cut off after its task was created is a failed task saying it may have been created`,
		ok: ({ per }) => per.every((p) => p.failed.filter(maybeCreated).length === p.ambiguous),
		evidence: ({ per }) => `${per.reduce((n, p) => n + p.ambiguous, 0)} cut off`,
	},
	{
		name: `${key}: the API key is not in the execution data, nor sent to the image host`,
		ok: (o) => !o.keyInRun && o.imageKeyHits.length === 0,
	},
	SCRIPTED,
];

export const countEntries = (counted) =>
	entriesOf(counted, actCount, (run) => countAssertions(run.key));

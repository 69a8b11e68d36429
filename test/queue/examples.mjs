// Every example, webhook-triggered, through the webhook process: it runs on a worker (the worker's
// log says so) and its outputs read back through main are right.
import { readdir } from 'node:fs/promises';

import { nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { binaryModeOf, countBy, imageProblems, jimengNodes, onlyExecution } from './outputs.mjs';

/** Expected error items per example (Continue On Fail turns the empty prompt into one). */
const ERROR_ITEMS = { 'continue-on-fail': 1 };
/** Examples that make no image (Get Balance): the image checks do not apply. */
const IMAGELESS = new Set(['check-balance']);
const makesImages = (r) => !IMAGELESS.has(r.slug);

/** One example's execution, read through main. */
async function observeVariant({ cluster, fake }, variant, label, binaryMode) {
	const timeoutMs = 120_000;
	const { summary, execution } = await onlyExecution(cluster, variant.workflow.id, { timeoutMs });
	const items = jimengNodes(variant.workflow).flatMap((node) => nodeOutputItems(execution, node));
	const images = items.filter((item) => item.binary?.data);
	const taskIds = new Set(images.map((item) => item.json.taskId));
	return {
		...{ slug: variant.slug, id: summary.id, execution, images, taskIds },
		tag: `${label} ${variant.slug}`, // its checks' prefix, e.g. `db text-to-image`
		workers: cluster.workerOf(summary.id),
		errors: items.filter((item) => item.json?.error),
		imagesMade: [...taskIds].reduce((n, id) => n + (fake.tasks.get(id)?.imageCount ?? 0), 0),
		problems: await imageProblems(cluster.main, fake, images),
		modes: [...new Set(images.map(binaryModeOf))],
		wantMode: binaryMode === 'filesystem' ? 'filesystem-v2' : binaryMode,
		submitted: nodeOutputItems(execution, 'Jimeng Submit')[0]?.json,
		got: nodeOutputItems(execution, 'Jimeng Get Task')[0]?.json,
		balance: nodeOutputItems(execution, 'Jimeng Balance'),
	};
}

async function observeExamples(ctx, label, binaryMode) {
	const { cluster, fake, variants } = ctx;
	fake.reset();
	const posted = await Promise.all(variants.map((v) => cluster.post(v.path, { run: label })));
	const runs = [];
	for (const variant of variants) runs.push(await observeVariant(ctx, variant, label, binaryMode));
	const tasks = new Map(
		runs.flatMap((r) => [...r.taskIds].map((id) => [id, fake.tasks.get(id)?.prompt])),
	);
	const files =
		binaryMode === 'filesystem'
			? (await readdir(cluster.storagePath, { recursive: true })).filter(
					(f) => /binary_data\/[^/]+$/.test(f) && !f.endsWith('.metadata'),
				)
			: [];
	return { label, binaryMode, posted, runs, tasks, stats: fake.stats(), files };
}

const onRun = [
	{
		name: (r) => `${r.tag}: status success`,
		ok: (r) => r.execution.status === 'success',
		evidence: (r) =>
			`${r.execution.status}${r.execution.data?.resultData?.error ? `: ${r.execution.data.resultData.error.message}` : ''}`,
	},
	{
		name: (r) => `${r.tag}: ran on one worker (its log: "Worker started execution ${r.id}")`,
		ok: (r) => r.workers.length === 1,
		evidence: (r) => r.workers.join(', ') || 'no worker log',
	},
	{
		when: makesImages,
		name: (r) => `${r.tag}: ${r.imagesMade} image item(s), one per image the fake made`,
		ok: (r) => r.images.length === r.imagesMade && r.imagesMade > 0,
		evidence: (r) => `${r.images.length} image items, ${r.taskIds.size} task(s)`,
	},
	{
		when: makesImages,
		name: (r) =>
			`${r.tag}: image bytes from main's /rest/binary-data equal the fake's, mime image/png`,
		ok: (r) => r.problems.length === 0,
		evidence: (r) => r.problems.slice(0, 2).join('; '),
	},
	{
		when: makesImages,
		name: (r) => `${r.tag}: binaries stored in ${r.wantMode} mode`,
		ok: (r) => r.modes.length === 1 && r.modes[0] === r.wantMode,
		evidence: (r) => r.modes.join(','),
	},
	{
		name: (r) => `${r.tag}: ${ERROR_ITEMS[r.slug] ?? 0} error item(s), each paired with its input`,
		ok: (r) =>
			r.errors.length === (ERROR_ITEMS[r.slug] ?? 0) &&
			r.errors.every(
				(item) => item.pairedItem !== undefined && typeof item.json.error === 'string',
			),
		evidence: (r) => r.errors.map((item) => item.json.error).join('; '),
	},
	{
		// Submit without waiting: the first node's item is the task the Get Task node then fetched.
		when: (r) => r.slug === 'submit-then-get-task',
		name: (r) => `${r.tag}: Get Task fetched the task Submit returned`,
		ok: (r) => r.submitted?.status === 'submitted' && r.got?.taskId === r.submitted?.taskId,
		evidence: (r) => `${r.submitted?.status} ${r.submitted?.taskId}`,
	},
	{
		when: (r) => r.slug === 'check-balance',
		name: (r) => `${r.tag}: Get Balance gave one item with the key's quota`,
		ok: (r) =>
			r.balance.length === 1 &&
			r.balance[0].json.keyName === 'n8n' &&
			typeof r.balance[0].json.available === 'number',
		evidence: (r) => JSON.stringify(r.balance[0]?.json ?? null),
	},
];

/** The examples scenario of a pass; `label` prefixes its checks ('db', 'fs'). */
export const examplesScenario = (label, binaryMode) => ({
	name: `examples (${binaryMode} mode)`,
	act: (ctx) => observeExamples(ctx, label, binaryMode),
	assert: [
		{
			name: (o) =>
				`${o.label}: the webhook process accepted all ${o.posted.length} example webhooks`,
			ok: (o) => o.posted.every((p) => p.status === 200),
			evidence: (o) => o.posted.map((p) => p.status).join(','),
		},
		{ each: (o) => o.runs, assert: onRun },
		{
			name: (o) =>
				`${o.label}: one submit per prompt (${o.stats.submits} submits, ${o.tasks.size} tasks in the outputs)`,
			ok: (o) => billedTwice(o).length === 0 && o.stats.submits === o.tasks.size,
			evidence: (o) =>
				billedTwice(o)
					.map(([p, n]) => `${n}× "${p}"`)
					.join('; '),
		},
		{
			name: (o) => `${o.label}: the fake saw no protocol problem`,
			ok: (o) => o.stats.problems === 0,
			evidence: (o) => `${o.stats.problems}`,
		},
		{
			when: (o) => o.binaryMode === 'filesystem',
			name: (o) => `${o.label}: the workers wrote the images into the shared folder`,
			ok: (o) => o.files.length > 0,
			evidence: (o, ctx) => `${o.files.length} files under ${ctx.cluster.storagePath}`,
		},
	],
});

/** Prompts whose submits differ from their tasks in the outputs: [[prompt, submits]]. */
function billedTwice(o) {
	const perPrompt = countBy([...o.tasks.values()]);
	return Object.entries(o.stats.submitsPerPrompt).filter(([p, n]) => n !== (perPrompt[p] ?? 0));
}

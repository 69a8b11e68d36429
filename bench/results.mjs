// The benchmark's report: per-section tables, the targets of issue 4 (PASS/MISS) and why, with the
// figures of this run. Targets are assertions on the results (TARGETS, evaluated by the shared
// scenario layer), explanations and sections are tables too: a new one is one more entry.
import { machineLine, markdownTable, mb, secs } from '../scripts/support/report.mjs';
import { evaluate } from '../scripts/support/scenarios.mjs';
import { columnsTable } from './columns.mjs';
import {
	BIG_IMAGE_BYTES,
	GATEWAY_LIMIT,
	LATENCY_MS,
	MEMORY_IMAGES,
	nodeLimits,
	POLL_S,
} from './config.mjs';
import { pollingMarkdown, qpt, ratioText as ratio } from './polling.mjs';

const submitsWord = (r) => `${r.submits} submits for ${r.tasksCreated} tasks`;
const implName = (r) => (r.run.impl === 'core' ? 'core nodes' : 'Jimeng node');
const waves = (n, c) => Math.ceil(n / c);
const pollBoundMs = Math.ceil(LATENCY_MS / (POLL_S * 1000)) * POLL_S * 1000; // a 5 s task is seen done at the 6 s poll

function concurrencyOf(r) {
	if (r.run.impl === 'core') return r.run.n; // HTTP Request sends every item's request at once
	return r.run.parameters?.options?.maxConcurrency ?? nodeLimits.defaultConcurrency;
}

const outcome = (r) =>
	(r.code === 0 && r.errorItems.length === 0 && r.itemsWithImage === r.expectedImages
		? 'all succeeded'
		: `FAILED: ${r.failure ? `${r.failure.node ? `${r.failure.node}: ` : ''}${r.failure.message}` : `${r.errorItems.length} error items`}`.slice(
				0,
				300,
			)) +
	(r.promptsBilledTwice ? `; ${r.promptsBilledTwice} prompts got 2+ tasks (billed twice)` : '');

const RUN_COLUMNS = [
	['run', (r) => r.run.key],
	['built with', implName],
	['settings', (r) => r.run.settings],
	['N', (r) => String(r.run.n)],
	['wall (1st submit → last image)', (r) => secs(r.wallMs)],
	['ideal', (r) => secs(r.idealMs)],
	['ratio', ratio],
	['submits', (r) => String(r.submits)],
	['tasks', (r) => String(r.tasksCreated)],
	['queries/task', qpt],
	['image downloads', (r) => String(r.imagesOk)],
	['items with an image', (r) => `${r.itemsWithImage}/${r.expectedImages}`],
	['peak RSS (VmHWM)', (r) => mb(r.vmHwmKb)],
];
const REFUSAL_COLUMNS = [
	['50430 answers', (r) => String(r.refused50430)],
	['outcome', outcome],
];

const mean = (list) => (list.length ? list.reduce((a, b) => a + b, 0) / list.length : null);

/** Memory runs grouped: VmHWM of the small-image and the 25 MiB runs, their means and the rise. */
function memoryGroups(results) {
	const groups = [];
	for (const r of results.filter((x) => x.run.section === 'memory')) {
		let g = groups.find((x) => x.group === r.run.memory.group);
		if (!g)
			groups.push(
				(g = {
					group: r.run.memory.group,
					label: r.run.memory.label,
					images: r.run.images,
					smallRuns: [],
					bigRuns: [],
				}),
			);
		(r.run.size === 'small' ? g.smallRuns : g.bigRuns).push(r);
	}
	for (const g of groups) {
		g.small = g.smallRuns.map((r) => r.vmHwmKb).filter(Boolean);
		g.big = g.bigRuns.map((r) => r.vmHwmKb).filter(Boolean);
		g.meanSmall = mean(g.small);
		g.meanBig = mean(g.big);
		g.rise = g.meanSmall !== null && g.meanBig !== null ? g.meanBig - g.meanSmall : null;
	}
	return groups;
}

const by = (results, key) => results.find((r) => r.run.key === key);
const nodeScale = (results, isDefault) =>
	results.filter(
		(r) => r.run.section === 'scale' && r.run.impl === 'node' && !!r.run.isDefault === isDefault,
	);
const gatewayRuns = (results, impl) =>
	results.filter((r) => r.run.section === 'gateway' && r.run.impl === impl);
const fasterThanCore = ({ node, core }) =>
	node.wallMs !== null && (core.wallMs === null || node.wallMs <= core.wallMs);
/** Node runs with N ≥ 10 whose queries per task count (issue 8 lets one task take up to 6: bench/polling.mjs checks it). */
const countedRuns = (results) =>
	results.filter(
		(r) =>
			r.run.impl === 'node' &&
			r.run.n >= 10 &&
			(r.run.section === 'scale' || r.run.section === 'gateway') &&
			r.queriesPerTask !== null,
	);
const worstQueries = (runs) => runs.reduce((a, b) => (b.queriesPerTask > a.queriesPerTask ? b : a));
const node20Group = (results) => {
	const g = memoryGroups(results).find((x) => x.group === 'node-20');
	return g && g.small.length && g.big.length ? [g] : [];
};
const gwOk = (gw) => gw.code === 0 && gw.itemsWithImage === gw.run.n && gw.errorItems.length === 0;
const gwLabel = (gw) => (gw.run.isDefault ? '(defaults)' : `(${gw.run.settings}; not the default)`);
const coreFailed = (c) => c.code !== 0 || c.itemsWithImage < c.run.n;
const withCore = (results, runs) =>
	runs.flatMap((node) => {
		const core = by(results, `core-n${node.run.n}`);
		return core ? [{ node, core }] : [];
	});

/** The targets of issue 4, one row each (a row per run where the target is per run). */
const TARGETS = [
	{
		each: (results) =>
			[true, false].flatMap((isDefault) => withCore(results, nodeScale(results, isDefault))),
		assert: [
			{
				name: ({ node: { run } }) =>
					run.isDefault
						? `N = ${run.n}: node (defaults) at least as fast as the core-node workflow`
						: `(N = ${run.n}, ${run.settings}; not the default) at least as fast as the core-node workflow`,
				ok: fasterThanCore,
				evidence: ({ node, core }) => `node ${secs(node.wallMs)} vs core ${secs(core.wallMs)}`,
			},
		],
	},
	{
		each: (results) => [
			...[by(results, 'node-n200')].filter(Boolean).map((r) => ({
				r,
				name: 'N = 200: node (defaults) within 1.5 × the ideal (5 s, gateway unlimited)',
			})),
			...nodeScale(results, false)
				.filter((r) => r.run.n === 200)
				.map((r) => ({ r, name: `(same, ${r.run.settings}; not the default)` })),
		],
		assert: [
			{
				name: ({ name }) => name,
				ok: ({ r }) => r.ratio !== null && r.ratio <= 1.5,
				evidence: ({ r }) => `${secs(r.wallMs)} = ${ratio(r)}`,
			},
		],
	},
	{
		when: (results) => countedRuns(results).length > 0,
		name: 'at most 2.5 queries per task on average at 5 s latency (every node run with N ≥ 10)',
		ok: (results) => worstQueries(countedRuns(results)).queriesPerTask <= 2.5,
		evidence: (results) => {
			const runs = countedRuns(results);
			const worst = worstQueries(runs);
			const sum = (of) => runs.reduce((s, r) => s + of(r), 0);
			return `average ${(sum((r) => r.queries) / sum((r) => r.tasksCreated)).toFixed(2)} over ${runs.length} runs; highest ${worst.queriesPerTask.toFixed(2)} (${worst.run.key})`;
		},
	},
	{
		each: (results) => gatewayRuns(results, 'node'),
		assert: [
			{
				name: (gw) => `10-task gateway, N = ${gw.run.n}, node ${gwLabel(gw)}: all items succeed`,
				ok: gwOk,
				evidence: (gw) =>
					`${gw.itemsWithImage}/${gw.run.n} with an image, ${gw.errorItems.length} error items`,
			},
			{
				name: '… no 50430 reaches the user',
				ok: (gw) => gw.errors50430 === 0,
				evidence: (gw) =>
					`${gw.refused50430} answered 50430 by the gateway, ${gw.errors50430} reached the output`,
			},
			{
				name: (gw) => `… wall time within 1.3 × the ideal (${secs(gw.idealMs)})`,
				ok: (gw) => gw.ratio !== null && gw.ratio <= 1.3,
				evidence: (gw) => `${secs(gw.wallMs)} = ${ratio(gw)}`,
			},
		],
	},
	{
		each: (results) => gatewayRuns(results, 'core'),
		assert: [
			{
				name: (c) =>
					`10-task gateway, N = ${c.run.n}: the core-node workflow${c.run.submitSettings ? ' with Retry On Fail on the submit' : ''} (expected to fail)`,
				ok: coreFailed,
				words: ['as expected', 'unexpected'],
				evidence: (c) =>
					`${coreFailed(c) ? 'failed' : 'succeeded'}: ${c.itemsWithImage}/${c.run.n} images, ${c.tasksCreated} tasks created (billed)${c.promptsBilledTwice ? `, ${c.promptsBilledTwice} prompts billed twice or more` : ''}, ${c.submits} submits of which ${c.refused50430} refused with 50430${c.failure ? `; ${c.failure.message}` : ''}`.slice(
						0,
						400,
					),
			},
		],
	},
	{
		each: node20Group,
		assert: [
			{
				name: `${MEMORY_IMAGES} images of 25 MiB (filesystem binary mode) raise n8n's peak memory by at most 100 MB over small images`,
				ok: (g) =>
					g.rise <= 100 * 1024 && g.bigRuns.every((r) => r.itemsWithImage === MEMORY_IMAGES),
				evidence: (g) =>
					`VmHWM ${mb(g.meanBig)} vs ${mb(g.meanSmall)} (mean of ${g.big.length} and ${g.small.length} runs): +${mb(g.rise)}; ${g.bigRuns.every((r) => r.itemsWithImage === MEMORY_IMAGES) ? 'all' : 'NOT all'} ${MEMORY_IMAGES} images stored, ${(g.bigRuns[0].imageBytes / 2 ** 20).toFixed(0)} MiB downloaded per run`,
			},
		],
	},
];

/** The targets table: [target, measured, result]. */
export function targets(results) {
	return [
		['target (issue 4)', 'measured', 'result'],
		...evaluate(TARGETS, results).map((t) => [
			t.name,
			t.evidence,
			(t.words ?? ['PASS', 'MISS'])[t.ok ? 0 : 1],
		]),
	];
}

/** Waves of a gateway-default or limited run: `n` items `c` at a time, bound and floor. */
const waveBound = (n, c, idealMs) => {
	const w = waves(n, c);
	return { w, bound: w * pollBoundMs, times: ((w * pollBoundMs) / idealMs).toFixed(2) };
};

/** "Why" lines: each entry (results) → a line, lines, or nothing when its runs are not in this run. */
const EXPLANATIONS = [
	() =>
		`- Floor for one task: the fake finishes a task ${secs(LATENCY_MS)} after its submit; polling every ${POLL_S} s (the core workflow's Wait, and the node's Poll Interval with Polling = Fixed Interval) sees it at the ${secs(pollBoundMs)} poll, so such a run is ≥ ${secs(pollBoundMs)} = ${(pollBoundMs / LATENCY_MS).toFixed(2)} × the latency before the download even starts. The node's default, Polling = Adaptive, sees it sooner (see "Polling" above); the "floor" figures below are the fixed-interval ones.`,
	(results) =>
		results
			.filter(
				(x) =>
					x.run.impl === 'node' &&
					(x.run.section === 'scale' || x.run.section === 'gateway') &&
					x.wallMs !== null,
			)
			.flatMap((r) => {
				const limited = Number.isFinite(r.run.allowed);
				const c = Math.min(concurrencyOf(r), limited ? r.run.allowed : Infinity);
				const { w, bound, times } = waveBound(r.run.n, c, r.idealMs);
				if (w <= 1) return [];
				return `- ${r.run.key}: ${r.run.n} items at ${concurrencyOf(r)} in flight${limited ? ` (gateway allows ${r.run.allowed})` : ''} → ⌈${r.run.n}/${c}⌉ = ${w} waves; ${secs(r.wallMs)} / ${w} = ${secs(r.wallMs / w)} per wave (floor ${secs(pollBoundMs)}); wave bound ${secs(bound)} = ${times} × the ideal.`;
			}),
	(results) => {
		const n200 = by(results, 'node-n200');
		const core200 = by(results, 'core-n200');
		if (!n200 || !core200) return null;
		const { defaultConcurrency: def, cap } = nodeLimits;
		const w = waves(200, def);
		const wc = waves(200, cap);
		return [
			`- The core-node workflow sends all ${core200.run.n} submits at once (HTTP Request without Batching fires every item's request together), so against an unlimited gateway it runs one wave: ${secs(core200.wallMs)}.`,
			w === 1
				? `The node at its default Max Concurrent Tasks (${def}) also runs the ${core200.run.n} items as one wave: ${secs(n200.wallMs)} = ${ratio(n200)} the ideal, of which ${secs(pollBoundMs)} is the poll floor; the rest is the ${core200.run.n} submits and downloads through one n8n process.`
				: `The node at its default Max Concurrent Tasks (${def}) runs ${w} waves: ${secs(n200.wallMs)}.`,
			w > 1 && wc > 1
				? `Max Concurrent Tasks cannot be set above ${cap} (the option's maxValue, checked in readConcurrency), so even then N = 200 needs ${wc} waves ≥ ${secs(wc * pollBoundMs)} = ${((wc * pollBoundMs) / LATENCY_MS).toFixed(1)} × the ideal: 1.5 × (7.5 s) is out of reach with the node as it is.`
				: null,
		]
			.filter(Boolean)
			.join(' ');
	},
	(results) => {
		const gw = gatewayRuns(results, 'node').find((r) => r.run.isDefault);
		if (!gw) return null;
		const def = nodeLimits.defaultConcurrency;
		const best = waveBound(gw.run.n, GATEWAY_LIMIT, gw.idealMs);
		const floor = `${best.w} × ${secs(pollBoundMs)} = ${secs(best.bound)} = ${best.times} ×`;
		if (def < GATEWAY_LIMIT) {
			const at = waveBound(gw.run.n, def, gw.idealMs);
			return `- 10-task gateway at the default Max Concurrent Tasks: the node never uses more than ${def} of the ${GATEWAY_LIMIT} slots the gateway allows, so ${gw.run.n} items take ${at.w} waves instead of ${best.w}: bound ${secs(at.bound)} = ${at.times} × the ideal; the best possible with ${POLL_S} s polling is ${floor}.`;
		}
		return `- 10-task gateway at the default Max Concurrent Tasks (${def}): all ${gw.run.n} submits go out, the gateway refuses ${gw.refused50430} with 50430 and the node learns the limit from those answers, then runs ⌈${gw.run.n}/${GATEWAY_LIMIT}⌉ = ${best.w} waves: ${secs(gw.wallMs)} = ${ratio(gw)} the ideal (${submitsWord(gw)}); the floor with ${POLL_S} s polling is ${floor}.`;
	},
	(results) => {
		const c = gatewayRuns(results, 'core').find((r) => !r.run.submitSettings);
		return (
			c &&
			`- Core-node workflow on the 10-task gateway: all ${c.run.n} submits go out at once; the gateway creates ${c.tasksCreated} tasks and answers ${c.refused50430} with HTTP 429 + 50430; HTTP Request (no Retry On Fail, no Continue On Fail: the defaults) fails the whole execution on the first refused item, so the ${c.tasksCreated} created tasks are billed and never fetched (${c.imagesOk} images downloaded).`
		);
	},
	(results) => {
		const r = gatewayRuns(results, 'core').find((x) => x.run.submitSettings);
		return (
			r &&
			`- With n8n's Retry On Fail on the submit node (what a user tries next), each try re-runs the node for all ${r.run.n} items, including those whose task was already created: ${r.submits} submits, ${r.tasksCreated} tasks created, ${r.promptsBilledTwice} prompts billed two or more times (most ${r.maxTasksPerPrompt}), ${r.refused50430} refusals; ${r.code === 0 ? `the execution ended with ${r.itemsWithImage}/${r.run.n} images` : `the execution still failed (${r.itemsWithImage}/${r.run.n} images)`}.`
		);
	},
	(results) => {
		const clean = by(results, 'diag-n40-max10');
		const spurious = by(results, 'diag-n40-max10-50430');
		if (!clean?.wallMs || !spurious?.wallMs) return null;
		const times = spurious.wallMs / clean.wallMs;
		return `- Random 50430 answers (not a real limit): 40 items at Max Concurrent Tasks 10 took ${secs(clean.wallMs)} on a clean gateway and ${secs(spurious.wallMs)} (${times.toFixed(1)} ×) when ${spurious.entries50430} random submits were answered 50430; items in progress: ${spurious.inProgress.join(' ')} (every 2 s), against ${clean.inProgress.join(' ')} without them. Each refusal lowers TaskSlots' limit to (items running − 1)${times > 1.3 ? ' and in this build nothing raises it again for the rest of the execution' : '; the limit grows back as submits are accepted'}.`;
	},
	(results) => {
		const groups = memoryGroups(results);
		const g = (name) => groups.find((x) => x.group === name);
		if (g('node-20')?.rise == null) return null;
		return `- ${MEMORY_WHY.map((part) => part(g, g('node-20')))
			.filter(Boolean)
			.join(' ')}`;
	},
];

/** The memory line's sentences: each (group by name, the node's 20-image group) → text or nothing. */
const MEMORY_WHY = [
	(g, node20) =>
		`Memory: ${MEMORY_IMAGES} × 25 MiB = ${((MEMORY_IMAGES * BIG_IMAGE_BYTES) / 2 ** 20).toFixed(0)} MiB pass through the n8n process. The node, streaming its ${MEMORY_IMAGES} downloads within its 64 MiB download budget (two 25 MiB images at a time), rose by ${mb(node20.rise)}.`,
	() =>
		"Why: Node's http client leaves about two bytes of buffers per byte received (the socket's read buffer and the parser's copy of the body). In n8n's process these are freed only when V8 collects for external-memory pressure (past about 64 MB), so one 25 MiB image already costs about +60 MB, and the rest grows with how fast the images stream (`node bench/download-probe.mjs` shows it outside n8n's workflow machinery).",
	(g) =>
		g('node-20-items')?.rise != null &&
		`As ${MEMORY_IMAGES} items at Max Concurrent Tasks 5 (at most 5 downloads, within the same budget) it rose by ${mb(g('node-20-items').rise)}.`,
	(g, node20) => {
		const core20 = g('core-20');
		return (
			core20?.rise != null &&
			`n8n's own HTTP Request node (response format File) rose by ${mb(core20.rise)}: it opens the ${MEMORY_IMAGES} responses together but writes them into the binary store one after another (its output loop awaits prepareBinaryData item by item), and took ${core20.bigRuns.map((r) => secs(r.wallMs)).join(', ')} against the node's ${node20.bigRuns.map((r) => secs(r.wallMs)).join(', ')}.`
		);
	},
	(g) =>
		g('node-1')?.rise != null &&
		g('core-1')?.rise != null &&
		`One 25 MiB image costs +${mb(g('node-1').rise)} through the node and +${mb(g('core-1').rise)} through HTTP Request.`,
	(g) =>
		(g('core-20')?.rise != null || g('node-20-items')?.rise != null) &&
		'So the rise grows with the number of downloads streamed at the same time (buffers in flight and chunks not yet garbage-collected); none of these runs holds an image whole.',
	(g, node20) => {
		const noType = g('node-20-no-type');
		return (
			noType?.meanBig != null &&
			node20.meanSmall != null &&
			`When the image host sends no Content-Type the node reads the first bytes for the type and streams the rest (io/binary.ts; a body up to 4 MiB is read whole), and the peak rose by ${mb(noType.meanBig - node20.meanSmall)}, against ${mb(node20.rise)} with one (the first row); until issue 18 it buffered each such image whole (\`collect\`), +223 MB in the run of 11c3f60.`
		);
	},
];

export const explanations = (results) =>
	EXPLANATIONS.flatMap((line) => line(results) || []).join('\n');

/** The diagnosis section's table. */
const DIAGNOSIS_COLUMNS = [
	['run', (r) => r.run.key],
	['settings', (r) => r.run.settings],
	['N', (r) => String(r.run.n)],
	['wall', (r) => secs(r.wallMs)],
	['submits', (r) => String(r.submits)],
	['50430 answers', (r) => String(r.entries50430)],
	['items in progress, every 2 s', (r) => r.inProgress.join(' ')],
	['items with an image', (r) => `${r.itemsWithImage}/${r.expectedImages}`],
];

/** The memory section's table: per group, small vs 25 MiB peaks and the rise. */
function memoryRows(results) {
	const groups = memoryGroups(results);
	const smallRef = groups.find((g) => g.group === 'node-20');
	const peaks = (list, mean) =>
		`${list.map((kb) => mb(kb)).join(', ')}${list.length > 1 ? ` (mean ${mb(mean)})` : ''}`;
	// A group without its own small-image runs is compared with the node's 20-image small runs.
	const base = (g) => (g.small.length ? g.meanSmall : (smallRef?.meanSmall ?? null));
	const bigRuns = (g, cell) => g.bigRuns.map(cell).join(', ') || '–';
	return columnsTable(
		[
			['downloads', (g) => g.label],
			['images per run', (g) => String(g.images)],
			[
				'VmHWM, small images (852 B)',
				(g) =>
					g.small.length ? peaks(g.small, g.meanSmall) : `(as the first row: ${mb(base(g))})`,
			],
			['VmHWM, 25 MiB images', (g) => (g.big.length ? peaks(g.big, g.meanBig) : '–')],
			[
				'rise',
				(g) => (base(g) !== null && g.meanBig !== null ? `+${mb(g.meanBig - base(g))}` : '–'),
			],
			['wall (25 MiB)', (g) => bigRuns(g, (r) => secs(r.wallMs))],
			[
				'items with an image (25 MiB)',
				(g) => bigRuns(g, (r) => `${r.itemsWithImage}/${r.expectedImages}`),
			],
		],
		groups,
	);
}

/**
 * The sections of the Markdown report, in order: each `section` (a run's `section`) with its title,
 * note and table; one whose runs are not in the results is left out. A section not listed here
 * (a new one in bench/run.mjs's SECTIONS) gets the plain run table, titled by its runs' `title`.
 */
const SECTIONS = [
	{
		section: 'scale',
		title: 'Unlimited gateway',
		table: (runs) => columnsTable(RUN_COLUMNS, runs),
	},
	{
		section: 'gateway',
		title: `Gateway allowing ${GATEWAY_LIMIT} tasks at once (429 + 50430 beyond; a task counts until generated)`,
		table: (runs) => columnsTable([...RUN_COLUMNS, ...REFUSAL_COLUMNS], runs),
	},
	{
		section: 'diagnosis',
		title: 'Diagnosis: 50430 answers that are not a real limit',
		note: 'Unlimited gateway; the fake answers 15 % of submits with 429 + 50430 at random (as a gateway does when other work on the same key briefly fills it). Each such answer while other items run makes the node learn a lower limit (TaskSlots.learnLimit); the question is whether it comes back.',
		table: (runs) => columnsTable(DIAGNOSIS_COLUMNS, runs),
	},
	{
		section: 'memory',
		title: 'Memory: peak RSS of the n8n process, small vs 25 MiB images, filesystem binary mode',
		note: 'VmHWM of the `n8n execute` process: its peak resident set over its whole life (boot is ~400 MB of it, the same in every run). Downloads streamed at once: the node, as many as fit its 64 MiB budget per execution (two 25 MiB images; every small one); its 20 items at Max Concurrent Tasks 5, at most 5; HTTP Request opens its 20 responses at once and writes them into the binary store one after another.',
		table: (runs, results) => memoryRows(results),
	},
];

function sectionParts(results) {
	const known = new Set([...SECTIONS.map((s) => s.section), 'polling']);
	const others = [...new Set(results.map((r) => r.run.section))]
		.filter((x) => !known.has(x))
		.map((section) => ({ section, table: (runs) => columnsTable(RUN_COLUMNS, runs) }));
	return [...SECTIONS, ...others].flatMap(({ section, title, note, table }) => {
		const runs = results.filter((r) => r.run.section === section);
		if (!runs.length) return [];
		const heading = `### ${title ?? runs[0].run.title ?? section}`;
		return [heading, ...(note ? [note] : []), markdownTable(table(runs, results))];
	});
}

export function markdown(results, instance, wallMs, { quick }) {
	return [
		`## Benchmark results (\`npm run bench${quick ? ' -- --quick' : ''}\`)`,
		`Machine: ${machineLine(instance)}. Fake gateway in the benchmark process, generation latency ${secs(LATENCY_MS)}, ` +
			`small PNG images (852 B) unless stated; binary data mode filesystem. Whole benchmark: ${secs(wallMs)}.`,
		"Wall time is read from the fake gateway's request log: first submit → end of the last successful image download. " +
			'Ideal = latency × ⌈N / allowed concurrency⌉; for the unlimited gateway the allowed concurrency is ∞, so the ideal is one latency (5 s). ' +
			'Peak RSS is VmHWM of the `n8n execute` process that ran the workflow (its whole life, boot included). ' +
			'"tasks" are tasks the gateway created (billed); "image downloads" are successful GETs on the image host.',
		...sectionParts(results),
		...(results.some((r) => r.run.section === 'polling') ? [pollingMarkdown(results)] : []),
		'### Targets',
		markdownTable(targets(results)),
		'### Why (figures from this run)',
		explanations(results),
	].join('\n\n');
}

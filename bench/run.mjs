#!/usr/bin/env node
// Benchmark: the Jimeng node inside real n8n against the fake gateway (generation latency 5 s),
// beside the same job built from core nodes, as issue 4 asks.
//
//   npm run bench                 # full set (~10 min on 2 cores); writes the block in BENCHMARKS.md
//   npm run bench -- --quick      # a smaller set (~2.5 min); prints only, unless --write
//   npm run bench -- --only=gw    # runs whose key contains "gw" (prints only, unless --write)
//   flags: --echo (mirror n8n's output), --version=2.41.1, --no-install (fail instead of running
//   scripts/n8n/install.sh when that n8n line is missing)
//
// How it measures: scripts/n8n/sandbox.mjs builds and packs this repo, installs it in a fresh n8n
// (2.41.1 by default) as a community package and starts the fake gateway in this process. Each run is
// a workflow imported with `n8n import:workflow` and run with `n8n execute` (a fresh n8n process per
// run; its ~3 s boot is outside the measured window). Wall time is taken from the fake's request log:
// first submit → end of the last successful image download. Peak memory is the VmHWM of that
// `n8n execute` process (bench/memory.mjs). n8n runs with N8N_DEFAULT_BINARY_DATA_MODE=filesystem,
// which is also what 2.41.1 uses by default outside queue mode (BinaryDataConfig: mode ??=
// executions.mode === 'queue' ? 'database' : 'filesystem').
import { randomBytes } from 'node:crypto';

import { requireLine } from '../scripts/n8n/ensure-installed.mjs';
import { prepareSandbox } from '../scripts/n8n/sandbox.mjs';
import { rssBefore, sampleExecuteMemory } from './memory.mjs';
import { failureOf, fakeClock, hasImage, logFigures, mb, nodeOutputItems, secs } from './metrics.mjs';
import { pollingFigures, pollingMarkdown, pollingRuns, pollingText } from './polling.mjs';
import { machineLine, markdownTable, textTable, writeBlock } from './report.mjs';
import { CORE, HEADER_AUTH_CREDENTIAL, coreWorkflow, installedNodeSettings, jimengWorkflow, workflowId } from './workflows.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const value = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
const QUICK = flag('quick');
const ONLY = value('only');
const WRITE = flag('write') || (!QUICK && !ONLY);
const VERSION = value('version') ?? '2.41.1';

const LATENCY_MS = 5000;
const POLL_S = 3; // the node's default Poll Interval, and the core workflow's Wait
// The node's Max Concurrent Tasks default and maximum, read from the package installed in n8n
// (nodeSettings()), so the runs and the explanations follow the node as it is.
let DEFAULT_MAX_CONCURRENCY = 5;
let NODE_MAX_CONCURRENCY_CAP = 50;
const EARLIER_DEFAULT = 5; // Max Concurrent Tasks' default before commit 0d7e74f, for comparison
const GATEWAY_LIMIT = 10;
const BIG_IMAGE_BYTES = 25 * 1024 * 1024;
const MEMORY_IMAGES = 20;
const RUN_TIMEOUT_MS = 15 * 60_000;

// ---------------------------------------------------------------------------------------------
// The runs
// ---------------------------------------------------------------------------------------------

const unlimited = { maxActiveTasks: null, activeUntil: 'observed', imageBytes: null, imageContentType: true };
const gateway10 = { maxActiveTasks: GATEWAY_LIMIT, activeUntil: 'generated', imageBytes: null, imageContentType: true };

function plan() {
	const scaleNs = QUICK ? [1, 10] : [1, 10, 50, 200];
	const gwN = QUICK ? 20 : 50;
	const runs = [];
	for (const n of scaleNs) {
		runs.push({ key: `core-n${n}`, section: 'scale', impl: 'core', n, fake: unlimited, allowed: Infinity, settings: 'Wait 3 s loop' });
		runs.push({ key: `node-n${n}`, section: 'scale', impl: 'node', n, fake: unlimited, allowed: Infinity, settings: 'defaults', isDefault: true });
	}
	// When the default runs fewer items at once than a list holds, the same list at the option's maximum.
	if (DEFAULT_MAX_CONCURRENCY < Math.max(...scaleNs)) {
		for (const n of scaleNs.filter((x) => x > DEFAULT_MAX_CONCURRENCY && x > 1)) {
			runs.push({
				key: `node-max${NODE_MAX_CONCURRENCY_CAP}-n${n}`,
				section: 'scale',
				impl: 'node',
				n,
				fake: unlimited,
				allowed: Infinity,
				settings: `Max Concurrent Tasks ${NODE_MAX_CONCURRENCY_CAP} (the option's maximum)`,
				parameters: { options: { maxConcurrency: NODE_MAX_CONCURRENCY_CAP } },
			});
		}
	}
	// What the earlier default (5 at a time) costs on the same list.
	if (!QUICK && DEFAULT_MAX_CONCURRENCY !== EARLIER_DEFAULT) {
		runs.push({
			key: `node-max${EARLIER_DEFAULT}-n50`,
			section: 'scale',
			impl: 'node',
			n: 50,
			fake: unlimited,
			allowed: Infinity,
			settings: `Max Concurrent Tasks ${EARLIER_DEFAULT}, the default before 0d7e74f`,
			parameters: { options: { maxConcurrency: EARLIER_DEFAULT } },
		});
	}
	runs.push({ key: `gw-core-n${gwN}`, section: 'gateway', impl: 'core', n: gwN, fake: gateway10, allowed: GATEWAY_LIMIT, settings: 'Wait 3 s loop' });
	// What a user tries next: n8n's Retry On Fail on the submit node (it re-runs the node for every item).
	runs.push({
		key: `gw-core-retry-n${gwN}`,
		section: 'gateway',
		impl: 'core',
		n: gwN,
		fake: gateway10,
		allowed: GATEWAY_LIMIT,
		settings: 'Wait 3 s loop; Submit with Retry On Fail (3 tries, 5 s apart)',
		submitSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 5000 },
	});
	runs.push({ key: `gw-node-n${gwN}`, section: 'gateway', impl: 'node', n: gwN, fake: gateway10, allowed: GATEWAY_LIMIT, settings: 'defaults', isDefault: true });
	const gatewayMaxes = [GATEWAY_LIMIT, EARLIER_DEFAULT];
	// The default stays under the gateway's limit: also a setting above it, where the node must learn the limit.
	if (DEFAULT_MAX_CONCURRENCY <= GATEWAY_LIMIT) gatewayMaxes.push(Math.min(NODE_MAX_CONCURRENCY_CAP, 5 * GATEWAY_LIMIT));
	for (const max of gatewayMaxes.filter((m, i, all) => m !== DEFAULT_MAX_CONCURRENCY && all.indexOf(m) === i)) {
		runs.push({
			key: `gw-node-max${max}-n${gwN}`,
			section: 'gateway',
			impl: 'node',
			n: gwN,
			fake: gateway10,
			allowed: GATEWAY_LIMIT,
			settings: `Max Concurrent Tasks ${max}${max === EARLIER_DEFAULT ? ', the default before 0d7e74f' : ''}`,
			parameters: { options: { maxConcurrency: max } },
		});
	}
	runs.push(...pollingRuns({ quick: QUICK, unlimited, gateway10 }));
	// Diagnosis (full run only): a 50430 the gateway answers once in a while, not a real limit.
	if (!QUICK) {
		for (const [key, faults] of [
			['diag-n40-max10', null],
			['diag-n40-max10-50430', { rate: 0.15, on: ['submit'], kinds: ['429-50430'], seed: 3 }],
		]) {
			runs.push({
				key,
				section: 'diagnosis',
				impl: 'node',
				n: 40,
				fake: { ...unlimited, faults },
				allowed: Infinity,
				settings: `Max Concurrent Tasks 10${faults ? '; 15 % of submits answered 429 + 50430 at random' : ''}`,
				parameters: { options: { maxConcurrency: 10 } },
			});
		}
	}
	// Memory: the same download job with small and with 25 MiB images; n8n's own HTTP Request node
	// (response format File) beside it, and a control run where the node has to buffer whole images.
	const reps = QUICK ? 1 : 2;
	const memoryRuns = [
		{ group: 'node-20', impl: 'node', images: MEMORY_IMAGES, reps, label: `Jimeng node, 1 task of ${MEMORY_IMAGES} images (Generate a Single Image off, [images:${MEMORY_IMAGES}])` },
		{ group: 'core-20', impl: 'core', images: MEMORY_IMAGES, reps, label: `core nodes, ${MEMORY_IMAGES} items, HTTP Request download as File` },
		{ group: 'node-20-items', impl: 'node', images: MEMORY_IMAGES, asItems: true, reps: 1, parameters: { options: { maxConcurrency: 5 } }, label: `Jimeng node, ${MEMORY_IMAGES} items of 1 image at Max Concurrent Tasks 5 (5 downloads at a time)` },
		{ group: 'node-1', impl: 'node', images: 1, reps: 1, label: 'Jimeng node, 1 image' },
		{ group: 'core-1', impl: 'core', images: 1, reps: 1, label: 'core nodes, 1 image' },
		{ group: 'node-20-no-type', impl: 'node', images: MEMORY_IMAGES, reps: 1, sizes: ['25MiB'], label: `Jimeng node, ${MEMORY_IMAGES} images, image host sends no Content-Type (the node sniffs: buffers each image whole)`, fake: { imageContentType: false } },
	];
	for (const m of memoryRuns) {
		if (QUICK && m.group !== 'node-20') continue;
		for (const size of m.sizes ?? ['small', '25MiB']) {
			for (let rep = 1; rep <= m.reps; rep++) {
				const key = `mem-${m.group}-${size}${m.reps > 1 ? `-r${rep}` : ''}`;
				const bytes = size === 'small' ? null : BIG_IMAGE_BYTES;
				const oneTask = m.impl === 'node' && m.images > 1 && !m.asItems;
				runs.push({
					key,
					section: 'memory',
					memory: m,
					size,
					impl: m.impl,
					n: oneTask ? 1 : m.images,
					images: m.images,
					fake: { ...unlimited, imageContentType: true, ...m.fake, imageBytes: bytes },
					allowed: Infinity,
					settings: m.label,
					imageBytes: bytes,
					parameters: oneTask ? { forceSingle: false } : m.parameters,
					prompts: oneTask ? [`bench ${key} [images:${m.images}]`] : undefined,
				});
			}
		}
	}
	return ONLY ? runs.filter((r) => r.key.includes(ONLY)) : runs;
}

function promptsFor(run) {
	return run.prompts ?? Array.from({ length: run.n }, (_, i) => `bench ${run.key} #${i + 1}`);
}

function workflowFor(run, i, baseUrl) {
	const id = workflowId('bench', `${i}${run.key.replace(/[^a-z0-9]/gi, '')}`.slice(0, 11));
	const name = `bench: ${run.key}`;
	const prompts = promptsFor(run);
	return run.impl === 'core'
		? coreWorkflow({ id, name, prompts, baseUrl, submitSettings: run.submitSettings })
		: jimengWorkflow({ id, name, prompts, parameters: run.parameters });
}

// ---------------------------------------------------------------------------------------------
// One run
// ---------------------------------------------------------------------------------------------

function idealMs(run) {
	if (run.idealMs) return run.idealMs;
	// Unlimited gateway: allowed concurrency ∞, so the ideal is one generation latency.
	return LATENCY_MS * (Number.isFinite(run.allowed) ? Math.ceil(run.n / run.allowed) : 1);
}

async function execute(sb, clock, run, workflow) {
	const { instance, fake } = sb;
	fake.reset();
	fake.setOptions({ latencyMs: LATENCY_MS, faults: null, ...run.fake });
	const sampler = sampleExecuteMemory(instance, workflow.id);
	const res = await instance.execute(workflow.id, { timeoutMs: RUN_TIMEOUT_MS });
	const mem = sampler.stop();
	const entries = [...fake.log];
	const stats = fake.stats();
	const fig = logFigures(entries);
	const outputNode = run.impl === 'core' ? CORE.download : 'Jimeng';
	const items = nodeOutputItems(res.json, outputNode);
	const errorItems = items.filter((item) => item.json?.error);
	const firstSubmitPerf = fig.firstSubmit === null ? null : clock.toPerf(fig.firstSubmit);
	const rssAtStartKb = firstSubmitPerf === null ? null : rssBefore(mem.samples, firstSubmitPerf);
	const expectedImages = run.images ?? run.n;
	const failure = failureOf(res);
	const result = {
		run,
		code: res.code,
		ms: res.ms,
		failure,
		...fig,
		tasksCreated: stats.tasksCreated,
		maxActiveTasks: stats.maxActiveTasks,
		maxSubmitsPerPrompt: Math.max(0, ...Object.values(stats.submitsPerPrompt)),
		maxTasksPerPrompt: Math.max(0, ...Object.values(stats.tasksPerPrompt)),
		promptsBilledTwice: Object.values(stats.tasksPerPrompt).filter((t) => t > 1).length,
		queriesPerTask: stats.tasksCreated ? fig.queries / stats.tasksCreated : null,
		itemsWithImage: items.filter((item) => hasImage(item)).length,
		expectedImages,
		errorItems: errorItems.map((item) => String(item.json.error)),
		errors50430: [...errorItems.map((item) => JSON.stringify(item.json)), failure?.message ?? ''].filter((t) => /50430/.test(t)).length,
		entries50430: entries.filter((e) => e.kind === 'submit' && (e.fault === '429-50430' || e.fault === 'max-active')).length,
		idealMs: idealMs(run),
		vmHwmKb: mem.vmHwmKb,
		rssAtStartKb,
		peakRssKb: mem.peakRssKb,
		pid: mem.pid,
	};
	result.ratio = result.wallMs === null ? null : result.wallMs / result.idealMs;
	result.inProgress = inProgressSeries(entries, fig, 2000);
	if (run.section === 'polling') result.polling = pollingFigures(entries, [...fake.tasks.values()]);
	return result;
}

/** Items in progress (first submit of its prompt → end of its last image) every `stepMs`. */
function inProgressSeries(entries, fig, stepMs) {
	if (fig.firstSubmit === null || fig.lastImageEnd === null) return [];
	const spans = new Map();
	for (const e of entries) {
		if (!e.prompt) continue;
		const span = spans.get(e.prompt) ?? { from: Infinity, to: 0 };
		if (e.kind === 'submit') span.from = Math.min(span.from, e.t);
		if (e.kind === 'image') span.to = Math.max(span.to, e.t + (e.durationMs ?? 0));
		spans.set(e.prompt, span);
	}
	const series = [];
	for (let t = fig.firstSubmit; t <= fig.lastImageEnd; t += stepMs) {
		series.push([...spans.values()].filter((span) => span.from <= t && span.to >= t).length);
	}
	return series;
}

const submitsWord = (r) => `${r.submits} submits for ${r.tasksCreated} tasks`;

function describe(r) {
	const ok = r.code === 0 && r.itemsWithImage === r.expectedImages;
	const outcome = ok
		? 'all images'
		: `exit ${r.code}; ${r.itemsWithImage}/${r.expectedImages} images${r.failure ? `; ${r.failure.node ? `${r.failure.node}: ` : ''}${r.failure.message}` : ''}`;
	return (
		`${r.run.key.padEnd(22)} wall ${secs(r.wallMs).padStart(7)}  ideal ${secs(r.idealMs)}  ratio ${r.ratio?.toFixed(2) ?? '–'}  ` +
		`submits ${r.submits}  tasks ${r.tasksCreated}  q/task ${r.queriesPerTask?.toFixed(2) ?? '–'}  images ${r.imagesOk}  ` +
		`peak ${mb(r.vmHwmKb)}  (n8n execute ${secs(r.ms)}) — ${outcome}`
	);
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const ratio = (r) => (r.ratio === null ? '–' : `${r.ratio.toFixed(2)}×`);
const qpt = (r) => (r.queriesPerTask === null ? '–' : r.queriesPerTask.toFixed(2));
const pass = (ok) => (ok ? 'PASS' : 'MISS');
const implName = (r) => (r.run.impl === 'core' ? 'core nodes' : 'Jimeng node');
const waves = (n, c) => Math.ceil(n / c);
const pollBoundMs = Math.ceil(LATENCY_MS / (POLL_S * 1000)) * POLL_S * 1000; // a 5 s task is seen done at the 6 s poll

function concurrencyOf(r) {
	if (r.run.impl === 'core') return r.run.n; // HTTP Request sends every item's request at once
	return r.run.parameters?.options?.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
}

function runRows(results, { withRefusals = false } = {}) {
	const head = [
		'run',
		'built with',
		'settings',
		'N',
		'wall (1st submit → last image)',
		'ideal',
		'ratio',
		'submits',
		'tasks',
		'queries/task',
		'image downloads',
		'items with an image',
		'peak RSS (VmHWM)',
	];
	if (withRefusals) head.push('50430 answers', 'outcome');
	const rows = [head];
	for (const r of results) {
		const row = [
			r.run.key,
			implName(r),
			r.run.settings,
			String(r.run.n),
			secs(r.wallMs),
			secs(r.idealMs),
			ratio(r),
			String(r.submits),
			String(r.tasksCreated),
			qpt(r),
			String(r.imagesOk),
			`${r.itemsWithImage}/${r.expectedImages}`,
			mb(r.vmHwmKb),
		];
		if (withRefusals) {
			row.push(
				String(r.refused50430),
				(r.code === 0 && r.errorItems.length === 0 && r.itemsWithImage === r.expectedImages
					? 'all succeeded'
					: `FAILED: ${r.failure ? `${r.failure.node ? `${r.failure.node}: ` : ''}${r.failure.message}` : `${r.errorItems.length} error items`}`.slice(0, 300)) +
					(r.promptsBilledTwice ? `; ${r.promptsBilledTwice} prompts got 2+ tasks (billed twice)` : ''),
			);
		}
		rows.push(row);
	}
	return rows;
}

const mean = (list) => (list.length ? list.reduce((a, b) => a + b, 0) / list.length : null);

/** Memory runs grouped: VmHWM of the small-image and the 25 MiB runs, their means and the rise. */
function memoryGroups(results) {
	const groups = [];
	for (const r of results.filter((x) => x.run.section === 'memory')) {
		let g = groups.find((x) => x.group === r.run.memory.group);
		if (!g) groups.push((g = { group: r.run.memory.group, label: r.run.memory.label, images: r.run.images, smallRuns: [], bigRuns: [] }));
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

function targets(results) {
	const by = (key) => results.find((r) => r.run.key === key);
	const out = [['target (issue 4)', 'measured', 'result']];
	const scale = results.filter((r) => r.run.section === 'scale');
	for (const nodeRun of scale.filter((r) => r.run.impl === 'node' && r.run.isDefault)) {
		const core = by(`core-n${nodeRun.run.n}`);
		if (!core) continue;
		const ok = nodeRun.wallMs !== null && (core.wallMs === null || nodeRun.wallMs <= core.wallMs);
		out.push([
			`N = ${nodeRun.run.n}: node (defaults) at least as fast as the core-node workflow`,
			`node ${secs(nodeRun.wallMs)} vs core ${secs(core.wallMs)}`,
			pass(ok),
		]);
	}
	for (const raised of scale.filter((r) => r.run.impl === 'node' && !r.run.isDefault)) {
		const core = by(`core-n${raised.run.n}`);
		if (!core) continue;
		out.push([
			`(N = ${raised.run.n}, ${raised.run.settings}; not the default) at least as fast as the core-node workflow`,
			`node ${secs(raised.wallMs)} vs core ${secs(core.wallMs)}`,
			pass(raised.wallMs !== null && (core.wallMs === null || raised.wallMs <= core.wallMs)),
		]);
	}
	const n200 = by('node-n200');
	if (n200) {
		out.push([
			'N = 200: node (defaults) within 1.5 × the ideal (5 s, gateway unlimited)',
			`${secs(n200.wallMs)} = ${ratio(n200)}`,
			pass(n200.ratio !== null && n200.ratio <= 1.5),
		]);
	}
	for (const m200 of scale.filter((r) => r.run.impl === 'node' && !r.run.isDefault && r.run.n === 200)) {
		out.push([
			`(same, ${m200.run.settings}; not the default)`,
			`${secs(m200.wallMs)} = ${ratio(m200)}`,
			pass(m200.ratio !== null && m200.ratio <= 1.5),
		]);
	}
	// N ≥ 10: issue 8 lets one task take up to 6 queries (bench/polling.mjs checks that).
	const nodeRuns = results.filter((r) => r.run.impl === 'node' && r.run.n >= 10 && (r.run.section === 'scale' || r.run.section === 'gateway') && r.queriesPerTask !== null);
	if (nodeRuns.length) {
		const worst = nodeRuns.reduce((a, b) => (b.queriesPerTask > a.queriesPerTask ? b : a));
		const totalQ = nodeRuns.reduce((s, r) => s + r.queries, 0);
		const totalT = nodeRuns.reduce((s, r) => s + r.tasksCreated, 0);
		out.push([
			'at most 2.5 queries per task on average at 5 s latency (every node run with N ≥ 10)',
			`average ${(totalQ / totalT).toFixed(2)} over ${nodeRuns.length} runs; highest ${worst.queriesPerTask.toFixed(2)} (${worst.run.key})`,
			pass(worst.queriesPerTask <= 2.5),
		]);
	}
	for (const gw of results.filter((r) => r.run.section === 'gateway' && r.run.impl === 'node')) {
		const allOk = gw.code === 0 && gw.itemsWithImage === gw.run.n && gw.errorItems.length === 0;
		const label = gw.run.isDefault ? '(defaults)' : `(${gw.run.settings}; not the default)`;
		out.push([
			`10-task gateway, N = ${gw.run.n}, node ${label}: all items succeed`,
			`${gw.itemsWithImage}/${gw.run.n} with an image, ${gw.errorItems.length} error items`,
			pass(allOk),
		]);
		out.push([
			`… no 50430 reaches the user`,
			`${gw.refused50430} answered 50430 by the gateway, ${gw.errors50430} reached the output`,
			pass(gw.errors50430 === 0),
		]);
		out.push([`… wall time within 1.3 × the ideal (${secs(gw.idealMs)})`, `${secs(gw.wallMs)} = ${ratio(gw)}`, pass(gw.ratio !== null && gw.ratio <= 1.3)]);
	}
	for (const gwCore of results.filter((r) => r.run.section === 'gateway' && r.run.impl === 'core')) {
		const failed = gwCore.code !== 0 || gwCore.itemsWithImage < gwCore.run.n;
		out.push([
			`10-task gateway, N = ${gwCore.run.n}: the core-node workflow${gwCore.run.submitSettings ? ' with Retry On Fail on the submit' : ''} (expected to fail)`,
			`${failed ? 'failed' : 'succeeded'}: ${gwCore.itemsWithImage}/${gwCore.run.n} images, ${gwCore.tasksCreated} tasks created (billed)${gwCore.promptsBilledTwice ? `, ${gwCore.promptsBilledTwice} prompts billed twice or more` : ''}, ${gwCore.submits} submits of which ${gwCore.refused50430} refused with 50430${gwCore.failure ? `; ${gwCore.failure.message}` : ''}`.slice(0, 400),
			failed ? 'as expected' : 'unexpected',
		]);
	}
	const node20 = memoryGroups(results).find((g) => g.group === 'node-20');
	if (node20 && node20.small.length && node20.big.length) {
		const allStored = node20.bigRuns.every((r) => r.itemsWithImage === MEMORY_IMAGES);
		out.push([
			`${MEMORY_IMAGES} images of 25 MiB (filesystem binary mode) raise n8n's peak memory by at most 100 MB over small images`,
			`VmHWM ${mb(node20.meanBig)} vs ${mb(node20.meanSmall)} (mean of ${node20.big.length} and ${node20.small.length} runs): +${mb(node20.rise)}; ${allStored ? 'all' : 'NOT all'} ${MEMORY_IMAGES} images stored, ${(node20.bigRuns[0].imageBytes / 2 ** 20).toFixed(0)} MiB downloaded per run`,
			pass(node20.rise <= 100 * 1024 && allStored),
		]);
	}
	return out;
}

function explanations(results) {
	const lines = [];
	const by = (key) => results.find((r) => r.run.key === key);
	lines.push(
		`- Floor for one task: the fake finishes a task ${secs(LATENCY_MS)} after its submit; polling every ${POLL_S} s (the core workflow's Wait, and the node's Poll Interval with Polling = Fixed Interval) sees it at the ${secs(pollBoundMs)} poll, so such a run is ≥ ${secs(pollBoundMs)} = ${(pollBoundMs / LATENCY_MS).toFixed(2)} × the latency before the download even starts. The node's default, Polling = Adaptive, sees it sooner (see "Polling" below); the "floor" figures below are the fixed-interval ones.`,
	);
	for (const r of results.filter((x) => x.run.impl === 'node' && (x.run.section === 'scale' || x.run.section === 'gateway') && x.wallMs !== null)) {
		const c = Math.min(concurrencyOf(r), Number.isFinite(r.run.allowed) ? r.run.allowed : Infinity);
		const w = waves(r.run.n, c);
		if (w <= 1) continue;
		lines.push(
			`- ${r.run.key}: ${r.run.n} items at ${concurrencyOf(r)} in flight${Number.isFinite(r.run.allowed) ? ` (gateway allows ${r.run.allowed})` : ''} → ⌈${r.run.n}/${c}⌉ = ${w} waves; ${secs(r.wallMs)} / ${w} = ${secs(r.wallMs / w)} per wave (floor ${secs(pollBoundMs)}); wave bound ${secs(w * pollBoundMs)} = ${((w * pollBoundMs) / r.idealMs).toFixed(2)} × the ideal.`,
		);
	}
	const n200 = by('node-n200');
	const core200 = by('core-n200');
	if (n200 && core200) {
		const w = waves(200, DEFAULT_MAX_CONCURRENCY);
		const text = [
			`- The core-node workflow sends all ${core200.run.n} submits at once (HTTP Request without Batching fires every item's request together), so against an unlimited gateway it runs one wave: ${secs(core200.wallMs)}.`,
		];
		if (w === 1) {
			text.push(`The node at its default Max Concurrent Tasks (${DEFAULT_MAX_CONCURRENCY}) also runs the ${core200.run.n} items as one wave: ${secs(n200.wallMs)} = ${ratio(n200)} the ideal, of which ${secs(pollBoundMs)} is the poll floor; the rest is the ${core200.run.n} submits and downloads through one n8n process.`);
		} else {
			text.push(`The node at its default Max Concurrent Tasks (${DEFAULT_MAX_CONCURRENCY}) runs ${w} waves: ${secs(n200.wallMs)}.`);
			const wc = waves(200, NODE_MAX_CONCURRENCY_CAP);
			if (wc > 1) {
				text.push(`Max Concurrent Tasks cannot be set above ${NODE_MAX_CONCURRENCY_CAP} (the option's maxValue, checked in readConcurrency), so even then N = 200 needs ${wc} waves ≥ ${secs(wc * pollBoundMs)} = ${((wc * pollBoundMs) / LATENCY_MS).toFixed(1)} × the ideal: 1.5 × (7.5 s) is out of reach with the node as it is.`);
			}
		}
		lines.push(text.join(' '));
	}
	const gwDefault = results.find((r) => r.run.section === 'gateway' && r.run.impl === 'node' && r.run.isDefault);
	if (gwDefault && DEFAULT_MAX_CONCURRENCY < GATEWAY_LIMIT) {
		lines.push(
			`- 10-task gateway at the default Max Concurrent Tasks: the node never uses more than ${DEFAULT_MAX_CONCURRENCY} of the ${GATEWAY_LIMIT} slots the gateway allows, so ${gwDefault.run.n} items take ${waves(gwDefault.run.n, DEFAULT_MAX_CONCURRENCY)} waves instead of ${waves(gwDefault.run.n, GATEWAY_LIMIT)}: bound ${secs(waves(gwDefault.run.n, DEFAULT_MAX_CONCURRENCY) * pollBoundMs)} = ${((waves(gwDefault.run.n, DEFAULT_MAX_CONCURRENCY) * pollBoundMs) / gwDefault.idealMs).toFixed(2)} × the ideal; the best possible with ${POLL_S} s polling is ${waves(gwDefault.run.n, GATEWAY_LIMIT)} × ${secs(pollBoundMs)} = ${secs(waves(gwDefault.run.n, GATEWAY_LIMIT) * pollBoundMs)} = ${((waves(gwDefault.run.n, GATEWAY_LIMIT) * pollBoundMs) / gwDefault.idealMs).toFixed(2)} ×.`,
		);
	} else if (gwDefault) {
		lines.push(
			`- 10-task gateway at the default Max Concurrent Tasks (${DEFAULT_MAX_CONCURRENCY}): all ${gwDefault.run.n} submits go out, the gateway refuses ${gwDefault.refused50430} with 50430 and the node learns the limit from those answers, then runs ⌈${gwDefault.run.n}/${GATEWAY_LIMIT}⌉ = ${waves(gwDefault.run.n, GATEWAY_LIMIT)} waves: ${secs(gwDefault.wallMs)} = ${ratio(gwDefault)} the ideal (${submitsWord(gwDefault)}); the floor with ${POLL_S} s polling is ${waves(gwDefault.run.n, GATEWAY_LIMIT)} × ${secs(pollBoundMs)} = ${secs(waves(gwDefault.run.n, GATEWAY_LIMIT) * pollBoundMs)} = ${((waves(gwDefault.run.n, GATEWAY_LIMIT) * pollBoundMs) / gwDefault.idealMs).toFixed(2)} ×.`,
		);
	}
	const gwCore = results.find((r) => r.run.section === 'gateway' && r.run.impl === 'core' && !r.run.submitSettings);
	if (gwCore) {
		lines.push(
			`- Core-node workflow on the 10-task gateway: all ${gwCore.run.n} submits go out at once; the gateway creates ${gwCore.tasksCreated} tasks and answers ${gwCore.refused50430} with HTTP 429 + 50430; HTTP Request (no Retry On Fail, no Continue On Fail: the defaults) fails the whole execution on the first refused item, so the ${gwCore.tasksCreated} created tasks are billed and never fetched (${gwCore.imagesOk} images downloaded).`,
		);
	}
	const gwRetry = results.find((r) => r.run.section === 'gateway' && r.run.impl === 'core' && r.run.submitSettings);
	if (gwRetry) {
		lines.push(
			`- With n8n's Retry On Fail on the submit node (what a user tries next), each try re-runs the node for all ${gwRetry.run.n} items, including those whose task was already created: ${gwRetry.submits} submits, ${gwRetry.tasksCreated} tasks created, ${gwRetry.promptsBilledTwice} prompts billed two or more times (most ${gwRetry.maxTasksPerPrompt}), ${gwRetry.refused50430} refusals; ${gwRetry.code === 0 ? `the execution ended with ${gwRetry.itemsWithImage}/${gwRetry.run.n} images` : `the execution still failed (${gwRetry.itemsWithImage}/${gwRetry.run.n} images)`}.`,
		);
	}
	const clean = by('diag-n40-max10');
	const spurious = by('diag-n40-max10-50430');
	if (clean?.wallMs && spurious?.wallMs) {
		lines.push(
			`- Random 50430 answers (not a real limit): 40 items at Max Concurrent Tasks 10 took ${secs(clean.wallMs)} on a clean gateway and ${secs(spurious.wallMs)} (${(spurious.wallMs / clean.wallMs).toFixed(1)} ×) when ${spurious.entries50430} random submits were answered 50430; items in progress: ${spurious.inProgress.join(' ')} (every 2 s), against ${clean.inProgress.join(' ')} without them. Each refusal lowers TaskSlots' limit to (items running − 1)${spurious.wallMs / clean.wallMs > 1.3 ? ' and in this build nothing raises it again for the rest of the execution' : '; the limit grows back as submits are accepted'}.`,
		);
	}
	const groups = memoryGroups(results);
	const g = (name) => groups.find((x) => x.group === name);
	const node20 = g('node-20');
	if (node20?.rise != null) {
		const parts = [
			`- Memory: ${MEMORY_IMAGES} × 25 MiB = ${((MEMORY_IMAGES * BIG_IMAGE_BYTES) / 2 ** 20).toFixed(0)} MiB pass through the n8n process. The node, writing all ${MEMORY_IMAGES} downloads at once, rose by ${mb(node20.rise)}.`,
		];
		const items20 = g('node-20-items');
		if (items20?.rise != null) parts.push(`As ${MEMORY_IMAGES} items at Max Concurrent Tasks 5 (5 downloads at once) it rose by ${mb(items20.rise)}.`);
		const core20 = g('core-20');
		if (core20?.rise != null) {
			parts.push(
				`n8n's own HTTP Request node (response format File) rose by ${mb(core20.rise)}: it opens the ${MEMORY_IMAGES} responses together but writes them into the binary store one after another (its output loop awaits prepareBinaryData item by item), and took ${core20.bigRuns.map((r) => secs(r.wallMs)).join(', ')} against the node's ${node20.bigRuns.map((r) => secs(r.wallMs)).join(', ')}.`,
			);
		}
		const node1 = g('node-1');
		const core1 = g('core-1');
		if (node1?.rise != null && core1?.rise != null) {
			parts.push(`One 25 MiB image costs +${mb(node1.rise)} through the node and +${mb(core1.rise)} through HTTP Request.`);
		}
		if (core20?.rise != null || items20?.rise != null) {
			parts.push('So the rise grows with the number of downloads streamed at the same time (buffers in flight and chunks not yet garbage-collected); none of these runs holds an image whole.');
		}
		const noType = g('node-20-no-type');
		if (noType?.meanBig != null && node20.meanSmall != null) {
			parts.push(`Control: when the image host sends no Content-Type the node buffers each image whole to sniff its type (helpers/download.ts \`collect\`), and the peak rose by ${mb(noType.meanBig - node20.meanSmall)}: that is what buffering costs.`);
		}
		lines.push(parts.join(' '));
	}
	return lines.join('\n');
}

function markdown(results, instance, wallMs) {
	const scale = results.filter((r) => r.run.section === 'scale');
	const gateway = results.filter((r) => r.run.section === 'gateway');
	const memory = results.filter((r) => r.run.section === 'memory');
	const parts = [];
	parts.push(`## Benchmark results (\`npm run bench${QUICK ? ' -- --quick' : ''}\`)`);
	parts.push(
		`Machine: ${machineLine(instance)}. Fake gateway in the benchmark process, generation latency ${secs(LATENCY_MS)}, ` +
			`small PNG images (852 B) unless stated; binary data mode filesystem. Whole benchmark: ${secs(wallMs)}.`,
	);
	parts.push(
		'Wall time is read from the fake gateway\'s request log: first submit → end of the last successful image download. ' +
			'Ideal = latency × ⌈N / allowed concurrency⌉; for the unlimited gateway the allowed concurrency is ∞, so the ideal is one latency (5 s). ' +
			'Peak RSS is VmHWM of the `n8n execute` process that ran the workflow (its whole life, boot included). ' +
			'"tasks" are tasks the gateway created (billed); "image downloads" are successful GETs on the image host.',
	);
	if (scale.length) parts.push('### Unlimited gateway', markdownTable(runRows(scale)));
	if (gateway.length) parts.push(`### Gateway allowing ${GATEWAY_LIMIT} tasks at once (429 + 50430 beyond; a task counts until generated)`, markdownTable(runRows(gateway, { withRefusals: true })));
	const diagnosis = results.filter((r) => r.run.section === 'diagnosis');
	if (diagnosis.length) {
		const rows = [['run', 'settings', 'N', 'wall', 'submits', '50430 answers', 'items in progress, every 2 s', 'items with an image']];
		for (const r of diagnosis) {
			rows.push([r.run.key, r.run.settings, String(r.run.n), secs(r.wallMs), String(r.submits), String(r.entries50430), r.inProgress.join(' '), `${r.itemsWithImage}/${r.expectedImages}`]);
		}
		parts.push(
			'### Diagnosis: 50430 answers that are not a real limit',
			'Unlimited gateway; the fake answers 15 % of submits with 429 + 50430 at random (as a gateway does when other work on the same key briefly fills it). Each such answer while other items run makes the node learn a lower limit (TaskSlots.learnLimit); the question is whether it comes back.',
			markdownTable(rows),
		);
	}
	if (memory.length) {
		const groups = memoryGroups(results);
		const smallRef = groups.find((g) => g.group === 'node-20');
		const rows = [['downloads', 'images per run', 'VmHWM, small images (852 B)', 'VmHWM, 25 MiB images', 'rise', 'wall (25 MiB)', 'items with an image (25 MiB)']];
		for (const g of groups) {
			// A group without its own small-image runs is compared with the node's 20-image small runs.
			const base = g.small.length ? g.meanSmall : smallRef?.meanSmall ?? null;
			rows.push([
				g.label,
				String(g.images),
				g.small.length ? `${g.small.map((kb) => mb(kb)).join(', ')}${g.small.length > 1 ? ` (mean ${mb(g.meanSmall)})` : ''}` : `(as the first row: ${mb(base)})`,
				g.big.length ? `${g.big.map((kb) => mb(kb)).join(', ')}${g.big.length > 1 ? ` (mean ${mb(g.meanBig)})` : ''}` : '–',
				base !== null && g.meanBig !== null ? `+${mb(g.meanBig - base)}` : '–',
				g.bigRuns.map((r) => secs(r.wallMs)).join(', ') || '–',
				g.bigRuns.map((r) => `${r.itemsWithImage}/${r.expectedImages}`).join(', ') || '–',
			]);
		}
		parts.push(
			'### Memory: peak RSS of the n8n process, small vs 25 MiB images, filesystem binary mode',
			'VmHWM of the `n8n execute` process: its peak resident set over its whole life (boot is ~400 MB of it, the same in every run). Downloads streamed at once: the node\'s task of 20 images, 20; the node\'s 20 items, 5 (Max Concurrent Tasks); HTTP Request opens its 20 responses at once and writes them into the binary store one after another.',
			markdownTable(rows),
		);
	}
	if (results.some((r) => r.run.section === 'polling')) parts.push(pollingMarkdown(results));
	parts.push('### Targets', markdownTable(targets(results)));
	parts.push('### Why (figures from this run)', explanations(results));
	return parts.join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	await requireLine(VERSION, { label: 'bench', install: !args.includes('--no-install') });
	const apiKey = `sk-bench-${randomBytes(12).toString('hex')}`;
	console.log(`bench: n8n ${VERSION}${QUICK ? ' (quick)' : ''}; preparing the sandbox (build, pack, install, import)…`);
	const sb = await prepareSandbox({
		version: VERSION,
		echo: flag('echo'),
		fakeOptions: { apiKey, latencyMs: LATENCY_MS },
		env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
	});
	const results = [];
	try {
		const { instance, fake } = sb;
		const settings = installedNodeSettings(instance);
		DEFAULT_MAX_CONCURRENCY = settings.defaultConcurrency;
		NODE_MAX_CONCURRENCY_CAP = settings.cap;
		const runs = plan();
		if (!runs.length) throw new Error(`no run matches --only=${ONLY}`);
		console.log(
			`bench: sandbox ready in ${secs(Date.now() - t0)} (${instance.userFolder}); the node: Max Concurrent Tasks ` +
				`default ${DEFAULT_MAX_CONCURRENCY}, at most ${NODE_MAX_CONCURRENCY_CAP}; ${runs.length} runs`,
		);
		await instance.importCredentials([
			{ ...HEADER_AUTH_CREDENTIAL, type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${apiKey}` } },
		]);
		const workflows = runs.map((run, i) => workflowFor(run, i, fake.url));
		await instance.importWorkflows(workflows);
		const clock = fakeClock(fake);
		for (const [i, run] of runs.entries()) {
			const r = await execute(sb, clock, run, workflows[i]);
			results.push(r);
			console.log(describe(r).split(apiKey).join('<API KEY>'));
		}
		const total = Date.now() - t0;
		const md = markdown(results, instance, total).split(apiKey).join('<API KEY>');
		console.log('\n' + textTable(targets(results)).split(apiKey).join('<API KEY>'));
		console.log('\n' + explanations(results));
		console.log('\n' + pollingText(results).split(apiKey).join('<API KEY>'));
		if (WRITE) console.log(`\nbench: wrote ${writeBlock('bench', md)}`);
		console.log(`bench: done in ${secs(total)}`);
	} finally {
		await sb.dispose();
	}
}

main().catch((err) => {
	console.error(err?.stack ?? err);
	process.exit(1);
});

// Polling scenarios (issue 8): the node with Polling = Adaptive (the default) beside Polling = Fixed
// Interval (the behaviour before the option), in the same bench run, against the same fake gateway:
// tasks of 5 s at N = 1, 10, 200; N = 50 on a gateway that allows 10 tasks at once; and N = 40 with
// latencies spread evenly over 3–15 s (the fake's `[latency:MS]` prompt directive), shuffled.
// bench/run.mjs runs them (section 'polling') and calls pollingFigures() on each; this file turns the
// figures into the tables, the targets and the explanations of BENCHMARKS.md.
import os from 'node:os';

import { markdownTable, secs, textTable } from '../scripts/support/report.mjs';
import { columnsTable } from './columns.mjs';
import { GATEWAY_10, GATEWAY_LIMIT, LATENCY_MS, UNLIMITED_GATEWAY } from './config.mjs';

const SPREAD = { from: 3000, to: 15000 };
const MODES = [
	{ mode: 'adaptive', label: 'Adaptive (default)' },
	{ mode: 'fixed', label: 'Fixed Interval' },
];

/** Latencies spread evenly over 3–15 s, in a fixed shuffled order (so submit order ≠ finish order). */
export function spreadLatencies(n) {
	const step = (SPREAD.to - SPREAD.from) / (n - 1);
	const order = Array.from({ length: n }, (_, i) => (i * 17) % n); // 17 is prime to n = 40 and 20
	return order.map((k) => Math.round(SPREAD.from + k * step));
}

const unlimited = UNLIMITED_GATEWAY;

/** The runs, in both modes (a section of bench/run.mjs's SECTIONS). */
export function pollingRuns({ quick }) {
	const cases = [
		{ name: 'n1', n: 1, fake: unlimited },
		{ name: 'n10', n: 10, fake: unlimited },
		...(quick ? [] : [{ name: 'n200', n: 200, fake: unlimited }]),
		{
			name: `gw-n${quick ? 20 : 50}`,
			n: quick ? 20 : 50,
			fake: GATEWAY_10,
			allowed: GATEWAY_LIMIT,
		},
		{ name: `spread-n${quick ? 20 : 40}`, n: quick ? 20 : 40, fake: unlimited, spread: true },
	];
	const runs = [];
	for (const c of cases) {
		for (const { mode, label } of MODES) {
			const key = `poll-${mode}-${c.name}`;
			const latencies = c.spread ? spreadLatencies(c.n) : null;
			runs.push({
				key,
				section: 'polling',
				pollingCase: c.name,
				pollingMode: mode,
				impl: 'node',
				n: c.n,
				fake: c.fake,
				allowed: c.allowed ?? Infinity,
				settings: `Polling ${label}${c.allowed ? `; gateway allows ${c.allowed}` : ''}${c.spread ? '; latencies 3–15 s' : ''}`,
				parameters: { options: { polling: mode } },
				prompts: latencies
					? latencies.map((ms, i) => `bench ${key} #${i + 1} [latency:${ms}]`)
					: Array.from({ length: c.n }, (_, i) => `bench ${key} #${i + 1}`),
				idealMs: latencies
					? Math.max(...latencies)
					: LATENCY_MS * (c.allowed ? Math.ceil(c.n / c.allowed) : 1),
				spread: !!c.spread,
			});
		}
	}
	return runs;
}

/** Most queries the fake received within any 1 s window. */
function busiestSecond(times) {
	const sorted = [...times].sort((a, b) => a - b);
	let best = 0;
	for (let i = 0, j = 0; i < sorted.length; i++) {
		while (sorted[i] - sorted[j] >= 1000) j++;
		best = Math.max(best, i - j + 1);
	}
	return best;
}

/**
 * Figures only the polling runs need, from the fake's log and its tasks (both on the fake's clock):
 * per task, ready (created + latency) → end of its last successful image download.
 */
export function pollingFigures(entries, tasks) {
	const queries = entries.filter((e) => e.kind === 'query');
	const imageEnd = new Map();
	for (const e of entries) {
		if (e.kind !== 'image' || e.statusCode !== 200 || e.fault || !e.taskId) continue;
		imageEnd.set(e.taskId, Math.max(imageEnd.get(e.taskId) ?? 0, e.t + (e.durationMs ?? 0)));
	}
	const delays = tasks.filter((t) => imageEnd.has(t.id)).map((t) => imageEnd.get(t.id) - t.readyAt);
	const perTask = new Map();
	for (const q of queries) if (q.taskId) perTask.set(q.taskId, (perTask.get(q.taskId) ?? 0) + 1);
	const accepted = entries.filter((e) => e.kind === 'submit' && e.taskId);
	const submitTimes = accepted.map((e) => e.t);
	const firstSubmit = submitTimes.length ? Math.min(...submitTimes) : null;
	return {
		// How long n8n took to send the accepted submits, and when the last task was ready: the wall
		// time no polling can beat.
		submitSpreadMs: submitTimes.length ? Math.max(...submitTimes) - firstSubmit : null,
		lastReadyMs:
			tasks.length && firstSubmit !== null
				? Math.max(...tasks.map((t) => t.readyAt)) - firstSubmit
				: null,
		busiestSecond: busiestSecond(queries.map((q) => q.t)),
		// When the first task was queried, from its submit (where the scout's grid can be read).
		firstTaskQueryAges: accepted.length
			? queries.filter((q) => q.taskId === accepted[0].taskId).map((q) => q.t - accepted[0].t)
			: [],
		// The machine is shared: the 1-minute load average when the run ended, to read the figures by.
		loadAverage: os.loadavg()[0],
		maxDelayMs: delays.length ? Math.max(...delays) : null,
		meanDelayMs: delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : null,
		delaysOver1s: delays.filter((d) => d > 1000).length,
		tasksDownloaded: delays.length,
		maxQueriesPerTask: perTask.size ? Math.max(...perTask.values()) : null,
	};
}

export const ratioText = (r) => (r.ratio === null ? '–' : `${r.ratio.toFixed(2)}×`);
export const qpt = (r) => (r.queriesPerTask === null ? '–' : r.queriesPerTask.toFixed(2));
const pass = (ok) => (ok ? 'PASS' : 'MISS');
const ms = (v) => (v == null ? '–' : `${(v / 1000).toFixed(2)} s`);

function pairs(results) {
	const polling = results.filter((r) => r.run.section === 'polling');
	const cases = [...new Set(polling.map((r) => r.run.pollingCase))];
	return cases.map((name) => ({
		name,
		adaptive: polling.find((r) => r.run.pollingCase === name && r.run.pollingMode === 'adaptive'),
		fixed: polling.find((r) => r.run.pollingCase === name && r.run.pollingMode === 'fixed'),
	}));
}

const agesText = (r) =>
	r.polling.firstTaskQueryAges.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ');

const lostOrDuplicated = (r) =>
	r.itemsWithImage !== r.run.n ||
	r.promptsBilledTwice > 0 ||
	r.errorItems.length > 0 ||
	r.code !== 0;

/** The side-by-side table, a row per case and mode. */
const SIDE_BY_SIDE = [
	['case', (r) => r.run.pollingCase],
	['Polling', (r) => (r.run.pollingMode === 'adaptive' ? 'Adaptive' : 'Fixed Interval')],
	['N', (r) => String(r.run.n)],
	['wall (1st submit → last image)', (r) => secs(r.wallMs)],
	['bound', (r) => secs(r.idealMs)],
	['ratio', ratioText],
	['queries/task', qpt],
	['most queries on one task', (r) => String(r.polling.maxQueriesPerTask ?? '–')],
	['busiest second (queries)', (r) => String(r.polling.busiestSecond)],
	['submits sent over', (r) => ms(r.polling.submitSpreadMs)],
	['last task ready (from 1st submit)', (r) => ms(r.polling.lastReadyMs)],
	[
		'ready → downloaded, mean / max',
		(r) => `${ms(r.polling.meanDelayMs)} / ${ms(r.polling.maxDelayMs)}`,
	],
	['tasks later than 1 s', (r) => `${r.polling.delaysOver1s}/${r.polling.tasksDownloaded}`],
	['submits', (r) => String(r.submits)],
	['tasks', (r) => String(r.tasksCreated)],
	['items with an image', (r) => `${r.itemsWithImage}/${r.run.n}`],
	['load average (1 min)', (r) => r.polling.loadAverage.toFixed(1)],
];
const sideBySide = (results) =>
	columnsTable(
		SIDE_BY_SIDE,
		pairs(results).flatMap(({ adaptive, fixed }) => [adaptive, fixed].filter(Boolean)),
	);

/** The issue's targets, each beside its figure. */
export function pollingTargets(results) {
	const out = [['target (issue 8)', 'measured (Adaptive; Fixed Interval beside it)', 'result']];
	const by = Object.fromEntries(pairs(results).map((p) => [p.name, p]));
	const ratioRow = (name, label, limit) => {
		const p = by[name];
		if (!p?.adaptive) return;
		out.push([
			`${label}: wall ≤ ${limit.toFixed(2)} × the bound (${secs(p.adaptive.idealMs)})`,
			`${secs(p.adaptive.wallMs)} = ${ratioText(p.adaptive)} (Fixed Interval ${secs(p.fixed?.wallMs)} = ${p.fixed ? ratioText(p.fixed) : '–'})`,
			pass(p.adaptive.ratio != null && p.adaptive.ratio <= limit),
		]);
	};
	ratioRow('n1', 'N = 1', 1.1);
	ratioRow('n200', 'N = 200', 1.15);
	const gw = Object.keys(by).find((k) => k.startsWith('gw-'));
	if (gw) ratioRow(gw, `N = ${by[gw].adaptive?.run.n} on a ${GATEWAY_LIMIT}-task gateway`, 1.08);
	const spread = Object.keys(by).find((k) => k.startsWith('spread-'));
	if (spread && by[spread].adaptive) {
		const { adaptive, fixed } = by[spread];
		out.push([
			`latencies spread 3–15 s (N = ${adaptive.run.n}): every task downloaded within 1 s of being ready`,
			`latest ${ms(adaptive.polling.maxDelayMs)}, mean ${ms(adaptive.polling.meanDelayMs)}; ${adaptive.polling.delaysOver1s} of ${adaptive.polling.tasksDownloaded} later than 1 s (Fixed Interval: latest ${ms(fixed?.polling.maxDelayMs)}, ${fixed?.polling.delaysOver1s ?? '–'} later than 1 s)`,
			pass(
				adaptive.polling.delaysOver1s === 0 && adaptive.polling.tasksDownloaded === adaptive.run.n,
			),
		]);
	}
	const tenPlus = pairs(results).filter((p) => p.adaptive && p.adaptive.run.n >= 10);
	for (const p of tenPlus) {
		out.push([
			`N = ${p.adaptive.run.n}${p.adaptive.run.spread ? ' (latencies 3–15 s)' : p.adaptive.run.allowed !== Infinity ? ` (${GATEWAY_LIMIT}-task gateway)` : ''}: ≤ 2.5 queries per task on average`,
			`${qpt(p.adaptive)} (Fixed Interval ${p.fixed ? qpt(p.fixed) : '–'})`,
			pass(p.adaptive.queriesPerTask != null && p.adaptive.queriesPerTask <= 2.5),
		]);
	}
	if (by.n1?.adaptive) {
		const q = by.n1.adaptive.queries;
		out.push([
			'N = 1: ≤ 6 queries',
			`${q} (Fixed Interval ${by.n1.fixed?.queries ?? '–'})`,
			pass(q <= 6),
		]);
	}
	for (const p of pairs(results).filter((x) => x.adaptive && x.fixed)) {
		out.push([
			`${p.name}: no second with more queries than Fixed Interval's busiest second`,
			`Adaptive ${p.adaptive.polling.busiestSecond}, Fixed Interval ${p.fixed.polling.busiestSecond}`,
			pass(p.adaptive.polling.busiestSecond <= p.fixed.polling.busiestSecond),
		]);
	}
	if (gw && by[gw].adaptive && by[gw].fixed) {
		const { adaptive, fixed } = by[gw];
		out.push([
			`${gw}: no more submits than Fixed Interval (refused submits counted)`,
			`Adaptive ${adaptive.submits} submits (${adaptive.refused50430} refused), Fixed Interval ${fixed.submits} (${fixed.refused50430} refused)`,
			pass(adaptive.submits <= fixed.submits),
		]);
	}
	for (const p of pairs(results)) {
		for (const r of [p.adaptive, p.fixed].filter(Boolean)) {
			if (!lostOrDuplicated(r)) continue;
			out.push([
				`${r.run.key}: every item one image, none lost, none billed twice`,
				`${r.itemsWithImage}/${r.run.n} with an image, ${r.promptsBilledTwice} prompts billed twice, ${r.errorItems.length} error items, exit ${r.code}`,
				'MISS',
			]);
		}
	}
	const all = pairs(results).flatMap((p) => [p.adaptive, p.fixed].filter(Boolean));
	if (all.length && all.every((r) => !lostOrDuplicated(r))) {
		out.push([
			'every polling run: every item one image, none lost, none billed twice',
			`${all.length} runs, ${all.reduce((s, r) => s + r.run.n, 0)} items`,
			'PASS',
		]);
	}
	return out;
}

/** Why the figures are what they are, from this run's numbers. */
function pollingWhy(results) {
	const by = Object.fromEntries(pairs(results).map((p) => [p.name, p]));
	const lines = [];
	const n1 = by.n1;
	if (n1?.adaptive && n1.fixed) {
		lines.push(
			`- N = 1: Fixed Interval asks at ${agesText(n1.fixed)} (${n1.fixed.queries} queries) and sees the 5 s task at the second. Adaptive's only task is a scout: Poll Interval, then once a second, where a second counts from the previous answer (the cap allows one query per second here, and a query holds its place until a second after its answer): ${agesText(n1.adaptive)} (${n1.adaptive.queries} queries); each step beyond 1.02 s is the round trip through n8n on this machine. At 5 s the third query lands just after ready; in general a scout sees its task within one scout gap (1.02 s plus the round trip, or an eighth of its age once that is longer).`,
		);
	}
	for (const name of Object.keys(by).filter((k) => /^n\d+$/.test(k) && k !== 'n1')) {
		const { adaptive, fixed } = by[name];
		if (!adaptive || !fixed) continue;
		lines.push(
			`- N = ${adaptive.run.n}: every third task scouts (3, 4.02, 5.04 s) until the first one is seen done; the others are asked at 3 s (Poll Interval) and at the age the scout found: ${qpt(adaptive)} queries per task against ${qpt(fixed)}; ${secs(adaptive.wallMs)} against ${secs(fixed.wallMs)}. The busiest second is the first 3 s round in both modes (${adaptive.polling.busiestSecond} vs ${fixed.polling.busiestSecond}).`,
		);
	}
	const gw = Object.keys(by).find((k) => k.startsWith('gw-'));
	if (gw && by[gw].adaptive && by[gw].fixed) {
		const { adaptive, fixed } = by[gw];
		const waves = Math.ceil(adaptive.run.n / GATEWAY_LIMIT);
		lines.push(
			`- ${GATEWAY_LIMIT}-task gateway, N = ${adaptive.run.n}: ${waves} waves. Fixed Interval sees each wave at its 6 s round: ${secs(fixed.wallMs)} = ${secs(fixed.wallMs / waves)} per wave. Adaptive learns the age in the first wave and queries every later task at 3 s and at that age: ${secs(adaptive.wallMs)} = ${secs(adaptive.wallMs / waves)} per wave (the floor is ${secs(LATENCY_MS)} + submit + query + download). Submits: ${adaptive.submits} against ${fixed.submits} (the node learns the gateway's limit from its 50430 answers and probes it upwards in both modes).`,
		);
	}
	const spread = Object.keys(by).find((k) => k.startsWith('spread-'));
	if (spread && by[spread].adaptive && by[spread].fixed) {
		const { adaptive, fixed } = by[spread];
		lines.push(
			`- Latencies 3–15 s (N = ${adaptive.run.n}): a task still pending past the learned age is asked every 0.8 s while others keep finishing, within a cap of as many queries per second as tasks waited on at once (${adaptive.polling.busiestSecond} in the busiest second against Fixed Interval's ${fixed.polling.busiestSecond}). Each task is seen ${ms(adaptive.polling.meanDelayMs)} after ready on average (latest ${ms(adaptive.polling.maxDelayMs)}) against ${ms(fixed.polling.meanDelayMs)} (latest ${ms(fixed.polling.maxDelayMs)}); that costs ${qpt(adaptive)} queries per task against ${qpt(fixed)}: no schedule can tell which of ${adaptive.run.n} independent tasks finishes next, so each has to be asked about once a second from the first finish on, and ≤ 2.5 queries per task is out of reach here (Fixed Interval itself needs ${qpt(fixed)}, one per 3 s of a task's life).`,
		);
		if (adaptive.polling.delaysOver1s > 0) {
			lines.push(
				`- ${adaptive.polling.delaysOver1s} task(s) were downloaded more than 1 s after ready (latest ${ms(adaptive.polling.maxDelayMs)}): while nearly all ${adaptive.run.n} tasks are still pending, the cap (no second busier than Fixed Interval's first round, ${fixed.polling.busiestSecond} queries) allows about one query per task per second, so a task can be asked up to ~1 s after ready, and the download comes on top.`,
			);
		}
	}
	return lines.join('\n');
}

export function pollingMarkdown(results) {
	if (!results.some((r) => r.run.section === 'polling')) return '';
	return [
		'### Polling: Adaptive beside Fixed Interval (issue 8)',
		'The same workflow with Options → Polling set to each mode, Poll Interval 3 s (the default). Bound: 5 s per task; ⌈N / 10⌉ × 5 s on the 10-task gateway; 15 s (the slowest task) for the spread latencies. "ready → downloaded": per task, from the fake\'s ready time (created + latency) to the end of its image download. "busiest second": most queries the fake received within any 1 s window.',
		markdownTable(sideBySide(results)),
		'#### Polling targets',
		markdownTable(pollingTargets(results)),
		'#### Polling: why (figures from this run)',
		pollingWhy(results),
	].join('\n\n');
}

export function pollingText(results) {
	if (!results.some((r) => r.run.section === 'polling')) return '';
	return `${textTable(sideBySide(results))}\n\n${textTable(pollingTargets(results))}\n\n${pollingWhy(results)}`;
}

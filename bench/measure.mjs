// One benchmark run: reset the fake, `n8n execute` the run's workflow while sampling its memory,
// and read the figures from the fake's log and n8n's run data.
import { failureOf, hasImage, nodeOutputItems } from '../scripts/support/run-data.mjs';
import { mb, secs } from '../scripts/support/report.mjs';
import { LATENCY_MS, RUN_TIMEOUT_MS } from './config.mjs';
import { sampleExecuteMemory } from './memory.mjs';
import { logFigures } from './metrics.mjs';
import { pollingFigures } from './polling.mjs';
import { CORE } from './workflows.mjs';

export function idealMs(run) {
	if (run.idealMs) return run.idealMs;
	// Unlimited gateway: allowed concurrency ∞, so the ideal is one generation latency.
	return LATENCY_MS * (Number.isFinite(run.allowed) ? Math.ceil(run.n / run.allowed) : 1);
}

export async function execute(sb, run, workflow) {
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
	const expectedImages = run.images ?? run.n;
	const failure = failureOf(res);
	const result = {
		run,
		code: res.code,
		ms: res.ms,
		failure,
		...fig,
		tasksCreated: stats.tasksCreated,
		maxTasksPerPrompt: Math.max(0, ...Object.values(stats.tasksPerPrompt)),
		promptsBilledTwice: Object.values(stats.tasksPerPrompt).filter((t) => t > 1).length,
		queriesPerTask: stats.tasksCreated ? fig.queries / stats.tasksCreated : null,
		itemsWithImage: items.filter((item) => hasImage(item)).length,
		expectedImages,
		errorItems: errorItems.map((item) => String(item.json.error)),
		errors50430: [
			...errorItems.map((item) => JSON.stringify(item.json)),
			failure?.message ?? '',
		].filter((t) => /50430/.test(t)).length,
		entries50430: entries.filter(
			(e) => e.kind === 'submit' && (e.fault === '429-50430' || e.fault === 'max-active'),
		).length,
		idealMs: idealMs(run),
		vmHwmKb: mem.vmHwmKb,
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

export function describe(r) {
	const ok = r.code === 0 && r.itemsWithImage === r.expectedImages;
	const outcome = ok
		? 'all images'
		: `exit ${r.code}; ${r.itemsWithImage}/${r.expectedImages} images${r.failure ? `; ${r.failure.node ? `${r.failure.node}: ` : ''}${r.failure.message}` : ''}`;
	return (
		`${r.run.key.padEnd(22)} wall ${secs(r.wallMs).padStart(7)}  ideal ${secs(r.idealMs)}  ratio ${r.ratio?.toFixed(2) ?? '–'}  ` +
		`submits ${r.submits}  tasks ${r.tasksCreated}  q/task ${r.queriesPerTask?.toFixed(2) ?? '–'}  images ${r.imagesOk}  ` +
		`peak ${mb(r.vmHwmKb)}  downloads ${secs(r.downloadMs)}  (n8n execute ${secs(r.ms)}) — ${outcome}`
	);
}

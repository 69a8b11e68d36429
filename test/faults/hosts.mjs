// Run j of the fault suite: image hosts that misbehave (test/fake-jimeng/host-behaviours.js), one
// item and one `n8n execute` each. n8n's binary store is measured after the run (what it kept) and
// sampled during it (its peak, reported).
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

import { markdownTable, secs, textTable } from '../../scripts/support/report.mjs';
import { verdict } from '../../scripts/support/scenarios.mjs';
import { hasImage } from '../../scripts/support/run-data.mjs';
import { executeRun, runWorkflow } from './execute.mjs';
import { HOST_DROP_MS, HOST_OVERSIZE_BYTES, hostRuns } from './scenarios.mjs';

export const hostWorkflows = () =>
	hostRuns().map((run, i) => runWorkflow(run, `host${String(i).padStart(2, '0')}`));

/**
 * Every file of n8n's binary store, .n8n/storage (2.x) and .n8n/binaryData (older lines, or kept
 * by 2.x): path → bytes (a file that goes while it is listed is skipped).
 */
async function storeFiles(userFolder) {
	const files = new Map();
	for (const dir of ['storage', 'binaryData']) {
		const root = path.join(userFolder, '.n8n', dir);
		const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
		for (const entry of entries.filter((e) => e.isFile())) {
			const full = path.join(entry.parentPath, entry.name);
			const info = await stat(full).catch(() => null);
			if (info) files.set(full, info.size);
		}
	}
	return files;
}

const sum = (sizes) => sizes.reduce((a, b) => a + b, 0);

/** Samples the store every 200 ms; stop() gives the most it held above what it held at the start. */
function sampleStore(userFolder, baseBytes) {
	let peak = 0;
	let running = true;
	const loop = (async () => {
		while (running) {
			peak = Math.max(peak, sum([...(await storeFiles(userFolder)).values()]) - baseBytes);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			return peak;
		},
	};
}

/** The store's new files, split into those the output items point at (with their metadata) and the rest. */
function newFiles(before, after, items) {
	const ids = items.flatMap((item) =>
		Object.values(item.binary ?? {}).flatMap((b) => (b.id ? [b.id.split(':')[1]] : [])),
	);
	const added = [...after].filter(([file]) => !before.has(file));
	const referenced = ([file]) =>
		ids.some((id) => file.endsWith(id) || file.endsWith(`${id}.metadata`));
	return { kept: added.filter(referenced), left: added.filter((f) => !referenced(f)) };
}

const bytesText = (files) =>
	files.length
		? `${sum(files.map(([, size]) => size)).toLocaleString('en-US')} B in ${files.length} file(s)`
		: '0 B';

function outcomeOf(item) {
	if (!item) return 'no item';
	if (item.json?.error) return `error item: ${String(item.json.error).slice(0, 100)}`;
	const bin = item.binary?.data;
	if (hasImage(item)) return `success with a file: ${bin.mimeType}, ${bin.fileSize ?? '?'}`;
	if (item.json?.downloadError) return `downloadError: ${String(item.json.downloadError.message)}`;
	return 'success, no file, no reason';
}

/** One run of j: n8n's execution, what the image host saw, and what the binary store holds after it. */
async function measure(ctx, { run, workflow }) {
	const { userFolder } = ctx.instance;
	let before;
	let sampler;
	const o = await executeRun(ctx, workflow, {
		fakeOptions: { hostDropMs: HOST_DROP_MS, oversizeBytes: HOST_OVERSIZE_BYTES },
		before: async () => {
			await sampler?.stop(); // n8n ran again after crashing at exit
			before = await storeFiles(userFolder);
			sampler = sampleStore(userFolder, sum([...before.values()]));
		},
	});
	const peak = await sampler.stop();
	const { kept, left } = newFiles(before, await storeFiles(userFolder), o.items);
	const requests = o.log.filter((e) => e.kind === 'image');
	const spanMs = requests.length
		? Math.max(...requests.map((e) => e.t + (e.durationMs ?? 0))) - requests[0].t
		: 0;
	const m = { ...o, run, peak, item: o.items[0], kept, left, requests, spanMs };
	ctx.hostTable.push(m);
	return m;
}

const hostAssertions = (run) => [
	{
		name: `${run.key}: n8n execute succeeds with one item`,
		ok: ({ res, items }) => res.code === 0 && items.length === 1,
		evidence: ({ res, items }) => `exit ${res.code}, ${items.length} item(s)`,
	},
	{
		name: `${run.key}: ${run.kind ? 'a task that succeeded, no file, its imageUrl and a downloadError saying what came instead' : 'the image is handed on'}`,
		ok: ({ item }) =>
			run.kind
				? item?.json?.status === 'success' &&
					!hasImage(item) &&
					!!item.json.imageUrl &&
					run.error.test(String(item.json.downloadError?.message ?? ''))
				: hasImage(item) && !item.json.downloadError,
		evidence: ({ item }) => outcomeOf(item),
	},
	{
		name: `${run.key}: the image host saw ${run.attempts} request(s) within ${secs(run.minMs)}–${secs(run.maxMs)}`,
		ok: ({ requests, spanMs }) =>
			requests.length === run.attempts && spanMs >= run.minMs && spanMs <= run.maxMs,
		evidence: ({ requests, spanMs }) => `${requests.length} request(s) over ${secs(spanMs)}`,
	},
	{
		name: `${run.key}: the binary store holds nothing new but the file handed on`,
		ok: ({ left, kept }) => left.length === 0 && (run.kind ? kept.length === 0 : kept.length > 0),
		evidence: (m) =>
			`left behind ${bytesText(m.left)}; handed on ${bytesText(m.kept)}; peak during the run ${m.peak.toLocaleString('en-US')} B`,
	},
];

const leaked = (m) => m.keyInData || m.requests.some((e) => e.headers.authorization);

function summaryRow(measured, ms, leaks) {
	const failed = measured.filter((m) => !hasImage(m.item));
	const left = sum(measured.flatMap((m) => m.left.map(([, size]) => size)));
	return {
		run: 'j. image hosts that misbehave (one item and one execution each)',
		load: `${measured.length} items`,
		injected: measured.map((m) => m.run.kind ?? 'none').join(', '),
		calls: `${measured.reduce((n, m) => n + m.requests.length, 0)} downloads`,
		succeeded: `${measured.length - failed.length}/${measured.length}`,
		failed: `${failed.length} × downloadError; ${left.toLocaleString('en-US')} B left in the binary store`,
		duplicates: '–',
		leaks: leaks ? 'LEAK' : 'none',
		ms,
	};
}

/**
 * Run j's entries (none when `hosted` is empty): one per image host, then its summary. They fill
 * ctx.hostTable (run j's own table) and put run j's line in ctx.rows.
 */
export function hostEntries(hosted) {
	if (!hosted.length) return [];
	let t0;
	return [
		...hosted.map((entry, i) => ({
			name: `j. ${entry.run.label}${entry.run.kind ? ` ([host:${entry.run.kind}])` : ''}`,
			act: (ctx) => {
				if (i === 0) t0 = Date.now();
				return measure(ctx, entry);
			},
			assert: hostAssertions(entry.run),
		})),
		{
			name: 'j: the API key is in no execution and went to no image host',
			act: (ctx) => {
				const leaks = ctx.hostTable.filter(leaked).length;
				ctx.rows.push(summaryRow(ctx.hostTable, Date.now() - t0, leaks));
				return verdict(leaks === 0, `${leaks} runs`);
			},
		},
	];
}

/** Run j's own table: per image host, time, outcome and what the binary store kept. */
const HOST_COLUMNS = [
	['image host', (m) => m.run.label],
	['wall (n8n execute)', (m) => secs(m.ms)],
	['download (1st request → last answer)', (m) => secs(m.spanMs)],
	['requests', (m) => String(m.requests.length)],
	['item', (m) => outcomeOf(m.item)],
	[
		'left in the binary store after the run',
		({ kept, left }) =>
			`${bytesText([...kept, ...left])}${left.length ? ` (${bytesText(left)} no item points at)` : ''}`,
	],
	['store peak during the run', (m) => `${m.peak.toLocaleString('en-US')} B`],
];
const hostTable = (measured) => [
	HOST_COLUMNS.map(([head]) => head),
	...measured.map((m) => HOST_COLUMNS.map(([, cell]) => cell(m))),
];

const HOST_NOTE = `an endless or stalled body is dropped by the host ${secs(HOST_DROP_MS)} after the request; wall time includes n8n's start`;

export const hostText = (table) =>
	`\nj. image hosts (${HOST_NOTE})\n${textTable(hostTable(table))}`;

export const hostMarkdown = (table) =>
	table.length
		? [`Run j, image hosts that misbehave (${HOST_NOTE}):`, markdownTable(hostTable(table))]
		: [];

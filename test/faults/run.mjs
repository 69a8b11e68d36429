#!/usr/bin/env node
// Fault suite (issue 4): the Jimeng node inside real n8n against the fake gateway with faults
// injected (test/fake-jimeng `faults`: 429+50429, 429+50430, 502 HTML page, 500+50500, reset
// connection, an answer slower than the request timeout), tasks that fail / vanish / expire / whose
// image answers 404, and a bad-input matrix.
//
//   npm run test:faults               # CI size: N = 20 items per load (< 5 min on 2 cores)
//   npm run test:faults -- --full     # N = 50 (the issue's size); writes the table into BENCHMARKS.md
//   flags: --n=K (items per load), --seed=S (fault PRNG seed), --write, --echo, --version=2.41.1,
//   --no-install (fail instead of running scripts/n8n/install.sh when that n8n line is missing)
//
// Runs (each `n8n execute` of an imported workflow, in a fresh n8n process):
//   a. 10 % faults on queries and image downloads, no Continue On Fail → every item has its image;
//   b. 10 % faults on every call, Continue On Fail → every item has its image except those whose
//      submit was cut off with no answer (reset, slower than the request timeout, a gateway HTML page):
//      one error item each saying the task may have been created and what to do; complete error
//      answers to a submit (429/50429/50430, 500/50500) are retried;
//   c. 30 % faults on every call, Continue On Fail → every input item ends as exactly one output item
//      (counted per input item through pairedItem): an image, or an item with a reason; none lost, none
//      duplicated;
//   d. tasks that fail, vanish (not_found), expire, finish without images, or whose image URL answers 404;
//   e. the bad-input matrix: empty prompt, 11 reference URLs, a non-http URL, custom size out of area,
//      out of ratio, malformed Extra Body Fields, an unknown task id (plus one without Continue On Fail);
// and in every run: tasks created per prompt ≤ 1 (the fake's tasksPerPrompt: a submit refused with a
// complete error answer creates no task, so submits per prompt may be > 1 and are reported), and the
// API key appears nowhere in the execution data, n8n's output, the n8n folder (database, binary data)
// or any request to the image host.
// The node runs with Request Timeout 2 s (the fake's slow answers take 3 s) and Poll Interval 1 s
// (generation latency 1 s) to keep the suite short; everything else at its default.
// Prints a results table and, last, the line `N passed, M failed`; exits 1 on any failure.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { requireLine } from '../../scripts/n8n/ensure-installed.mjs';
import { prepareSandbox } from '../../scripts/n8n/sandbox.mjs';
import { failureOf, hasImage, nodeOutputItems, secs } from '../../bench/metrics.mjs';
import { machineLine, markdownTable, textTable, writeBlock } from '../../bench/report.mjs';
import { installedNodeSettings, jimengWorkflow, matrixWorkflow, workflowId } from '../../bench/workflows.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const value = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
const FULL = flag('full');
const N = Number(value('n') ?? (FULL ? 50 : 20));
const SEED = Number(value('seed') ?? 7);
const WRITE = flag('write') || FULL;
const VERSION = value('version') ?? '2.41.1';
const EXECUTE_TIMEOUT_MS = 6 * 60_000;

const LATENCY_MS = 1000;
const SLOW_MS = 3000;
const REQUEST_TIMEOUT_S = 2;
const NODE_PARAMETERS = { pollInterval: 1, options: { requestTimeout: REQUEST_TIMEOUT_S } };
const ALL_KINDS = ['429-50429', '429-50430', '502-html', '500-50500', 'reset', 'slow'];
/** Directives of run b's last items: a reset after the task was created, complete refusals. */
const SCRIPTED_B = ['[reset-submit:1]', '[submit-code:50429:2]', '[submit-code:50500:1]', '[submit-code:50430:1]'];
/** Submit faults after which the gateway created the task but the client got no usable answer. */
const AMBIGUOUS = new Set(['reset', 'slow', '502-html']);
/** Submit faults that are complete error answers: no task, retried. */
const COMPLETE_REFUSALS = new Set(['429-50429', '429-50430', '500-50500']);

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

const checks = [];
let redact = (text) => String(text);
function check(name, ok, detail = '') {
	checks.push({ name, ok: !!ok, detail: redact(detail) });
	console.log(`${ok ? '  ok  ' : '  FAIL'} ${name}${detail ? ` — ${redact(detail)}` : ''}`);
	return !!ok;
}

// ---------------------------------------------------------------------------------------------
// Reading one run
// ---------------------------------------------------------------------------------------------

/** What the fake did to a submit: its fault, 'slow' for the enqueued slow answer, 'refused' for a directive's error code. */
function submitKind(e) {
	if (!e) return null;
	if (e.fault) return e.fault;
	if (e.scripted) return 'slow';
	if (e.statusCode === 429 || e.statusCode === 500) return 'refused';
	return null;
}

const countBy = (list) => list.reduce((map, key) => map.set(key, (map.get(key) ?? 0) + 1), new Map());

/** Short reason of an output item that is not an image. */
function reasonOf(item) {
	if (item.json?.error) {
		const msg = String(item.json.error);
		const last = (/Jimeng API error (\d+)/.exec(msg) ?? [])[1] ?? (/\((E[A-Z_]+)\)/.exec(msg) ?? [])[1] ?? (/HTTP (\d{3})/.exec(msg) ?? [])[1];
		if (/may have been created/.test(msg)) return 'submit cut off: task may have been created';
		const status = /status "([a-z_]+)"/.exec(msg);
		if (status) return /^(success|done)$/.test(status[1]) ? 'task finished without any image' : `task ${status[1]}`;
		if (item.json.taskId) return `query failed after retries${last ? ` (last: ${last})` : ''}`;
		if (/Submitting the task|Jimeng API error/.test(msg)) return `submit refused after retries${last ? ` (last: ${last})` : ''}`;
		return msg.slice(0, 80);
	}
	if (item.json?.downloadError) {
		const e = item.json.downloadError;
		return `download failed${e.httpCode ? ` (HTTP ${e.httpCode})` : ''}`;
	}
	return 'no image, no error';
}

/**
 * Per input item (pairedItem): its output items, and what became of it. prompts[i] is item i.
 */
function perInput(items, prompts) {
	const byInput = prompts.map(() => []);
	const unpaired = [];
	for (const item of items) {
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
		const index = typeof paired === 'number' ? paired : paired?.item;
		if (Number.isInteger(index) && index >= 0 && index < prompts.length) byInput[index].push(item);
		else unpaired.push(item);
	}
	const lost = byInput.flatMap((list, i) => (list.length === 0 ? [i] : []));
	const duplicated = byInput.flatMap((list, i) => (list.length > 1 ? [i] : []));
	const outcome = byInput.map((list) => (list.length === 1 ? (hasImage(list[0]) ? 'image' : reasonOf(list[0])) : list.length ? 'duplicated' : 'lost'));
	return { byInput, unpaired, lost, duplicated, outcome };
}

/** Every string in a value (JSON-ish), for the leak search. */
function containsKey(value, key) {
	return JSON.stringify(value ?? null).includes(key);
}

async function filesContaining(dir, needle, skip = new Set(['node_modules'])) {
	const hits = [];
	const walk = async (d) => {
		let entries;
		try {
			entries = await readdir(d, { withFileTypes: true });
		} catch {
			return;
		}
		for (const e of entries) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) {
				if (!skip.has(e.name)) await walk(p);
			} else if (e.isFile()) {
				const { size } = await stat(p);
				if (size > 512 * 1024 * 1024) continue;
				const buf = await readFile(p);
				if (buf.includes(needle)) hits.push(p);
			}
		}
	};
	await walk(dir);
	return hits;
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

function loadRuns() {
	const prompts = (key) => Array.from({ length: N }, (_, i) => `faults ${key} #${i + 1}`);
	return [
		{
			key: 'a',
			title: `a. ${N} items, 10 % faults on queries and image downloads`,
			load: `${N} items`,
			faults: { rate: 0.1, on: ['query', 'image'], kinds: ALL_KINDS, slowMs: SLOW_MS, seed: SEED },
			continueOnFail: false,
			prompts: prompts('a'),
		},
		{
			key: 'b',
			title: `b. ${N} items, 10 % faults on every call, Continue On Fail`,
			load: `${N} items (the first submit to arrive answered slowly; the last 4 scripted)`,
			faults: { rate: 0.1, on: ['submit', 'query', 'image'], kinds: ALL_KINDS, slowMs: SLOW_MS, seed: SEED },
			continueOnFail: true,
			// Random faults may miss the submits in a run: these make every submit case happen at least once.
			slowFirstSubmit: true,
			prompts: prompts('b').map((prompt, i) => (i >= N - SCRIPTED_B.length ? `${prompt} ${SCRIPTED_B[i - (N - SCRIPTED_B.length)]}` : prompt)),
		},
		{
			key: 'c',
			title: `c. ${N} items, 30 % faults on every call, Continue On Fail`,
			load: `${N} items`,
			faults: { rate: 0.3, on: ['submit', 'query', 'image'], kinds: ALL_KINDS, slowMs: SLOW_MS, seed: SEED },
			continueOnFail: true,
			prompts: prompts('c'),
		},
		{
			key: 'd',
			title: 'd. tasks that fail, vanish, expire, finish empty, or whose image answers 404 (+ 2 normal), Continue On Fail',
			load: '7 items',
			faults: null,
			continueOnFail: true,
			prompts: [
				'faults d normal #1',
				'faults d [fail]',
				'faults d [not_found]',
				'faults d [expired]',
				'faults d [done-empty]',
				'faults d [image404]',
				'faults d normal #2',
			],
		},
	];
}

const MATRIX = [
	{ key: 'empty', label: 'empty prompt', json: { prompt: '' }, parameters: { prompt: '={{ $json.prompt }}' }, expect: /prompt is empty/i },
	{
		key: 'urls11',
		label: '11 reference URLs',
		json: { urls: Array.from({ length: 11 }, (_, i) => `https://example.com/ref-${i + 1}.png`) },
		parameters: { prompt: 'faults matrix 11 urls', imageUrls: '={{ $json.urls }}' },
		expect: /11 reference images.*at most 10/i,
	},
	{
		key: 'nonhttp',
		label: 'a non-http reference URL',
		json: { urls: ['ftp://example.com/ref.png'] },
		parameters: { prompt: 'faults matrix non-http', imageUrls: '={{ $json.urls }}' },
		expect: /not an http\(s\) URL/i,
	},
	{
		key: 'area',
		label: 'custom size out of area (512 × 512)',
		parameters: { prompt: 'faults matrix area', size: 'custom', width: 512, height: 512 },
		expect: /outside 1024² to 4096²/,
	},
	{
		key: 'ratio',
		label: 'custom size out of ratio (4096 × 1024)',
		parameters: { prompt: 'faults matrix ratio', size: 'custom', width: 4096, height: 1024 },
		expect: /ratio.*outside 1:3 to 3:1/,
	},
	{
		key: 'extra',
		label: 'malformed Extra Body Fields',
		parameters: { prompt: 'faults matrix extra', options: { extraBody: '{"seed": 42,' } },
		expect: /Extra Body Fields is not valid JSON/,
	},
	{
		key: 'unknown',
		label: 'an unknown task id (Get Task)',
		parameters: { operation: 'getTask', taskId: 'no-such-task-00000000' },
		expect: /not_found/,
		queries: true,
	},
].map((c) => ({ ...c, onError: 'continueRegularOutput' }));

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	await requireLine(VERSION, { label: 'faults', install: !args.includes('--no-install') });
	const apiKey = `sk-faults-${randomBytes(12).toString('hex')}`;
	redact = (text) => String(text).split(apiKey).join('<API KEY>');
	console.log(`faults: N = ${N}${FULL ? ' (full)' : ' (CI size)'}, seed ${SEED}, n8n ${VERSION}; preparing the sandbox…`);
	const sb = await prepareSandbox({ version: VERSION, echo: flag('echo'), fakeOptions: { apiKey, latencyMs: LATENCY_MS } });
	const rows = [];
	const outputs = []; // everything n8n printed per run, for the leak check
	try {
		const { instance, fake } = sb;
		console.log(`faults: sandbox ready in ${secs(Date.now() - t0)}`);
		const runs = loadRuns();
		const workflows = runs.map((run, i) =>
			jimengWorkflow({
				id: workflowId('faults', `${i}${run.key}`),
				name: `faults: ${run.title}`,
				prompts: run.prompts,
				parameters: NODE_PARAMETERS,
				onError: run.continueOnFail ? 'continueRegularOutput' : undefined,
			}),
		);
		const matrix = matrixWorkflow({
			id: workflowId('faults', 'matrix'),
			name: 'faults: bad-input matrix',
			cases: MATRIX.map((c) => ({ ...c, parameters: { ...NODE_PARAMETERS, ...c.parameters, options: { ...NODE_PARAMETERS.options, ...c.parameters.options } } })),
		});
		const stopping = jimengWorkflow({
			id: workflowId('faults', 'stop'),
			name: 'faults: bad input without Continue On Fail',
			prompts: ['faults stop #1', '', 'faults stop #3'],
			parameters: NODE_PARAMETERS,
		});
		await instance.importWorkflows([...workflows, matrix, stopping]);

		const allTasksPerPrompt = [];
		const imageHostKeyHits = [];

		for (const [i, run] of runs.entries()) {
			console.log(`\n${run.title}`);
			fake.reset();
			fake.setOptions({ latencyMs: LATENCY_MS, faults: run.faults });
			if (run.slowFirstSubmit) fake.enqueue('submit', { delayMs: SLOW_MS });
			const started = Date.now();
			const res = await instance.execute(workflows[i].id, { timeoutMs: EXECUTE_TIMEOUT_MS });
			const ms = Date.now() - started;
			outputs.push(res.stdout, res.stderr, JSON.stringify(res.json ?? null));
			const log = [...fake.log];
			const stats = fake.stats();
			const items = nodeOutputItems(res.json, 'Jimeng');
			const per = perInput(items, run.prompts);
			const failure = failureOf(res);
			check(`${run.key}: n8n execute succeeds`, res.code === 0 && !!res.json, `exit ${res.code}, ${secs(ms)}${failure ? `; ${failure.message}` : ''}`);

			// What the fake did to each prompt's calls.
			const submitsOf = (prompt) => log.filter((e) => e.kind === 'submit' && e.prompt === prompt);
			const tasksPerPrompt = run.prompts.map((p) => stats.tasksPerPrompt[p] ?? 0);
			const submitsPerPrompt = run.prompts.map((p) => stats.submitsPerPrompt[p] ?? 0);
			allTasksPerPrompt.push(...tasksPerPrompt);
			const twice = run.prompts.filter((p, k) => tasksPerPrompt[k] > 1);
			check(`${run.key}: no prompt created two tasks (tasks per prompt ≤ 1)`, twice.length === 0, `max tasks per prompt ${Math.max(0, ...tasksPerPrompt)}, max submits per prompt ${Math.max(0, ...submitsPerPrompt)}${twice.length ? `; twice: ${twice.join(', ')}` : ''}`);

			check(
				`${run.key}: every input item ends as exactly one output item (pairedItem)`,
				per.lost.length === 0 && per.duplicated.length === 0 && per.unpaired.length === 0,
				`${items.length} output items for ${run.prompts.length} inputs; lost ${per.lost.length}, duplicated ${per.duplicated.length}, unpaired ${per.unpaired.length}`,
			);

			const imageKeyHits = log.filter((e) => e.server === 'image' && (e.headers.authorization || containsKey(e.headers, apiKey) || String(e.url).includes(apiKey)));
			imageHostKeyHits.push(...imageKeyHits);
			const apiKeyOutsideHeader = log.filter((e) => e.server === 'api' && (containsKey(e.body, apiKey) || String(e.url).includes(apiKey)));
			check(`${run.key}: the API key went only in the Authorization header to the API host`, imageKeyHits.length === 0 && apiKeyOutsideHeader.length === 0, `${log.filter((e) => e.server === 'image').length} image-host requests`);
			check(`${run.key}: the API key is not in the execution data`, !containsKey(res.json, apiKey) && !res.stdout.includes(apiKey) && !res.stderr.includes(apiKey));
			check(`${run.key}: the fake saw no protocol problem`, stats.problems === 0, log.filter((e) => e.problem).map((e) => e.problem).slice(0, 3).join('; '));

			const outcomes = countBy(per.outcome);
			const succeeded = outcomes.get('image') ?? 0;
			const failedReasons = [...outcomes].filter(([k]) => k !== 'image').map(([k, v]) => `${v} × ${k}`);

			for (const [k, outcome] of per.outcome.entries()) {
				if (outcome === 'image' || run.key === 'd') continue;
				const item = per.byInput[k][0];
				const faults = log.filter((e) => e.prompt === run.prompts[k] && (e.fault || e.scripted)).map((e) => `${e.kind}:${e.fault ?? 'slow (scripted)'}`);
				console.log(`        · ${run.prompts[k]} → ${outcome}${faults.length ? ` [faults on its calls: ${faults.join(', ')}]` : ''}: ${redact(String(item?.json?.error ?? item?.json?.downloadError?.message ?? '')).slice(0, 180)}`);
			}
			// Per-run expectations.
			const errorItems = items.filter((item) => item.json?.error);
			if (run.key === 'a') {
				check('a: every item has its image', succeeded === N, `${succeeded}/${N}; ${failedReasons.join(', ')}`);
			}
			if (run.key === 'b' || run.key === 'c') {
				const cutOff = [];
				const unexpected = [];
				for (const [k, prompt] of run.prompts.entries()) {
					const subs = submitsOf(prompt);
					const last = subs.at(-1);
					const ambiguous = !!last && AMBIGUOUS.has(submitKind(last));
					const outcome = per.outcome[k];
					if (ambiguous) cutOff.push({ prompt, outcome, item: per.byInput[k][0], fault: submitKind(last) });
					else if (outcome !== 'image') unexpected.push({ prompt, outcome, item: per.byInput[k][0] });
				}
				const cutOffOk = cutOff.filter((c) => c.outcome === 'submit cut off: task may have been created');
				check(
					`${run.key}: every item whose submit was cut off (reset, slower than the timeout, HTML page) is an error item saying the task may have been created`,
					cutOffOk.length === cutOff.length,
					`${cutOff.length} cut off (${[...countBy(cutOff.map((c) => c.fault))].map(([k, v]) => `${v} ${k}`).join(', ') || 'none'})${cutOff.length !== cutOffOk.length ? `; ended otherwise: ${cutOff.filter((c) => !cutOffOk.includes(c)).map((c) => `${c.prompt} → ${c.outcome}`).join('; ')}` : ''}`,
				);
				const advice = cutOffOk.filter((c) => /Check the task list or billing on the gateway/.test(String(c.item?.json?.description ?? '')));
				check(
					`${run.key}: … and says what to do (check the gateway's task list or billing before running it again)`,
					advice.length === cutOffOk.length,
					cutOffOk[0] ? `"${String(cutOffOk[0].item.json.error)}" — "${String(cutOffOk[0].item.json.description ?? '').slice(0, 160)}"` : 'no such item in this run',
				);
				const refusals = log.filter((e) => e.kind === 'submit' && (COMPLETE_REFUSALS.has(e.fault) || submitKind(e) === 'refused'));
				const later = (e) => log.some((x) => x.kind === 'submit' && x.prompt === e.prompt && x.t > e.t);
				const retried = refusals.filter(later);
				// A refusal not followed by another submit is fine only once the retries ran out (Max Retries 3: 4 submits).
				const gaveUpEarly = refusals.filter((e) => !later(e) && submitsOf(e.prompt).length < 4);
				check(
					`${run.key}: submits refused with a complete error answer (429/50429, 429/50430, 500/50500) were retried`,
					gaveUpEarly.length === 0,
					`${retried.length} of ${refusals.length} retried${refusals.length - retried.length ? `; ${refusals.length - retried.length} were the last of 4 attempts` : ''}${gaveUpEarly.length ? `; NOT retried: ${gaveUpEarly.map((e) => `${e.prompt} (${e.fault})`).join(', ')}` : ''}`,
				);
				if (run.key === 'b') {
					const slowed = log.find((e) => e.kind === 'submit' && e.scripted);
					const slowedIndex = run.prompts.indexOf(slowed?.prompt);
					check(
						'b: the submit answered after the request timeout (task created) → an error item saying the task may have been created',
						slowedIndex >= 0 && per.outcome[slowedIndex] === 'submit cut off: task may have been created',
						slowedIndex >= 0 ? `${run.prompts[slowedIndex]} → ${per.outcome[slowedIndex]}; tasks ${stats.tasksPerPrompt[slowed.prompt] ?? 0}` : 'no submit was slowed',
					);
					const resetIndex = N - SCRIPTED_B.length;
					check(
						'b: the submit whose connection was reset after the task was created → an error item saying the task may have been created, not retried',
						per.outcome[resetIndex] === 'submit cut off: task may have been created' && submitsOf(run.prompts[resetIndex]).length === 1,
						`${per.outcome[resetIndex]}; ${submitsOf(run.prompts[resetIndex]).length} submit(s), ${stats.tasksPerPrompt[run.prompts[resetIndex]] ?? 0} task(s)`,
					);
					for (const [offset, label] of [[1, 'refused twice with 429 + 50429'], [2, 'refused with 500 + 50500'], [3, 'refused with 429 + 50430']]) {
						const k = resetIndex + offset;
						const subs = submitsOf(run.prompts[k]);
						const lastAmbiguous = AMBIGUOUS.has(submitKind(subs.at(-1)));
						check(
							`b: a submit ${label} is retried, and the item gets its image (unless a random fault cut the retry off)`,
							subs.length >= (offset === 1 ? 3 : 2) && (per.outcome[k] === 'image' || lastAmbiguous),
							`${subs.map((e) => submitKind(e) ?? 'ok').join(' → ')}; ${per.outcome[k]}; ${stats.tasksPerPrompt[run.prompts[k]] ?? 0} task(s)`,
						);
					}
					check(
						'b: every other item has its image',
						unexpected.length === 0,
						`${N - cutOff.length - unexpected.length}/${N - cutOff.length} images${unexpected.length ? `; otherwise: ${unexpected.map((u) => `${u.prompt} → ${u.outcome}: ${redact(String(u.item?.json?.error ?? JSON.stringify(u.item?.json?.downloadError ?? '')).slice(0, 200))}`).join('; ')}` : ''}`,
					);
				}
				if (run.key === 'c') {
					const noReason = per.byInput.flat().filter((item) => !hasImage(item) && !item.json?.error && !item.json?.downloadError);
					check('c: every item without an image carries a reason (error or downloadError)', noReason.length === 0, `${noReason.length} without a reason`);
					// An error item of an item whose task was created and whose submit was answered must name the task.
					const afterTask = run.prompts.flatMap((prompt, k) => {
						const item = per.byInput[k][0];
						const created = (stats.tasksPerPrompt[prompt] ?? 0) > 0;
						const cut = AMBIGUOUS.has(submitKind(submitsOf(prompt).at(-1)));
						return item?.json?.error && created && !cut ? [item] : [];
					});
					check('c: error items of a created task name its task id (Get Task can resume it)', afterTask.every((item) => item.json.taskId), `${afterTask.length} such items: ${afterTask.map((item) => reasonOf(item)).join('; ') || 'none'}`);
				}
			}
			if (run.key === 'd') {
				const want = [
					[0, /^image$/, 'an image'],
					[1, /^task failed$/, 'an error item: the task failed, with the API\'s reason'],
					[2, /^task not_found$/, 'an error item: the task was not found'],
					[3, /^task expired$/, 'an error item: the task expired'],
					[4, /^task finished without any image$/, 'an error item: finished without any image'],
					[5, /^download failed \(HTTP 404\)$/, 'an item with imageUrl and downloadError (HTTP 404)'],
					[6, /^image$/, 'an image'],
				];
				for (const [k, re, label] of want) {
					const item = per.byInput[k][0];
					const text = item?.json?.error ?? item?.json?.downloadError?.message ?? '';
					check(`d: "${run.prompts[k]}" → ${label}`, re.test(per.outcome[k]), `${per.outcome[k]}${text ? `: ${String(text).slice(0, 140)}` : ''}`);
				}
				const item404 = per.byInput[5][0];
				check('d: the 404 item keeps its imageUrl and the task id', !!item404?.json?.imageUrl && !!item404?.json?.taskId, item404 ? `imageUrl ${item404.json.imageUrl ? 'kept' : 'missing'}` : 'no item');
			}

			rows.push({
				run: run.title,
				load: run.load,
				injected: Object.entries(stats.faults)
					.filter(([k]) => k !== 'max-active')
					.map(([k, v]) => `${v} ${k}`)
					.join(', ') || (run.faults ? 'none drawn' : 'none (directives)'),
				calls: `${stats.submits} submits, ${stats.queries} queries, ${stats.images} downloads`,
				succeeded: `${succeeded}/${run.prompts.length}`,
				failed: failedReasons.join('; ') || '–',
				duplicates: `${per.duplicated.length} duplicated, ${per.lost.length} lost; max tasks/prompt ${Math.max(0, ...tasksPerPrompt)} (max submits/prompt ${Math.max(0, ...submitsPerPrompt)})`,
				leaks: imageKeyHits.length + apiKeyOutsideHeader.length + (containsKey(res.json, apiKey) ? 1 : 0) ? 'LEAK' : 'none',
				ms,
			});
		}

		// ---------------------------------------------------------------- bad-input matrix
		console.log('\ne. bad-input matrix (Continue On Fail, one Jimeng node per case)');
		fake.reset();
		fake.setOptions({ latencyMs: LATENCY_MS, faults: null });
		let started = Date.now();
		let res = await instance.execute(matrix.id, { timeoutMs: EXECUTE_TIMEOUT_MS });
		let ms = Date.now() - started;
		outputs.push(res.stdout, res.stderr, JSON.stringify(res.json ?? null));
		check('e: n8n execute succeeds', res.code === 0 && !!res.json, `exit ${res.code}${failureOf(res) ? `; ${failureOf(res).message}` : ''}`);
		const matrixLog = [...fake.log];
		const matrixResults = [];
		for (const c of MATRIX) {
			const items = nodeOutputItems(res.json, `Jimeng ${c.key}`);
			const error = String(items[0]?.json?.error ?? '');
			const description = String(items[0]?.json?.description ?? '');
			const ok = items.length === 1 && c.expect.test(error) && !hasImage(items[0]);
			check(`e: ${c.label} → one error item with a clear message`, ok, `${items.length} item(s): "${error.slice(0, 160)}"${description ? ` — "${description.slice(0, 120)}"` : ''}`);
			matrixResults.push({ label: c.label, error: error || '(none)', ok });
		}
		const matrixSubmits = matrixLog.filter((e) => e.kind === 'submit');
		const matrixQueries = matrixLog.filter((e) => e.kind === 'query');
		check('e: no submit reached the gateway (nothing billed)', matrixSubmits.length === 0 && fake.stats().tasksCreated === 0, `${matrixSubmits.length} submits, ${matrixQueries.length} queries (the unknown task id's)`);
		rows.push({
			run: 'e. bad-input matrix (7 cases)',
			load: '7 items, 1 per node',
			injected: 'bad parameters',
			calls: `${matrixSubmits.length} submits, ${matrixQueries.length} queries, 0 downloads`,
			succeeded: '0/7 (as intended)',
			failed: `${matrixResults.filter((m) => m.ok).length}/7 clear errors`,
			duplicates: '–',
			leaks: containsKey(res.json, apiKey) ? 'LEAK' : 'none',
			ms,
		});

		console.log('\ne. bad input without Continue On Fail (3 items, the second prompt empty)');
		fake.reset();
		started = Date.now();
		res = await instance.execute(stopping.id, { timeoutMs: EXECUTE_TIMEOUT_MS });
		ms = Date.now() - started;
		outputs.push(res.stdout, res.stderr, JSON.stringify(res.json ?? null));
		const failure = failureOf(res);
		const out = `${res.stdout}\n${res.stderr}`;
		check(
			'e: the workflow stops with an error naming the item, before any request',
			res.code !== 0 && /Item 2: The prompt is empty/.test(out) && fake.log.length === 0,
			`exit ${res.code}; ${failure?.message ?? ''}; ${fake.log.length} requests`,
		);
		rows.push({
			run: 'e. empty prompt without Continue On Fail',
			load: '3 items',
			injected: 'bad parameter',
			calls: `${fake.log.filter((e) => e.kind === 'submit').length} submits`,
			succeeded: '0/3 (execution stopped)',
			failed: failure?.message?.slice(0, 80) ?? '–',
			duplicates: '–',
			leaks: '–',
			ms,
		});

		// ---------------------------------------------------------------- leaks, everywhere
		console.log('\nleaks');
		const log = instance.logText();
		check('the API key is in nothing n8n printed (all CLI runs)', !log.includes(apiKey) && !outputs.some((o) => o.includes(apiKey)));
		const hits = await filesContaining(path.join(instance.userFolder, '.n8n'), Buffer.from(apiKey));
		check('the API key is in no file of the n8n folder (database, binary data, logs) in plain text', hits.length === 0, hits.map((h) => path.relative(instance.userFolder, h)).join(', '));
		check('no request to the image host carried the API key or an Authorization header', imageHostKeyHits.length === 0, `${imageHostKeyHits.length}`);
		check('in every run, tasks created per prompt ≤ 1', allTasksPerPrompt.every((t) => t <= 1), `max ${Math.max(0, ...allTasksPerPrompt)} over ${allTasksPerPrompt.length} prompts`);

		const total = Date.now() - t0;
		const tableRows = [
			['run', 'load', 'faults injected (by the fake)', 'calls', 'items with an image', 'items failed, with reasons', 'duplicates / lost / tasks per prompt', 'leaks', 'time'],
			...rows.map((r) => [r.run, r.load, r.injected, r.calls, r.succeeded, r.failed, r.duplicates, r.leaks, secs(r.ms)]),
		];
		console.log('\n' + redact(textTable(tableRows)));
		const passed = checks.filter((c) => c.ok).length;
		const failed = checks.length - passed;
		if (WRITE) {
			const md = [
				`## Fault suite results (\`npm run test:faults${FULL ? ' -- --full' : ''}\`, N = ${N})`,
				`Machine: ${machineLine(instance)}. Fake gateway: generation latency ${secs(LATENCY_MS)}, fault seed ${SEED}, slow answers ${secs(SLOW_MS)}; ` +
					`the node: Request Timeout ${REQUEST_TIMEOUT_S} s, Poll Interval 1 s, other settings at their defaults (Max Concurrent Tasks ${installedNodeSettings(instance).defaultConcurrency}, Max Retries 3). ` +
					`Fault kinds drawn uniformly from ${ALL_KINDS.join(', ')}. "tasks per prompt" counts tasks the gateway created for a prompt ` +
					`(a submit refused with a complete error answer creates none, so submits per prompt may exceed 1). Whole suite: ${secs(total)}; ${passed} checks passed, ${failed} failed.`,
				markdownTable(tableRows),
				'Bad-input matrix, the message of each error item:',
				markdownTable([['case', 'error item', 'clear'], ...matrixResults.map((m) => [m.label, m.error, m.ok ? 'yes' : 'NO'])]),
			].join('\n\n');
			console.log(`\nfaults: wrote ${writeBlock('faults', redact(md))}`);
		}
		console.log(`faults: done in ${secs(total)}`);
		if (failed) {
			console.log('\nfailed checks:');
			for (const c of checks.filter((x) => !x.ok)) console.log(`  - ${c.name}${c.detail ? ` — ${c.detail}` : ''}`);
		}
		console.log(`\n${passed} passed, ${failed} failed`);
		process.exitCode = failed ? 1 : 0;
	} finally {
		await sb.dispose();
	}
}

main().catch((err) => {
	console.error(redact(err?.stack ?? err));
	console.log(`\n${checks.filter((c) => c.ok).length} passed, ${checks.filter((c) => !c.ok).length + 1} failed`);
	process.exit(1);
});

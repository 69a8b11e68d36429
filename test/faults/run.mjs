#!/usr/bin/env node
// Fault suite (issue 4): the Jimeng node inside real n8n against the fake gateway with faults
// injected (test/fake-jimeng `faults`: 429+50429, 429+50430, 502 HTML page, 500+50500, reset
// connection, an answer slower than the request timeout), tasks that fail / vanish / expire / whose
// image answers 404, and a bad-input matrix.
//
//   npm run test:faults               # CI size: N = 20 items per load (< 5 min on 2 cores)
//   npm run test:faults -- --full     # N = 50 (the issue's size); writes the table into BENCHMARKS.md
//   flags: --n=K (items per load), --seed=S (fault PRNG seed), --write, --echo, --version=2.41.1,
//   --no-install (fail instead of running scripts/n8n/install.sh when that n8n line is missing),
//   --only=h,i (only these runs, by letter; prints only)
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
//   f. Number of Images 3 with scripted submit faults (a reset after the task was created, refusals
//      with 500/50500 and 429/50430) and a failed task; g. the same under 25 % random submit faults:
//      no item creates more than 3 tasks, each imageIndex is an image or a line of the item's one
//      error item (test/faults/count.mjs);
//   h. Reference Images From Binary with Number of Images 2 and scripted faults on both upload
//      steps (502/503 pages, 429s, resets on the link request and on the PUT; one item failing past
//      Max Retries on each step); i. the same under 60 % random faults on both steps: every item is
//      its images, from one submit per task naming its one upload (its exact bytes, no
//      Authorization at the upload host), or one error item naming the field and no submit
//      (test/faults/uploads.mjs);
//   j. image hosts that misbehave, one item and one execution each: an HTML page, JSON, XML or an
//      empty body at 200, an endless body with and without Content-Type, a trickle that stalls, bodies
//      over Max Image Size with and without Content-Length, fewer and more bytes than the Content-Length
//      announced: every item a task that succeeded with its imageUrl and a downloadError saying what came
//      instead; the requests and time the rules allow; nothing left in the binary store
//      (test/faults/hosts.mjs);
// and in every run: tasks created per prompt ≤ 1 (the fake's tasksPerPrompt: a submit refused with a
// complete error answer creates no task, so submits per prompt may be > 1 and are reported), and the
// API key appears nowhere in the execution data, n8n's output, the n8n folder (database, binary data)
// or any request to the image host.
// The node runs with Request Timeout 5 s (the fake's slow answers take 8 s) and Poll Interval 1 s
// (generation latency 1 s) to keep the suite short; everything else at its default.

import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { requireLine } from '../../scripts/n8n/ensure-installed.mjs';
import { prepareSandbox } from '../../scripts/n8n/sandbox.mjs';
import { driverArgs, numberArg } from '../../scripts/support/args.mjs';
import { createChecks } from '../../scripts/support/checks.mjs';
import { installedNodeSettings } from '../../scripts/support/jimeng-node.mjs';
import { secretInFiles } from '../../scripts/support/leaks.mjs';
import { redactor } from '../../scripts/support/redact.mjs';
import {
	machineLine,
	markdownTable,
	secs,
	textTable,
	writeBlock,
} from '../../scripts/support/report.mjs';
import { failureOf, hasImage, nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { jimengWorkflow, matrixWorkflow, workflowId } from '../../scripts/support/workflows.mjs';
import { countWorkflows, runCountScenarios } from './count.mjs';
import { containsKey, countBy, perInput, reasonOf, submitKind } from './outcomes.mjs';
import {
	ALL_KINDS,
	AMBIGUOUS,
	COMPLETE_REFUSALS,
	LATENCY_MS,
	loadRuns,
	MATRIX,
	NODE_PARAMETERS,
	REQUEST_TIMEOUT_S,
	SCRIPTED_B,
	SLOW_MS,
	UPLOAD_KINDS,
} from './scenarios.mjs';
import { hostMarkdown, hostText, hostWorkflows, runHostScenarios } from './hosts.mjs';
import { runUploadScenarios, uploadWorkflows } from './uploads.mjs';

const args = driverArgs(
	{
		full: { type: 'boolean' },
		n: { type: 'string' },
		seed: { type: 'string' },
		write: { type: 'boolean' },
		echo: { type: 'boolean' },
		version: { type: 'string', default: '2.41.1' },
		'no-install': { type: 'boolean' },
		only: { type: 'string' },
	},
	{
		usage:
			'npm run test:faults -- [--full] [--n=K] [--seed=S] [--write] [--echo] [--version=V] [--no-install] [--only=a,h]',
	},
);
const FULL = !!args.full;
const N = numberArg(args, 'n') ?? (FULL ? 50 : 20);
const SEED = numberArg(args, 'seed') ?? 7;
const ONLY = args.only ? new Set(args.only.split(',').map((key) => key.trim())) : null;
const wanted = (key) => !ONLY || ONLY.has(key);
// A partial table would replace the whole suite's in BENCHMARKS.md.
const WRITE = (!!args.write || FULL) && !ONLY;
const VERSION = args.version;
const EXECUTE_TIMEOUT_MS = 6 * 60_000;

const apiKey = `sk-faults-${randomBytes(12).toString('hex')}`;
const redact = redactor(apiKey);
const checks = createChecks({ redact });
const { check } = checks;

async function main() {
	const t0 = Date.now();
	await requireLine(VERSION, { label: 'faults', install: !args['no-install'] });
	console.log(
		`faults: N = ${N}${FULL ? ' (full)' : ' (CI size)'}, seed ${SEED}, n8n ${VERSION}; preparing the sandbox…`,
	);
	const sb = await prepareSandbox({
		version: VERSION,
		echo: args.echo,
		fakeOptions: { apiKey, latencyMs: LATENCY_MS },
		// Every line stores binaries on disk (1.x keeps them in memory by default), so run j can measure what is left.
		env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
	});
	const rows = [];
	const outputs = []; // everything n8n printed per run, for the leak check
	try {
		const { instance, fake } = sb;
		console.log(`faults: sandbox ready in ${secs(Date.now() - t0)}`);
		const runs = loadRuns({ N, SEED }).filter((run) => wanted(run.key));
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
			cases: MATRIX.map((c) => ({
				...c,
				parameters: {
					...NODE_PARAMETERS,
					...c.parameters,
					options: { ...NODE_PARAMETERS.options, ...c.parameters.options },
				},
			})),
		});
		const stopping = jimengWorkflow({
			id: workflowId('faults', 'stop'),
			name: 'faults: bad input without Continue On Fail',
			prompts: ['faults stop #1', '', 'faults stop #3'],
			parameters: NODE_PARAMETERS,
		});
		const counted = countWorkflows({ N, SEED }).filter((entry) => wanted(entry.run.key));
		const uploaded = uploadWorkflows({ N, SEED }).filter((entry) => wanted(entry.run.key));
		const hosted = wanted('j') ? hostWorkflows() : [];
		await instance.importWorkflows([
			...workflows,
			...counted.map((entry) => entry.workflow),
			...uploaded.map((entry) => entry.workflow),
			...hosted.map((entry) => entry.workflow),
			matrix,
			stopping,
		]);

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
			check(
				`${run.key}: n8n execute succeeds`,
				res.code === 0 && !!res.json,
				`exit ${res.code}, ${secs(ms)}${failure ? `; ${failure.message}` : ''}`,
			);

			// What the fake did to each prompt's calls.
			const submitsOf = (prompt) => log.filter((e) => e.kind === 'submit' && e.prompt === prompt);
			const tasksPerPrompt = run.prompts.map((p) => stats.tasksPerPrompt[p] ?? 0);
			const submitsPerPrompt = run.prompts.map((p) => stats.submitsPerPrompt[p] ?? 0);
			allTasksPerPrompt.push(...tasksPerPrompt);
			const twice = run.prompts.filter((p, k) => tasksPerPrompt[k] > 1);
			check(
				`${run.key}: no prompt created two tasks (tasks per prompt ≤ 1)`,
				twice.length === 0,
				`max tasks per prompt ${Math.max(0, ...tasksPerPrompt)}, max submits per prompt ${Math.max(0, ...submitsPerPrompt)}${twice.length ? `; twice: ${twice.join(', ')}` : ''}`,
			);

			check(
				`${run.key}: every input item ends as exactly one output item (pairedItem)`,
				per.lost.length === 0 && per.duplicated.length === 0 && per.unpaired.length === 0,
				`${items.length} output items for ${run.prompts.length} inputs; lost ${per.lost.length}, duplicated ${per.duplicated.length}, unpaired ${per.unpaired.length}`,
			);

			const imageKeyHits = log.filter(
				(e) =>
					e.server === 'image' &&
					(e.headers.authorization ||
						containsKey(e.headers, apiKey) ||
						String(e.url).includes(apiKey)),
			);
			imageHostKeyHits.push(...imageKeyHits);
			const apiKeyOutsideHeader = log.filter(
				(e) =>
					e.server === 'api' && (containsKey(e.body, apiKey) || String(e.url).includes(apiKey)),
			);
			check(
				`${run.key}: the API key went only in the Authorization header to the API host`,
				imageKeyHits.length === 0 && apiKeyOutsideHeader.length === 0,
				`${log.filter((e) => e.server === 'image').length} image-host requests`,
			);
			check(
				`${run.key}: the API key is not in the execution data`,
				!containsKey(res.json, apiKey) &&
					!res.stdout.includes(apiKey) &&
					!res.stderr.includes(apiKey),
			);
			check(
				`${run.key}: the fake saw no protocol problem`,
				stats.problems === 0,
				log
					.filter((e) => e.problem)
					.map((e) => e.problem)
					.slice(0, 3)
					.join('; '),
			);

			const outcomes = countBy(per.outcome);
			const succeeded = outcomes.get('image') ?? 0;
			const failedReasons = [...outcomes]
				.filter(([k]) => k !== 'image')
				.map(([k, v]) => `${v} × ${k}`);

			for (const [k, outcome] of per.outcome.entries()) {
				if (outcome === 'image' || run.key === 'd') continue;
				const item = per.byInput[k][0];
				const faults = log
					.filter((e) => e.prompt === run.prompts[k] && (e.fault || e.scripted))
					.map((e) => `${e.kind}:${e.fault ?? 'slow (scripted)'}`);
				console.log(
					`        · ${run.prompts[k]} → ${outcome}${faults.length ? ` [faults on its calls: ${faults.join(', ')}]` : ''}: ${redact(String(item?.json?.error ?? item?.json?.downloadError?.message ?? '')).slice(0, 180)}`,
				);
			}
			// Per-run expectations.
			if (run.key === 'a') {
				check(
					'a: every item has its image',
					succeeded === N,
					`${succeeded}/${N}; ${failedReasons.join(', ')}`,
				);
			}
			if (run.key === 'b' || run.key === 'c') {
				const cutOff = [];
				const unexpected = [];
				for (const [k, prompt] of run.prompts.entries()) {
					const subs = submitsOf(prompt);
					const last = subs.at(-1);
					const ambiguous = !!last && AMBIGUOUS.has(submitKind(last));
					const outcome = per.outcome[k];
					if (ambiguous)
						cutOff.push({ prompt, outcome, item: per.byInput[k][0], fault: submitKind(last) });
					else if (outcome !== 'image')
						unexpected.push({ prompt, outcome, item: per.byInput[k][0] });
				}
				const cutOffOk = cutOff.filter(
					(c) => c.outcome === 'submit cut off: task may have been created',
				);
				check(
					`${run.key}: every item whose submit was cut off (reset, slower than the timeout, HTML page) is an error item saying the task may have been created`,
					cutOffOk.length === cutOff.length,
					`${cutOff.length} cut off (${[...countBy(cutOff.map((c) => c.fault))].map(([k, v]) => `${v} ${k}`).join(', ') || 'none'})${
						cutOff.length !== cutOffOk.length
							? `; ended otherwise: ${cutOff
									.filter((c) => !cutOffOk.includes(c))
									.map((c) => `${c.prompt} → ${c.outcome}`)
									.join('; ')}`
							: ''
					}`,
				);
				const advice = cutOffOk.filter((c) =>
					/Check the task list or billing on the gateway/.test(
						String(c.item?.json?.description ?? ''),
					),
				);
				check(
					`${run.key}: … and says what to do (check the gateway's task list or billing before running it again)`,
					advice.length === cutOffOk.length,
					cutOffOk[0]
						? `"${String(cutOffOk[0].item.json.error)}" — "${String(cutOffOk[0].item.json.description ?? '').slice(0, 160)}"`
						: 'no such item in this run',
				);
				const refusals = log.filter(
					(e) =>
						e.kind === 'submit' && (COMPLETE_REFUSALS.has(e.fault) || submitKind(e) === 'refused'),
				);
				const later = (e) =>
					log.some((x) => x.kind === 'submit' && x.prompt === e.prompt && x.t > e.t);
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
						slowedIndex >= 0 &&
							per.outcome[slowedIndex] === 'submit cut off: task may have been created',
						slowedIndex >= 0
							? `${run.prompts[slowedIndex]} → ${per.outcome[slowedIndex]}; tasks ${stats.tasksPerPrompt[slowed.prompt] ?? 0}`
							: 'no submit was slowed',
					);
					const resetIndex = N - SCRIPTED_B.length;
					check(
						'b: the submit whose connection was reset after the task was created → an error item saying the task may have been created, not retried',
						per.outcome[resetIndex] === 'submit cut off: task may have been created' &&
							submitsOf(run.prompts[resetIndex]).length === 1,
						`${per.outcome[resetIndex]}; ${submitsOf(run.prompts[resetIndex]).length} submit(s), ${stats.tasksPerPrompt[run.prompts[resetIndex]] ?? 0} task(s)`,
					);
					for (const [offset, label] of [
						[1, 'refused twice with 429 + 50429'],
						[2, 'refused with 500 + 50500'],
						[3, 'refused with 429 + 50430'],
					]) {
						const k = resetIndex + offset;
						const subs = submitsOf(run.prompts[k]);
						const lastAmbiguous = AMBIGUOUS.has(submitKind(subs.at(-1)));
						check(
							`b: a submit ${label} is retried, and the item gets its image (unless a random fault cut the retry off)`,
							subs.length >= (offset === 1 ? 3 : 2) &&
								(per.outcome[k] === 'image' || lastAmbiguous),
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
					const noReason = per.byInput
						.flat()
						.filter((item) => !hasImage(item) && !item.json?.error && !item.json?.downloadError);
					check(
						'c: every item without an image carries a reason (error or downloadError)',
						noReason.length === 0,
						`${noReason.length} without a reason`,
					);
					// An error item of an item whose task was created and whose submit was answered must name the task.
					const afterTask = run.prompts.flatMap((prompt, k) => {
						const item = per.byInput[k][0];
						const created = (stats.tasksPerPrompt[prompt] ?? 0) > 0;
						const cut = AMBIGUOUS.has(submitKind(submitsOf(prompt).at(-1)));
						return item?.json?.error && created && !cut ? [item] : [];
					});
					check(
						'c: error items of a created task name its task id (Get Task can resume it)',
						afterTask.every((item) => item.json.taskId),
						`${afterTask.length} such items: ${afterTask.map((item) => reasonOf(item)).join('; ') || 'none'}`,
					);
				}
			}
			if (run.key === 'd') {
				const want = [
					[0, /^image$/, 'an image'],
					[1, /^task failed$/, "an error item: the task failed, with the API's reason"],
					[2, /^task not_found$/, 'an error item: the task was not found'],
					[3, /^task expired$/, 'an error item: the task expired'],
					[4, /^task finished without any image$/, 'an error item: finished without any image'],
					[
						5,
						/^download failed \(HTTP 404\)$/,
						'an item with imageUrl and downloadError (HTTP 404)',
					],
					[6, /^image$/, 'an image'],
				];
				for (const [k, re, label] of want) {
					const item = per.byInput[k][0];
					const text = item?.json?.error ?? item?.json?.downloadError?.message ?? '';
					check(
						`d: "${run.prompts[k]}" → ${label}`,
						re.test(per.outcome[k]),
						`${per.outcome[k]}${text ? `: ${String(text).slice(0, 140)}` : ''}`,
					);
				}
				const item404 = per.byInput[5][0];
				check(
					'd: the 404 item keeps its imageUrl and the task id',
					!!item404?.json?.imageUrl && !!item404?.json?.taskId,
					item404 ? `imageUrl ${item404.json.imageUrl ? 'kept' : 'missing'}` : 'no item',
				);
			}

			rows.push({
				run: run.title,
				load: run.load,
				injected:
					Object.entries(stats.faults)
						.filter(([k]) => k !== 'max-active')
						.map(([k, v]) => `${v} ${k}`)
						.join(', ') || (run.faults ? 'none drawn' : 'none (directives)'),
				calls: `${stats.submits} submits, ${stats.queries} queries, ${stats.images} downloads`,
				succeeded: `${succeeded}/${run.prompts.length}`,
				failed: failedReasons.join('; ') || '–',
				duplicates: `${per.duplicated.length} duplicated, ${per.lost.length} lost; max tasks/prompt ${Math.max(0, ...tasksPerPrompt)} (max submits/prompt ${Math.max(0, ...submitsPerPrompt)})`,
				leaks:
					imageKeyHits.length + apiKeyOutsideHeader.length + (containsKey(res.json, apiKey) ? 1 : 0)
						? 'LEAK'
						: 'none',
				ms,
			});
		}

		// ---------------------------------------------------------------- Number of Images
		const count = await runCountScenarios({
			instance,
			fake,
			check,
			apiKey,
			timeoutMs: EXECUTE_TIMEOUT_MS,
			entries: counted,
		});
		rows.push(...count.rows);
		outputs.push(...count.outputs);

		// ---------------------------------------------------------------- Reference Images From Binary
		const upload = await runUploadScenarios({
			instance,
			fake,
			check,
			apiKey,
			timeoutMs: EXECUTE_TIMEOUT_MS,
			entries: uploaded,
		});
		rows.push(...upload.rows);
		outputs.push(...upload.outputs);

		// ---------------------------------------------------------------- image hosts
		const hosts = await runHostScenarios({
			instance,
			fake,
			check,
			apiKey,
			timeoutMs: EXECUTE_TIMEOUT_MS,
			entries: hosted,
		});
		rows.push(...hosts.rows);
		outputs.push(...hosts.outputs);

		// ---------------------------------------------------------------- bad-input matrix
		const matrixResults = []; // the matrix's error messages, for the written table
		if (wanted('e')) {
			console.log('\ne. bad-input matrix (Continue On Fail, one Jimeng node per case)');
			fake.reset();
			fake.setOptions({ latencyMs: LATENCY_MS, faults: null });
			let started = Date.now();
			let res = await instance.execute(matrix.id, { timeoutMs: EXECUTE_TIMEOUT_MS });
			let ms = Date.now() - started;
			outputs.push(res.stdout, res.stderr, JSON.stringify(res.json ?? null));
			check(
				'e: n8n execute succeeds',
				res.code === 0 && !!res.json,
				`exit ${res.code}${failureOf(res) ? `; ${failureOf(res).message}` : ''}`,
			);
			const matrixLog = [...fake.log];
			for (const c of MATRIX) {
				const items = nodeOutputItems(res.json, `Jimeng ${c.key}`);
				const error = String(items[0]?.json?.error ?? '');
				const description = String(items[0]?.json?.description ?? '');
				const ok = items.length === 1 && c.expect.test(error) && !hasImage(items[0]);
				check(
					`e: ${c.label} → one error item with a clear message`,
					ok,
					`${items.length} item(s): "${error.slice(0, 160)}"${description ? ` — "${description.slice(0, 120)}"` : ''}`,
				);
				matrixResults.push({ label: c.label, error: error || '(none)', ok });
			}
			const matrixSubmits = matrixLog.filter((e) => e.kind === 'submit');
			const matrixQueries = matrixLog.filter((e) => e.kind === 'query');
			check(
				'e: no submit reached the gateway (nothing billed)',
				matrixSubmits.length === 0 && fake.stats().tasksCreated === 0,
				`${matrixSubmits.length} submits, ${matrixQueries.length} queries (the unknown task id's)`,
			);
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
		}

		// ---------------------------------------------------------------- leaks, everywhere
		console.log('\nleaks');
		const log = instance.logText();
		check(
			'the API key is in nothing n8n printed (all CLI runs)',
			!log.includes(apiKey) && !outputs.some((o) => o.includes(apiKey)),
		);
		const { hits } = await secretInFiles(path.join(instance.userFolder, '.n8n'), apiKey);
		check(
			'the API key is in no file of the n8n folder (database, binary data, logs) in plain text',
			hits.length === 0,
			hits.map((h) => path.relative(instance.userFolder, h)).join(', '),
		);
		check(
			'no request to the image host carried the API key or an Authorization header',
			imageHostKeyHits.length === 0,
			`${imageHostKeyHits.length}`,
		);
		check(
			'in every run, tasks created per prompt ≤ 1',
			allTasksPerPrompt.every((t) => t <= 1),
			`max ${Math.max(0, ...allTasksPerPrompt)} over ${allTasksPerPrompt.length} prompts`,
		);

		const total = Date.now() - t0;
		const tableRows = [
			[
				'run',
				'load',
				'faults injected (by the fake)',
				'calls',
				'items with an image',
				'items failed, with reasons',
				'duplicates / lost / tasks per prompt',
				'leaks',
				'time',
			],
			...rows.map((r) => [
				r.run,
				r.load,
				r.injected,
				r.calls,
				r.succeeded,
				r.failed,
				r.duplicates,
				r.leaks,
				secs(r.ms),
			]),
		];
		console.log('\n' + redact(textTable(tableRows)));
		if (hosts.table.length) console.log(redact(hostText(hosts.table)));
		const { passed, failed } = checks.counts();
		if (WRITE) {
			const md = [
				`## Fault suite results (\`npm run test:faults${FULL ? ' -- --full' : ''}\`, N = ${N})`,
				`Machine: ${machineLine(instance)}. Fake gateway: generation latency ${secs(LATENCY_MS)}, fault seed ${SEED}, slow answers ${secs(SLOW_MS)}; ` +
					`the node: Request Timeout ${REQUEST_TIMEOUT_S} s, Poll Interval 1 s, other settings at their defaults (Max Concurrent Tasks ${installedNodeSettings(instance).defaultConcurrency}, Max Retries 3). ` +
					`Fault kinds drawn uniformly from ${ALL_KINDS.join(', ')} (on the upload steps of runs h and i: ${UPLOAD_KINDS.join(', ')}). "tasks per prompt" counts tasks the gateway created for a prompt ` +
					`(a submit refused with a complete error answer creates none, so submits per prompt may exceed 1). Whole suite: ${secs(total)}; ${passed} checks passed, ${failed} failed.`,
				markdownTable(tableRows),
				...hostMarkdown(hosts.table),
				'Bad-input matrix, the message of each error item:',
				markdownTable([
					['case', 'error item', 'clear'],
					...matrixResults.map((m) => [m.label, m.error, m.ok ? 'yes' : 'NO']),
				]),
			].join('\n\n');
			console.log(`\nfaults: wrote ${writeBlock('faults', redact(md))}`);
		}
		console.log(`faults: done in ${secs(total)}`);
	} finally {
		await sb.dispose();
	}
}

try {
	await main();
} catch (err) {
	console.error(redact(err?.stack ?? err));
	check('the suite ran to its end', false, String(err?.message ?? err).split('\n')[0]);
}
process.exitCode = checks.finish();

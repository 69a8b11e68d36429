#!/usr/bin/env node
// Fault suite (issue 4): the Jimeng node inside real n8n against the fake gateway with faults
// injected (test/fake-jimeng `faults`: 429+50429, 429+50430, 502 HTML page, 500+50500, reset
// connection, an answer slower than the request timeout), tasks that fail / vanish / expire / whose
// image answers 404, and a bad-input matrix.
//
//   npm run test:faults               # CI size: N = 20 items per load (< 5 min on 2 cores)
//   npm run test:faults -- --full     # N = 50 (the size); writes the table into BENCHMARKS.md
//   flags: --n=K (items per load), --seed=S (fault PRNG seed), --write, --echo, --version=2.41.1,
//   --no-install (fail instead of running scripts/n8n/install.sh when that n8n line is missing),
//   --only=h,i (only these runs, by letter; prints only)
//
// Runs, each one `n8n execute` of an imported workflow in a fresh n8n process, run in the order
// a–d (loads.mjs: random faults, task directives), f–g (count.mjs: Number of Images under submit
// faults), h–i (uploads.mjs: faults on both upload steps), j (hosts.mjs: misbehaving image hosts),
// e (matrix.mjs: bad input), then LEAKS. Their check names say what each run must show. In every
// run: tasks created per prompt ≤ 1 (a submit refused with a complete error answer creates no task,
// so submits per prompt may be > 1), and the API key appears nowhere in the execution data, n8n's
// output, the n8n folder or any request to the image host.
// Request Timeout 5 s (the fake's slow answers take 8 s) and Poll Interval 1 s keep the suite short.

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
import { runScenarios } from '../../scripts/support/scenarios.mjs';
import { countEntries, countWorkflows } from './count.mjs';
import { hostEntries, hostMarkdown, hostText, hostWorkflows } from './hosts.mjs';
import { loadEntries, loadWorkflows } from './loads.mjs';
import { matrixEntries, matrixWorkflows } from './matrix.mjs';
import { ALL_KINDS, LATENCY_MS, REQUEST_TIMEOUT_S, SLOW_MS, UPLOAD_KINDS } from './scenarios.mjs';
import { uploadEntries, uploadWorkflows } from './uploads.mjs';

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

/** The runs wanted, their workflows (to import in one go) and their entries, in the suite's order. */
function plan() {
	const pick = (list) => list.filter((entry) => wanted(entry.run.key));
	const loads = pick(loadWorkflows({ N, SEED }));
	const counted = pick(countWorkflows({ N, SEED }));
	const uploaded = pick(uploadWorkflows({ N, SEED }));
	const hosted = wanted('j') ? hostWorkflows() : [];
	const bad = matrixWorkflows();
	const workflows = [...loads, ...counted, ...uploaded, ...hosted].map((entry) => entry.workflow);
	return {
		workflows: [...workflows, bad.matrix, bad.stopping],
		entries: [
			loadEntries(loads),
			countEntries(counted),
			uploadEntries(uploaded),
			hostEntries(hosted),
			wanted('e') ? matrixEntries(bad) : [],
			LEAKS,
		],
	};
}

/** Last: the key anywhere n8n wrote or printed, and the tasks per prompt over runs a–d. */
const LEAKS = {
	name: 'leaks',
	act: async ({ instance, outputs }) => ({
		printed: `${instance.logText()}\n${outputs.join('\n')}`,
		files: (await secretInFiles(path.join(instance.userFolder, '.n8n'), apiKey)).hits,
	}),
	assert: [
		{
			name: 'the API key is in nothing n8n printed (all CLI runs)',
			ok: (o) => !o.printed.includes(apiKey),
		},
		{
			name: 'the API key is in no file of the n8n folder (database, binary data, logs) in plain text',
			ok: (o) => o.files.length === 0,
			evidence: (o, ctx) =>
				o.files.map((h) => path.relative(ctx.instance.userFolder, h)).join(', '),
		},
		{
			name: 'no request to the image host carried the API key or an Authorization header',
			ok: (o, ctx) => ctx.imageHostKeyHits.length === 0,
			evidence: (o, ctx) => `${ctx.imageHostKeyHits.length}`,
		},
		{
			name: 'in every run, tasks created per prompt ≤ 1',
			ok: (o, ctx) => ctx.allTasksPerPrompt.every((t) => t <= 1),
			evidence: (o, { allTasksPerPrompt: all }) =>
				`max ${Math.max(0, ...all)} over ${all.length} prompts`,
		},
	],
};

const HEAD = [
	'run',
	'load',
	'faults injected (by the fake)',
	'calls',
	'items with an image',
	'items failed, with reasons',
	'duplicates / lost / tasks per prompt',
	'leaks',
	'time',
];
const COLUMNS = ['run', 'load', 'injected', 'calls', 'succeeded', 'failed', 'duplicates', 'leaks'];

/** Print the suite's table (and run j's), and with --write or --full put them in BENCHMARKS.md. */
function report(ctx, totalMs) {
	const tableRows = [HEAD, ...ctx.rows.map((r) => [...COLUMNS.map((c) => r[c]), secs(r.ms)])];
	console.log('\n' + redact(textTable(tableRows)));
	if (ctx.hostTable.length) console.log(redact(hostText(ctx.hostTable)));
	if (!WRITE) return;
	const { passed, failed } = checks.counts();
	const md = [
		`## Fault suite results (\`npm run test:faults${FULL ? ' -- --full' : ''}\`, N = ${N})`,
		`Machine: ${machineLine(ctx.instance)}. Fake gateway: generation latency ${secs(LATENCY_MS)}, fault seed ${SEED}, slow answers ${secs(SLOW_MS)}; ` +
			`the node: Request Timeout ${REQUEST_TIMEOUT_S} s, Poll Interval 1 s, other settings at their defaults (Max Concurrent Tasks ${installedNodeSettings(ctx.instance).defaultConcurrency}, Max Retries 3). ` +
			`Fault kinds drawn uniformly from ${ALL_KINDS.join(', ')} (on the upload steps of runs h and i: ${UPLOAD_KINDS.join(', ')}). "tasks per prompt" counts tasks the gateway created for a prompt ` +
			`(a submit refused with a complete error answer creates none, so submits per prompt may exceed 1). Whole suite: ${secs(totalMs)}; ${passed} checks passed, ${failed} failed.`,
		markdownTable(tableRows),
		...hostMarkdown(ctx.hostTable),
		'Bad-input matrix, the message of each error item:',
		markdownTable([
			['case', 'error item', 'clear'],
			...ctx.matrixResults.map((m) => [m.label, m.error, m.ok ? 'yes' : 'NO']),
		]),
	].join('\n\n');
	console.log(`\nfaults: wrote ${writeBlock('faults', redact(md))}`);
}

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
	try {
		const { instance, fake } = sb;
		console.log(`faults: sandbox ready in ${secs(Date.now() - t0)}`);
		const { workflows, entries } = plan();
		await instance.importWorkflows(workflows);
		const ctx = {
			...{ instance, fake, apiKey, redact, timeoutMs: EXECUTE_TIMEOUT_MS },
			...{ rows: [], outputs: [], hostTable: [], matrixResults: [] },
			...{ allTasksPerPrompt: [], imageHostKeyHits: [] },
		};
		await runScenarios(entries, ctx, checks.scoped(), { announce: true });
		const total = Date.now() - t0;
		report(ctx, total);
		console.log(`faults: done in ${secs(total)}`);
	} finally {
		await sb.dispose();
	}
}

try {
	await main();
} catch (err) {
	console.error(redact(err?.stack ?? err));
	checks.check('the suite ran to its end', false, String(err?.message ?? err).split('\n')[0]);
}
process.exitCode = checks.finish();

#!/usr/bin/env node
// End-to-end suite: this package inside real n8n, against the fake Jimeng gateway.
//
//   npm run test:e2e                              # 2.41.1, 2.4.8 and 1.123.x
//   npm run test:e2e -- 2.41.1                    # some lines only
//   npm run test:e2e -- --no-install --echo       # skip install.sh; mirror n8n's output
//
// 1. scripts/n8n/install.sh for the lines tested (a no-op when installed), in the background: each
//    line starts once it is installed, and the lines run side by side;
// 2. build + `npm pack` the repo once, the same tarball installed in every line as a community
//    package ($N8N_USER_FOLDER/.n8n/nodes/node_modules/n8n-nodes-jimeng);
// 3. per line (scripts/n8n/sandbox.mjs): a fresh n8n with the credential pointing at a fake gateway
//    with a random API key, and the examples/*.json workflows imported as users import them;
//    - CLI: `n8n execute` of every example, assertions on the Jimeng nodes' output in the run data
//      (items, statuses, pairing, error items, binary mime type, file name and bytes against what the
//      fake served) and on what the fake received (bodies, number of submits, no key on the image host);
//      the AI Agent example against the fake chat model (test/e2e/agent.mjs): the tool call, the
//      billed task, what the model received, the agent's answer, and a refused prompt (one scenario
//      entry per example: test/e2e/examples.mjs);
//    - server: `n8n start`, owner setup, /types/nodes.json (node + tool variant, the description and
//      the codex as served), /types/credentials.json, POST /rest/credentials/test in every way the
//      gateway answers an unknown task and every way it cannot work (credential-test.mjs), with the
//      redacted stored data, stored executions, an image served back by n8n's binary-data endpoint
//      (the entries of test/e2e/server.mjs);
//    - the API key appears in no execution's output or stored data, nothing n8n printed, and not in
//      plain text in the database file (SECRETS below).
// Each table runs on scripts/support/scenarios.mjs; a check is an entry or an assertion in one.
// Prints a summary per line and, last, the line `N passed, M failed`; exits 1 on any failure.

import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';

import { buildAndPackRepo, n8nLine } from '../../scripts/n8n/lib.mjs';
import { CREDENTIAL, prepareSandbox } from '../../scripts/n8n/sandbox.mjs';
import { ensureInstalled } from '../../scripts/n8n/ensure-installed.mjs';
import { driverArgs } from '../../scripts/support/args.mjs';
import { createChecks } from '../../scripts/support/checks.mjs';
import { secretInFiles } from '../../scripts/support/leaks.mjs';
import { redactor } from '../../scripts/support/redact.mjs';
import { secs } from '../../scripts/support/report.mjs';
import { runScenarios, verdict } from '../../scripts/support/scenarios.mjs';
import { AGENT_EXAMPLE, refusedPromptWorkflow } from './agent.mjs';
import { EXAMPLES } from './examples.mjs';
import { SERVER } from './server.mjs';

const DEFAULT_LINES = ['2.41.1', '2.4.8', '1.123.x'];

const args = driverArgs(
	{ 'no-install': { type: 'boolean' }, echo: { type: 'boolean' } },
	{ usage: 'npm run test:e2e -- [2.41.1 2.4.8 1.123.x …] [--no-install] [--echo]' },
);
const LINES = args.positionals.length ? args.positionals : DEFAULT_LINES;
const echo = !!args.echo;

const suiteStart = Date.now();
const checks = createChecks();
const summaries = []; // { line, version, runtime, passed, failed, ms, phases }

/** Last in every line: the key nowhere n8n printed or stored, nothing keyed to the image host. */
const SECRETS = [
	{
		name: 'no request to the image host carried Authorization (whole line)',
		act: ({ fake }) => fake.log.filter((e) => e.server === 'image'),
		assert: (images) =>
			verdict(
				images.length > 0 && images.every((e) => !e.headers.authorization),
				`${images.length} image request(s)`,
			),
	},
	{
		name: "API key nowhere in n8n's log (every CLI call and the server)",
		act: ({ instance }) => instance.logText(),
		assert: (log, { apiKey }) => verdict(!log.includes(apiKey), `${log.length} chars`),
	},
	{
		name: 'API key not in plain text in the SQLite database (credential encrypted)',
		act: ({ instance, apiKey }) =>
			secretInFiles(path.join(instance.userFolder, '.n8n'), apiKey, {
				recursive: false,
				match: (name) => /^database\.sqlite/.test(name),
				utf16: true,
			}),
		assert: ({ checked, hits }) =>
			verdict(
				checked > 0 && hits.length === 0,
				`${checked} file(s), ${hits.map((hit) => path.basename(hit)).join(', ')}`,
			),
	},
];

/** A fresh n8n of the line with the package, the credential and the examples; null when it fails. */
async function sandboxFor(line, tarball, apiKey, check) {
	try {
		return await prepareSandbox({
			version: line.version,
			tarball,
			echo,
			fakeOptions: { apiKey, latencyMs: 300 },
			moreWorkflows: (examples) => [
				refusedPromptWorkflow(examples.find((e) => e.slug === AGENT_EXAMPLE)),
			],
		});
	} catch (err) {
		check(
			'sandbox (package installed, credential and examples imported)',
			false,
			String(err.message).slice(0, 2000),
		);
		return null;
	}
}

/** The examples (CLI), the server, the secrets: the tables of one line, with their times. */
async function runTables(ctx, check, phases) {
	const timed = [];
	const tEx = Date.now();
	await runScenarios(EXAMPLES, ctx, check, { results: timed });
	phases.examples = Date.now() - tEx;
	const tSrv = Date.now();
	try {
		if (!(await runScenarios(SERVER, ctx, check)))
			console.log(ctx.redact(ctx.instance.logText().slice(-3000)));
	} finally {
		await ctx.instance.stop();
		phases.server = Date.now() - tSrv;
	}
	await runScenarios(SECRETS, ctx, check);
	return timed.filter((t) => ctx.sb.examples.some((e) => e.slug === t.name));
}

async function runLine(lineArg, tarball) {
	const check = checks.scoped(lineArg);
	const t0 = Date.now();
	const phases = {};
	const summary = (version, runtime) => ({
		line: lineArg,
		version,
		runtime,
		ms: Date.now() - t0,
		phases,
	});
	let line;
	try {
		line = n8nLine(lineArg);
	} catch (err) {
		check('n8n installed', false, err.message);
		return summary('-', '-');
	}
	console.log(`\n=== n8n ${line.version} (${line.runtime} node, ${line.nodeBin})`);
	const apiKey = `sk-e2e-${randomBytes(12).toString('hex')}`;
	const sb = await sandboxFor(line, tarball, apiKey, check);
	if (!sb) return summary(line.version, line.runtime);
	phases.prepare = Date.now() - t0;
	const { instance, fake, examples } = sb;
	check(
		'sandbox: package installed as a community package, credential and examples imported',
		instance.packages.some((p) => p.name === 'n8n-nodes-jimeng') &&
			examples.length >= 6 &&
			fake.apiKey === apiKey,
		`${instance.packages.map((p) => `${p.name}@${p.version}`).join(', ')}; ${examples.length} examples; ${secs(phases.prepare)}`,
	);
	const ctx = {
		...{ sb, instance, fake, examples, apiKey, redact: redactor(apiKey) },
		...{ credential: CREDENTIAL, executions: [], line: lineArg },
	};
	const timed = await runTables(ctx, check, phases);
	await sb.dispose();
	const s = summary(line.version, `${line.runtime} node`);
	console.log(
		`--- n8n ${line.version}: ${secs(s.ms)} (prepare ${secs(phases.prepare)}, examples ${secs(phases.examples)} [${timed
			.map((t) => `${t.name} ${secs(t.ms)}`)
			.join(', ')}], server ${secs(phases.server)})`,
	);
	return s;
}

// ------------------------------------------------------------------------------------------------
// Main
// ------------------------------------------------------------------------------------------------

// The lines install in the background (scripts/n8n/install.sh, in parallel), and each line runs as
// soon as its own install is done, beside the others: on a clean clone most of this suite is install.
let installMs = 0;
let installEnded = Promise.resolve();
if (!args['no-install']) {
	console.log(
		`=== scripts/n8n/install.sh ${LINES.join(' ')} (each line runs once it is installed)`,
	);
	installEnded = ensureInstalled(LINES, { log: (l) => console.log(`  ${l}`) }).then((inst) => {
		installMs = inst.ms;
		if (!inst.ok)
			console.log(`  install.sh exited ${inst.code}: lines that did not install fail below`);
	});
}

function isInstalled(lineArg) {
	try {
		return !!n8nLine(lineArg);
	} catch {
		return false;
	}
}

/** Resolves when the line is installed, or when install.sh has ended (runLine then reports it). */
async function whenInstalled(lineArg) {
	let ended = false;
	void installEnded.then(() => (ended = true));
	while (!ended && !isInstalled(lineArg)) await sleep(2000);
}

/** One line, its exceptions its own failure. */
async function runLineSafely(lineArg, tarball) {
	await whenInstalled(lineArg);
	let summary;
	try {
		summary = await runLine(lineArg, tarball);
	} catch (err) {
		checks.scoped(lineArg)('no exception', false, err.stack?.split('\n').slice(0, 8).join(' | '));
		summary = { line: lineArg, version: '-', runtime: '-', ms: 0, phases: {} };
	}
	return { ...summary, ...checks.counts(lineArg) };
}

console.log('\n=== build and pack the package (once, for every line)');
let built;
try {
	const t = Date.now();
	built = await buildAndPackRepo();
	console.log(
		`  ${path.basename(built.tarball)}: build ${secs(built.buildMs)}, total ${secs(Date.now() - t)}`,
	);
} catch (err) {
	checks.scoped('build')('npm run build + npm pack', false, String(err.message).slice(0, 2000));
}

if (built) {
	summaries.push(...(await Promise.all(LINES.map((l) => runLineSafely(l, built.tarball)))));
	await rm(built.dir, { recursive: true, force: true });
}
await installEnded;

const totalMs = Date.now() - suiteStart;
console.log('\n=== summary');
for (const s of summaries) {
	const p = s.phases;
	console.log(
		`  n8n ${String(s.version).padEnd(9)} ${String(s.runtime).padEnd(12)} ${s.failed ? 'FAIL' : 'PASS'}  ${String(s.passed).padStart(3)} passed, ${s.failed} failed  ` +
			`${secs(s.ms).padStart(7)} (prepare ${p.prepare ? secs(p.prepare) : '-'}, examples ${p.examples ? secs(p.examples) : '-'}, server ${p.server ? secs(p.server) : '-'})`,
	);
}
console.log(
	`  install check ${secs(installMs)}; build ${built ? secs(built.buildMs) : '-'}; total ${secs(totalMs)}`,
);
process.exit(checks.finish());

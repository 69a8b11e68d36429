#!/usr/bin/env node
// End-to-end suite: this package inside real n8n, against the fake Jimeng gateway.
//
//   npm run test:e2e                              # 2.41.1, 2.4.8 and 1.123.x
//   npm run test:e2e -- 2.41.1                    # some lines only
//   npm run test:e2e -- --no-install --echo       # skip install.sh; mirror n8n's output
//
// The lines install in the background (scripts/n8n/install.sh) and each runs, beside the others,
// once installed; the repo is built and packed once, the same tarball a community package in every
// line. Per line a fresh n8n (scripts/n8n/sandbox.mjs): the credential on a fake gateway with a
// random API key, the examples/*.json imported as users import them; then, as tables
// (scripts/support/scenarios.mjs, a check is an entry or an assertion in one):
//    - CLI: `n8n execute` of every example, the AI Agent's among them (examples.mjs, agent.mjs);
//    - server: `n8n start`, what n8n serves, the credential's Test, stored credential and executions,
//      an image served back (server.mjs, credential-test.mjs);
//    - SECRETS below: the API key in nothing n8n printed or stored in plain text.
// Prints a summary per line and, last, the line `N passed, M failed`; exits 1 on any failure.

import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';

import { buildAndPackRepo, n8nLine } from '../../scripts/n8n/lib.mjs';
import { CREDENTIAL, prepareSandbox } from '../../scripts/n8n/sandbox.mjs';
import { ensureInstalled, requireLine } from '../../scripts/n8n/ensure-installed.mjs';
import { driverArgs } from '../../scripts/support/args.mjs';
import { createChecks } from '../../scripts/support/checks.mjs';
import { secretInFiles } from '../../scripts/support/leaks.mjs';
import { redactor } from '../../scripts/support/redact.mjs';
import { secs } from '../../scripts/support/report.mjs';
import { errorText, runScenarios, verdict } from '../../scripts/support/scenarios.mjs';
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
		const detail = String(err.message).slice(0, 2000);
		check('sandbox (package installed, credential and examples imported)', false, detail);
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

/** One line's checks; what the summary shows goes into `summary` as it is known. */
async function runLine(lineArg, tarball, summary) {
	const check = checks.scoped(lineArg);
	const t0 = Date.now();
	let line;
	try {
		line = n8nLine(lineArg);
	} catch (err) {
		return check('n8n installed', false, err.message);
	}
	Object.assign(summary, { version: line.version, runtime: `${line.runtime} node` });
	console.log(`\n=== n8n ${line.version} (${line.runtime} node, ${line.nodeBin})`);
	const apiKey = `sk-e2e-${randomBytes(12).toString('hex')}`;
	const sb = await sandboxFor(line, tarball, apiKey, check);
	if (!sb) return;
	const { phases } = summary;
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
	const times = timed.map((t) => `${t.name} ${secs(t.ms)}`).join(', ');
	console.log(
		`--- n8n ${line.version}: ${secs(Date.now() - t0)} (prepare ${secs(phases.prepare)}, examples ${secs(phases.examples)} [${times}], server ${secs(phases.server)})`,
	);
}

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

/** Resolves when the line is installed, or when install.sh has ended (runLine then reports it). */
async function whenInstalled(lineArg) {
	let ended = false;
	void installEnded.then(() => (ended = true));
	const installed = () => requireLine(lineArg, { install: false }).then(Boolean, () => false);
	while (!ended && !(await installed())) await sleep(2000);
}

/** One line, its exceptions its own failure: its summary with its check counts. */
async function runLineSafely(lineArg, tarball) {
	await whenInstalled(lineArg);
	const summary = { line: lineArg, version: '-', runtime: '-', phases: {} };
	const t0 = Date.now();
	try {
		await runLine(lineArg, tarball, summary);
	} catch (err) {
		checks.scoped(lineArg)('no exception', false, errorText(err));
	}
	return { ...summary, ms: Date.now() - t0, ...checks.counts(lineArg) };
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

const summaries = built ? await Promise.all(LINES.map((l) => runLineSafely(l, built.tarball))) : [];
if (built) await rm(built.dir, { recursive: true, force: true });
await installEnded;

console.log('\n=== summary');
for (const s of summaries) {
	const { prepare, examples, server } = s.phases;
	console.log(
		`  n8n ${String(s.version).padEnd(9)} ${String(s.runtime).padEnd(12)} ${s.failed ? 'FAIL' : 'PASS'}  ${String(s.passed).padStart(3)} passed, ${s.failed} failed  ` +
			`${secs(s.ms).padStart(7)} (prepare ${secs(prepare)}, examples ${secs(examples)}, server ${secs(server)})`,
	);
}
console.log(
	`  install check ${secs(installMs)}; build ${secs(built?.buildMs)}; total ${secs(Date.now() - suiteStart)}`,
);
process.exit(checks.finish());

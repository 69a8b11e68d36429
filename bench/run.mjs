#!/usr/bin/env node
// Benchmark: the Jimeng node inside real n8n against the fake gateway (generation latency 5 s),
// beside the same job built from core nodes, as issue 4 asks.
//
//   npm run bench                 # full set (~10 min on 2 cores); writes the block in BENCHMARKS.md
//   npm run bench -- --quick      # a smaller set (~2.5 min); prints only, unless --write
//   npm run bench -- --only=gw    # runs whose key contains "gw" (prints only, unless --write);
//                                 # --only=a,b: runs whose key contains a or b
//   npm run bench -- --only=mem-node-20-small,mem-node-20-25MiB --reps=4   # memory runs, 4 of each
//   flags: --reps=N (repetitions of the memory runs that repeat; 2 in a full run), --echo (mirror n8n's output), --version=2.41.1, --no-install (fail instead of running
//   scripts/n8n/install.sh when that n8n line is missing)
//
// How it measures: scripts/n8n/sandbox.mjs installs this repo's package in a fresh n8n with the fake
// gateway in this process; each run is a workflow run with `n8n execute` (a fresh n8n process, its
// boot outside the measured window), its wall time read from the fake's log and its peak memory from
// that process (bench/memory.mjs). N8N_DEFAULT_BINARY_DATA_MODE=filesystem is also 2.41.1's own default
// outside queue mode (BinaryDataConfig: mode ??= executions.mode === 'queue' ? 'database' : 'filesystem').
//
// Sections: each is a function ({ quick }) → runs (bench/plan.mjs documents a run), listed in SECTIONS;
// bench/results.mjs reports runs by `section` (an unknown one gets the plain run table, titled by the
// runs' `title`) and holds the targets and explanations.
import { randomBytes } from 'node:crypto';

import { requireLine } from '../scripts/n8n/ensure-installed.mjs';
import { prepareSandbox } from '../scripts/n8n/sandbox.mjs';
import { driverArgs, numberArg } from '../scripts/support/args.mjs';
import { installedNodeSettings } from '../scripts/support/jimeng-node.mjs';
import { redactor } from '../scripts/support/redact.mjs';
import { secs, textTable, writeBlock } from '../scripts/support/report.mjs';
import { LATENCY_MS, nodeLimits } from './config.mjs';
import { describe, execute } from './measure.mjs';
import { diagnosisRuns, gatewayRuns, memoryRuns, scaleRuns, workflowFor } from './plan.mjs';
import { pollingRuns, pollingText } from './polling.mjs';
import { explanations, markdown, targets } from './results.mjs';
import { HEADER_AUTH_CREDENTIAL } from './workflows.mjs';

const SECTIONS = [scaleRuns, gatewayRuns, pollingRuns, diagnosisRuns, memoryRuns];

const args = driverArgs(
	{
		quick: { type: 'boolean' },
		only: { type: 'string' },
		reps: { type: 'string' },
		write: { type: 'boolean' },
		echo: { type: 'boolean' },
		version: { type: 'string', default: '2.41.1' },
		'no-install': { type: 'boolean' },
	},
	{
		usage:
			'npm run bench -- [--quick] [--only=KEY[,KEY…]] [--reps=N] [--write] [--echo] [--version=V] [--no-install]',
	},
);
const QUICK = !!args.quick;
const WRITE = !!args.write || (!QUICK && !args.only);
const VERSION = args.version;
const REPS = numberArg(args, 'reps');
const ONLY = args.only?.split(',').filter(Boolean) ?? [];

async function main() {
	const t0 = Date.now();
	await requireLine(VERSION, { label: 'bench', install: !args['no-install'] });
	const apiKey = `sk-bench-${randomBytes(12).toString('hex')}`;
	const redact = redactor(apiKey);
	console.log(
		`bench: n8n ${VERSION}${QUICK ? ' (quick)' : ''}; preparing the sandbox (build, pack, install, import)…`,
	);
	const sb = await prepareSandbox({
		version: VERSION,
		echo: args.echo,
		fakeOptions: { apiKey, latencyMs: LATENCY_MS },
		env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
	});
	const results = [];
	try {
		const { instance, fake } = sb;
		const settings = installedNodeSettings(instance);
		nodeLimits.defaultConcurrency = settings.defaultConcurrency;
		nodeLimits.cap = settings.cap;
		const runs = SECTIONS.flatMap((section) => section({ quick: QUICK, reps: REPS })).filter(
			(run) => !ONLY.length || ONLY.some((key) => run.key.includes(key)),
		);
		if (!runs.length) throw new Error(`no run matches --only=${args.only}`);
		console.log(
			`bench: sandbox ready in ${secs(Date.now() - t0)} (${instance.userFolder}); the node: Max Concurrent Tasks ` +
				`default ${nodeLimits.defaultConcurrency}, at most ${nodeLimits.cap}; ${runs.length} runs`,
		);
		await instance.importCredentials([
			{
				...HEADER_AUTH_CREDENTIAL,
				type: 'httpHeaderAuth',
				data: { name: 'Authorization', value: `Bearer ${apiKey}` },
			},
		]);
		const workflows = runs.map((run, i) => workflowFor(run, i, fake.url));
		await instance.importWorkflows(workflows);
		for (const [i, run] of runs.entries()) {
			const r = await execute(sb, run, workflows[i]);
			results.push(r);
			console.log(redact(describe(r)));
		}
		const total = Date.now() - t0;
		const md = redact(markdown(results, instance, total, { quick: QUICK }));
		console.log('\n' + redact(textTable(targets(results))));
		console.log('\n' + explanations(results));
		console.log('\n' + redact(pollingText(results)));
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

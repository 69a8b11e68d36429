#!/usr/bin/env node
// npm run test:queue — the package in n8n's queue mode on 127.0.0.1: PostgreSQL 17, Redis, n8n
// 2.41.1 main + two workers + a webhook process (binary data in database mode, then filesystem mode
// on a shared folder), and, beside them, n8n 1.123.x for the stalled-job re-run. See docs/queue-mode.md.
//
//   npm run test:queue              # all three passes
//   npm run test:queue -- db fs     # some of: db (database binary mode), fs (filesystem), 1x (1.123.x)
//   N8N_E2E_ECHO=1 …                # mirror every process's output
//
// A pass is a cluster and a table of scenarios (scripts/support/scenarios.mjs); a new check is an
// assertion in a scenario's list, a new scenario an entry in a pass's table.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { requireLine } from '../../scripts/n8n/ensure-installed.mjs';
import { buildAndPackRepo } from '../../scripts/n8n/lib.mjs';
import { isAgentExample, loadExamples } from '../../scripts/n8n/sandbox.mjs';
import { startCluster } from '../../scripts/queue/cluster.mjs';
import { createChecks } from '../../scripts/support/checks.mjs';
import { redactor } from '../../scripts/support/redact.mjs';
import { secs } from '../../scripts/support/report.mjs';
import { errorText, runScenarios } from '../../scripts/support/scenarios.mjs';
import {
	webhookGetTaskWorkflow,
	webhookPromptsWorkflow,
	webhookVariant,
} from '../../scripts/support/workflows.mjs';
import { examplesScenario } from './examples.mjs';
import { LOAD_WORKFLOWS, loadScenario } from './load.mjs';
import { secretsScenario } from './secrets.mjs';
import { missingPackageScenario, SHUTDOWN_WORKFLOWS, shutdownScenarios } from './shutdown.mjs';
import { STALL_WORKFLOW, stalledScenarios } from './stalled-1x.mjs';
import { STOP_WORKFLOW, stopScenario } from './stop.mjs';

const require = createRequire(import.meta.url);
const { startFakeJimeng } = require('../fake-jimeng');

const LATENCY_MS = 1500;
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (pass) => wanted.length === 0 || wanted.includes(pass);
// Generated per run; never printed (every check's detail is redacted).
const API_KEY = `sk-queue-${randomBytes(12).toString('hex')}`;
const checks = createChecks({ redact: redactor(API_KEY) });
const check = checks.scoped(undefined);

/** Load scenarios: the same 20 × 10 prompts, unlimited, then against a gateway allowing 10 tasks. */
const loads = [
	['load: 20 executions × 10 prompts', { label: 'load', workflow: LOAD_WORKFLOWS.load }],
	// The gateway's limit is shared by every execution on every worker: with the node's defaults,
	// a submit refused for capacity others hold waits (it bills nothing) instead of failing.
	[
		'load against a gateway allowing 10 tasks at once, node defaults',
		{ label: 'limit10-defaults', workflow: LOAD_WORKFLOWS.load, maxActiveTasks: 10 },
	],
	[
		'load against a gateway allowing 10 tasks at once, Max Retries 10',
		{ label: 'limit10-retries10', workflow: LOAD_WORKFLOWS.retries, maxActiveTasks: 10 },
	],
].map(([title, options]) => loadScenario(title, { ...options, latencyMs: LATENCY_MS }));

const passes = (line1x) => [
	{
		key: 'db',
		name: '2.41.1, binary data in database mode',
		cluster: { binaryMode: 'database' },
		scenarios: [
			examplesScenario('db', 'database'),
			...loads,
			stopScenario({ label: 'stop', via: 'main' }),
			stopScenario({ label: 'stop', via: 'webhook', latencyMs: 15_000 }),
			secretsScenario('db'),
		],
	},
	{
		key: 'fs',
		name: '2.41.1, binary data in filesystem mode on a shared folder',
		cluster: { binaryMode: 'filesystem' },
		scenarios: [
			examplesScenario('fs', 'filesystem'),
			...shutdownScenarios('shutdown'),
			missingPackageScenario('no-package', 'text-to-image'),
			secretsScenario('fs'),
		],
	},
	{
		key: '1x',
		name: '1.123.x: the stalled-job re-run',
		cluster: {
			version: '1.123.x',
			binaryMode: null,
			workflows: [webhookPromptsWorkflow(STALL_WORKFLOW)],
			workers: 0,
			webhook: false,
		},
		scenarios: line1x ? [...stalledScenarios(line1x.version), secretsScenario(line1x.version)] : [],
	},
];

/** Every workflow the 2.41.1 passes import: the examples' webhook variants and the drivers' own. */
function workflows2x(variants) {
	const prompts = [LOAD_WORKFLOWS.load, LOAD_WORKFLOWS.retries, STOP_WORKFLOW].map((w) => ({
		...w,
		parameters: { pollInterval: 1 },
	}));
	return [
		...variants.map((v) => v.workflow),
		...[...prompts, SHUTDOWN_WORKFLOWS.long, SHUTDOWN_WORKFLOWS.def].map(webhookPromptsWorkflow),
		webhookGetTaskWorkflow(SHUTDOWN_WORKFLOWS.getTask),
	];
}

async function runPass(pass, common, ctx) {
	const t0 = Date.now();
	console.log(`\n=== ${pass.name}`);
	const options = { ...common, ...pass.cluster };
	const processes = `${options.workers ?? 2} worker(s)${options.webhook === false ? '' : ', webhook process'}`;
	let cluster = null;
	try {
		const up = await ctx.check.attempt(
			`${pass.name}: cluster up (PostgreSQL, Redis, main, ${processes})`,
			async () => {
				cluster = await startCluster({ ...options, log: (l) => console.log(`  ${l}`) });
			},
		);
		if (up) await runScenarios(pass.scenarios, { ...ctx, cluster }, ctx.check, { announce: true });
	} finally {
		await cluster?.dispose();
		console.log(`  (${pass.name}: ${secs(Date.now() - t0)})`);
	}
}

/** Passes one after another, on a fake gateway of their own; `tag` marks their check lines. */
async function runPasses(list, build, tag) {
	if (list.length === 0) return;
	const fake = await startFakeJimeng({ apiKey: API_KEY, latencyMs: LATENCY_MS });
	try {
		// The AI Agent example needs the chat model only the e2e sandbox has.
		const variants = (await loadExamples({ imageHost: fake.imageUrl }))
			.filter((example) => !isAgentExample(example))
			.map(webhookVariant);
		const common = {
			version: '2.41.1',
			tarball: build.tarball,
			credentialData: { apiKey: API_KEY, baseUrl: fake.url },
			workflows: workflows2x(variants),
		};
		const ctx = { fake, variants, apiKey: API_KEY, check: checks.scoped(tag) };
		for (const pass of list) await runPass(pass, common, ctx);
	} finally {
		await fake.close();
	}
}

async function main() {
	await requireLine('2.41.1', { label: 'queue' });
	const line1x = want('1x') ? await requireLine('1.123.x', { label: 'queue' }) : null;
	const build = await buildAndPackRepo();
	const chosen = passes(line1x).filter((p) => want(p.key));
	try {
		// 1.123.x's pass mostly waits for Bull's stalled-job check: it runs beside the 2.41.1 passes.
		const stalled1x = chosen.filter((p) => p.key === '1x');
		const on2x = chosen.filter((p) => !stalled1x.includes(p));
		await Promise.all([runPasses(on2x, build), runPasses(stalled1x, build, '1.123.x')]);
	} finally {
		await rm(build.dir, { recursive: true, force: true });
	}
}

const t0 = Date.now();
await main().catch((err) => check('queue suite: set-up', false, errorText(err)));
console.log(`\ntotal ${secs(Date.now() - t0)}`);
process.exit(checks.finish());

#!/usr/bin/env node
// npm run test:queue — the package in n8n's queue mode on 127.0.0.1: PostgreSQL 17, Redis, n8n
// 2.41.1 main + two workers + a webhook process (binary data in database mode, then filesystem mode
// on a shared folder), and n8n 1.123.x for the stalled-job re-run. See README "Queue mode".
//
//   npm run test:queue              # all three passes
//   npm run test:queue -- db fs     # some of: db (database binary mode), fs (filesystem), 1x (1.123.x)
//   N8N_E2E_ECHO=1 …                # mirror every process's output
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { rm } from 'node:fs/promises';

import { requireLine } from '../../scripts/n8n/ensure-installed.mjs';
import { buildAndPackRepo } from '../../scripts/n8n/lib.mjs';
import { isAgentExample, loadExamples } from '../../scripts/n8n/sandbox.mjs';
import { startCluster } from '../../scripts/queue/cluster.mjs';
import { killAllSync } from '../../scripts/queue/proc.mjs';
import {
	getTaskWorkflow,
	promptsWorkflow,
	webhookVariant,
} from '../../scripts/queue/workflows.mjs';
import { createChecks } from './check.mjs';
import { runExamples } from './examples.mjs';
import { LOAD_PATH, runLoad } from './load.mjs';

const LOAD_RETRIES_PATH = 'queue-load-retries';
import { runSecrets } from './secrets.mjs';
import { runMissingPackage, runShutdown, SHUTDOWN_PATHS } from './shutdown.mjs';
import { runStalled1x, STALL_PATH } from './stalled-1x.mjs';
import { runStop, STOP_PATH } from './stop.mjs';

const require = createRequire(import.meta.url);
const { startFakeJimeng } = require('../fake-jimeng');

const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (pass) => args.length === 0 || args.includes(pass);
const LATENCY_MS = 1500;
const IDS = {
	load: 'queueLoad0000000',
	loadRetries: 'queueLoadRetry10',
	stop: 'queueStop0000000',
	long: 'queueShutLong000',
	def: 'queueShutDefault',
	getTask: 'queueGetTask0000',
	stall: 'queueStall000000',
};

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(sig, () => {
		killAllSync();
		process.exit(130);
	});
}

const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(0)} s`;
// Generated per run; never printed (every check's detail is redacted).
const API_KEY = `sk-queue-${randomBytes(12).toString('hex')}`;
const { check, section, finish } = createChecks({ secrets: [API_KEY] });
const figures = {};
const timings = {};

async function pass(name, options, body) {
	const t = Date.now();
	console.log(`\n=== ${name}`);
	let cluster = null;
	try {
		cluster = await startCluster({ ...options, log: (l) => console.log(`  ${l}`) });
		check(
			`${name}: cluster up (PostgreSQL, Redis, main, ${options.workers ?? 2} worker(s)${options.webhook === false ? '' : ', webhook process'})`,
			true,
			secs(Date.now() - t),
		);
		await body(cluster);
	} catch (err) {
		check(
			`${name}: ran without an exception`,
			false,
			String(err.stack ?? err)
				.split('\n')
				.slice(0, 8)
				.join(' | '),
		);
	} finally {
		await cluster?.dispose();
		timings[name] = Date.now() - t;
		console.log(`  (${name}: ${secs(timings[name])})`);
	}
}

async function main() {
	await requireLine('2.41.1', { label: 'queue' });
	if (want('1x')) await requireLine('1.123.x', { label: 'queue' });
	const build = await buildAndPackRepo();
	const apiKey = API_KEY;
	const fake = await startFakeJimeng({ apiKey, latencyMs: LATENCY_MS });
	const credentialData = { apiKey, baseUrl: fake.url };
	// The AI Agent example needs the chat model only the e2e sandbox has.
	const variants = (await loadExamples({ imageHost: fake.imageUrl }))
		.filter((example) => !isAgentExample(example))
		.map(webhookVariant);
	const workflows = [
		...variants.map((v) => v.workflow),
		promptsWorkflow({
			id: IDS.load,
			name: 'Queue: load',
			path: LOAD_PATH,
			parameters: { pollInterval: 1 },
		}),
		promptsWorkflow({
			id: IDS.loadRetries,
			name: 'Queue: load, Max Retries 10',
			path: LOAD_RETRIES_PATH,
			parameters: { pollInterval: 1 },
			options: { maxRetries: 10 },
		}),
		promptsWorkflow({
			id: IDS.stop,
			name: 'Queue: stop',
			path: STOP_PATH,
			parameters: { pollInterval: 1 },
		}),
		promptsWorkflow({
			id: IDS.long,
			name: 'Queue: shutdown, Timeout 30 s',
			path: SHUTDOWN_PATHS.long,
			parameters: { pollInterval: 2, timeout: 30 },
		}),
		promptsWorkflow({
			id: IDS.def,
			name: 'Queue: shutdown, default Timeout',
			path: SHUTDOWN_PATHS.def,
			parameters: { pollInterval: 2 },
		}),
		getTaskWorkflow({ id: IDS.getTask, path: SHUTDOWN_PATHS.getTask }),
	];
	const common = { version: '2.41.1', tarball: build.tarball, credentialData, workflows };
	try {
		if (want('db')) {
			await pass(
				'2.41.1, binary data in database mode',
				{ ...common, binaryMode: 'database' },
				async (cluster) => {
					await section('examples (database mode)', () =>
						runExamples({ cluster, fake, variants, check, label: 'db', binaryMode: 'database' }),
					);
					await section('load: 20 executions × 10 prompts', async () => {
						figures.load = await runLoad({
							cluster,
							fake,
							check,
							label: 'load',
							workflowId: IDS.load,
							latencyMs: LATENCY_MS,
						});
					});
					// The gateway's limit is shared by every execution on every worker: with the node's defaults,
					// a submit refused for capacity others hold waits (it bills nothing) instead of failing.
					await section(
						'load against a gateway allowing 10 tasks at once, node defaults',
						async () => {
							figures.limitedDefaults = await runLoad({
								cluster,
								fake,
								check,
								label: 'limit10-defaults',
								workflowId: IDS.load,
								maxActiveTasks: 10,
								latencyMs: LATENCY_MS,
							});
						},
					);
					await section(
						'load against a gateway allowing 10 tasks at once, Max Retries 10',
						async () => {
							figures.limitedRetries = await runLoad({
								cluster,
								fake,
								check,
								label: 'limit10-retries10',
								workflowId: IDS.loadRetries,
								path: LOAD_RETRIES_PATH,
								maxActiveTasks: 10,
								latencyMs: LATENCY_MS,
							});
						},
					);
					await section('stop from main', async () => {
						figures.stop = [];
						figures.stop.push(
							await runStop({
								cluster,
								fake,
								check,
								label: 'stop',
								workflowId: IDS.stop,
								via: 'main',
							}),
						);
						figures.stop.push(
							await runStop({
								cluster,
								fake,
								check,
								label: 'stop',
								workflowId: IDS.stop,
								via: 'webhook',
								latencyMs: 15_000,
							}),
						);
					});
					await section('secrets (database mode)', () =>
						runSecrets({ cluster, apiKey, check, label: 'db' }),
					);
				},
			);
		}
		if (want('fs')) {
			await pass(
				'2.41.1, binary data in filesystem mode on a shared folder',
				{ ...common, binaryMode: 'filesystem' },
				async (cluster) => {
					await section('examples (filesystem mode)', async () => {
						await runExamples({
							cluster,
							fake,
							variants,
							check,
							label: 'fs',
							binaryMode: 'filesystem',
						});
						const files = (await readdir(cluster.storagePath, { recursive: true })).filter(
							(f) => /binary_data\/[^/]+$/.test(f) && !f.endsWith('.metadata'),
						);
						check(
							'fs: the workers wrote the images into the shared folder',
							files.length > 0,
							`${files.length} files under ${cluster.storagePath}`,
						);
					});
					await section('worker SIGTERM mid-poll', async () => {
						figures.shutdown = await runShutdown({
							cluster,
							fake,
							check,
							label: 'shutdown',
							ids: IDS,
							apiKey,
						});
					});
					await section('a worker without the package', () =>
						runMissingPackage({
							cluster,
							check,
							label: 'no-package',
							variant: variants.find((v) => v.slug === 'text-to-image'),
						}),
					);
					await section('secrets (filesystem mode)', () =>
						runSecrets({ cluster, apiKey, check, label: 'fs' }),
					);
				},
			);
		}
		if (want('1x')) {
			const stallWorkflow = promptsWorkflow({
				id: IDS.stall,
				name: 'Queue: stalled job',
				path: STALL_PATH,
				parameters: { pollInterval: 2 },
			});
			await pass(
				'1.123.x: the stalled-job re-run',
				{
					...common,
					version: '1.123.x',
					binaryMode: null,
					workflows: [stallWorkflow],
					workers: 0,
					webhook: false,
				},
				async (cluster) => {
					await section(`stalled job on ${cluster.version}`, async () => {
						figures.stalled = await runStalled1x({
							cluster,
							fake,
							check,
							label: cluster.version,
							workflowId: IDS.stall,
						});
					});
					await section(`secrets (${cluster.version})`, () =>
						runSecrets({ cluster, apiKey, check, label: cluster.version }),
					);
				},
			);
		}
	} finally {
		await fake.close();
		await rm(build.dir, { recursive: true, force: true });
	}
}

try {
	await main();
} catch (err) {
	check(
		'queue suite: set-up',
		false,
		String(err.stack ?? err)
			.split('\n')
			.slice(0, 8)
			.join(' | '),
	);
}
console.log(`\nfigures: ${JSON.stringify(figures)}`);
console.log(
	`timings: ${Object.entries(timings)
		.map(([k, v]) => `${k} ${secs(v)}`)
		.join('; ')}; total ${secs(Date.now() - t0)}`,
);
process.exit(finish());

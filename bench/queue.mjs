#!/usr/bin/env node
// npm run bench:queue — queue mode at scale (n8n 2.41.1, PostgreSQL 17, Redis; scripts/queue/):
//  1. throughput with 1 worker and with 2, in the same run, at a load that fills one worker:
//     40 webhook executions × 5 prompts, 5 s generation latency, worker concurrency 10;
//  2. peak memory (VmHWM) of a worker running 20 × 25 MiB images, binary data in database mode and
//     in filesystem mode on a shared folder.
// Prints the figures and writes them into BENCHMARKS.md (block "queue").
import { createRequire } from 'node:module';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

import { requireLine } from '../scripts/n8n/ensure-installed.mjs';
import { buildAndPackRepo } from '../scripts/n8n/lib.mjs';
import { startCluster } from '../scripts/queue/cluster.mjs';
import { killAllSync, peakRssKb } from '../scripts/queue/proc.mjs';
import { promptsWorkflow } from '../scripts/queue/workflows.mjs';
import { runLoad } from '../test/queue/load.mjs';
import { markdownTable, machineLine, textTable, writeBlock } from '../scripts/support/report.mjs';

const require = createRequire(import.meta.url);
const { startFakeJimeng } = require('../test/fake-jimeng');

const EXECUTIONS = 40;
const PROMPTS = 5;
const LATENCY_MS = 5000;
const CONCURRENCY = 10;
const IMAGES = 20;
const IMAGE_BYTES = 25 * 1024 * 1024;
const TARGET_RATIO = 1.8;
const PAIRS = 2; // 1 worker, 2 workers, 1 worker, 2 workers: the machine's other load shifts between rounds
const IDS = {
	load: 'benchQueueLoad00',
	big: 'benchQueueBig000',
	retries: 'benchQueueRetry0',
	sized: 'benchQueueSized0',
};
const PATHS = {
	load: 'bench-queue-load',
	big: 'bench-queue-big',
	retries: 'bench-queue-retries',
	sized: 'bench-queue-sized',
};
const GATEWAY_LIMIT = 10;
const LIMIT_LATENCY_MS = 1500;

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (killAllSync(), process.exit(130)));
const say = (l = '') => console.log(l);

/** 40 executions × 5 prompts through the webhook process; wall time from first POST to last stop. */
async function throughput(cluster, fake, round) {
	fake.reset();
	const t0 = Date.now();
	const afterId = await cluster.lastExecutionId(IDS.load);
	const bodies = Array.from({ length: EXECUTIONS }, (_, e) => ({
		prompts: Array.from({ length: PROMPTS }, (_, p) => `bench ${round} e${e} p${p}`),
	}));
	const posted = await Promise.all(bodies.map((b) => cluster.post(PATHS.load, b)));
	if (!posted.every((p) => p.status === 200))
		throw new Error(`webhooks: ${posted.map((p) => p.status).join(',')}`);
	const list = await cluster.waitForExecutions({
		workflowId: IDS.load,
		count: EXECUTIONS,
		afterId,
		timeoutMs: 600_000,
	});
	const last = Math.max(...list.map((e) => new Date(e.stoppedAt).getTime()));
	const wallMs = last - t0;
	const ok = list.filter((e) => e.status === 'success').length;
	const perWorker = {};
	for (const e of list)
		for (const w of cluster.workerOf(e.id)) perWorker[w] = (perWorker[w] ?? 0) + 1;
	return {
		workers: cluster.workers.size,
		wallMs,
		perMinute: (EXECUTIONS / wallMs) * 60_000,
		ok,
		perWorker,
		submits: fake.stats().submits,
	};
}

/** One execution of 20 prompts with 25 MiB images on a fresh worker; that worker's VmHWM. */
async function memory(cluster, fake, mode) {
	for (const name of [...cluster.workers.keys()])
		await cluster.stopWorker(name, { timeoutMs: 30_000 });
	const worker = await cluster.addWorker(`worker-memory-${mode}`);
	await delay(2000);
	const idleKb = await peakRssKb(worker.proc.pid);
	fake.reset();
	fake.setOptions({ imageBytes: IMAGE_BYTES, latencyMs: 2000 });
	try {
		const prompts = Array.from({ length: IMAGES }, (_, i) => `bench memory ${mode} ${i}`);
		const afterId = await cluster.lastExecutionId(IDS.big);
		await cluster.post(PATHS.big, { prompts });
		const [sum] = await cluster.waitForExecutions({
			workflowId: IDS.big,
			count: 1,
			afterId,
			timeoutMs: 300_000,
		});
		const peakKb = await peakRssKb(worker.proc.pid);
		const images = fake.stats().images;
		return {
			mode,
			status: sum.status,
			images,
			idleMb: idleKb / 1024,
			peakMb: peakKb / 1024,
			addedMb: (peakKb - idleKb) / 1024,
		};
	} finally {
		fake.setOptions({ imageBytes: null, latencyMs: LATENCY_MS });
	}
}

async function main() {
	await requireLine('2.41.1', { label: 'bench:queue' });
	const build = await buildAndPackRepo();
	const fake = await startFakeJimeng({ apiKey: 'bench-queue-key', latencyMs: LATENCY_MS });
	const workflows = [
		promptsWorkflow({ id: IDS.load, name: 'Bench: queue load', path: PATHS.load }),
		promptsWorkflow({
			id: IDS.big,
			name: 'Bench: 25 MiB images',
			path: PATHS.big,
			parameters: { pollInterval: 1 },
		}),
		promptsWorkflow({
			id: IDS.retries,
			name: 'Bench: shared limit, Max Retries 10',
			path: PATHS.retries,
			parameters: { pollInterval: 1 },
			options: { maxRetries: 10 },
		}),
		promptsWorkflow({
			id: IDS.sized,
			name: 'Bench: shared limit, Max Concurrent Tasks 1',
			path: PATHS.sized,
			parameters: { pollInterval: 1 },
			options: { maxConcurrency: 1 },
		}),
	];
	const common = {
		version: '2.41.1',
		tarball: build.tarball,
		credentialData: { apiKey: fake.apiKey, baseUrl: fake.url },
		workflows,
		concurrency: CONCURRENCY,
		log: (l) => say(`  ${l}`),
	};
	const rounds = [];
	const mem = [];
	const limits = [];
	let instance = null;
	try {
		say('=== throughput (database binary mode)');
		let cluster = await startCluster({ ...common, binaryMode: 'database', workers: 1 });
		instance = cluster.main;
		try {
			for (let pair = 1; pair <= PAIRS; pair++) {
				if (pair > 1) await cluster.stopWorker('worker-2', { timeoutMs: 30_000 });
				rounds.push({
					pair,
					load: os.loadavg()[0],
					...(await throughput(cluster, fake, `one-${pair}`)),
				});
				say(`  1 worker: ${JSON.stringify(rounds.at(-1))}`);
				await cluster.addWorker('worker-2');
				rounds.push({
					pair,
					load: os.loadavg()[0],
					...(await throughput(cluster, fake, `two-${pair}`)),
				});
				say(`  2 workers: ${JSON.stringify(rounds.at(-1))}`);
			}
			say(`=== 20 executions × 10 prompts, gateway allowing ${GATEWAY_LIMIT} tasks at once`);
			fake.setOptions({ latencyMs: LIMIT_LATENCY_MS });
			const problems = [];
			const note = (name, ok, detail) =>
				ok || problems.push(`${name}${detail ? ` (${detail})` : ''}`);
			const shared = async (label, workflowId, path, inFlight) => {
				const before = problems.length;
				const fig = await runLoad({
					cluster,
					fake,
					check: note,
					label,
					workflowId,
					path,
					maxActiveTasks: GATEWAY_LIMIT,
					latencyMs: LIMIT_LATENCY_MS,
				});
				limits.push({ ...fig, inFlight, problems: problems.slice(before) });
			};
			await shared(
				'Max Retries 10, 2 workers × concurrency 10',
				IDS.retries,
				PATHS.retries,
				'2 × 10 × 200',
			);
			for (const name of [...cluster.workers.keys()])
				await cluster.stopWorker(name, { timeoutMs: 30_000 });
			await Promise.all([
				cluster.addWorker('worker-c5-1', { concurrency: 5 }),
				cluster.addWorker('worker-c5-2', { concurrency: 5 }),
			]);
			await shared(
				'Max Concurrent Tasks 1, 2 workers × concurrency 5',
				IDS.sized,
				PATHS.sized,
				'2 × 5 × 1 = 10',
			);
			fake.setOptions({ latencyMs: LATENCY_MS });
			say('=== memory, database mode');
			mem.push(await memory(cluster, fake, 'database'));
			say(`  ${JSON.stringify(mem.at(-1))}`);
		} finally {
			await cluster.dispose();
		}
		say('=== memory, filesystem mode (shared folder)');
		cluster = await startCluster({
			...common,
			binaryMode: 'filesystem',
			workers: 0,
			webhook: true,
		});
		try {
			mem.push(await memory(cluster, fake, 'filesystem'));
			say(`  ${JSON.stringify(mem.at(-1))}`);
		} finally {
			await cluster.dispose();
		}
	} finally {
		await fake.close();
		await rm(build.dir, { recursive: true, force: true });
	}

	const sum = (n) => rounds.filter((r) => r.workers === n).reduce((a, r) => a + r.wallMs, 0);
	const ratio = sum(1) / sum(2); // executions/min with 2 workers over executions/min with 1, all rounds
	const perMinute = (n) =>
		(EXECUTIONS * rounds.filter((r) => r.workers === n).length * 60_000) / sum(n);
	const idealOneMs = Math.ceil(EXECUTIONS / CONCURRENCY) * LATENCY_MS;
	const tRows = [
		[
			'Round',
			'Workers',
			'Executions/min',
			'Wall time',
			'Succeeded',
			'Executions per worker',
			'Load average',
		],
		...rounds.map((r, i) => [
			String(i + 1),
			String(r.workers),
			r.perMinute.toFixed(1),
			`${(r.wallMs / 1000).toFixed(1)} s`,
			`${r.ok}/${EXECUTIONS}`,
			Object.entries(r.perWorker)
				.map(([w, n]) => `${w}: ${n}`)
				.join(', '),
			r.load.toFixed(1),
		]),
	];
	const mRows = [
		[
			'Binary mode',
			'Status',
			'Images served',
			'Worker RSS idle',
			'Worker peak (VmHWM)',
			'Added by the run',
		],
		...mem.map((m) => [
			m.mode,
			m.status,
			String(m.images),
			`${m.idleMb.toFixed(0)} MB`,
			`${m.peakMb.toFixed(0)} MB`,
			`${m.addedMb.toFixed(0)} MB`,
		]),
	];
	const lRows = [
		[
			'Settings',
			'Tasks in flight at most (workers × concurrency × Max Concurrent Tasks)',
			'Succeeded',
			'Wall time',
			'Ideal',
			'50430 refusals',
			'Failed checks (incl. billing)',
		],
		...limits.map((l) => [
			l.label,
			l.inFlight,
			`${l.succeeded}/${l.executions}`,
			`${(l.wallMs / 1000).toFixed(1)} s`,
			`${l.idealMs / 1000} s`,
			String(l.refused50430),
			l.problems.join('; ') || 'none',
		]),
	];
	say(`\n${textTable(lRows)}`);
	say(
		`\n${textTable(tRows)}\n\n1 worker ${perMinute(1).toFixed(1)}/min, 2 workers ${perMinute(2).toFixed(1)}/min: ratio ${ratio.toFixed(2)}× (target ≥ ${TARGET_RATIO}×)\n\n${textTable(mRows)}`,
	);
	const md = `## Queue mode (\`npm run bench:queue\`)

${machineLine(instance)}. n8n 2.41.1 in queue mode: main, webhook process, workers with \`--concurrency=${CONCURRENCY}\`,
PostgreSQL 17, Redis 7; the fake gateway on 127.0.0.1.

**Throughput**: ${EXECUTIONS} webhook executions × ${PROMPTS} prompts, ${LATENCY_MS / 1000} s generation latency, Poll Interval 3 s
(default), binary data in database mode; the same cluster first with one worker, then with a second one
added, ${PAIRS} times. Wall time from the first webhook call to the last execution's end. One worker can run
${CONCURRENCY} at once, so ${EXECUTIONS} executions need ${EXECUTIONS / CONCURRENCY} rounds of ≥ ${LATENCY_MS / 1000} s (≥ ${idealOneMs / 1000} s of generation alone; two
workers need half). The machine's 2 cores were shared with other jobs (load average column).

${markdownTable(tRows)}

Over all rounds: **1 worker ${perMinute(1).toFixed(1)} executions/min, 2 workers ${perMinute(2).toFixed(1)} executions/min, ratio ${ratio.toFixed(2)}×**
(target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'met' : 'missed'}).

**A gateway limit shared by many executions**: 20 webhook executions × 10 prompts at once against a gateway that
allows ${GATEWAY_LIMIT} tasks at once (${LIMIT_LATENCY_MS / 1000} s per image, Poll Interval 1 s); "ideal" is the gateway's own pace
(200 tasks / ${GATEWAY_LIMIT} × ${LIMIT_LATENCY_MS / 1000} s). With the node's defaults, 12–13 of the 20 executions fail with 50430 (\`npm run test:queue\`).

${markdownTable(lRows)}

**Memory**: one execution of ${IMAGES} prompts, each image ${IMAGE_BYTES / 2 ** 20} MiB (fake \`imageBytes\`), on a fresh worker; the
worker process's kernel peak resident set (VmHWM) against its RSS when idle.

${markdownTable(mRows)}
`;
	writeBlock('queue', md);
	say(`\nBENCHMARKS.md: block "queue" written`);
}

main().catch((err) => {
	console.error(err.stack ?? err);
	killAllSync();
	process.exit(1);
});

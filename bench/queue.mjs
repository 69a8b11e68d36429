#!/usr/bin/env node
// npm run bench:queue — queue mode at scale (n8n 2.41.1, PostgreSQL 17, Redis; scripts/queue/):
//  1. throughput with 1 worker and with 2, in the same run, at a load that fills one worker:
//     40 webhook executions × 5 prompts, 5 s generation latency, worker concurrency 10;
//  2. 20 executions × 10 prompts against a gateway allowing 10 tasks at once (test/queue/load.mjs's
//     load and assertions), with Max Retries 10 and with workers × concurrency sized to the limit;
//  3. peak memory (VmHWM) of a worker running 20 × 25 MiB images, binary data in database mode and
//     in filesystem mode on a shared folder.
// Each is a case in CLUSTERS; prints the figures and writes them into BENCHMARKS.md (block "queue").
import { createRequire } from 'node:module';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

import { requireLine } from '../scripts/n8n/ensure-installed.mjs';
import { buildAndPackRepo } from '../scripts/n8n/lib.mjs';
import { peakRssKb } from '../scripts/n8n/processes.mjs';
import { startCluster } from '../scripts/queue/cluster.mjs';
import { markdownTable, machineLine, textTable, writeBlock } from '../scripts/support/report.mjs';
import { evaluate } from '../scripts/support/scenarios.mjs';
import { webhookPromptsWorkflow } from '../scripts/support/workflows.mjs';
import { LOAD_ASSERTIONS, LOAD_WORKFLOWS, observeLoad, postPrompts } from '../test/queue/load.mjs';
import { perWorker } from '../test/queue/outputs.mjs';
import { columnsTable } from './columns.mjs';

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
const GATEWAY_LIMIT = 10;
const LIMIT_LATENCY_MS = 1500;
const WORKFLOWS = {
	load: { id: 'benchQueueLoad00', name: 'Bench: queue load', path: 'bench-queue-load' },
	big: { id: 'benchQueueBig000', name: 'Bench: 25 MiB images', path: 'bench-queue-big' },
	retries: LOAD_WORKFLOWS.retries, // test:queue's, Max Retries 10
	sized: {
		id: 'benchQueueSized0',
		name: 'Bench: shared limit, Max Concurrent Tasks 1',
		path: 'bench-queue-sized',
		options: { maxConcurrency: 1 },
	},
};
const say = (l = '') => console.log(l);

/** 40 executions × 5 prompts through the webhook process; wall time from first POST to last stop. */
async function throughput({ cluster, fake }, round) {
	fake.reset();
	const load = os.loadavg()[0];
	const t0 = Date.now();
	const { posted, list } = await postPrompts(cluster, {
		workflow: WORKFLOWS.load,
		label: `bench ${round}`,
		executions: EXECUTIONS,
		prompts: PROMPTS,
		timeoutMs: 600_000,
	});
	if (!list.length) throw new Error(`webhooks: ${posted.map((p) => p.status).join(',')}`);
	const wallMs = Math.max(...list.map((e) => new Date(e.stoppedAt).getTime())) - t0;
	return {
		workers: cluster.workers.size,
		wallMs,
		perMinute: (EXECUTIONS / wallMs) * 60_000,
		ok: list.filter((e) => e.status === 'success').length,
		perWorker: perWorker(cluster, list),
		submits: fake.stats().submits,
		load,
	};
}

/** 20 × 10 prompts against the limited gateway; the load assertions that failed, as problems. */
async function sharedLimit(ctx, label, workflow, inFlight) {
	const opts = { label, workflow, maxActiveTasks: GATEWAY_LIMIT, latencyMs: LIMIT_LATENCY_MS };
	const obs = await observeLoad(ctx, opts);
	const problems = evaluate(LOAD_ASSERTIONS, obs, ctx)
		.filter((r) => !r.ok)
		.map((r) => `${r.name}${r.evidence ? ` (${r.evidence})` : ''}`);
	return { ...obs.figures, inFlight, problems };
}

/** One execution of 20 prompts with 25 MiB images on a fresh worker; that worker's VmHWM. */
async function memory({ cluster, fake }, mode) {
	await cluster.stopWorkers();
	const worker = await cluster.addWorker(`worker-memory-${mode}`);
	await delay(2000);
	const idleKb = await peakRssKb(worker.proc.pid);
	fake.reset();
	fake.setOptions({ imageBytes: IMAGE_BYTES, latencyMs: 2000 });
	try {
		const prompts = Array.from({ length: IMAGES }, (_, i) => `bench memory ${mode} ${i}`);
		const { id, path } = WORKFLOWS.big;
		const afterId = await cluster.lastExecutionId(id);
		await cluster.post(path, { prompts });
		const [sum] = await cluster.waitForExecutions({
			workflowId: id,
			count: 1,
			afterId,
			timeoutMs: 300_000,
		});
		const peakKb = await peakRssKb(worker.proc.pid);
		const mb = (kb) => kb / 1024;
		const { images } = fake.stats();
		return {
			mode,
			status: sum.status,
			images,
			idleMb: mb(idleKb),
			peakMb: mb(peakKb),
			addedMb: mb(peakKb - idleKb),
		};
	} finally {
		fake.setOptions({ imageBytes: null, latencyMs: LATENCY_MS });
	}
}

const throughputRounds = Array.from({ length: PAIRS }, (_, i) => [
	{
		table: 'throughput',
		name: `1 worker (round ${2 * i + 1})`,
		setup: (c) => (i > 0 ? c.cluster.stopWorker('worker-2', { timeoutMs: 30_000 }) : null),
		act: (c) => throughput(c, `one-${i + 1}`),
	},
	{
		table: 'throughput',
		name: `2 workers (round ${2 * i + 2})`,
		setup: (c) => c.cluster.addWorker('worker-2'),
		act: (c) => throughput(c, `two-${i + 1}`),
	},
]).flat();

/** A cluster each, and its cases in order; a case's result is a row of its table. */
const CLUSTERS = [
	{
		options: { binaryMode: 'database', workers: 1 },
		cases: [
			...throughputRounds,
			{
				table: 'limits',
				name: `20 × 10, gateway allowing ${GATEWAY_LIMIT}, Max Retries 10`,
				setup: ({ fake }) => fake.setOptions({ latencyMs: LIMIT_LATENCY_MS }),
				act: (c) =>
					sharedLimit(
						c,
						'Max Retries 10, 2 workers × concurrency 10',
						WORKFLOWS.retries,
						'2 × 10 × 200',
					),
			},
			{
				table: 'limits',
				name: `20 × 10, gateway allowing ${GATEWAY_LIMIT}, Max Concurrent Tasks 1, concurrency 5`,
				async setup({ cluster }) {
					await cluster.stopWorkers();
					await Promise.all(
						[1, 2].map((n) => cluster.addWorker(`worker-c5-${n}`, { concurrency: 5 })),
					);
				},
				act: (c) =>
					sharedLimit(
						c,
						'Max Concurrent Tasks 1, 2 workers × concurrency 5',
						WORKFLOWS.sized,
						'2 × 5 × 1 = 10',
					),
			},
			{
				table: 'memory',
				name: 'memory, database mode',
				setup: ({ fake }) => fake.setOptions({ latencyMs: LATENCY_MS }),
				act: (c) => memory(c, 'database'),
			},
		],
	},
	{
		options: { binaryMode: 'filesystem', workers: 0 },
		cases: [
			{
				table: 'memory',
				name: 'memory, filesystem mode (shared folder)',
				act: (c) => memory(c, 'filesystem'),
			},
		],
	},
];

async function runCases(common, fake) {
	const rows = { throughput: [], limits: [], memory: [] };
	let instance = null; // the first main, for the machine line
	for (const { options, cases } of CLUSTERS) {
		const cluster = await startCluster({ ...common, ...options });
		instance ??= cluster.main;
		try {
			for (const c of cases) {
				say(`=== ${c.name}`);
				await c.setup?.({ cluster, fake });
				rows[c.table].push(await c.act({ cluster, fake }));
				say(`  ${JSON.stringify(rows[c.table].at(-1))}`);
			}
		} finally {
			await cluster.dispose();
		}
	}
	return { rows, instance };
}

async function main() {
	await requireLine('2.41.1', { label: 'bench:queue' });
	const build = await buildAndPackRepo();
	const fake = await startFakeJimeng({ apiKey: 'bench-queue-key', latencyMs: LATENCY_MS });
	try {
		const { rows, instance } = await runCases(
			{
				version: '2.41.1',
				tarball: build.tarball,
				credentialData: { apiKey: fake.apiKey, baseUrl: fake.url },
				workflows: [
					webhookPromptsWorkflow(WORKFLOWS.load),
					...[WORKFLOWS.big, WORKFLOWS.retries, WORKFLOWS.sized].map((w) =>
						webhookPromptsWorkflow({ ...w, parameters: { pollInterval: 1 } }),
					),
				],
				concurrency: CONCURRENCY,
				log: (l) => say(`  ${l}`),
			},
			fake,
		);
		report(rows, instance);
	} finally {
		await fake.close();
		await rm(build.dir, { recursive: true, force: true });
	}
}

/** The three tables, printed and written into BENCHMARKS.md. */
function report({ throughput: rounds, limits, memory: mem }, instance) {
	const wall = (n) => rounds.filter((r) => r.workers === n).reduce((a, r) => a + r.wallMs, 0);
	const perMinute = (n) =>
		(EXECUTIONS * rounds.filter((r) => r.workers === n).length * 60_000) / wall(n);
	const ratio = wall(1) / wall(2); // executions/min with 2 workers over executions/min with 1, all rounds
	const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
	const tRows = columnsTable(
		[
			['Round', (r) => String(rounds.indexOf(r) + 1)],
			['Workers', (r) => String(r.workers)],
			['Executions/min', (r) => r.perMinute.toFixed(1)],
			['Wall time', (r) => s(r.wallMs)],
			['Succeeded', (r) => `${r.ok}/${EXECUTIONS}`],
			[
				'Executions per worker',
				(r) =>
					Object.entries(r.perWorker)
						.map(([w, n]) => `${w}: ${n}`)
						.join(', '),
			],
			['Load average', (r) => r.load.toFixed(1)],
		],
		rounds,
	);
	const mbText = (v) => `${v.toFixed(0)} MB`;
	const mRows = columnsTable(
		[
			['Binary mode', (m) => m.mode],
			['Status', (m) => m.status],
			['Images served', (m) => String(m.images)],
			['Worker RSS idle', (m) => mbText(m.idleMb)],
			['Worker peak (VmHWM)', (m) => mbText(m.peakMb)],
			['Added by the run', (m) => mbText(m.addedMb)],
		],
		mem,
	);
	const lRows = columnsTable(
		[
			['Settings', (l) => l.label],
			['Tasks in flight at most (workers × concurrency × Max Concurrent Tasks)', (l) => l.inFlight],
			['Succeeded', (l) => `${l.succeeded}/${l.executions}`],
			['Wall time', (l) => s(l.wallMs)],
			['Ideal', (l) => `${l.idealMs / 1000} s`],
			['50430 refusals', (l) => String(l.refused50430)],
			['Failed checks (incl. billing)', (l) => l.problems.join('; ') || 'none'],
		],
		limits,
	);
	const summary = `1 worker ${perMinute(1).toFixed(1)} executions/min, 2 workers ${perMinute(2).toFixed(1)} executions/min, ratio ${ratio.toFixed(2)}×`;
	say(
		`\n${textTable(lRows)}\n\n${textTable(tRows)}\n\n${summary} (target ≥ ${TARGET_RATIO}×)\n\n${textTable(mRows)}`,
	);
	writeBlock(
		'queue',
		markdown({ instance, tRows, lRows, mRows, summary, met: ratio >= TARGET_RATIO }),
	);
	say(`\nBENCHMARKS.md: block "queue" written`);
}

function markdown({ instance, tRows, lRows, mRows, summary, met }) {
	return `## Queue mode (\`npm run bench:queue\`)

${machineLine(instance)}. n8n 2.41.1 in queue mode: main, webhook process, workers with \`--concurrency=${CONCURRENCY}\`,
PostgreSQL 17, Redis 7; the fake gateway on 127.0.0.1.

**Throughput**: ${EXECUTIONS} webhook executions × ${PROMPTS} prompts, ${LATENCY_MS / 1000} s generation latency, Poll Interval 3 s
(default), binary data in database mode; the same cluster first with one worker, then with a second one
added, ${PAIRS} times. Wall time from the first webhook call to the last execution's end. One worker can run
${CONCURRENCY} at once, so ${EXECUTIONS} executions need ${EXECUTIONS / CONCURRENCY} rounds of ≥ ${LATENCY_MS / 1000} s (≥ ${(Math.ceil(EXECUTIONS / CONCURRENCY) * LATENCY_MS) / 1000} s of generation alone; two
workers need half). The machine's 2 cores were shared with other jobs (load average column).

${markdownTable(tRows)}

Over all rounds: **${summary}**
(target ≥ ${TARGET_RATIO}×: ${met ? 'met' : 'missed'}).

**A gateway limit shared by many executions**: 20 webhook executions × 10 prompts at once against a gateway that
allows ${GATEWAY_LIMIT} tasks at once (${LIMIT_LATENCY_MS / 1000} s per image, Poll Interval 1 s); "ideal" is the gateway's own pace
(200 tasks / ${GATEWAY_LIMIT} × ${LIMIT_LATENCY_MS / 1000} s). With the node's defaults all 20 complete too (\`npm run test:queue\` checks it).

${markdownTable(lRows)}

**Memory**: one execution of ${IMAGES} prompts, each image ${IMAGE_BYTES / 2 ** 20} MiB (fake \`imageBytes\`), on a fresh worker; the
worker process's kernel peak resident set (VmHWM) against its RSS when idle.

${markdownTable(mRows)}
`;
}

main().catch((err) => {
	console.error(err.stack ?? err);
	process.exit(1);
});

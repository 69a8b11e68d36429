// n8n in queue mode on 127.0.0.1: PostgreSQL 17 and Redis (./postgres.mjs, ./redis.mjs), a main
// process, workers and a webhook process of one n8n line, each with this package installed as a
// community package in its own user folder, all with the same encryption key (lib.mjs's), the same
// database, EXECUTIONS_MODE=queue and one binary data mode (database, or filesystem on a folder all
// processes share). Workflows are imported and activated through main before workers start.
//
//   const cluster = await startCluster({ tarball, credentialData, workflows, binaryMode: 'database' });
//   await cluster.post('queue-text-to-image', {});             // to the webhook process
//   const [ex] = await cluster.waitForExecutions({ workflowId, count: 1 });
//   cluster.workerOf(ex.id);                                   // 'worker-1' (from its log)
//   await cluster.dispose();
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { createInstance, freePort, n8nLine } from '../n8n/lib.mjs';
import { CREDENTIAL } from '../n8n/sandbox.mjs';
import { startPostgres } from './postgres.mjs';
import { startProcess, trackDir } from './proc.mjs';
import { startRedis } from './redis.mjs';

export const FINISHED = new Set(['success', 'error', 'canceled', 'crashed']);

/** The environment of every process, besides DB_* and lib.mjs's BASE_ENV. */
export function queueEnv({ redisPort, binaryMode, storagePath }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		...(binaryMode ? { N8N_DEFAULT_BINARY_DATA_MODE: binaryMode } : {}),
		// 2.x reads N8N_STORAGE_PATH, 1.x N8N_BINARY_DATA_STORAGE_PATH.
		...(storagePath
			? { N8N_STORAGE_PATH: storagePath, N8N_BINARY_DATA_STORAGE_PATH: storagePath }
			: {}),
	};
}

/**
 * @param {object} o
 * @param {string} [o.version]        n8n line, default 2.41.1
 * @param {string} o.tarball          packed package, installed into every process's user folder
 * @param {object} o.credentialData   { apiKey, baseUrl } of the Jimeng API credential
 * @param {object[]} [o.workflows]    imported, then activated on main
 * @param {string[]} [o.activate]     ids to activate (default: every imported workflow)
 * @param {'database'|'filesystem'|null} [o.binaryMode]  null: the line's default
 * @param {number} [o.workers]        how many workers to start (default 2)
 * @param {number} [o.concurrency]    worker --concurrency (default 10)
 * @param {object} [o.workerEnv]      extra env of every worker
 * @param {object} [o.env]            extra env of every process
 * @param {boolean} [o.webhook]       start a webhook process (default true)
 * @param {number} [o.mainPort]
 * @param {boolean} [o.echo]
 * @param {(line: string) => void} [o.log]
 */
export async function startCluster(o) {
	const version = o.version ?? '2.41.1';
	const line = n8nLine(version);
	const log = o.log ?? (() => {});
	const echo = o.echo ?? process.env.N8N_E2E_ECHO === '1';
	const binaryMode = o.binaryMode === undefined ? 'database' : o.binaryMode;
	const cluster = {
		version: line.version,
		line,
		binaryMode,
		main: null,
		webhook: null,
		workers: new Map(), // name → { name, instance, proc, env }
		gone: [], // workers stopped so far (their logs still count)

		/**
		 * Start a worker `name`: its own user folder (with the package unless `withPackage` is false),
		 * `env` over the cluster's, `unset` variables removed (e.g. N8N_GRACEFUL_SHUTDOWN_TIMEOUT, so
		 * n8n's own default applies instead of lib.mjs's 5 s). Resolves when it logs ready.
		 */
		async addWorker(
			name,
			{ env = {}, unset = [], concurrency = o.concurrency ?? 10, withPackage = true } = {},
		) {
			const instance = await createInstance({
				version,
				packageTarball: withPackage ? o.tarball : undefined,
				env: {
					...cluster.env,
					QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					...o.workerEnv,
					...env,
				},
				echo,
			});
			const procEnv = { ...instance.env };
			for (const key of unset) delete procEnv[key];
			const proc = startProcess({
				name,
				cmd: line.nodeBin,
				args: [line.n8nBin, 'worker', `--concurrency=${concurrency}`],
				env: procEnv,
				cwd: instance.userFolder,
				echo,
			});
			const worker = { name, instance, proc, env: procEnv };
			cluster.workers.set(name, worker);
			await proc.waitForLog('n8n worker is now ready', { timeoutMs: 240_000 });
			return worker;
		},

		/** Signal a worker and wait for it to exit: { code, signal, ms }. */
		async stopWorker(name, { signal = 'SIGTERM', timeoutMs = 120_000 } = {}) {
			const worker = cluster.workers.get(name);
			if (!worker) throw new Error(`no worker ${name}`);
			const exit = await worker.proc.stop({ signal, timeoutMs });
			cluster.workers.delete(name);
			cluster.gone.push(worker);
			await worker.instance.dispose();
			return exit;
		},

		allWorkers: () => [...cluster.workers.values(), ...cluster.gone],

		/** Names of the workers whose log says they started this execution. */
		workerOf(executionId) {
			const mark = `Worker started execution ${executionId} (`;
			return cluster
				.allWorkers()
				.filter((w) => w.proc.log().includes(mark))
				.map((w) => w.name);
		},

		/** URL of a production webhook, on the webhook process (default) or on main. */
		webhookUrl(webhookPath, via = 'webhook') {
			const base =
				via === 'main' || !cluster.webhook ? cluster.main.baseUrl : cluster.webhook.baseUrl;
			return `${base}/webhook/${webhookPath}`;
		},

		/** POST JSON to a production webhook; { status, body }. */
		async post(webhookPath, body = {}, { via = 'webhook' } = {}) {
			const res = await fetch(cluster.webhookUrl(webhookPath, via), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(60_000),
			});
			return { status: res.status, body: await res.text() };
		},

		/**
		 * The highest execution id of a workflow (0 when none): pass it as `afterId` to waitForExecutions.
		 * The highest, not the first listed: the list is not in id order (executions started together).
		 */
		async lastExecutionId(workflowId) {
			const list = await cluster.main.listExecutions({ workflowId, limit: 100 });
			return Math.max(0, ...list.map((e) => Number(e.id)));
		},

		/**
		 * Executions of a workflow newer than `afterId`, through main's REST API, once `count` of them exist
		 * (and, with `finished`, all have ended). Newest first; at most 100 (the API's page limit).
		 */
		async waitForExecutions({
			workflowId,
			count,
			afterId = 0,
			timeoutMs = 180_000,
			finished = true,
		}) {
			const deadline = Date.now() + timeoutMs;
			let list = [];
			for (;;) {
				list = (await cluster.main.listExecutions({ workflowId, limit: 100 })).filter(
					(e) => Number(e.id) > afterId,
				);
				if (list.length >= count && (!finished || list.every((e) => FINISHED.has(e.status))))
					return list;
				if (Date.now() > deadline) {
					const statuses = list.map((e) => e.status).join(', ');
					throw new Error(
						`workflow ${workflowId}: ${list.length}/${count} executions after ${timeoutMs} ms (${statuses})`,
					);
				}
				await delay(500);
			}
		},

		/** Every process's output so far: [{ name, text }]. */
		logs() {
			const out = [{ name: 'main', text: cluster.main?.logText() ?? '' }];
			for (const w of cluster.allWorkers()) out.push({ name: w.name, text: w.proc.log() });
			if (cluster.webhook) out.push({ name: 'webhook', text: cluster.webhook.proc.log() });
			return out;
		},

		async dispose() {
			const stops = cluster.allWorkers().map(async (w) => {
				await w.proc.stop({ signal: 'SIGTERM', timeoutMs: 15_000 });
				await w.instance.dispose();
			});
			if (cluster.webhook) {
				stops.push(
					(async () => {
						await cluster.webhook.proc.stop({ timeoutMs: 15_000 });
						await cluster.webhook.instance.dispose();
					})(),
				);
			}
			await Promise.allSettled(stops);
			await cluster.main?.dispose().catch(() => {});
			await Promise.allSettled([cluster.redis?.stop(), cluster.pg?.stop()]);
			if (cluster.storagePath) {
				await rm(cluster.storagePath, { recursive: true, force: true });
				trackDir(cluster.storagePath, false);
			}
		},
	};

	const t0 = Date.now();
	const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
	try {
		const [pg, redis] = await Promise.all([startPostgres({ echo }), startRedis({ echo })]);
		Object.assign(cluster, { pg, redis });
		log(
			`${pg.version} on 127.0.0.1:${pg.port} (as ${pg.runsAs}), Redis ${redis.version} on 127.0.0.1:${redis.port}`,
		);
		if (binaryMode === 'filesystem') {
			cluster.storagePath = await mkdtemp(path.join(tmpdir(), 'n8n-queue-storage-'));
			await chmod(cluster.storagePath, 0o755);
			trackDir(cluster.storagePath);
		}
		cluster.env = {
			...pg.env,
			...queueEnv({ redisPort: redis.port, binaryMode, storagePath: cluster.storagePath }),
			...o.env,
		};

		const main = await createInstance({
			version,
			packageTarball: o.tarball,
			port: o.mainPort,
			env: { ...cluster.env, ...o.mainEnv },
			echo,
		});
		cluster.main = main;
		await main.importCredentials([{ ...CREDENTIAL, type: 'jimengApi', data: o.credentialData }]);
		if (o.workflows?.length) await main.importWorkflows(o.workflows);
		await main.start({ timeoutMs: 240_000 });
		await main.setupOwner(o.owner);
		const activate = o.activate ?? (o.workflows ?? []).map((wf) => wf.id);
		for (const id of activate) await main.activateWorkflow(id);
		log(`main on ${main.baseUrl}, ${activate.length} workflows active (${secs()})`);

		const starts = [];
		for (let i = 1; i <= (o.workers ?? 2); i++) starts.push(cluster.addWorker(`worker-${i}`));
		if (o.webhook !== false) {
			starts.push(
				(async () => {
					const instance = await createInstance({
						version,
						packageTarball: o.tarball,
						port: o.webhookPort,
						env: cluster.env,
						echo,
					});
					const proc = startProcess({
						name: 'webhook',
						cmd: line.nodeBin,
						args: [line.n8nBin, 'webhook'],
						env: instance.env,
						cwd: instance.userFolder,
						echo,
					});
					cluster.webhook = { name: 'webhook', instance, proc, baseUrl: instance.baseUrl };
					await proc.waitForLog('Webhook listener waiting for requests.', { timeoutMs: 240_000 });
				})(),
			);
		}
		await Promise.all(starts);
		log(
			`${cluster.workers.size} worker(s)${cluster.webhook ? ' and a webhook process' : ''} ready (${secs()})`,
		);
		return cluster;
	} catch (err) {
		await cluster.dispose().catch(() => {});
		throw err;
	}
}

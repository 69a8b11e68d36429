// n8n in queue mode on 127.0.0.1: PostgreSQL 17 and Redis (./postgres.mjs, ./redis.mjs), a main
// process, workers and a webhook process of one n8n line, each with this package installed as a
// community package in its own user folder, all with the same encryption key (lib.mjs's), the same
// database, EXECUTIONS_MODE=queue and one binary data mode (database, or filesystem on a folder all
// processes share). Workflows are imported and activated through main before workers start.
// Use: startCluster(), cluster.post(path, body), waitForExecutions(), workerOf(id), dispose().
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { createInstance, freePort, n8nLine } from '../n8n/lib.mjs';
import { startProcess, trackFolder } from '../n8n/processes.mjs';
import { CREDENTIAL } from '../n8n/sandbox.mjs';
import { startPostgres } from './postgres.mjs';
import { startRedis } from './redis.mjs';

export const FINISHED = new Set(['success', 'error', 'canceled', 'crashed']);
const READY_MS = 240_000;

class Cluster {
	constructor(o) {
		this.o = o;
		this.line = n8nLine(o.version ?? '2.41.1');
		this.version = this.line.version;
		this.echo = o.echo ?? process.env.N8N_E2E_ECHO === '1';
		this.binaryMode = o.binaryMode === undefined ? 'database' : o.binaryMode;
		this.main = null;
		this.webhook = null;
		this.workers = new Map(); // name → { name, instance, proc, env }
		this.gone = []; // workers stopped so far (their logs still count)
	}

	/** An n8n process `command` in its own user folder; `unset` variables removed from its env. */
	async spawn(name, command, { args = [], env, unset = [], withPackage = true, port } = {}) {
		const instance = await createInstance({
			version: this.version,
			packageTarball: withPackage ? this.o.tarball : undefined,
			port,
			env,
			echo: this.echo,
		});
		const procEnv = { ...instance.env };
		for (const key of unset) delete procEnv[key];
		const proc = startProcess({
			name,
			cmd: this.line.nodeBin,
			args: [this.line.n8nBin, command, ...args],
			env: procEnv,
			cwd: instance.userFolder,
			echo: this.echo,
		});
		return { name, instance, proc, env: procEnv, baseUrl: instance.baseUrl };
	}

	/**
	 * Start a worker `name`: its own user folder (with the package unless `withPackage` is false),
	 * `env` over the cluster's, `unset` variables removed (e.g. N8N_GRACEFUL_SHUTDOWN_TIMEOUT, so
	 * n8n's own default applies instead of lib.mjs's 5 s). Resolves when it logs ready.
	 */
	async addWorker(name, { env = {}, unset = [], concurrency, withPackage = true } = {}) {
		const worker = await this.spawn(name, 'worker', {
			args: [`--concurrency=${concurrency ?? this.o.concurrency ?? 10}`],
			env: {
				...this.env,
				QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				...this.o.workerEnv,
				...env,
			},
			unset,
			withPackage,
		});
		this.workers.set(name, worker);
		await worker.proc.waitForLog('n8n worker is now ready', { timeoutMs: READY_MS });
		return worker;
	}

	/** Signal a worker and wait for it to exit: { code, signal, ms, forced }. */
	async stopWorker(name, { signal = 'SIGTERM', timeoutMs = 120_000 } = {}) {
		const worker = this.workers.get(name);
		if (!worker) throw new Error(`no worker ${name}`);
		const exit = await worker.proc.stop({ signal, timeoutMs });
		this.workers.delete(name);
		this.gone.push(worker);
		await worker.instance.dispose();
		return exit;
	}

	async stopWorkers() {
		for (const name of [...this.workers.keys()]) await this.stopWorker(name, { timeoutMs: 30_000 });
	}

	allWorkers() {
		return [...this.workers.values(), ...this.gone];
	}

	/** Names of the workers whose log says they started this execution. */
	workerOf(executionId) {
		const mark = `Worker started execution ${executionId} (`;
		return this.allWorkers()
			.filter((w) => w.proc.log().includes(mark))
			.map((w) => w.name);
	}

	/** URL of a production webhook, on the webhook process (default) or on main. */
	webhookUrl(webhookPath, via = 'webhook') {
		const base = via === 'main' || !this.webhook ? this.main.baseUrl : this.webhook.baseUrl;
		return `${base}/webhook/${webhookPath}`;
	}

	/** POST JSON to a production webhook; { status, body }. */
	async post(webhookPath, body = {}, { via = 'webhook' } = {}) {
		const res = await fetch(this.webhookUrl(webhookPath, via), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		return { status: res.status, body: await res.text() };
	}

	/**
	 * The highest execution id of a workflow (0 when none): pass it as `afterId` to waitForExecutions.
	 * The highest, not the first listed: the list is not in id order (executions started together).
	 */
	async lastExecutionId(workflowId) {
		const list = await this.main.listExecutions({ workflowId, limit: 100 });
		return Math.max(0, ...list.map((e) => Number(e.id)));
	}

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
		for (;;) {
			const list = (await this.main.listExecutions({ workflowId, limit: 100 })).filter(
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
	}

	/** Every process's output so far: [{ name, text }]. */
	logs() {
		const out = [{ name: 'main', text: this.main?.logText() ?? '' }];
		for (const w of this.allWorkers()) out.push({ name: w.name, text: w.proc.log() });
		if (this.webhook) out.push({ name: 'webhook', text: this.webhook.proc.log() });
		return out;
	}

	async start() {
		const t0 = Date.now();
		const took = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
		const log = this.o.log ?? (() => {});
		const [pg, redis] = await Promise.all([
			startPostgres({ echo: this.echo }),
			startRedis({ echo: this.echo }),
		]);
		Object.assign(this, { pg, redis });
		log(
			`${pg.version} on 127.0.0.1:${pg.port} (as ${pg.runsAs}), Redis ${redis.version} on 127.0.0.1:${redis.port}`,
		);
		if (this.binaryMode === 'filesystem') {
			this.storagePath = await mkdtemp(path.join(tmpdir(), 'n8n-queue-storage-'));
			await chmod(this.storagePath, 0o755);
			trackFolder(this.storagePath, true);
		}
		const { binaryMode, storagePath } = this;
		// Every process's environment, besides lib.mjs's BASE_ENV.
		this.env = {
			...pg.env,
			...{ EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1' },
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			...(binaryMode ? { N8N_DEFAULT_BINARY_DATA_MODE: binaryMode } : {}),
			// 2.x reads N8N_STORAGE_PATH, 1.x N8N_BINARY_DATA_STORAGE_PATH.
			...(storagePath && {
				N8N_STORAGE_PATH: storagePath,
				N8N_BINARY_DATA_STORAGE_PATH: storagePath,
			}),
			...this.o.env,
		};
		const activated = await this.startMain();
		log(`main on ${this.main.baseUrl}, ${activated} workflows active (${took()})`);
		const starts = [];
		for (let i = 1; i <= (this.o.workers ?? 2); i++) starts.push(this.addWorker(`worker-${i}`));
		if (this.o.webhook !== false) starts.push(this.startWebhook());
		await Promise.all(starts);
		const webhook = this.webhook ? ' and a webhook process' : '';
		log(`${this.workers.size} worker(s)${webhook} ready (${took()})`);
	}

	async startMain() {
		const { o } = this;
		this.main = await createInstance({
			version: this.version,
			packageTarball: o.tarball,
			port: o.mainPort,
			env: this.env,
			echo: this.echo,
		});
		await this.main.importCredentials([
			{ ...CREDENTIAL, type: 'jimengApi', data: o.credentialData },
		]);
		if (o.workflows?.length) await this.main.importWorkflows(o.workflows);
		await this.main.start({ timeoutMs: READY_MS });
		await this.main.setupOwner(o.owner);
		const activate = o.activate ?? (o.workflows ?? []).map((wf) => wf.id);
		for (const id of activate) await this.main.activateWorkflow(id);
		return activate.length;
	}

	async startWebhook() {
		this.webhook = await this.spawn('webhook', 'webhook', { env: this.env });
		await this.webhook.proc.waitForLog('Webhook listener waiting for requests.', {
			timeoutMs: READY_MS,
		});
	}

	async dispose() {
		const stopAndRemove = async (p) => {
			await p.proc.stop({ timeoutMs: 15_000 });
			await p.instance.dispose();
		};
		await Promise.allSettled(
			[...this.allWorkers(), this.webhook].filter(Boolean).map(stopAndRemove),
		);
		await this.main?.dispose().catch(() => {});
		await Promise.allSettled([this.redis?.stop(), this.pg?.stop()]);
		if (this.storagePath) {
			await rm(this.storagePath, { recursive: true, force: true });
			trackFolder(this.storagePath, false);
		}
	}
}

/**
 * o: { tarball, credentialData ({ apiKey, baseUrl }), version ('2.41.1'), workflows (imported, then
 * activated on main), activate (ids; default all), binaryMode ('database' | 'filesystem' | null: the
 * line's default), workers (2), concurrency (10), workerEnv, env (every process), webhook (true),
 * mainPort, owner (setupOwner's), echo, log(line) }.
 */
export async function startCluster(o) {
	const cluster = new Cluster(o);
	try {
		await cluster.start();
		return cluster;
	} catch (err) {
		await cluster.dispose().catch(() => {});
		throw err;
	}
}

// An instance's server (`n8n start`): start until fully up, wait for a webhook, stop.
import { setTimeout as delay } from 'node:timers/promises';

import { portIsFree } from '../ports.mjs';
import { spawnGroup, stopGroup } from '../processes.mjs';
import { fetchWithTimeout } from './http.mjs';

/**
 * The stages of "fully up", in order: /healthz/readiness answers 200 (the database is ready; the REST
 * controllers may not exist yet), GET /rest/settings answers 200 (REST routes registered) and, when
 * logging at info/debug, n8n printed "Editor is now accessible via" (printed after active workflows
 * and their webhooks are registered).
 */
const STAGES = {
	async readiness(ctx) {
		const res = await fetchWithTimeout(`${ctx.baseUrl}/healthz/readiness`, {}, 2000);
		await res.arrayBuffer();
		return res.status === 200;
	},
	async rest(ctx) {
		const res = await fetchWithTimeout(`${ctx.baseUrl}/rest/settings`, {}, 5000);
		return res.status === 200 && (await res.text()).startsWith('{');
	},
	async editor(ctx, logFrom) {
		const waits = ['info', 'debug'].includes(ctx.env.N8N_LOG_LEVEL);
		return !waits || ctx.log.indexOf('Editor is now accessible via', logFrom) !== -1;
	},
};

async function stop(ctx, { timeoutMs = 20_000 } = {}) {
	const server = ctx.server;
	if (!server) return;
	ctx.server = null;
	ctx.cookie = null;
	if (!server.exited) await stopGroup(server, { timeoutMs });
}

/** `n8n start`; resolves with baseUrl once every stage passed. Sets readyMs / startMs. */
async function start(ctx, { timeoutMs = 120_000 } = {}) {
	if (ctx.disposed) throw new Error('instance disposed');
	if (ctx.server) return ctx.baseUrl;
	if (!(await portIsFree(ctx.port))) throw new Error(`port ${ctx.port} is already in use`);
	const t0 = Date.now();
	const logFrom = ctx.log.length;
	ctx.log += `\n$ n8n start\n`;
	const { line, env, workDir } = ctx;
	const group = spawnGroup(line.nodeBin, [line.n8nBin, 'start'], {
		env,
		cwd: workDir,
		onData: ctx.append('start'),
	});
	const server = { ...group, exited: null };
	ctx.server = server;
	group.done.then((r) => (server.exited = r));
	const stages = Object.keys(STAGES);
	let stage = 0;
	while (Date.now() < t0 + timeoutMs) {
		if (server.exited) {
			ctx.server = null;
			const r = server.exited;
			throw new Error(`n8n start exited early (${r.code ?? r.signal})\n${ctx.log.slice(-6000)}`);
		}
		const passed = await STAGES[stages[stage]](ctx, logFrom).catch(() => false);
		if (passed) {
			if (stages[stage] === 'readiness') ctx.readyMs = Date.now() - t0;
			if (++stage === stages.length) {
				ctx.startMs = Date.now() - t0;
				return ctx.baseUrl;
			}
			continue;
		}
		await delay(stages[stage] === 'editor' ? 50 : 200);
	}
	await stop(ctx);
	throw new Error(
		`n8n start not ready (stuck at ${stages[stage]}) after ${timeoutMs} ms\n${ctx.log.slice(-6000)}`,
	);
}

/**
 * Readiness can come before webhooks are registered: poll the CORS preflight of a production
 * webhook until it answers 204 (or 200); resolves with the webhook's URL.
 */
async function waitForWebhook(ctx, webhookPath, { method = 'POST', timeoutMs = 30_000 } = {}) {
	const url = `${ctx.baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`;
	const preflight = {
		method: 'OPTIONS',
		headers: { Origin: ctx.baseUrl, 'Access-Control-Request-Method': method },
	};
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const status = await fetchWithTimeout(url, preflight, 2000)
			.then(async (res) => (await res.arrayBuffer(), res.status))
			.catch(() => 0);
		if (status === 204 || status === 200) return url;
		await delay(200);
	}
	throw new Error(`webhook ${url} not registered after ${timeoutMs} ms`);
}

/** `ctx`: the instance's shared state (see instance/index.mjs). */
export function serverMethods(ctx) {
	return {
		start: (options) => start(ctx, options),
		waitForWebhook: (webhookPath, options) => waitForWebhook(ctx, webhookPath, options),
		/** Stop the server (SIGTERM to its leader, SIGKILL to its group after timeoutMs). */
		stop: (options) => stop(ctx, options),
	};
}

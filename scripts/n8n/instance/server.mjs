// An instance's server (`n8n start`): start until fully up, wait for a webhook, stop.
import { setTimeout as delay } from 'node:timers/promises';

import { portIsFree } from '../ports.mjs';
import { killGroup, spawnGroup } from '../processes.mjs';
import { fetchWithTimeout } from './http.mjs';

const DEFAULT_START_TIMEOUT_MS = 120_000;
const DEFAULT_STOP_TIMEOUT_MS = 20_000;

/** `ctx`: the instance's shared state (see instance/index.mjs). */
export function serverMethods(ctx) {
	const { line, env, workDir, baseUrl } = ctx;

	/** Poll one readiness stage; true once it answers as expected. */
	async function stageReady(stage, logFrom) {
		if (stage === 'readiness') {
			const res = await fetchWithTimeout(`${baseUrl}/healthz/readiness`, {}, 2000);
			await res.arrayBuffer();
			return res.status === 200;
		}
		if (stage === 'rest') {
			const res = await fetchWithTimeout(`${baseUrl}/rest/settings`, {}, 5000);
			const text = await res.text();
			return res.status === 200 && text.startsWith('{');
		}
		const waitForEditorLine = ['info', 'debug'].includes(env.N8N_LOG_LEVEL);
		return !waitForEditorLine || ctx.log.indexOf('Editor is now accessible via', logFrom) !== -1;
	}

	async function stop({ timeoutMs = DEFAULT_STOP_TIMEOUT_MS } = {}) {
		const s = ctx.server;
		if (!s) return;
		ctx.server = null;
		ctx.cookie = null;
		if (s.exited) return;
		// SIGTERM the leader only (n8n shuts its task runner down itself); the group is SIGKILLed once
		// the leader is gone (spawnGroup), or after timeoutMs.
		try {
			process.kill(s.child.pid, 'SIGTERM');
		} catch {}
		const timeout = (ms) => delay(ms, undefined, { ref: false });
		const stopped = await Promise.race([
			s.done.then(() => true),
			timeout(timeoutMs).then(() => false),
		]);
		if (!stopped) {
			killGroup(s.child.pid, 'SIGKILL');
			await Promise.race([s.done, timeout(5000)]);
		}
	}

	return {
		/**
		 * `n8n start`; resolves with baseUrl once n8n is fully up: /healthz/readiness answers 200 (DB
		 * ready — this comes before the REST controllers exist), GET /rest/settings answers 200 (REST
		 * routes registered) and, when logging at info/debug, n8n printed "Editor is now accessible via"
		 * (printed after active workflows and their webhooks are registered). Sets readyMs / startMs.
		 */
		async start({ timeoutMs = DEFAULT_START_TIMEOUT_MS } = {}) {
			if (ctx.disposed) throw new Error('instance disposed');
			if (ctx.server) return baseUrl;
			if (!(await portIsFree(ctx.port))) throw new Error(`port ${ctx.port} is already in use`);
			const t0 = Date.now();
			const logFrom = ctx.log.length;
			ctx.log += `\n$ n8n start\n`;
			const proc = spawnGroup(line.nodeBin, [line.n8nBin, 'start'], {
				env,
				cwd: workDir,
				onData: ctx.append('start'),
			});
			const server = { ...proc, exited: null };
			ctx.server = server;
			proc.done.then((r) => {
				server.exited = r;
			});
			const stages = ['readiness', 'rest', 'editor'];
			let stage = 0;
			const deadline = t0 + timeoutMs;
			while (Date.now() < deadline) {
				if (server.exited) {
					const r = server.exited;
					ctx.server = null;
					throw new Error(
						`n8n start exited early (${r.code ?? r.signal})\n${ctx.log.slice(-6000)}`,
					);
				}
				try {
					if (await stageReady(stages[stage], logFrom)) {
						if (stages[stage] === 'readiness') ctx.readyMs = Date.now() - t0;
						if (stages[stage] === 'editor') {
							ctx.startMs = Date.now() - t0;
							return baseUrl;
						}
						stage++;
						continue;
					}
				} catch {
					/* not listening yet */
				}
				await delay(stages[stage] === 'editor' ? 50 : 200);
			}
			await stop();
			throw new Error(
				`n8n start not ready (stuck at ${stages[stage]}) after ${timeoutMs} ms\n${ctx.log.slice(-6000)}`,
			);
		},

		/**
		 * Readiness can come before webhooks are registered: poll the CORS preflight of a production
		 * webhook until it answers 204 (or 200).
		 */
		async waitForWebhook(webhookPath, { method = 'POST', timeoutMs = 30_000 } = {}) {
			const url = `${baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`;
			const preflight = {
				method: 'OPTIONS',
				headers: { Origin: baseUrl, 'Access-Control-Request-Method': method },
			};
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				try {
					const res = await fetchWithTimeout(url, preflight, 2000);
					await res.arrayBuffer();
					if (res.status === 204 || res.status === 200) return url;
				} catch {
					/* retry */
				}
				await delay(200);
			}
			throw new Error(`webhook ${url} not registered after ${timeoutMs} ms`);
		},

		/** Stop the server (SIGTERM to its leader, SIGKILL to its group after timeoutMs). */
		stop,
	};
}

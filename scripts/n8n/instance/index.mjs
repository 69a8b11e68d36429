// One n8n instance: a temporary user folder with packages installed, its CLI, its server and its
// REST API. The parts share `ctx`, the instance's state: line, env, ports, the log of everything n8n
// printed, the running server, the owner session.
import { inheritedEnv } from '../env.mjs';
import { n8nLine } from '../lines.mjs';
import { freePort } from '../ports.mjs';
import { cliMethods } from './cli.mjs';
import { makeUserFolder, removeUserFolder } from './folder.mjs';
import { restMethods } from './rest.mjs';
import { serverMethods } from './server.mjs';

/**
 * A fresh n8n instance (temp user folder, free ports, the tarballs installed as community packages
 * the way n8n installs one); nothing runs until a method is called. Options and methods:
 * scripts/n8n/README.md. `env` wins over the defaults; `echo` mirrors n8n's output to stderr.
 */
export async function createInstance({
	version,
	packageTarball,
	port,
	env: extraEnv = {},
	echo = process.env.N8N_E2E_ECHO === '1',
} = {}) {
	const line = n8nLine(version);
	const { userFolder, workDir, packages } = await makeUserFolder({ line, packageTarball });
	const serverPort = port ?? (await freePort());
	const brokerPort = await freePort();
	const env = {
		...inheritedEnv(),
		...line.env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(serverPort),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		WEBHOOK_URL: `http://127.0.0.1:${serverPort}/`,
		...Object.fromEntries(Object.entries(extraEnv).map(([k, v]) => [k, String(v)])),
	};
	const ctx = {
		line,
		env,
		workDir,
		port: serverPort,
		baseUrl: `http://127.0.0.1:${serverPort}`,
		log: '', // everything n8n printed: all CLI calls and the server
		server: null, // spawnGroup's { child, done } + exited
		cookie: null,
		owner: null,
		disposed: false,
		append: (tag) => (_stream, chunk) => {
			ctx.log += chunk;
			if (echo) process.stderr.write(chunk.replace(/^(?=.)/gm, `[n8n ${line.version} ${tag}] `));
		},
	};
	const server = serverMethods(ctx);
	return {
		version: line.version,
		line,
		userFolder,
		port: serverPort,
		brokerPort,
		baseUrl: ctx.baseUrl,
		env,
		packages,
		...cliMethods(ctx),
		...server,
		...restMethods(ctx),
		/** start() → /healthz/readiness answered 200, and → fully up (ms). */
		get readyMs() {
			return ctx.readyMs;
		},
		get startMs() {
			return ctx.startMs;
		},
		get running() {
			return !!ctx.server && !ctx.server.exited;
		},
		/** The owner from setupOwner(), or null. */
		get owner() {
			return ctx.owner;
		},
		/** Everything n8n printed so far (all CLI calls and the server), for leak checks. */
		logText: () => ctx.log,
		/** stop() and remove the user folder (kept when N8N_E2E_KEEP=1). */
		async dispose() {
			if (ctx.disposed) return;
			await server.stop();
			ctx.disposed = true;
			await removeUserFolder(userFolder, { keep: process.env.N8N_E2E_KEEP === '1' });
		},
	};
}

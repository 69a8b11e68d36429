// Child processes that cannot outlive us: every process we start (n8n, its workers, PostgreSQL,
// Redis) runs in its own process group; the group is SIGKILLed when its leader exits, on timeout, on
// our exit or signals, and (through a detached watchdog reading our stdin pipe) even when this
// process is SIGKILLed. Temp folders tracked here are removed the same way.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

// Process-group leaders we started that are still alive, and folders not yet removed.
const live = { pid: new Set(), dir: new Set() };

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {}
}

// Kill the groups, remove the folders (kept when N8N_E2E_KEEP=1). Runs here on exit and, as source
// text, in the reaper: it may use only globals and rmSync.
function reap(groups, dirs) {
	for (const pid of groups) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {}
	}
	for (const dir of process.env.N8N_E2E_KEEP === '1' ? [] : dirs) {
		try {
			rmSync(dir, { recursive: true, force: true });
		} catch {}
	}
	groups.clear();
	dirs.clear();
}

// A detached watchdog that outlives us: it learns about groups/folders over its stdin and, when
// that pipe closes (we exited, crashed or were SIGKILLed, e.g. by a test runner), reaps them.
// Covers what 'exit'/signal handlers cannot.
const REAPER_SRC = `
const { rmSync } = require('node:fs');
${reap}
const live = { pid: new Set(), dir: new Set() };
require('node:readline')
	.createInterface({ input: process.stdin })
	.on('line', (line) => {
		const [op, kind, ...rest] = line.split(' ');
		const value = kind === 'pid' ? Number(rest[0]) : rest.join(' ');
		op === 'add' ? live[kind].add(value) : live[kind].delete(value);
	})
	.on('close', done);
function done() {
	reap(live.pid, live.dir);
	process.exit(0);
}
process.stdin.on('error', done);
process.on('SIGHUP', () => {});
process.on('SIGINT', () => {});
`;
let reaper = null;
function tellReaper(line) {
	if (process.env.N8N_E2E_NO_REAPER === '1') return;
	try {
		if (!reaper) {
			reaper = spawn(process.execPath, ['-e', REAPER_SRC], {
				detached: true,
				stdio: ['pipe', 'ignore', 'ignore'],
			});
			reaper.on('error', () => (reaper = null));
			reaper.unref();
			reaper.stdin.on('error', () => {});
			reaper.stdin.unref?.();
		}
		reaper.stdin.write(line + '\n');
	} catch {
		/* best effort */
	}
}

let exitHooksInstalled = false;
function installExitHooks() {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	const cleanup = () => reap(live.pid, live.dir);
	process.on('exit', cleanup);
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		const onSignal = () => {
			cleanup();
			process.removeListener(sig, onSignal);
			// Re-raise so the default behaviour (or other listeners) still apply.
			if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
		};
		process.on(sig, onSignal);
	}
}

function track(kind, value, alive) {
	installExitHooks();
	alive ? live[kind].add(value) : live[kind].delete(value);
	tellReaper(`${alive ? 'add' : 'del'} ${kind} ${value}`);
}

/** Remove `dir` on our exit, crash or SIGKILL (alive = true) or no longer (false). */
export const trackFolder = (dir, alive) => track('dir', dir, alive);

/**
 * Spawn a command in its own process group. Returns { child, done } where done resolves to
 * { code, signal, stdout, stderr, ms, timedOut } and never rejects. On timeout the whole group gets
 * SIGTERM, then SIGKILL 5 s later.
 */
export function spawnGroup(cmd, args, { env, cwd, uid, gid, timeoutMs, onData } = {}) {
	const t0 = Date.now();
	const child = spawn(cmd, args, {
		env,
		cwd,
		uid,
		gid,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (child.pid) track('pid', child.pid, true);
	const out = { stdout: '', stderr: '' };
	for (const stream of ['stdout', 'stderr']) {
		child[stream].setEncoding('utf8').on('data', (d) => {
			out[stream] += d;
			onData?.(stream, d);
		});
	}
	let timedOut = false;
	let killTimer;
	const onTimeout = () => {
		timedOut = true;
		killGroup(child.pid, 'SIGTERM');
		killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000).unref();
	};
	const timer = timeoutMs > 0 ? setTimeout(onTimeout, timeoutMs).unref() : undefined;
	const done = new Promise((resolve) => {
		let settled = false;
		const finish = (code, signal) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			clearTimeout(killTimer);
			// The leader is gone; make sure nothing it started (task runner) outlives it.
			killGroup(child.pid, 'SIGKILL');
			track('pid', child.pid, false);
			resolve({ code, signal, ...out, ms: Date.now() - t0, timedOut });
		};
		child.on('error', (err) => {
			out.stderr += `\n[spawn error] ${err.message}\n`;
			finish(null, null);
		});
		// When the leader exits, kill what is left of its group (a task runner holding our pipes would
		// otherwise delay 'close' forever), then resolve on 'close' with all output read.
		child.on('exit', () => killGroup(child.pid, 'SIGKILL'));
		child.on('close', finish);
	});
	return { child, done };
}

/**
 * Signal a group's leader (n8n stops its own task runner), wait up to timeoutMs, then SIGKILL the
 * group. `proc`: what spawnGroup returned. Resolves to { code, signal, ms, forced }.
 */
export async function stopGroup({ child, done }, { signal = 'SIGTERM', timeoutMs = 60_000 } = {}) {
	const t0 = Date.now();
	try {
		process.kill(child.pid, signal);
	} catch {}
	const timeout = (ms) => delay(ms, null, { ref: false });
	let result = await Promise.race([done, timeout(timeoutMs)]);
	const forced = !result;
	if (forced) {
		killGroup(child.pid, 'SIGKILL');
		result = await Promise.race([done, timeout(5000)]);
	}
	return {
		code: result?.code ?? null,
		signal: result?.signal ?? null,
		ms: Date.now() - t0,
		forced,
	};
}

/**
 * A long-running process (PostgreSQL, redis-server, an n8n worker or webhook process): spawnGroup's,
 * with all its output kept as one text, a wait for a log line and stop() by signal.
 * @returns {{ name, pid, log(): string, exited: object|null, done: Promise, waitForLog, stop }}
 */
export function startProcess({ name, cmd, args = [], env, cwd, uid, gid, echo = false }) {
	let text = '';
	const group = spawnGroup(cmd, args, {
		env,
		cwd,
		uid,
		gid,
		onData: (_stream, chunk) => {
			text += chunk;
			if (echo) process.stderr.write(chunk.replace(/^(?=.)/gm, `[${name}] `));
		},
	});
	const proc = {
		name,
		pid: group.child.pid,
		exited: null,
		log: () => text,
		done: group.done.then((r) => (proc.exited = r)),
		/** Resolves once `pattern` (a string or RegExp) is in the output; rejects on exit or timeout. */
		async waitForLog(pattern, { timeoutMs = 120_000 } = {}) {
			const deadline = Date.now() + timeoutMs;
			const seen = () =>
				typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
			while (!seen()) {
				if (proc.exited || Date.now() > deadline) {
					const why = proc.exited
						? `exited (${proc.exited.code ?? proc.exited.signal}) before logging`
						: 'logged no';
					throw new Error(`${name} ${why} ${pattern} in ${timeoutMs} ms\n${text.slice(-3000)}`);
				}
				await delay(100);
			}
		},
		async stop(options) {
			if (proc.exited)
				return { code: proc.exited.code, signal: proc.exited.signal, ms: 0, forced: false };
			return await stopGroup(group, options);
		},
	};
	return proc;
}

/** Peak resident memory of a live process (the kernel's VmHWM), in kB, or null. */
export async function peakRssKb(pid) {
	const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
	const m = /^VmHWM:\s+(\d+) kB/m.exec(status);
	return m ? Number(m[1]) : null;
}

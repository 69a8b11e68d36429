// Child processes that cannot outlive us: every process we start (n8n, its workers, PostgreSQL,
// Redis) runs in its own process group; the group is SIGKILLed when its leader exits, on timeout, on
// our exit or signals, and (through a detached watchdog reading our stdin pipe) even when this
// process is SIGKILLed. Temp folders tracked here are removed the same way.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

const liveGroups = new Set(); // pids of process-group leaders we started and that are still alive
const liveFolders = new Set(); // user folders of instances not yet disposed

export function killGroup(pid, signal) {
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
			reaper = spawn(process.execPath, ['-e', REAPER_SRC], {
				detached: true,
				stdio: ['pipe', 'ignore', 'ignore'],
			});
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
export function trackFolder(dir, alive) {
	alive ? liveFolders.add(dir) : liveFolders.delete(dir);
	tellReaper(`${alive ? 'add' : 'del'} dir ${dir}`);
}

let exitHooksInstalled = false;
export function installExitHooks() {
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
export function spawnGroup(cmd, args, { env, cwd, uid, gid, timeoutMs, onData } = {}) {
	installExitHooks();
	const t0 = Date.now();
	const child = spawn(cmd, args, {
		env,
		cwd,
		uid,
		gid,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
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

// Long-running processes of a queue-mode cluster (postgres, redis-server, n8n worker / webhook):
// each in its own process group, its output kept, waitable for a log line, stoppable by signal
// with the exit code and the time it took. Groups still alive when this process exits are killed.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

const live = new Set();
const dirs = new Set(); // temp folders (database, Redis, shared storage) to remove if we die early
process.on('exit', () => killAllSync());

/** Remember (alive = true) or forget a temp folder that killAllSync() must remove. */
export function trackDir(dir, alive = true) {
	alive ? dirs.add(dir) : dirs.delete(dir);
}

/** Kill every group still running and remove tracked folders (for a signal handler that exits right after). */
export function killAllSync() {
	for (const pid of live) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {}
	}
	live.clear();
	for (const dir of dirs) {
		try {
			rmSync(dir, { recursive: true, force: true });
		} catch {}
	}
	dirs.clear();
}

/**
 * @returns {{ name, pid, log(): string, exited: object|null, done: Promise, waitForLog, kill, stop }}
 */
export function startProcess({ name, cmd, args = [], env, cwd, uid, gid, echo = false }) {
	const t0 = Date.now();
	const child = spawn(cmd, args, {
		env,
		cwd,
		uid,
		gid,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let text = '';
	const onData = (chunk) => {
		text += chunk;
		if (echo) process.stderr.write(chunk.replace(/^(?=.)/gm, `[${name}] `));
	};
	child.stdout.setEncoding('utf8').on('data', onData);
	child.stderr.setEncoding('utf8').on('data', onData);
	if (child.pid) live.add(child.pid);
	const proc = {
		name,
		pid: child.pid,
		startedAt: t0,
		exited: null,
		log: () => text,
		done: null,
		/** Resolves with the index after the first match of `pattern` at or after `from`; rejects on exit or timeout. */
		async waitForLog(pattern, { timeoutMs = 120_000, from = 0 } = {}) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const rest = text.slice(from);
				const m = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
				if (m !== -1) return from + m;
				if (proc.exited)
					throw new Error(
						`${name} exited (${proc.exited.code ?? proc.exited.signal}) before logging ${pattern}\n${text.slice(-3000)}`,
					);
				if (Date.now() > deadline)
					throw new Error(`${name}: no ${pattern} after ${timeoutMs} ms\n${text.slice(-3000)}`);
				await delay(100);
			}
		},
		/** Send a signal to the leader only (n8n stops its own task runner). */
		kill(signal = 'SIGTERM') {
			try {
				process.kill(child.pid, signal);
				return true;
			} catch {
				return false;
			}
		},
		/** Signal the leader, wait up to timeoutMs, then SIGKILL the group: { code, signal, ms }. */
		async stop({ signal = 'SIGTERM', timeoutMs = 60_000 } = {}) {
			if (proc.exited) return proc.exited;
			const t = Date.now();
			proc.kill(signal);
			const r = await Promise.race([proc.done, delay(timeoutMs, null, { ref: false })]);
			if (!r) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {}
				await proc.done;
			}
			return { ...proc.exited, ms: Date.now() - t, forced: !r };
		},
	};
	proc.done = new Promise((resolve) => {
		child.on('error', (err) => {
			text += `\n[spawn error] ${err.message}\n`;
			proc.exited ??= { code: null, signal: null, at: Date.now() };
			live.delete(child.pid);
			resolve(proc.exited);
		});
		child.on('exit', (code, signal) => {
			proc.exited = { code, signal, at: Date.now() };
			// The leader is gone: nothing it started (a task runner) may outlive it.
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {}
			live.delete(child.pid);
		});
		child.on('close', () => resolve(proc.exited));
	});
	return proc;
}

/** Peak resident memory of a live process (kernel's VmHWM), in kB, or null. */
export async function peakRssKb(pid) {
	const { readFile } = await import('node:fs/promises');
	try {
		const status = await readFile(`/proc/${pid}/status`, 'utf8');
		const m = /^VmHWM:\s+(\d+) kB/m.exec(status);
		return m ? Number(m[1]) : null;
	} catch {
		return null;
	}
}

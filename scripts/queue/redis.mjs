// A throwaway Redis for n8n queue mode: Debian's redis-server and redis-cli (installed when
// missing), a free 127.0.0.1 port, data in a temp folder, no persistence except an explicit SAVE (uncompressed, so
// the dump can be searched for a secret), stopped and removed by stop().
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freePort } from '../n8n/lib.mjs';
import { ensureCommand } from './apt.mjs';
import { startProcess, trackFolder } from '../n8n/processes.mjs';

const run = promisify(execFile);

/** One command through redis-cli: its reply as text (a list: one element a line). */
async function redisCommand(cli, port, ...args) {
	const { stdout } = await run(cli, ['-h', '127.0.0.1', '-p', String(port), ...args], {
		timeout: 30_000,
		maxBuffer: 64 * 1024 * 1024,
	});
	if (/^(ERR|WRONGTYPE|NOAUTH) /.test(stdout)) throw new Error(stdout.trim());
	return stdout;
}

export async function startRedis({ echo = false } = {}) {
	const server = ensureCommand('redis-server', 'redis-server');
	const root = await mkdtemp(path.join(tmpdir(), 'n8n-queue-redis-'));
	trackFolder(root, true);
	const port = await freePort();
	const proc = startProcess({
		name: 'redis',
		cmd: server,
		// No persistence but an explicit SAVE, uncompressed: the dump can be searched for a secret.
		args: Object.entries({
			port,
			bind: '127.0.0.1',
			dir: root,
			save: '',
			appendonly: 'no',
			rdbcompression: 'no',
			dbfilename: 'dump.rdb',
			daemonize: 'no',
		}).flatMap(([key, value]) => [`--${key}`, String(value)]),
		cwd: root,
		echo,
	});
	try {
		await proc.waitForLog('Ready to accept connections', { timeoutMs: 30_000 });
	} catch (err) {
		await proc.stop({ signal: 'SIGKILL' });
		await rm(root, { recursive: true, force: true });
		throw err;
	}
	const cli = ensureCommand('redis-cli', 'redis-tools');
	const command = (...args) => redisCommand(cli, port, ...args);
	return {
		port,
		proc,
		command,
		version: (await command('INFO', 'server')).match(/redis_version:(\S+)/)?.[1],
		/** Every key and value as Redis itself writes them: SAVE, then the uncompressed dump's bytes. */
		async dump() {
			await command('SAVE');
			return await readFile(path.join(root, 'dump.rdb'));
		},
		async stop() {
			await proc.stop({ signal: 'SIGTERM', timeoutMs: 10_000 });
			await rm(root, { recursive: true, force: true });
			trackFolder(root, false);
		},
	};
}

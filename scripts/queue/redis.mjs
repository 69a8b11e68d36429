// A throwaway Redis for n8n queue mode: Debian's redis-server (installed when missing), a free
// 127.0.0.1 port, data in a temp folder, no persistence except an explicit SAVE (uncompressed, so
// the dump can be searched for a secret), stopped and removed by stop().
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from '../n8n/lib.mjs';
import { ensureCommand } from './apt.mjs';
import { startProcess, trackFolder } from '../n8n/processes.mjs';

/** One command over RESP; resolves with the decoded reply (arrays, strings, integers). */
function redisCommand(port, ...args) {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1');
		const chunks = [];
		socket.setTimeout(30_000, () => socket.destroy(new Error('redis timeout')));
		socket.on('error', reject);
		socket.on('connect', () => {
			socket.write(
				`*${args.length}\r\n` +
					args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join(''),
			);
		});
		socket.on('data', (d) => {
			chunks.push(d);
			const parsed = parse(Buffer.concat(chunks), 0);
			if (parsed) {
				socket.end();
				parsed.value instanceof Error ? reject(parsed.value) : resolve(parsed.value);
			}
		});
	});
}

function parse(buf, at) {
	const eol = buf.indexOf('\r\n', at);
	if (eol === -1) return null;
	const type = String.fromCharCode(buf[at]);
	const head = buf.toString('utf8', at + 1, eol);
	const simple = { '+': () => head, '-': () => new Error(head), ':': () => Number(head) }[type];
	if (simple) return { value: simple(), end: eol + 2 };
	if (type === '$') {
		const len = Number(head);
		if (len < 0) return { value: null, end: eol + 2 };
		if (buf.length < eol + 2 + len + 2) return null;
		return { value: buf.toString('utf8', eol + 2, eol + 2 + len), end: eol + 2 + len + 2 };
	}
	if (type === '*') {
		const n = Number(head);
		const out = [];
		let pos = eol + 2;
		for (let i = 0; i < n; i++) {
			const item = parse(buf, pos);
			if (!item) return null;
			out.push(item.value);
			pos = item.end;
		}
		return { value: out, end: pos };
	}
	return { value: new Error(`unknown RESP type ${type}`), end: buf.length };
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
	const command = (...args) => redisCommand(port, ...args);
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

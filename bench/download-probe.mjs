#!/usr/bin/env node
// Where the memory of a streamed image download goes, outside n8n's workflow machinery: one
// process downloads N × 25 MiB from a loopback host (a separate process) through n8n's own
// httpRequest (encoding 'stream') + prepareBinaryData (filesystem mode), or through plain node
// http + fs.promises.writeFile, and reports its peak RSS / external / arrayBuffers
// (process.memoryUsage sampled every 10 ms) and VmHWM over its RSS before the first request.
// It loads n8n-core from the installed n8n line (.cache/n8n-<version>) and runs on that line's Node.
//
//   node bench/download-probe.mjs                     # the default table (about 1 min)
//   node bench/download-probe.mjs --path=n8n --n=20 --conc=1 --reps=3 [--v8='--max-semi-space-size=1']
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CACHE_DIR, NODE24_BIN } from '../scripts/n8n/env.mjs';
import { driverArgs, numberArg } from '../scripts/support/args.mjs';

const SELF = fileURLToPath(import.meta.url);
const IMAGE_BYTES = 25 * 1024 * 1024;
const args = driverArgs(
	{
		serve: { type: 'boolean' },
		client: { type: 'string' },
		path: { type: 'string' },
		n: { type: 'string' },
		conc: { type: 'string' },
		reps: { type: 'string' },
		v8: { type: 'string' },
		version: { type: 'string', default: '2.41.1' },
	},
	{
		usage:
			'node bench/download-probe.mjs [--path=n8n|plain] [--n=N] [--conc=C] [--reps=R] [--v8=FLAG]',
	},
);

/** The image host: every GET answers 25 MiB of image/png. Prints its port. */
function serve() {
	const body = Buffer.alloc(IMAGE_BYTES, 7);
	const server = http.createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(IMAGE_BYTES) });
		res.end(body);
	});
	server.listen(0, '127.0.0.1', () => console.log(server.address().port));
}

const statusMb = (field) =>
	Number(
		new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))[1],
	) / 1024;

/** One measured process: { path, n, conc, port, version } as JSON in --client. */
async function client({ path: via, n, conc, port, version }) {
	const url = `http://127.0.0.1:${port}/img`;
	const storage = mkdtempSync(path.join(os.tmpdir(), 'jimeng-probe-'));
	process.env.N8N_USER_FOLDER = storage;
	let one;
	if (via === 'n8n') {
		const require = createRequire(path.join(CACHE_DIR, `n8n-${version}`, 'node_modules', 'x.js'));
		const { Container } = require('@n8n/di');
		const { OutboundHttp } = require('@n8n/backend-network');
		const core = (file) => require(`n8n-core/dist/${file}`);
		const { BinaryDataService } = core('binary-data/binary-data.service.js');
		const { BinaryDataConfig } = core('binary-data/binary-data.config.js');
		const { prepareBinaryData } = core(
			'execution-engine/node-execution-context/utils/binary-helper-functions.js',
		);
		Object.assign(Container.get(BinaryDataConfig), {
			mode: 'filesystem',
			localStoragePath: storage,
		});
		await Container.get(BinaryDataService).init();
		const requests = Container.get(OutboundHttp).requests();
		let i = 0;
		one = async () => {
			const answer = await requests.request({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			});
			await prepareBinaryData(
				answer.body,
				'probe-execution',
				'probe-workflow',
				`img${i++}.png`,
				'image/png',
			);
		};
	} else {
		const { writeFile } = await import('node:fs/promises');
		let i = 0;
		one = () =>
			new Promise((resolve, reject) => {
				http
					.get(url, (res) => writeFile(path.join(storage, `img${i++}`), res).then(resolve, reject))
					.on('error', reject);
			});
	}
	const startRss = statusMb('VmRSS');
	const peak = { rss: 0, external: 0, arrayBuffers: 0 };
	const sample = () => {
		const m = process.memoryUsage();
		for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k] / 2 ** 20);
	};
	const timer = setInterval(sample, 10);
	const t0 = performance.now();
	let next = 0;
	await Promise.all(
		Array.from({ length: conc }, async () => {
			while (next < n) {
				next++;
				await one();
			}
		}),
	);
	const ms = performance.now() - t0;
	clearInterval(timer);
	sample();
	console.log(
		JSON.stringify({
			ms: Math.round(ms),
			rise: Math.round(statusMb('VmHWM') - startRss),
			external: Math.round(peak.external),
			arrayBuffers: Math.round(peak.arrayBuffers),
		}),
	);
	rmSync(storage, { recursive: true, force: true });
}

function runChild(childArgs, { onLine } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(NODE24_BIN, childArgs, { stdio: ['ignore', 'pipe', 'ignore'] });
		let out = '';
		child.stdout.on('data', (d) => {
			out += d;
			if (onLine && out.includes('\n')) onLine(out.trim(), child);
		});
		child.on('error', reject);
		child.on('exit', () => resolve(out.trim().split('\n').pop()));
	});
}

async function main() {
	let server;
	const port = await new Promise((resolve) =>
		runChild([SELF, '--serve'], {
			onLine: (line, child) => {
				server = child;
				resolve(Number(line));
			},
		}),
	);
	const table = args.path
		? [
				{
					path: args.path,
					n: numberArg(args, 'n') ?? 20,
					conc: numberArg(args, 'conc') ?? 1,
					v8: args.v8,
				},
			]
		: [
				{ path: 'plain', n: 1, conc: 1 },
				// No scavenge during the download: every buffer the http client made is still counted.
				{ path: 'plain', n: 1, conc: 1, v8: '--min-semi-space-size=64 --max-semi-space-size=64' },
				{ path: 'n8n', n: 1, conc: 1 },
				{ path: 'n8n', n: 1, conc: 1, v8: '--max-semi-space-size=1' },
				{ path: 'n8n', n: 20, conc: 1 },
				{ path: 'n8n', n: 20, conc: 2 },
				{ path: 'n8n', n: 20, conc: 20 },
			];
	const reps = numberArg(args, 'reps') ?? 2;
	console.log(`download-probe: Node ${NODE24_BIN}, n8n-core of n8n ${args.version}, 25 MiB images`);
	try {
		for (const row of table) {
			const spec = JSON.stringify({ ...row, port, version: args.version });
			const runs = [];
			for (let r = 0; r < reps; r++)
				runs.push(
					JSON.parse(await runChild([...(row.v8?.split(' ') ?? []), SELF, `--client=${spec}`])),
				);
			const list = (k) => runs.map((x) => x[k]).join('/');
			console.log(
				`${row.path.padEnd(5)} ${String(row.n).padStart(2)} images, ${String(row.conc).padStart(2)} at a time${row.v8 ? ` ${row.v8}` : ''}: ` +
					`VmHWM rise ${list('rise')} MB, peak external ${list('external')} MB, arrayBuffers ${list('arrayBuffers')} MB, ${list('ms')} ms`,
			);
		}
	} finally {
		server?.kill();
	}
}

if (args.serve) serve();
else if (args.client) await client(JSON.parse(args.client));
else await main();

#!/usr/bin/env node
// npm run demo: the text-to-image example, executed headless in a real n8n, images written to demo-output/.
//
//   npm run demo                        # against the fake Jimeng gateway
//   JIMENG_API_KEY=sk-… npm run demo    # against the real gateway (JIMENG_BASE_URL, default https://zx1.deepwl.net)
//
// The same setup as `npm start` (n8n 2.41.1 installed into .cache/ if needed, the package built, packed
// and installed as a community package, the examples and a credential imported), then
// `n8n execute` of examples/text-to-image.json; each image is read from n8n's binary storage and
// written to demo-output/<file name n8n gave it>. Prints task id, files, sizes and times; exits 0.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { readBinary } from './n8n/binary.mjs';
import { requireLine } from './n8n/ensure-installed.mjs';
import { buildAndPackRepo, REPO_ROOT } from './n8n/lib.mjs';
import { prepareSandbox, realGatewayFromEnv } from './n8n/sandbox.mjs';
import { secs } from './support/report.mjs';
import { nodeOutputItems, runErrorText } from './support/run-data.mjs';

const VERSION = '2.41.1';
const EXAMPLE = 'text-to-image';
const OUT_DIR = path.join(REPO_ROOT, 'demo-output');
const REAL = realGatewayFromEnv();

const t0 = Date.now();

/** Width × height from a PNG or JPEG header, or null. */
function dimensions(buf) {
	if (buf.length > 24 && buf.readUInt32BE(0) === 0x89504e47)
		return `${buf.readUInt32BE(16)}×${buf.readUInt32BE(20)}`;
	if (buf[0] === 0xff && buf[1] === 0xd8) {
		for (let i = 2; i + 9 < buf.length; ) {
			if (buf[i] !== 0xff) return null;
			const marker = buf[i + 1];
			const len = buf.readUInt16BE(i + 2);
			if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
				return `${buf.readUInt16BE(i + 7)}×${buf.readUInt16BE(i + 5)}`;
			}
			i += 2 + len;
		}
	}
	return null;
}

let built = null;
let sandbox = null;
let exitCode = 0;
try {
	console.log(`=== n8n ${VERSION} (scripts/n8n/install.sh; skipped when already installed)`);
	const ti = Date.now();
	await requireLine(VERSION, { label: 'demo' });
	const installMs = Date.now() - ti;

	const tb = Date.now();
	built = await buildAndPackRepo();
	const buildMs = Date.now() - tb;

	const tp = Date.now();
	sandbox = await prepareSandbox({
		version: VERSION,
		tarball: built.tarball,
		...(REAL ?? { fakeOptions: { latencyMs: 1500 } }),
	});
	const prepareMs = Date.now() - tp;
	const { instance } = sandbox;
	const example = sandbox.example(EXAMPLE);
	const jimeng = example.workflow.nodes.find((n) => n.type === 'n8n-nodes-jimeng.jimeng');
	console.log(
		`\n=== n8n execute "${example.workflow.name}" (${REAL ? `real gateway ${REAL.baseUrl}` : 'fake gateway'})\n` +
			`  prompt: ${jimeng.parameters.prompt}\n  size:   ${jimeng.parameters.size}`,
	);
	const res = await instance.execute(example.workflow.id, { timeoutMs: REAL ? 720_000 : 120_000 });
	const error = runErrorText(res.json);
	if (res.code !== 0 || !res.json?.data?.resultData || error) {
		throw new Error(
			`the workflow failed (exit ${res.code ?? res.signal}${res.timedOut ? ', timed out' : ''}): ` +
				(error || (res.stderr || res.stdout).slice(-1500)),
		);
	}
	const items = nodeOutputItems(res.json, jimeng.name);
	if (!items.length) throw new Error('the Jimeng node returned no item');

	await mkdir(OUT_DIR, { recursive: true });
	const files = [];
	for (const item of items) {
		const bin = item.binary?.data;
		if (!bin) {
			files.push({ missing: true, json: item.json });
			continue;
		}
		const bytes = await readBinary(instance, bin);
		const name = path.basename(
			bin.fileName ||
				`jimeng-${item.json.taskId}-${item.json.imageIndex ?? files.length + 1}.${bin.fileExtension || 'png'}`,
		);
		const file = path.join(OUT_DIR, name);
		await writeFile(file, bytes);
		files.push({ file, bytes: bytes.length, mimeType: bin.mimeType, dims: dimensions(bytes) });
	}

	const first = items[0].json;
	console.log(`\n=== done`);
	console.log(`  task id     ${[...new Set(items.map((i) => i.json.taskId))].join(', ')}`);
	console.log(
		`  status      ${first.status}, ${first.imageCount} image(s), node time ${secs(first.elapsedMs ?? 0)}`,
	);
	for (const f of files) {
		if (f.missing)
			console.log(`  (no image)  ${JSON.stringify(f.json.downloadError ?? f.json).slice(0, 200)}`);
		else {
			const note = REAL ? '' : ' (the fake gateway serves small stand-in images)';
			console.log(
				`  wrote       ${path.relative(REPO_ROOT, f.file)}  ${f.bytes} bytes, ${f.mimeType}${f.dims ? `, ${f.dims}` : ''}${note}`,
			);
		}
	}
	console.log(
		`  time        ${secs(Date.now() - t0)} wall (install check ${secs(installMs)}, build ${secs(buildMs)}, ` +
			`n8n setup ${secs(prepareMs)}, n8n execute ${secs(res.ms)})`,
	);
	if (files.some((f) => f.missing)) exitCode = 1;
} catch (err) {
	console.error(`\nnpm run demo failed: ${err.message}`);
	exitCode = 1;
} finally {
	await sandbox?.dispose().catch(() => {});
	if (built) await rm(built.dir, { recursive: true, force: true });
}
process.exit(exitCode);

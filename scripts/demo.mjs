#!/usr/bin/env node
// npm run demo: the text-to-image example, executed headless in a real n8n, images written to demo-output/.
//
//   npm run demo                        # against the fake Jimeng gateway
//   JIMENG_API_KEY=sk-… npm run demo    # against the real gateway (JIMENG_BASE_URL, default https://zx1.deepwl.net)
//
// The same setup as `npm start`, then `n8n execute` of examples/text-to-image.json; each image is
// read from n8n's binary storage and written to demo-output/<file name n8n gave it>.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { readBinary } from './n8n/binary.mjs';
import { REPO_ROOT } from './n8n/lib.mjs';
import { prepareSandbox, realGatewayFromEnv } from './n8n/sandbox.mjs';
import { secs } from './support/report.mjs';
import { exitText, nodeOutputItems, runErrorText } from './support/run-data.mjs';
import { lineAndPackage } from './support/serve.mjs';

const OUT_DIR = path.join(REPO_ROOT, 'demo-output');
const REAL = realGatewayFromEnv();
const t0 = Date.now();

/** Width × height from a PNG or JPEG header, or null. */
function dimensions(buf) {
	if (buf.length > 24 && buf.readUInt32BE(0) === 0x89504e47)
		return `${buf.readUInt32BE(16)}×${buf.readUInt32BE(20)}`;
	for (let i = 2; buf[0] === 0xff && buf[1] === 0xd8 && i + 9 < buf.length && buf[i] === 0xff; ) {
		const marker = buf[i + 1];
		if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
			return `${buf.readUInt16BE(i + 7)}×${buf.readUInt16BE(i + 5)}`;
		i += 2 + buf.readUInt16BE(i + 2);
	}
	return null;
}

/** `n8n execute` of the example; its Jimeng node's output items (throws when the run failed). */
async function runExample(sandbox) {
	const example = sandbox.example('text-to-image');
	const jimeng = example.workflow.nodes.find((n) => n.type === 'n8n-nodes-jimeng.jimeng');
	const gateway = REAL ? `real gateway ${REAL.baseUrl}` : 'fake gateway';
	console.log(`\n=== n8n execute "${example.workflow.name}" (${gateway})`);
	console.log(`  prompt: ${jimeng.parameters.prompt}\n  size:   ${jimeng.parameters.size}`);
	const res = await sandbox.instance.execute(example.workflow.id, {
		timeoutMs: REAL ? 720_000 : 120_000,
	});
	const error = runErrorText(res.json);
	if (res.code !== 0 || !res.json?.data?.resultData || error) {
		const how = exitText(res);
		throw new Error(
			`the workflow failed (${how}): ${error || (res.stderr || res.stdout).slice(-1500)}`,
		);
	}
	const items = nodeOutputItems(res.json, jimeng.name);
	if (!items.length) throw new Error('the Jimeng node returned no item');
	return { items, ms: res.ms };
}

/** Each item's image written to demo-output/; a line per item. Returns whether every item had one. */
async function writeImages(instance, items) {
	await mkdir(OUT_DIR, { recursive: true });
	const note = REAL ? '' : ' (the fake gateway serves small stand-in images)';
	for (const [i, { json, binary }] of items.entries()) {
		const bin = binary?.data;
		if (!bin) {
			console.log(`  (no image)  ${JSON.stringify(json.downloadError ?? json).slice(0, 200)}`);
			continue;
		}
		const bytes = await readBinary(instance, bin);
		const name =
			bin.fileName ||
			`jimeng-${json.taskId}-${json.imageIndex ?? i + 1}.${bin.fileExtension || 'png'}`;
		const file = path.join(OUT_DIR, path.basename(name));
		await writeFile(file, bytes);
		const dims = dimensions(bytes);
		console.log(
			`  wrote       ${path.relative(REPO_ROOT, file)}  ${bytes.length} bytes, ${bin.mimeType}${dims ? `, ${dims}` : ''}${note}`,
		);
	}
	return items.every((item) => item.binary?.data);
}

let sandbox = null;
let exitCode = 1;
try {
	const ti = Date.now();
	const { tarball } = await lineAndPackage('2.41.1', 'demo');
	const tp = Date.now();
	sandbox = await prepareSandbox({
		version: '2.41.1',
		tarball,
		...(REAL ?? { fakeOptions: { latencyMs: 1500 } }),
	});
	const prepareMs = Date.now() - tp;
	const { items, ms } = await runExample(sandbox);
	const first = items[0].json;
	console.log(`\n=== done`);
	console.log(`  task id     ${[...new Set(items.map((i) => i.json.taskId))].join(', ')}`);
	console.log(
		`  status      ${first.status}, ${first.imageCount} image(s), node time ${secs(first.elapsedMs ?? 0)}`,
	);
	if (await writeImages(sandbox.instance, items)) exitCode = 0;
	console.log(
		`  time        ${secs(Date.now() - t0)} wall (install check and build ${secs(tp - ti)}, n8n setup ${secs(prepareMs)}, n8n execute ${secs(ms)})`,
	);
} catch (err) {
	console.error(`\nnpm run demo failed: ${err.message}`);
} finally {
	await sandbox?.dispose().catch(() => {});
}
process.exit(exitCode);

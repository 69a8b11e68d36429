#!/usr/bin/env node
// End-to-end suite: this package inside real n8n, against the fake Jimeng gateway.
//
//   npm run test:e2e                              # 2.41.1, 2.4.8 and 1.123.x
//   npm run test:e2e -- 2.41.1                    # some lines only
//   npm run test:e2e -- --no-install --echo       # skip install.sh; mirror n8n's output
//
// 1. scripts/n8n/install.sh for the lines tested (a no-op when installed);
// 2. build + `npm pack` the repo once, the same tarball installed in every line as a community
//    package ($N8N_USER_FOLDER/.n8n/nodes/node_modules/n8n-nodes-jimeng);
// 3. per line (scripts/n8n/sandbox.mjs): a fresh n8n with the credential pointing at a fake gateway
//    with a random API key, and the examples/*.json workflows imported as users import them;
//    - CLI: `n8n execute` of every example, assertions on the Jimeng nodes' output in the run data
//      (items, statuses, pairing, error items, binary mime type, file name and bytes against what the
//      fake served) and on what the fake received (bodies, number of submits, no key on the image host);
//      the AI Agent example against the fake chat model (test/e2e/agent.mjs): the tool call, the
//      billed task, what the model received, the agent's answer, and a refused prompt;
//    - server: `n8n start`, owner setup, /types/nodes.json (node + tool variant, the description and
//      the codex as served), /types/credentials.json, POST /rest/credentials/test in every way the
//      gateway answers an unknown task and every way it cannot work (credential-test.mjs), with the
//      redacted stored data, stored executions, an image served back by n8n's binary-data endpoint;
//    - the API key appears in no execution's output or stored data, nothing n8n printed, and not in
//      plain text in the database file.
// Prints a summary per line and, last, the line `N passed, M failed`; exits 1 on any failure.

import { createHash, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';

import { buildAndPackRepo, n8nLine } from '../../scripts/n8n/lib.mjs';
import { CREDENTIAL, prepareSandbox } from '../../scripts/n8n/sandbox.mjs';
import { fetchBinaryFromServer, readBinary } from '../../scripts/n8n/binary.mjs';
import { ensureInstalled } from '../../scripts/n8n/ensure-installed.mjs';
import { driverArgs } from '../../scripts/support/args.mjs';
import { createChecks } from '../../scripts/support/checks.mjs';
import { secretInFiles } from '../../scripts/support/leaks.mjs';
import { redactor } from '../../scripts/support/redact.mjs';
import { secs } from '../../scripts/support/report.mjs';
import { nodeOutputItems, runErrorText } from '../../scripts/support/run-data.mjs';
import { AGENT_EXAMPLE, checkAgent, refusedPromptWorkflow } from './agent.mjs';
import { checkCredentialTest } from './credential-test.mjs';

const DEFAULT_LINES = ['2.41.1', '2.4.8', '1.123.x'];
const EXECUTE_TIMEOUT_MS = 120_000;
const SIZE_OPTION_COUNT = 23;

const args = driverArgs(
	{ 'no-install': { type: 'boolean' }, echo: { type: 'boolean' } },
	{ usage: 'npm run test:e2e -- [2.41.1 2.4.8 1.123.x …] [--no-install] [--echo]' },
);
const LINES = args.positionals.length ? args.positionals : DEFAULT_LINES;
const echo = !!args.echo;

const suiteStart = Date.now();
const checks = createChecks();
const summaries = []; // { line, version, runtime, passed, failed, ms, phases }

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

// ------------------------------------------------------------------------------------------------
// Reading run data
// ------------------------------------------------------------------------------------------------

/** The example's Set node JSON (prompts, references) as its jsonOutput says. */
function setNodeJson(workflow, nodeName) {
	const node = workflow.nodes.find((n) => n.name === nodeName);
	return JSON.parse(node.parameters.jsonOutput);
}

// ------------------------------------------------------------------------------------------------
// One line
// ------------------------------------------------------------------------------------------------

async function runLine(lineArg, tarball) {
	const check = checks.scoped(lineArg);
	const t0 = Date.now();
	const phases = {};
	let line;
	try {
		line = n8nLine(lineArg);
	} catch (err) {
		check('n8n installed', false, err.message);
		return { line: lineArg, version: '-', runtime: '-', ms: Date.now() - t0, phases };
	}
	const v = line.version;
	console.log(`\n=== n8n ${v} (${line.runtime} node, ${line.nodeBin})`);

	const apiKey = `sk-e2e-${randomBytes(12).toString('hex')}`;
	let sb;
	try {
		sb = await prepareSandbox({
			version: v,
			tarball,
			echo,
			fakeOptions: { apiKey, latencyMs: 300 },
			moreWorkflows: (examples) => [
				refusedPromptWorkflow(examples.find((e) => e.slug === AGENT_EXAMPLE)),
			],
		});
	} catch (err) {
		check(
			'sandbox (package installed, credential and examples imported)',
			false,
			String(err.message).slice(0, 2000),
		);
		return { line: lineArg, version: v, runtime: line.runtime, ms: Date.now() - t0, phases };
	}
	phases.prepare = Date.now() - t0;
	const { instance, fake, examples } = sb;
	const redact = redactor(apiKey);
	check(
		'sandbox: package installed as a community package, credential and examples imported',
		instance.packages.some((p) => p.name === 'n8n-nodes-jimeng') &&
			examples.length >= 6 &&
			fake.apiKey === apiKey,
		`${instance.packages.map((p) => `${p.name}@${p.version}`).join(', ')}; ${examples.length} examples; ${secs(phases.prepare)}`,
	);

	const executions = []; // every `n8n execute` result, for the leak check
	let textToImageBinary = null;

	/** Execute an example; returns { ex, res, ok, entries (fake log of this run), items(node) }. */
	async function execute(slug) {
		const ex = sb.example(slug);
		return { ex, ...(await executeWorkflow(slug, ex.workflow)) };
	}

	/** Execute an imported workflow, with the checks every run gets. */
	async function executeWorkflow(slug, workflow) {
		const from = fake.log.length;
		const res = await instance.execute(workflow.id, { timeoutMs: EXECUTE_TIMEOUT_MS });
		executions.push({ slug, res });
		const entries = fake.log.slice(from);
		const ok = check(
			`${slug}: n8n execute exits 0`,
			res.code === 0 && res.json,
			`exit ${res.code ?? res.signal}${res.timedOut ? ' (timeout)' : ''}, ${secs(res.ms)}` +
				(res.code === 0
					? ''
					: `; ${redact(runErrorText(res.json) || (res.stderr || res.stdout).slice(-1500))}`),
		);
		const problems = entries.filter((e) => e.problem).map((e) => e.problem);
		check(`${slug}: the fake saw no protocol problem`, problems.length === 0, problems.join('; '));
		const keyedImageRequests = entries.filter(
			(e) => e.server === 'image' && e.headers.authorization,
		);
		check(
			`${slug}: no request to the image host carries Authorization`,
			keyedImageRequests.length === 0,
			`${entries.filter((e) => e.server === 'image').length} image request(s)`,
		);
		return { res, ok, entries, items: (node) => nodeOutputItems(res.json, node) };
	}

	/** Assert one output item's image: binary `data`, image/png, file name, bytes = what the fake served. */
	async function checkImage(label, item, taskId, index) {
		const bin = item?.binary?.data;
		if (
			!check(
				`${label}: binary 'data' present`,
				!!bin,
				bin ? '' : `binary keys: ${Object.keys(item?.binary ?? {}).join(', ') || 'none'}`,
			)
		) {
			return null;
		}
		check(`${label}: mime type image/png`, bin.mimeType === 'image/png', bin.mimeType);
		const wantName = `jimeng-${taskId}-${index + 1}.png`;
		check(
			`${label}: file name ${wantName.replace(taskId, '<taskId>')}`,
			bin.fileName === wantName,
			bin.fileName,
		);
		let bytes = null;
		try {
			bytes = await readBinary(instance, bin);
		} catch (err) {
			check(`${label}: bytes readable from n8n's storage`, false, err.message);
			return null;
		}
		const want = fake.imageSha256For(taskId, index);
		const got = sha256(bytes);
		const where = bin.id ? bin.id.split(':')[0] : 'inline base64';
		check(
			`${label}: bytes equal what the fake served (sha256)`,
			!!want && got === want,
			`${bytes.length} B, ${where}, ${got.slice(0, 12)}…${want && got !== want ? ` ≠ ${want.slice(0, 12)}…` : ''}`,
		);
		return { bin, bytes };
	}

	const submitsOf = (entries) => entries.filter((e) => e.kind === 'submit');

	// ---------------------------------------------------------------------------------- examples
	const tEx = Date.now();
	const exampleMs = {};
	const timed = async (slug, fn) => {
		const t = Date.now();
		try {
			await fn();
		} catch (err) {
			check(
				`${slug}: no exception in the test`,
				false,
				redact(err.stack?.split('\n').slice(0, 6).join(' | ')),
			);
		}
		exampleMs[slug] = Date.now() - t;
	};

	await timed('text-to-image', async () => {
		const r = await execute('text-to-image');
		const items = r.items('Jimeng');
		check(
			'text-to-image: 1 item, status success',
			items.length === 1 && items[0].json.status === 'success',
			`${items.length} item(s), status ${items[0]?.json?.status}`,
		);
		check(
			'text-to-image: 1 submit',
			submitsOf(r.entries).length === 1,
			`${submitsOf(r.entries).length}`,
		);
		const taskId = items[0]?.json?.taskId;
		if (taskId) {
			const img = await checkImage('text-to-image', items[0], taskId, 0);
			if (img) textToImageBinary = { ...img, taskId };
		}
	});

	await timed('image-to-image', async () => {
		const r = await execute('image-to-image');
		const { references } = setNodeJson(r.ex.workflow, 'References');
		const submits = submitsOf(r.entries);
		const body = submits[0]?.body ?? {};
		check('image-to-image: 1 submit', submits.length === 1, `${submits.length}`);
		check(
			"image-to-image: submit carries the example's two image_urls",
			references.length === 2 && JSON.stringify(body.image_urls) === JSON.stringify(references),
			JSON.stringify(body.image_urls),
		);
		check(
			"image-to-image: submit carries resolution '2k' (Auto Ratio at 2K) and no width/height",
			body.resolution === '2k' && body.width === undefined && body.height === undefined,
			`resolution ${JSON.stringify(body.resolution)}, width ${body.width}, height ${body.height}`,
		);
		check(
			'image-to-image: submit carries scale 0.6 (Options → Text Influence)',
			body.scale === 0.6,
			`scale ${body.scale}`,
		);
		const items = r.items('Jimeng');
		check(
			'image-to-image: 1 item, status success',
			items.length === 1 && items[0].json.status === 'success',
			`${items.length} item(s)`,
		);
		if (items[0]?.json?.taskId)
			await checkImage('image-to-image', items[0], items[0].json.taskId, 0);
	});

	await timed('binary-reference', async () => {
		const r = await execute('binary-reference');
		const downloads = r.entries.filter((e) => e.kind === 'sample' && e.statusCode === 200);
		const links = r.entries.filter((e) => e.kind === 'upload');
		const puts = r.entries.filter((e) => e.kind === 'upload-put');
		// The only example with binary references: the one upload the fake holds.
		const upload = fake.stats().uploads.find((u) => u.uploaded);
		check(
			'binary-reference: the HTTP Request node downloaded the sample from the fake',
			downloads.length === 1,
			`${downloads.length} download(s)`,
		);
		check(
			'binary-reference: one upload link asked of the gateway with the key, for image/png, lifetime 3600 s as top-level expire',
			links.length === 1 &&
				links[0].headers.authorization === `Bearer ${apiKey}` &&
				links[0].body?.headers?.['Content-Type'] === 'image/png' &&
				links[0].body?.expire === 3600,
			`${links.length} link request(s), body ${redact(JSON.stringify(links[0]?.body ?? null))}`,
		);
		check(
			'binary-reference: one PUT of the bytes, accepted, with Content-Type image/png and a Content-Length',
			puts.length === 1 &&
				puts[0].statusCode === 200 &&
				upload?.putContentType === 'image/png' &&
				upload?.putContentLength === upload?.bytes,
			`${puts.length} PUT(s), HTTP ${puts[0]?.statusCode}, ${upload?.putContentType} ${upload?.putContentLength}/${upload?.bytes} B`,
		);
		check(
			'binary-reference: the uploaded bytes equal the downloaded file (sha256)',
			!!upload && upload.sha256 === downloads[0]?.sha256,
			`${upload?.sha256?.slice(0, 12)}… vs ${downloads[0]?.sha256?.slice(0, 12)}…`,
		);
		const keyed = r.entries.filter(
			(e) => e.server === 'image' && JSON.stringify(e.headers).includes(apiKey),
		);
		check(
			'binary-reference: the key reached no request to the upload host (no Authorization, no key anywhere in the headers)',
			keyed.length === 0 && puts.every((e) => !e.headers.authorization),
			`${keyed.length} request(s) with the key`,
		);
		const submits = submitsOf(r.entries);
		check(
			"binary-reference: one submit whose image_urls is the upload's download_url",
			submits.length === 1 &&
				JSON.stringify(submits[0].body?.image_urls) === JSON.stringify([upload?.downloadUrl]),
			`${submits.length} submit(s), image_urls ${JSON.stringify(submits[0]?.body?.image_urls)}`,
		);
		const items = r.items('Jimeng');
		check(
			'binary-reference: 1 item, status success',
			items.length === 1 && items[0].json.status === 'success',
			`${items.length} item(s), status ${items[0]?.json?.status}`,
		);
		if (items[0]?.json?.taskId)
			await checkImage('binary-reference', items[0], items[0].json.taskId, 0);
	});

	await timed('submit-then-get-task', async () => {
		const r = await execute('submit-then-get-task');
		const submitted = r.items('Jimeng Submit');
		const got = r.items('Jimeng Get Task');
		const taskId = submitted[0]?.json?.taskId;
		check(
			'submit-then-get-task: Submit gives 1 item with status submitted and a taskId',
			submitted.length === 1 && submitted[0].json.status === 'submitted' && !!taskId,
			`${submitted.length} item(s), ${JSON.stringify(submitted[0]?.json ?? {}).slice(0, 200)}`,
		);
		check('submit-then-get-task: Submit output carries no binary', !submitted[0]?.binary);
		check(
			'submit-then-get-task: Get Task returns 1 image item for the same task id, status success',
			got.length === 1 && got[0].json.taskId === taskId && got[0].json.status === 'success',
			`${got.length} item(s), taskId ${got[0]?.json?.taskId === taskId ? 'same' : got[0]?.json?.taskId}, status ${got[0]?.json?.status}`,
		);
		const submits = submitsOf(r.entries);
		check('submit-then-get-task: exactly one submit', submits.length === 1, `${submits.length}`);
		const queries = r.entries.filter((e) => e.kind === 'query');
		check(
			'submit-then-get-task: Get Task queried that task',
			queries.length >= 1 && queries.every((e) => e.taskId === taskId),
			`${queries.length} quer(ies)`,
		);
		if (taskId && got[0]) await checkImage('submit-then-get-task', got[0], taskId, 0);
	});

	await timed('group-of-images', async () => {
		const r = await execute('group-of-images');
		const submits = submitsOf(r.entries);
		check(
			'group-of-images: 1 submit with force_single: false',
			submits.length === 1 && submits[0].body?.force_single === false,
			`${submits.length} submit(s), force_single ${JSON.stringify(submits[0]?.body?.force_single)}`,
		);
		const groupSize = fake.options.groupSize;
		const items = r.items('Jimeng');
		const taskId = items[0]?.json?.taskId;
		check(
			`group-of-images: ${groupSize} items (the fake's groupSize), one task`,
			items.length === groupSize &&
				items.every((i) => i.json.taskId === taskId) &&
				items.every((i) => i.json.imageCount === groupSize),
			`${items.length} item(s), imageCount ${items[0]?.json?.imageCount}`,
		);
		const indexes = items.map((i) => i.json.imageIndex);
		check(
			`group-of-images: imageIndex 1..${groupSize} in order`,
			JSON.stringify(indexes) ===
				JSON.stringify(Array.from({ length: groupSize }, (_, i) => i + 1)),
			JSON.stringify(indexes),
		);
		check(
			'group-of-images: every item paired with input item 0',
			items.every((i) => i.pairedItem?.item === 0 || i.pairedItem === 0),
		);
		for (let i = 0; i < items.length; i++)
			await checkImage(`group-of-images item ${i + 1}`, items[i], taskId, i);
	});

	await timed('many-prompts', async () => {
		const r = await execute('many-prompts');
		const { prompts } = setNodeJson(r.ex.workflow, 'Prompts');
		const items = r.items('Jimeng');
		check(
			`many-prompts: ${prompts.length} items`,
			items.length === prompts.length,
			`${items.length}`,
		);
		const order = items.map((it, i) => it.json.prompt === prompts[i] && it.pairedItem?.item === i);
		check(
			'many-prompts: input order kept (item i has prompt i, pairedItem i)',
			order.length === prompts.length && order.every(Boolean),
			order
				.map(
					(o, i) =>
						`${i}:${o ? 'ok' : `${JSON.stringify(items[i]?.json?.prompt)?.slice(0, 30)}/${items[i]?.pairedItem?.item}`}`,
				)
				.join(' '),
		);
		const submits = submitsOf(r.entries);
		const perPrompt = prompts.map((p) => submits.filter((s) => s.prompt === p).length);
		check(
			`many-prompts: ${prompts.length} submits, one per prompt`,
			submits.length === prompts.length && perPrompt.every((n) => n === 1),
			`${submits.length} submits, per prompt ${perPrompt.join(',')}`,
		);
		const taskIds = new Set(items.map((i) => i.json.taskId));
		check(
			'many-prompts: one distinct task per item',
			taskIds.size === prompts.length,
			`${taskIds.size} task id(s)`,
		);
		for (let i = 0; i < items.length; i++) {
			const task = fake.tasks.get(items[i].json.taskId);
			check(
				`many-prompts item ${i + 1}: task created from prompt ${i + 1}`,
				task?.prompt === prompts[i],
			);
			await checkImage(`many-prompts item ${i + 1}`, items[i], items[i].json.taskId, 0);
		}
	});

	await timed('continue-on-fail', async () => {
		const r = await execute('continue-on-fail');
		const { prompts } = setNodeJson(r.ex.workflow, 'Prompts');
		const items = r.items('Jimeng');
		check('continue-on-fail: 3 items', items.length === 3, `${items.length}`);
		const [a, bad, c] = items;
		check(
			'continue-on-fail: items 1 and 3 are images for prompts 1 and 3',
			a?.json?.status === 'success' &&
				a.json.prompt === prompts[0] &&
				c?.json?.status === 'success' &&
				c.json.prompt === prompts[2],
			`${a?.json?.status}/${c?.json?.status}`,
		);
		check(
			'continue-on-fail: item 2 is an error item saying the prompt is empty, paired with input item 1',
			typeof bad?.json?.error === 'string' &&
				/prompt is empty/i.test(bad.json.error) &&
				bad.pairedItem?.item === 1 &&
				!bad.binary,
			`error ${JSON.stringify(bad?.json?.error)}, pairedItem ${JSON.stringify(bad?.pairedItem)}`,
		);
		check(
			'continue-on-fail: the error item has a description',
			typeof bad?.json?.description === 'string' && bad.json.description.length > 0,
			JSON.stringify(bad?.json?.description),
		);
		check(
			'continue-on-fail: paired items 0, 1, 2',
			items.map((i) => i.pairedItem?.item).join(',') === '0,1,2',
		);
		const submits = submitsOf(r.entries);
		check(
			'continue-on-fail: exactly 2 submits (none for the empty prompt)',
			submits.length === 2,
			`${submits.length}`,
		);
		if (a?.json?.taskId) await checkImage('continue-on-fail item 1', a, a.json.taskId, 0);
		if (c?.json?.taskId) await checkImage('continue-on-fail item 3', c, c.json.taskId, 0);
	});
	await timed(AGENT_EXAMPLE, () => checkAgent({ sb, check, run: executeWorkflow }));
	phases.examples = Date.now() - tEx;

	check(
		'every example ran (no example left untested)',
		examples.every((e) => executions.some((x) => x.slug === e.slug)),
		examples
			.filter((e) => !executions.some((x) => x.slug === e.slug))
			.map((e) => e.slug)
			.join(', '),
	);
	const leakedIn = executions.filter(({ res }) =>
		`${res.stdout}\n${res.stderr}\n${JSON.stringify(res.json)}`.includes(apiKey),
	);
	check(
		'API key in no execution stdout, stderr or run data',
		leakedIn.length === 0,
		leakedIn.map((x) => x.slug).join(', '),
	);

	// ---------------------------------------------------------------------------------- server mode
	const tSrv = Date.now();
	try {
		await instance.start();
		check(
			'server: n8n start, ready',
			instance.running,
			`readiness ${secs(instance.readyMs)}, fully up ${secs(instance.startMs)}`,
		);
		await instance.setupOwner();
		check('server: owner set up, session cookie', !!instance.owner?.cookie);

		const nodes = await instance.nodeTypes();
		const names = new Set(nodes.map((n) => n.name));
		check(
			'server: /types/nodes.json lists n8n-nodes-jimeng.jimeng',
			names.has('n8n-nodes-jimeng.jimeng'),
			`${nodes.length} node types`,
		);
		check(
			'server: /types/nodes.json lists n8n-nodes-jimeng.jimengTool (AI tool variant)',
			names.has('n8n-nodes-jimeng.jimengTool'),
		);
		// The editor's Tool Description (Set Automatically by default) starts from the node description.
		const toolProps = nodes.find((n) => n.name === 'n8n-nodes-jimeng.jimengTool')?.properties ?? [];
		const toolDescription = toolProps.find((p) => p.name === 'toolDescription');
		check(
			'server: the Jimeng Tool description n8n offers says each call is billed and what it returns',
			toolProps.find((p) => p.name === 'descriptionType')?.default === 'auto' &&
				/billed/.test(toolDescription?.default ?? '') &&
				/task ID, the image URLs .* and the size/.test(toolDescription?.default ?? ''),
			JSON.stringify(toolDescription?.default),
		);
		checkDescription(
			check,
			nodes.find((n) => n.name === 'n8n-nodes-jimeng.jimeng'),
		);

		const credTypes = await instance.credentialTypes();
		const jimengCred = credTypes.find((c) => c.name === 'jimengApi');
		check(
			'server: /types/credentials.json lists jimengApi',
			!!jimengCred,
			`${credTypes.length} credential types`,
		);
		const keyProp = jimengCred?.properties?.find((p) => p.name === 'apiKey');
		check('server: jimengApi API Key is a password field', keyProp?.typeOptions?.password === true);

		// Every way a gateway answers an unknown task (must pass), every way it cannot work (must fail
		// naming the cause), and no task created: test/e2e/credential-test.mjs.
		const credentialEntries = await checkCredentialTest({
			instance,
			fake,
			credential: CREDENTIAL,
			credentialData: sb.credentialData,
			check: (name, ok, detail) => check(`server: ${name}`, ok, detail),
			redact,
		});
		// What the editor sends for a saved, unchanged credential: the redacted data GET returns.
		const stored = await instance.rest('GET', `/credentials/${CREDENTIAL.id}?includeData=true`);
		const storedData = stored.data?.data;
		check(
			'server: GET credential does not return the key',
			stored.status === 200 && !JSON.stringify(stored.body).includes(apiKey),
			`HTTP ${stored.status}`,
		);
		const redacted = await instance.testCredential({
			...CREDENTIAL,
			type: 'jimengApi',
			data: storedData,
		});
		check(
			'server: credential test with the stored (redacted) data → OK (decrypted server-side)',
			redacted?.status === 'OK',
			redact(JSON.stringify(redacted)),
		);

		const list = await instance.listExecutions({ limit: 100 });
		check(
			`server: the ${executions.length} CLI executions are stored`,
			list.length === executions.length,
			`${list.length} stored, statuses ${[...new Set(list.map((e) => e.status))].join('/')}`,
		);
		let storedLeaks = 0;
		for (const e of list) {
			const full = await instance.getExecution(e.id);
			if (JSON.stringify(full).includes(apiKey)) storedLeaks++;
		}
		check(
			'server: API key in no stored execution (GET /rest/executions/:id)',
			storedLeaks === 0,
			`${list.length} checked`,
		);

		if (textToImageBinary?.bin?.id) {
			const served = await fetchBinaryFromServer(instance, textToImageBinary.bin);
			check(
				'server: n8n serves the text-to-image result through /rest/binary-data, same bytes',
				served.bytes.equals(textToImageBinary.bytes) &&
					/^image\/png/.test(served.contentType ?? ''),
				`${served.bytes.length} B, ${served.contentType}`,
			);
		} else if (textToImageBinary) {
			console.log(
				`  info  [${lineArg}] binaries are kept inline (memory mode) on this line: no binary-data endpoint check`,
			);
		}

		const otherProblems = fake.log.filter((e) => e.problem && !credentialEntries.includes(e));
		check(
			'server: the fake saw no problem besides the credential tests (wrong key)',
			otherProblems.length === 0,
			otherProblems.map((e) => e.problem).join('; '),
		);
	} catch (err) {
		check('server: no exception', false, redact(err.stack?.split('\n').slice(0, 8).join(' | ')));
		console.log(redact(instance.logText().slice(-3000)));
	} finally {
		await instance.stop();
		phases.server = Date.now() - tSrv;
	}

	// ---------------------------------------------------------------------------------- secrets, last
	const imageEntries = fake.log.filter((e) => e.server === 'image');
	check(
		'no request to the image host carried Authorization (whole line)',
		imageEntries.length > 0 && imageEntries.every((e) => !e.headers.authorization),
		`${imageEntries.length} image request(s)`,
	);
	const logText = instance.logText();
	check(
		"API key nowhere in n8n's log (every CLI call and the server)",
		!logText.includes(apiKey),
		`${logText.length} chars`,
	);
	const dbHits = await secretInFiles(path.join(instance.userFolder, '.n8n'), apiKey, {
		recursive: false,
		match: (name) => /^database\.sqlite/.test(name),
		utf16: true,
	});
	check(
		'API key not in plain text in the SQLite database (credential encrypted)',
		dbHits.checked > 0 && dbHits.hits.length === 0,
		`${dbHits.checked} file(s), ${dbHits.hits.map((hit) => path.basename(hit)).join(', ')}`,
	);

	await sb.dispose();
	const ms = Date.now() - t0;
	console.log(
		`--- n8n ${v}: ${secs(ms)} (prepare ${secs(phases.prepare)}, examples ${secs(phases.examples)} [${Object.entries(
			exampleMs,
		)
			.map(([k, t]) => `${k} ${secs(t)}`)
			.join(', ')}], server ${secs(phases.server)})`,
	);
	return { line: lineArg, version: v, runtime: `${line.runtime} node`, ms, phases };
}

/** The Jimeng node's description as n8n serves it. */
function checkDescription(check, desc) {
	if (!check('server: the jimeng description is served', !!desc)) return;
	const props = desc.properties ?? [];
	const prop = (name) => props.find((p) => p.name === name);
	const op = prop('operation');
	// n8n itself appends "Custom API Call" (__CUSTOM_API_CALL__) to the operations of every node whose
	// credential has a generic `authenticate` (LoadNodesAndCredentials.injectCustomApiCallOptions).
	const all = (op?.options ?? []).map((o) => o.value);
	const ops = all.filter((value) => value !== '__CUSTOM_API_CALL__').sort();
	check(
		'description: Operation with Submit and Get Task (default Submit)',
		JSON.stringify(ops) === '["getTask","submit"]' && op.default === 'submit',
		`${JSON.stringify(ops)}${all.includes('__CUSTOM_API_CALL__') ? ' + Custom API Call added by n8n' : ''}`,
	);
	const prompt = prop('prompt');
	check(
		'description: Prompt (string, required, on Submit)',
		prompt?.displayName === 'Prompt' && prompt.type === 'string' && prompt.required === true,
	);
	const size = prop('size');
	const values = (size?.options ?? []).map((o) => o.value);
	check(
		`description: Size with its ${SIZE_OPTION_COUNT} options`,
		size?.type === 'options' &&
			values.length === SIZE_OPTION_COUNT &&
			['1k-1:1', '2k-16:9', '4k-9:21', 'auto-2k', 'custom'].every((x) => values.includes(x)) &&
			values.includes(size.default),
		`${values.length} options, default ${size?.default}`,
	);
	const wait = prop('waitForCompletion');
	check(
		'description: Wait for Completion (boolean, default on)',
		wait?.displayName === 'Wait for Completion' && wait.type === 'boolean' && wait.default === true,
	);
	const options = prop('options');
	const optionNames = (options?.options ?? []).map((o) => o.name);
	check(
		'description: Options collection (Download Images, Max Concurrent Tasks, Output, …)',
		options?.type === 'collection' &&
			['downloadImages', 'maxConcurrency', 'maxRetries'].every((n) => optionNames.includes(n)),
		`${optionNames.length} options: ${optionNames.join(', ')}`,
	);
	check(
		'description: credential jimengApi, usable as a tool',
		desc.credentials?.some((c) => c.name === 'jimengApi') && desc.usableAsTool === true,
	);
	// n8n 2.41's node panel leaves AI-category nodes that are not root nodes out of search and out of
	// "Action in an app" (filterOutAiNodes, subcategorizeItems); the Tool variant is n8n's own (AI: Tools).
	const codex = desc.codex ?? {};
	check(
		'description: codex categories ["Marketing & Content"], no AI category, no subcategories',
		JSON.stringify(codex.categories) === '["Marketing & Content"]' && !codex.subcategories,
		`categories ${JSON.stringify(codex.categories)}, subcategories ${JSON.stringify(codex.subcategories ?? null)}`,
	);
	check(
		'description: codex aliases Seedream, Volcengine, image, text to image',
		['Seedream', 'Volcengine', 'image', 'text to image'].every((a) => codex.alias?.includes(a)),
		JSON.stringify(codex.alias),
	);
}

// ------------------------------------------------------------------------------------------------
// Main
// ------------------------------------------------------------------------------------------------

let installMs = 0;
if (!args['no-install']) {
	console.log(`=== scripts/n8n/install.sh ${LINES.join(' ')}`);
	const inst = await ensureInstalled(LINES, { log: (l) => console.log(`  ${l}`) });
	installMs = inst.ms;
	if (!inst.ok)
		console.log(`  install.sh exited ${inst.code}: lines that did not install will fail below`);
}

console.log('\n=== build and pack the package (once, for every line)');
let built;
try {
	const t = Date.now();
	built = await buildAndPackRepo();
	console.log(
		`  ${path.basename(built.tarball)}: build ${secs(built.buildMs)}, total ${secs(Date.now() - t)}`,
	);
} catch (err) {
	checks.scoped('build')('npm run build + npm pack', false, String(err.message).slice(0, 2000));
}

if (built) {
	for (const l of LINES) {
		let summary;
		try {
			summary = await runLine(l, built.tarball);
		} catch (err) {
			checks.scoped(l)('no exception', false, err.stack?.split('\n').slice(0, 8).join(' | '));
			summary = { line: l, version: '-', runtime: '-', ms: 0, phases: {} };
		}
		summaries.push({ ...summary, ...checks.counts(l) });
	}
	await rm(built.dir, { recursive: true, force: true });
}

const totalMs = Date.now() - suiteStart;
console.log('\n=== summary');
for (const s of summaries) {
	const p = s.phases;
	console.log(
		`  n8n ${String(s.version).padEnd(9)} ${String(s.runtime).padEnd(12)} ${s.failed ? 'FAIL' : 'PASS'}  ${String(s.passed).padStart(3)} passed, ${s.failed} failed  ` +
			`${secs(s.ms).padStart(7)} (prepare ${p.prepare ? secs(p.prepare) : '-'}, examples ${p.examples ? secs(p.examples) : '-'}, server ${p.server ? secs(p.server) : '-'})`,
	);
}
console.log(
	`  install check ${secs(installMs)}; build ${built ? secs(built.buildMs) : '-'}; total ${secs(totalMs)}`,
);
process.exit(checks.finish());

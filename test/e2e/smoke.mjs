#!/usr/bin/env node
// Smoke test of scripts/n8n/lib.mjs against every installed n8n line (run by hand):
//
//   node test/e2e/smoke.mjs [2.41.1 2.4.8 1.123 …] [--no-repo] [--echo]
//
// For each line: installs a throwaway community package (and, unless --no-repo, this repo built
// in a temp copy and packed) the way n8n installs one; CLI mode (import:credentials,
// import:workflow, execute of Set/Code/probe-node/unknown-node workflows, publish); server mode
// (start → ready, webhook of a CLI-published workflow, owner setup, /types/nodes.json and
// /types/credentials.json, POST /rest/credentials/test good/bad, REST activation of a workflow,
// executions list/get); a leak check of everything n8n printed. Prints timings and, last,
// `N passed, M failed`; exit 1 on a failure.

import http from 'node:http';
import { createRequire } from 'node:module';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import {
	REPO_ROOT,
	n8nLines,
	n8nLine,
	createInstance,
	buildAndPackRepo,
} from '../../scripts/n8n/lib.mjs';
import { driverArgs } from '../../scripts/support/args.mjs';
import { createChecks } from '../../scripts/support/checks.mjs';
import { nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { textTable } from '../../scripts/support/report.mjs';
import { makeProbePackage, PROBE_PACKAGE } from './probe-package.mjs';

const args = driverArgs(
	{ 'no-repo': { type: 'boolean' }, echo: { type: 'boolean' } },
	{ usage: 'node test/e2e/smoke.mjs [2.41.1 2.4.8 1.123 …] [--no-repo] [--echo]' },
);
const wanted = args.positionals;
const echo = !!args.echo;

const checks = createChecks();
const timings = {}; // version -> { key: ms }
function time(version, key, ms) {
	(timings[version] ??= {})[key] = ms;
}

// ------------------------------------------------------------------ probe API (credential test target)
const PROBE_KEY = `probe-secret-${randomBytes(6).toString('hex')}`;
const probeServer = http.createServer((req, res) => {
	const ok = req.headers.authorization === `Bearer ${PROBE_KEY}`;
	res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
	res.end(JSON.stringify(ok ? { ok: true, path: req.url } : { error: 'bad key' }));
});
await new Promise((r) => probeServer.listen(0, '127.0.0.1', r));
const probeUrl = `http://127.0.0.1:${probeServer.address().port}`;

// ------------------------------------------------------------------ packages
const tarballs = [await makeProbePackage()];
console.log(`probe package: ${tarballs[0]}`);
let repoPkg = null;
let fake = null;
if (!args['no-repo']) {
	try {
		const t0 = Date.now();
		const built = await buildAndPackRepo();
		repoPkg = built;
		tarballs.push(built.tarball);
		console.log(
			`repo package: ${built.tarball} (build ${built.buildMs} ms, total ${Date.now() - t0} ms)`,
		);
	} catch (err) {
		console.log(
			`repo package: NOT BUILT (${String(err.message).split('\n').slice(0, 6).join(' | ')}); probe package only`,
		);
	}
	if (repoPkg) {
		try {
			const require = createRequire(import.meta.url);
			const { startFakeJimeng } = require(path.join(REPO_ROOT, 'test/fake-jimeng/index.js'));
			fake = await startFakeJimeng({ apiKey: `fake-key-${randomBytes(6).toString('hex')}` });
			console.log(`fake jimeng: ${fake.url}`);
		} catch (err) {
			console.log(`fake jimeng: not started (${err.message})`);
		}
	}
}

// ------------------------------------------------------------------ fixtures
const CRED = {
	probeGood: {
		id: 'probeGoodCred001',
		name: 'Probe good',
		type: 'e2eProbeApi',
		data: { apiKey: PROBE_KEY, baseUrl: probeUrl },
	},
	probeBad: {
		id: 'probeBadCred0001',
		name: 'Probe bad',
		type: 'e2eProbeApi',
		data: { apiKey: 'wrong-key', baseUrl: probeUrl },
	},
	jimengGood: fake && {
		id: 'jimengGoodCred01',
		name: 'Jimeng fake',
		type: 'jimengApi',
		data: { apiKey: fake.apiKey, baseUrl: fake.url },
	},
	jimengBad: fake && {
		id: 'jimengBadCred001',
		name: 'Jimeng fake bad key',
		type: 'jimengApi',
		data: { apiKey: 'not-the-key', baseUrl: fake.url },
	},
};
const trigger = {
	id: 't',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const link = (from, to) => ({ [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } });
const setNode = (name, field, value, type = 'string') => ({
	id: randomUUID(),
	name,
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [200, 0],
	parameters: {
		assignments: { assignments: [{ id: randomUUID(), name: field, value, type }] },
		options: {},
	},
});
const webhookWorkflow = (id, hookPath) => ({
	id,
	name: `webhook ${hookPath}`,
	nodes: [
		{
			id: randomUUID(),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'lastNode', options: {} },
		},
		setNode('Reply', 'echo', '={{ $json.body.ping }}'),
	],
	connections: link('Webhook', 'Reply'),
});
const WF = {
	set: {
		id: 'smokeSetWf000001',
		name: 'smoke set',
		nodes: [trigger, setNode('Set', 'answer', '={{ 40 + 2 }}', 'number')],
		connections: link('Start', 'Set'),
	},
	code: {
		id: 'smokeCodeWf00001',
		name: 'smoke code',
		nodes: [
			trigger,
			{
				id: 'c',
				name: 'Code',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: {
					jsCode: 'return [{ json: { fromCode: [1, 2, 3].reduce((a, b) => a + b, 0) } }];',
				},
			},
		],
		connections: link('Start', 'Code'),
	},
	probe: {
		id: 'smokeProbeWf0001',
		name: 'smoke probe node',
		nodes: [
			trigger,
			{
				id: 'p',
				name: 'Probe',
				type: `${PROBE_PACKAGE}.e2eProbe`,
				typeVersion: 1,
				position: [200, 0],
				parameters: { value: 'hello', callApi: true },
				credentials: { e2eProbeApi: { id: CRED.probeGood.id, name: CRED.probeGood.name } },
			},
		],
		connections: link('Start', 'Probe'),
	},
	unknown: {
		id: 'smokeUnknownWf01',
		name: 'smoke unknown node',
		nodes: [
			trigger,
			{
				id: 'u',
				name: 'Nope',
				type: 'n8n-nodes-nope.nope',
				typeVersion: 1,
				position: [200, 0],
				parameters: {},
			},
		],
		connections: link('Start', 'Nope'),
	},
	hookCli: webhookWorkflow('smokeHookCliWf01', 'smoke-cli'),
	hookRest: webhookWorkflow('smokeHookRestWf1', 'smoke-rest'),
};

async function postJson(url, body) {
	const t0 = Date.now();
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(30_000),
	});
	const text = await res.text();
	let json = null;
	try {
		json = JSON.parse(text);
	} catch {}
	return { status: res.status, json, text, ms: Date.now() - t0 };
}

// ------------------------------------------------------------------ one line
async function smokeLine(version) {
	const v = version;
	const check = checks.scoped(v);
	const t0 = Date.now();
	const n8n = await createInstance({ version, packageTarball: tarballs, echo });
	time(v, 'createInstance', Date.now() - t0);
	try {
		check(
			`community package(s) extracted: ${n8n.packages.map((p) => p.name).join(', ')}`,
			n8n.packages.length === tarballs.length,
		);

		// CLI: credentials + workflows
		const creds = [CRED.probeGood, CRED.probeBad, CRED.jimengGood, CRED.jimengBad].filter(Boolean);
		let r = await n8n.importCredentials(creds);
		time(v, 'import:credentials', r.ms);
		check(`import:credentials (${creds.length})`, r.code === 0);
		r = await n8n.importWorkflows(Object.values(WF));
		time(v, 'import:workflow', r.ms);
		check(`import:workflow (${Object.keys(WF).length} in one file)`, r.code === 0);

		// CLI: execute
		let ex = await n8n.execute(WF.set.id);
		time(v, 'execute set', ex.ms);
		const setOut = nodeOutputItems(ex.json, 'Set')[0]?.json;
		check(
			'execute Manual Trigger → Set (expression)',
			ex.code === 0 && setOut?.answer === 42,
			`exit ${ex.code ?? ex.signal}, ${ex.ms} ms, out ${JSON.stringify(setOut)}`,
		);

		ex = await n8n.execute(WF.code.id);
		time(v, 'execute code', ex.ms);
		const codeOut = nodeOutputItems(ex.json, 'Code')[0]?.json;
		check(
			'execute Manual Trigger → Code (task runner)',
			ex.code === 0 && codeOut?.fromCode === 6,
			`exit ${ex.code ?? ex.signal}, ${ex.ms} ms, out ${JSON.stringify(codeOut)}`,
		);

		ex = await n8n.execute(WF.probe.id);
		time(v, 'execute probe', ex.ms);
		const probeOut = nodeOutputItems(ex.json, 'Probe')[0]?.json;
		check(
			`execute community node ${PROBE_PACKAGE}.e2eProbe with its credential`,
			ex.code === 0 && probeOut?.probe === true && probeOut?.api?.ok === true,
			`exit ${ex.code ?? ex.signal}, ${ex.ms} ms, out ${JSON.stringify(probeOut)}`,
		);
		if (ex.code !== 0) console.log(ex.stdout.slice(-2000), ex.stderr.slice(-2000));

		ex = await n8n.execute(WF.unknown.id);
		time(v, 'execute unknown', ex.ms);
		check(
			'execute with an unknown node type exits 1',
			ex.code === 1,
			`exit ${ex.code ?? ex.signal}, json ${ex.json ? 'parsed' : 'null'}`,
		);

		r = await n8n.publishWorkflow(WF.hookCli.id);
		time(v, 'publish (CLI)', r.ms);
		check('publish webhook workflow via CLI before start', r.code === 0);

		// Server mode
		let t = Date.now();
		await n8n.start();
		time(v, 'start → /healthz/readiness', n8n.readyMs);
		time(v, 'start → fully up (REST, webhooks)', n8n.startMs);
		check(
			'n8n start → readiness, REST and webhooks up',
			true,
			`readiness ${n8n.readyMs} ms, fully up ${n8n.startMs} ms`,
		);
		t = Date.now();
		const cliHook = await n8n.waitForWebhook('smoke-cli');
		time(v, 'ready → webhook registered', Date.now() - t);
		let hook = await postJson(cliHook, { ping: 'cli' });
		time(v, 'webhook call', hook.ms);
		check(
			'webhook of the CLI-published workflow answers',
			hook.status === 200 && hook.json?.echo === 'cli',
			`HTTP ${hook.status} ${hook.text.slice(0, 120)}, ${hook.ms} ms`,
		);

		const owner = await n8n.setupOwner();
		check('POST /rest/owner/setup → n8n-auth cookie', owner.cookie.startsWith('n8n-auth='));

		t = Date.now();
		const nodes = await n8n.nodeTypes();
		time(v, 'GET /types/nodes.json', Date.now() - t);
		const names = new Set(nodes.map((n) => n.name));
		const wantNodes = [
			`${PROBE_PACKAGE}.e2eProbe`,
			`${PROBE_PACKAGE}.e2eProbeTool`,
			'n8n-nodes-base.set',
		];
		if (repoPkg) wantNodes.push('n8n-nodes-jimeng.jimeng', 'n8n-nodes-jimeng.jimengTool');
		for (const name of wantNodes)
			check(
				`/types/nodes.json lists ${name}`,
				names.has(name),
				`${nodes.length} node descriptions`,
			);

		const credTypes = await n8n.credentialTypes();
		const credNames = new Set(credTypes.map((c) => c.name));
		const wantCreds = ['e2eProbeApi', ...(repoPkg ? ['jimengApi'] : [])];
		for (const name of wantCreds)
			check(
				`/types/credentials.json lists ${name}`,
				credNames.has(name),
				`${credTypes.length} credential types`,
			);

		// POST /rest/credentials/test  { credentials: { id, name, type, data } }
		let ct = await n8n.testCredential(CRED.probeGood);
		check('credentials/test probe good key → OK', ct?.status === 'OK', JSON.stringify(ct));
		ct = await n8n.testCredential(CRED.probeBad);
		check('credentials/test probe bad key → Error', ct?.status === 'Error', JSON.stringify(ct));
		// Stored id + data without the secret: what the editor sends for an unchanged saved credential.
		const stored = await n8n.rest('GET', `/credentials/${CRED.probeGood.id}?includeData=true`);
		ct = await n8n.testCredential({ ...CRED.probeGood, data: stored.data?.data });
		check(
			'credentials/test with the redacted data GET returns → OK (unredacted server-side)',
			ct?.status === 'OK',
			`${JSON.stringify(stored.data?.data)} → ${JSON.stringify(ct)}`,
		);
		if (CRED.jimengGood) {
			ct = await n8n.testCredential(CRED.jimengGood);
			check(
				'credentials/test jimengApi vs fake gateway, good key → OK',
				ct?.status === 'OK',
				JSON.stringify(ct),
			);
			ct = await n8n.testCredential(CRED.jimengBad);
			check(
				'credentials/test jimengApi vs fake gateway, bad key → Error',
				ct?.status === 'Error',
				JSON.stringify(ct),
			);
		}

		// REST activation (publish) of a workflow on the running server
		t = Date.now();
		const act = await n8n.activateWorkflow(WF.hookRest.id);
		const restHook = await n8n.waitForWebhook('smoke-rest');
		time(v, 'REST activate → webhook registered', Date.now() - t);
		hook = await postJson(restHook, { ping: 'rest' });
		check(
			'POST /rest/workflows/:id/activate {versionId} → webhook answers',
			hook.status === 200 && hook.json?.echo === 'rest',
			`active=${act?.active} activeVersionId=${act?.activeVersionId ?? '-'} HTTP ${hook.status}`,
		);

		// Executions list/get (CLI executions are stored too)
		const list = await n8n.listExecutions({ workflowId: WF.probe.id });
		check(
			'GET /rest/executions?filter={"workflowId"} lists the CLI run',
			list.length >= 1,
			`${list.length} run(s), status ${list[0]?.status}, mode ${list[0]?.mode}`,
		);
		if (list[0]) {
			const exec = await n8n.getExecution(list[0].id);
			const out = nodeOutputItems(exec, 'Probe')[0]?.json;
			check(
				'GET /rest/executions/:id → run data (flatted) parsed',
				out?.probe === true,
				JSON.stringify(out),
			);
		}
		const hookRuns = await n8n.listExecutions({ workflowId: WF.hookRest.id });
		check(
			'webhook run appears in executions',
			hookRuns.length >= 1,
			`${hookRuns.length} run(s), mode ${hookRuns[0]?.mode}`,
		);

		// Leak check
		const text = n8n.logText();
		check(
			'no secret in anything n8n printed',
			!text.includes(PROBE_KEY) && !(fake && text.includes(fake.apiKey)),
			`${text.length} chars of output`,
		);

		t = Date.now();
		await n8n.stop();
		time(v, 'stop', Date.now() - t);
		check('stop()', !n8n.running, `${Date.now() - t} ms`);
	} catch (err) {
		check('no exception', false, err.stack?.split('\n').slice(0, 8).join('\n'));
		console.log(n8n.logText().slice(-5000));
	} finally {
		await n8n.dispose();
	}
}

// ------------------------------------------------------------------ main
const lines = wanted.length ? wanted.map((w) => n8nLine(w)) : n8nLines();
if (!lines.length) {
	console.error('No n8n installed; run scripts/n8n/install.sh');
	process.exit(2);
}
try {
	for (const line of lines) {
		console.log(`\n=== n8n ${line.version} (${line.runtime} node ${line.nodeBin})`);
		await smokeLine(line.version);
	}
} finally {
	probeServer.close();
	await fake?.close();
	if (repoPkg) await rm(repoPkg.dir, { recursive: true, force: true });
	await rm(path.resolve(tarballs[0], '../..'), { recursive: true, force: true });
}

console.log('\n=== timings (ms)');
const steps = [...new Set(Object.values(timings).flatMap((t) => Object.keys(t)))];
const versions = Object.keys(timings);
console.log(
	textTable([
		['step', ...versions],
		...steps.map((k) => [k, ...versions.map((v) => String(timings[v][k] ?? '-'))]),
	]),
);
process.exit(checks.finish());

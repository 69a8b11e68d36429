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
// executions list/get); a leak check of everything n8n printed. Each is an entry of LINE_STEPS.
// Prints timings and, last, `N passed, M failed`; exit 1 on a failure.
import http from 'node:http';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { rm } from 'node:fs/promises';

import { n8nLines, n8nLine, createInstance, buildAndPackRepo } from '../../scripts/n8n/lib.mjs';
import { driverArgs } from '../../scripts/support/args.mjs';
import { createChecks } from '../../scripts/support/checks.mjs';
import { textTable } from '../../scripts/support/report.mjs';
import { nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { errorText, runScenarios, verdict } from '../../scripts/support/scenarios.mjs';
import { chain, node, webhookNode } from '../../scripts/support/workflows.mjs';
import { makeProbePackage, PROBE_PACKAGE } from './probe-package.mjs';

const require = createRequire(import.meta.url);
const { startFakeJimeng } = require('../fake-jimeng');

const args = driverArgs(
	{ 'no-repo': { type: 'boolean' }, echo: { type: 'boolean' } },
	{ usage: 'node test/e2e/smoke.mjs [2.41.1 2.4.8 1.123 …] [--no-repo] [--echo]' },
);
const checks = createChecks();

// ------------------------------------------------------------------ workflows
const trigger = () => node('Start', 'n8n-nodes-base.manualTrigger', 1, {}, [0, 0]);
const setNode = (name, field, value, type = 'string') =>
	node(
		name,
		'n8n-nodes-base.set',
		3.4,
		{
			assignments: { assignments: [{ id: `${name}-${field}`, name: field, value, type }] },
			options: {},
		},
		[200, 0],
	);
/** Manual Trigger → `second`. */
const triggered = (id, name, second) => ({
	id,
	name,
	nodes: [trigger(), second],
	connections: chain('Start', second.name),
});
const hooked = (id, hookPath) => ({
	id,
	name: `webhook ${hookPath}`,
	nodes: [
		webhookNode('Webhook', hookPath, { responseMode: 'lastNode' }),
		setNode('Reply', 'echo', '={{ $json.body.ping }}'),
	],
	connections: chain('Webhook', 'Reply'),
});
const probeNode = (credential) =>
	node('Probe', `${PROBE_PACKAGE}.e2eProbe`, 1, { value: 'hello', callApi: true }, [200, 0], {
		credentials: { e2eProbeApi: { id: credential.id, name: credential.name } },
	});
const WORKFLOWS = (cred) => ({
	set: triggered(
		'smokeSetWf000001',
		'smoke set',
		setNode('Set', 'answer', '={{ 40 + 2 }}', 'number'),
	),
	code: triggered(
		'smokeCodeWf00001',
		'smoke code',
		node(
			'Code',
			'n8n-nodes-base.code',
			2,
			{
				jsCode: 'return [{ json: { fromCode: [1, 2, 3].reduce((a, b) => a + b, 0) } }];',
			},
			[200, 0],
		),
	),
	probe: triggered('smokeProbeWf0001', 'smoke probe node', probeNode(cred.probeGood)),
	unknown: triggered(
		'smokeUnknownWf01',
		'smoke unknown node',
		node('Nope', 'n8n-nodes-nope.nope', 1, {}, [200, 0]),
	),
	hookCli: hooked('smokeHookCliWf01', 'smoke-cli'),
	hookRest: hooked('smokeHookRestWf1', 'smoke-rest'),
});

/** The credentials: the probe's against the probe API, Jimeng's against the fake (when built). */
function credentials(probe, fake) {
	const cred = (id, name, type, data) => ({ id, name, type, data });
	return {
		probeGood: cred('probeGoodCred001', 'Probe good', 'e2eProbeApi', {
			apiKey: probe.key,
			baseUrl: probe.url,
		}),
		probeBad: cred('probeBadCred0001', 'Probe bad', 'e2eProbeApi', {
			apiKey: 'wrong-key',
			baseUrl: probe.url,
		}),
		jimengGood:
			fake &&
			cred('jimengGoodCred01', 'Jimeng fake', 'jimengApi', {
				apiKey: fake.apiKey,
				baseUrl: fake.url,
			}),
		jimengBad:
			fake &&
			cred('jimengBadCred001', 'Jimeng fake bad key', 'jimengApi', {
				apiKey: 'not-the-key',
				baseUrl: fake.url,
			}),
	};
}

async function postJson(url, body) {
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
	return { status: res.status, text, json };
}

// ------------------------------------------------------------------ the steps of one line
const exit = (ex) => `exit ${ex.code ?? ex.signal}, ${ex.ms} ms`;
/** `n8n execute` of a workflow whose node `name` must output one item passing `ok`. */
const executes = (title, key, name, ok) => ({
	name: `execute ${title}`,
	act: ({ n8n, wf }) => n8n.execute(wf[key].id),
	assert(ex) {
		const out = nodeOutputItems(ex.json, name)[0]?.json;
		if (ex.code !== 0) console.log(ex.stdout.slice(-2000), ex.stderr.slice(-2000));
		return verdict(ex.code === 0 && ok(out), `${exit(ex)}, out ${JSON.stringify(out)}`);
	},
});
const credentialTest = (name, key, status, data = (ctx) => ctx.cred[key]) => ({
	name,
	when: (ctx) => !!ctx.cred[key],
	act: async (ctx) => ctx.n8n.testCredential(await data(ctx)),
	assert: (ct) => verdict(ct?.status === status, JSON.stringify(ct)),
});
const lists = (what, get, want) => ({
	name: what,
	act: (ctx) => get(ctx.n8n),
	assert: [
		{
			each: (all, ctx) => want(ctx).map((name) => ({ name, all })),
			assert: [
				{
					name: (r) => `${what} lists ${r.name}`,
					ok: (r) => r.all.some((t) => t.name === r.name),
					evidence: (r) =>
						`${r.all.length} ${what === '/types/nodes.json' ? 'node descriptions' : 'credential types'}`,
				},
			],
		},
	],
});

const LINE_STEPS = [
	{
		name: ({ n8n }) =>
			`community package(s) extracted: ${n8n.packages.map((p) => p.name).join(', ')}`,
		act: ({ n8n, tarballs }) =>
			verdict(
				n8n.packages.length === tarballs.length,
				`${n8n.packages.length} of ${tarballs.length}`,
			),
	},
	{
		name: ({ cred }) => `import:credentials (${Object.values(cred).filter(Boolean).length})`,
		gate: true,
		act: ({ n8n, cred }) => n8n.importCredentials(Object.values(cred).filter(Boolean)),
	},
	{
		name: ({ wf }) => `import:workflow (${Object.keys(wf).length} in one file)`,
		gate: true,
		act: ({ n8n, wf }) => n8n.importWorkflows(Object.values(wf)),
	},
	executes('Manual Trigger → Set (expression)', 'set', 'Set', (out) => out?.answer === 42),
	executes('Manual Trigger → Code (task runner)', 'code', 'Code', (out) => out?.fromCode === 6),
	executes(
		`community node ${PROBE_PACKAGE}.e2eProbe with its credential`,
		'probe',
		'Probe',
		(out) => out?.probe === true && out?.api?.ok === true,
	),
	{
		name: 'execute with an unknown node type exits 1',
		act: ({ n8n, wf }) => n8n.execute(wf.unknown.id),
		assert: (ex) => verdict(ex.code === 1, `${exit(ex)}, json ${ex.json ? 'parsed' : 'null'}`),
	},
	{
		name: 'publish webhook workflow via CLI before start',
		act: ({ n8n, wf }) => n8n.publishWorkflow(wf.hookCli.id),
	},
	{
		name: 'n8n start → readiness, REST and webhooks up',
		gate: true,
		act: ({ n8n }) => n8n.start(),
		assert: (_url, { n8n }) => `readiness ${n8n.readyMs} ms, fully up ${n8n.startMs} ms`,
	},
	{
		name: 'webhook of the CLI-published workflow answers',
		act: async ({ n8n }) => postJson(await n8n.waitForWebhook('smoke-cli'), { ping: 'cli' }),
		assert: (hook) =>
			verdict(
				hook.status === 200 && hook.json?.echo === 'cli',
				`HTTP ${hook.status} ${hook.text.slice(0, 120)}`,
			),
	},
	{
		name: 'POST /rest/owner/setup → n8n-auth cookie',
		gate: true,
		act: ({ n8n }) => n8n.setupOwner(),
		assert: (owner) =>
			verdict(owner.cookie?.startsWith('n8n-auth='), `cookie ${owner.cookie?.split('=')[0]}`),
	},
	lists(
		'/types/nodes.json',
		(n8n) => n8n.nodeTypes(),
		({ repo }) => [
			`${PROBE_PACKAGE}.e2eProbe`,
			`${PROBE_PACKAGE}.e2eProbeTool`,
			'n8n-nodes-base.set',
			...(repo ? ['n8n-nodes-jimeng.jimeng', 'n8n-nodes-jimeng.jimengTool'] : []),
		],
	),
	lists(
		'/types/credentials.json',
		(n8n) => n8n.credentialTypes(),
		({ repo }) => ['e2eProbeApi', ...(repo ? ['jimengApi'] : [])],
	),
	credentialTest('credentials/test probe good key → OK', 'probeGood', 'OK'),
	credentialTest('credentials/test probe bad key → Error', 'probeBad', 'Error'),
	// Stored id + data without the secret: what the editor sends for an unchanged saved credential.
	credentialTest(
		'credentials/test with the redacted data GET returns → OK (unredacted server-side)',
		'probeGood',
		'OK',
		async ({ n8n, cred }) => {
			const stored = await n8n.rest('GET', `/credentials/${cred.probeGood.id}?includeData=true`);
			return { ...cred.probeGood, data: stored.data?.data };
		},
	),
	credentialTest('credentials/test jimengApi vs fake gateway, good key → OK', 'jimengGood', 'OK'),
	credentialTest(
		'credentials/test jimengApi vs fake gateway, bad key → Error',
		'jimengBad',
		'Error',
	),
	{
		name: 'POST /rest/workflows/:id/activate {versionId} → webhook answers',
		async act({ n8n, wf }) {
			const act = await n8n.activateWorkflow(wf.hookRest.id);
			const hook = await postJson(await n8n.waitForWebhook('smoke-rest'), { ping: 'rest' });
			return { act, hook };
		},
		assert: ({ act, hook }) =>
			verdict(
				hook.status === 200 && hook.json?.echo === 'rest',
				`active=${act?.active} activeVersionId=${act?.activeVersionId ?? '-'} HTTP ${hook.status}`,
			),
	},
	{
		name: 'GET /rest/executions?filter={"workflowId"} lists the CLI run',
		act: async (ctx) =>
			(ctx.cliRuns = await ctx.n8n.listExecutions({ workflowId: ctx.wf.probe.id })),
		assert: (list) =>
			verdict(
				list.length >= 1,
				`${list.length} run(s), status ${list[0]?.status}, mode ${list[0]?.mode}`,
			),
	},
	{
		name: 'GET /rest/executions/:id → run data (flatted) parsed',
		when: (ctx) => ctx.cliRuns?.length,
		act: async ({ n8n, cliRuns }) =>
			nodeOutputItems(await n8n.getExecution(cliRuns[0].id), 'Probe')[0]?.json,
		assert: (out) => verdict(out?.probe === true, JSON.stringify(out)),
	},
	{
		name: 'webhook run appears in executions',
		act: ({ n8n, wf }) => n8n.listExecutions({ workflowId: wf.hookRest.id }),
		assert: (runs) => verdict(runs.length >= 1, `${runs.length} run(s), mode ${runs[0]?.mode}`),
	},
	{
		name: 'no secret in anything n8n printed',
		act: ({ n8n }) => n8n.logText(),
		assert: (text, { secrets }) =>
			verdict(!secrets.some((s) => text.includes(s)), `${text.length} chars of output`),
	},
	{
		name: 'stop()',
		act: ({ n8n }) => n8n.stop(),
		assert: (_r, { n8n }) =>
			verdict(!n8n.running, n8n.running ? 'the server process is still running' : ''),
	},
];

async function smokeLine(version, shared, timings) {
	const check = checks.scoped(version);
	const n8n = await createInstance({ version, packageTarball: shared.tarballs, echo: !!args.echo });
	const results = [];
	try {
		if (!(await runScenarios(LINE_STEPS, { ...shared, n8n }, check, { results })))
			console.log(n8n.logText().slice(-5000));
	} finally {
		await n8n.dispose();
	}
	for (const r of results) (timings[r.name] ??= {})[version] = r.ms;
}

// ------------------------------------------------------------------ main
/** The probe package's API: 200 for its key, 401 otherwise (the credential test's target). */
async function startProbeApi() {
	const key = `probe-secret-${randomBytes(6).toString('hex')}`;
	const server = http.createServer((req, res) => {
		const ok = req.headers.authorization === `Bearer ${key}`;
		res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
		res.end(JSON.stringify(ok ? { ok: true, path: req.url } : { error: 'bad key' }));
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	return { key, url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** This repo built and packed, and the fake gateway its credential points at; null when not built. */
async function buildRepo() {
	try {
		const built = await buildAndPackRepo();
		console.log(`repo package: ${built.tarball} (build ${built.buildMs} ms)`);
		const fake = await startFakeJimeng({ apiKey: `fake-key-${randomBytes(6).toString('hex')}` });
		return { built, fake };
	} catch (err) {
		console.log(`repo package or fake: ${errorText(err)}; probe package only`);
		return { built: null, fake: null };
	}
}

const lines = args.positionals.length ? args.positionals.map((w) => n8nLine(w)) : n8nLines();
if (!lines.length) {
	console.error('No n8n installed; run scripts/n8n/install.sh');
	process.exit(2);
}
const probe = await startProbeApi();
const tarballs = [await makeProbePackage()];
const { built, fake } = args['no-repo'] ? {} : await buildRepo();
if (built) tarballs.push(built.tarball);
const cred = credentials(probe, fake);
const shared = {
	tarballs,
	cred,
	wf: WORKFLOWS(cred),
	repo: !!built,
	secrets: [probe.key, fake?.apiKey].filter(Boolean),
};
const timings = {};
try {
	for (const line of lines) {
		console.log(`\n=== n8n ${line.version} (${line.runtime} node ${line.nodeBin})`);
		await smokeLine(line.version, shared, timings).catch((err) =>
			checks.scoped(line.version)('no exception', false, errorText(err)),
		);
	}
} finally {
	probe.close();
	await fake?.close();
	if (built) await rm(built.dir, { recursive: true, force: true });
	await rm(path.resolve(tarballs[0], '../..'), { recursive: true, force: true });
}
const versions = lines.map((l) => l.version);
console.log('\n=== timings (ms)');
console.log(
	textTable([
		['step', ...versions],
		...Object.entries(timings).map(([k, t]) => [k, ...versions.map((v) => String(t[v] ?? '-'))]),
	]),
);
process.exit(checks.finish());

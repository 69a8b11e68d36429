#!/usr/bin/env node
// Smoke test of scripts/n8n/lib.mjs against every installed n8n line (run by hand):
//
//   node test/e2e/smoke.mjs [2.41.1 2.4.8 1.123 …] [--no-repo] [--echo]
//
// For each line: a throwaway community package (and, unless --no-repo, this repo built and packed)
// installed the way n8n installs one, then CLI mode, server mode and a leak check of everything n8n
// printed, each step an entry of LINE_STEPS. Prints timings and, last, `N passed, M failed`.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { rm } from 'node:fs/promises';

import { n8nLines, n8nLine, createInstance, buildAndPackRepo } from '../../scripts/n8n/lib.mjs';
import { driverArgs } from '../../scripts/support/args.mjs';
import { createChecks } from '../../scripts/support/checks.mjs';
import { textTable } from '../../scripts/support/report.mjs';
import { nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { errorText, runScenarios, verdict } from '../../scripts/support/scenarios.mjs';
import { chain, node, webhookNode, workflowId } from '../../scripts/support/workflows.mjs';
import { startFakeJimeng } from '../fake-jimeng/index.js';
import { lists } from './assertions.mjs';
import { startLoopbackServer } from './loopback-server.mjs';
import { makeProbePackage, PROBE_PACKAGE } from './probe-package.mjs';

const args = driverArgs(
	{ 'no-repo': { type: 'boolean' }, echo: { type: 'boolean' } },
	{ usage: 'node test/e2e/smoke.mjs [2.41.1 2.4.8 1.123 …] [--no-repo] [--echo]' },
);
const checks = createChecks();

const setNode = (name, field, value, type = 'string') => {
	const assignments = { assignments: [{ id: `${name}-${field}`, name: field, value, type }] };
	return node(name, 'n8n-nodes-base.set', 3.4, { assignments, options: {} }, [200, 0]);
};
const trigger = () => node('Start', 'n8n-nodes-base.manualTrigger', 1, {}, [0, 0]);
const echoHook = (hookPath) => [
	webhookNode('Webhook', hookPath, { responseMode: 'lastNode' }),
	setNode('Reply', 'echo', '={{ $json.body.ping }}'),
];
const CODE = 'return [{ json: { fromCode: [1, 2, 3].reduce((a, b) => a + b, 0) } }];';
/** Two-node workflows by key (`n8n execute` of the first four, webhooks of the last two). */
function workflows(cred) {
	const credentials = { e2eProbeApi: { id: cred.probeGood.id, name: cred.probeGood.name } };
	const [type, parameters] = [`${PROBE_PACKAGE}.e2eProbe`, { value: 'hello', callApi: true }];
	const probe = node('Probe', type, 1, parameters, [200, 0], { credentials });
	const nodes = {
		set: [trigger(), setNode('Set', 'answer', '={{ 40 + 2 }}', 'number')],
		code: [trigger(), node('Code', 'n8n-nodes-base.code', 2, { jsCode: CODE }, [200, 0])],
		probe: [trigger(), probe],
		unknown: [trigger(), node('Nope', 'n8n-nodes-nope.nope', 1, {}, [200, 0])],
		hookCli: echoHook('smoke-cli'),
		hookRest: echoHook('smoke-rest'),
	};
	return Object.fromEntries(Object.entries(nodes).map(([key, pair]) => [key, workflow(key, pair)]));
}
const workflow = (key, [first, second]) => ({
	...{ id: workflowId('smoke', key), name: `smoke ${key}`, nodes: [first, second] },
	connections: chain(first.name, second.name),
});

/** The credentials: the probe's against the probe API, Jimeng's against the fake (when built). */
function credentials(probe, fake) {
	const cred = (id, name, type, apiKey, baseUrl) => ({ id, name, type, data: { apiKey, baseUrl } });
	const jimeng = (id, name, apiKey) => fake && cred(id, name, 'jimengApi', apiKey, fake.url);
	return {
		probeGood: cred('probeGoodCred001', 'Probe good', 'e2eProbeApi', probe.key, probe.url),
		probeBad: cred('probeBadCred0001', 'Probe bad', 'e2eProbeApi', 'wrong-key', probe.url),
		jimengGood: jimeng('jimengGoodCred01', 'Jimeng fake', fake?.apiKey),
		jimengBad: jimeng('jimengBadCred001', 'Jimeng fake bad key', 'not-the-key'),
	};
}

/** POST `{ ping }` to the webhook at `hookPath` once registered: does it echo `ping`? */
async function pingWebhook(n8n, hookPath, ping) {
	const res = await fetch(await n8n.waitForWebhook(hookPath), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ ping }),
		signal: AbortSignal.timeout(30_000),
	});
	const text = await res.text();
	const echoed = res.status === 200 && text.startsWith('{') && JSON.parse(text).echo === ping;
	return { status: res.status, text, echoed };
}

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
/** `what` lists each of `names`, and of `repoNames` when the repo was built: one check each. */
const typesList = (what, get, unit, names, repoNames) => {
	const listed = (n) => lists(`${what} lists ${n}`, n, unit);
	const repoOnly = (n) => ({ when: (_, ctx) => ctx.repo, ...listed(n) });
	const assert = [...names.map(listed), ...repoNames.map(repoOnly)];
	return { name: what, act: (ctx) => get(ctx.n8n), assert };
};
/** A step whose result must hold `ok`; `evidence` says what was seen. */
const step = (name, act, ok, evidence, more = {}) => ({
	...{ name, act, ...more },
	assert: (obs, ctx) => verdict(ok(obs, ctx), evidence(obs, ctx)),
});

/** Stored id + data without the secret: what the editor sends for an unchanged saved credential. */
async function stored({ n8n, cred }) {
	const got = await n8n.rest('GET', `/credentials/${cred.probeGood.id}?includeData=true`);
	return { ...cred.probeGood, data: got.data?.data };
}

const LINE_STEPS = [
	step(
		({ n8n }) => `community package(s) extracted: ${n8n.packages.map((p) => p.name).join(', ')}`,
		({ n8n, tarballs }) => [n8n.packages.length, tarballs.length],
		([n, of]) => n === of,
		([n, of]) => `${n} of ${of}`,
	),
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
	step(
		'execute with an unknown node type exits 1',
		({ n8n, wf }) => n8n.execute(wf.unknown.id),
		(ex) => ex.code === 1,
		(ex) => `${exit(ex)}, json ${ex.json ? 'parsed' : 'null'}`,
	),
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
	step(
		'webhook of the CLI-published workflow answers',
		({ n8n }) => pingWebhook(n8n, 'smoke-cli', 'cli'),
		(hook) => hook.echoed,
		(hook) => `HTTP ${hook.status} ${hook.text.slice(0, 120)}`,
	),
	step(
		'POST /rest/owner/setup → n8n-auth cookie',
		({ n8n }) => n8n.setupOwner(),
		(owner) => owner.cookie?.startsWith('n8n-auth='),
		(owner) => `cookie ${owner.cookie?.split('=')[0]}`,
		{ gate: true },
	),
	typesList(
		'/types/nodes.json',
		(n8n) => n8n.nodeTypes(),
		'node descriptions',
		[`${PROBE_PACKAGE}.e2eProbe`, `${PROBE_PACKAGE}.e2eProbeTool`, 'n8n-nodes-base.set'],
		['n8n-nodes-jimeng.jimeng', 'n8n-nodes-jimeng.jimengTool'],
	),
	typesList(
		'/types/credentials.json',
		(n8n) => n8n.credentialTypes(),
		'credential types',
		['e2eProbeApi'],
		['jimengApi'],
	),
	...[
		['probe good key → OK', 'probeGood', 'OK'],
		['probe bad key → Error', 'probeBad', 'Error'],
		['with the redacted data GET returns → OK (unredacted server-side)', 'probeGood', 'OK', stored],
		['jimengApi vs fake gateway, good key → OK', 'jimengGood', 'OK'],
		['jimengApi vs fake gateway, bad key → Error', 'jimengBad', 'Error'],
	].map(([what, key, status, data = (ctx) => ctx.cred[key]]) => ({
		name: `credentials/test ${what}`,
		when: (ctx) => !!ctx.cred[key],
		act: async (ctx) => ctx.n8n.testCredential(await data(ctx)),
		assert: (ct) => verdict(ct?.status === status, JSON.stringify(ct)),
	})),
	step(
		'POST /rest/workflows/:id/activate {versionId} → webhook answers',
		async ({ n8n, wf }) => ({
			act: await n8n.activateWorkflow(wf.hookRest.id),
			hook: await pingWebhook(n8n, 'smoke-rest', 'rest'),
		}),
		({ hook }) => hook.echoed,
		({ act, hook }) =>
			`active=${act?.active} activeVersionId=${act?.activeVersionId ?? '-'} HTTP ${hook.status}`,
	),
	step(
		'GET /rest/executions?filter={"workflowId"} lists the CLI run',
		async (ctx) => (ctx.cliRuns = await ctx.n8n.listExecutions({ workflowId: ctx.wf.probe.id })),
		(list) => list.length >= 1,
		(list) => `${list.length} run(s), status ${list[0]?.status}, mode ${list[0]?.mode}`,
	),
	step(
		'GET /rest/executions/:id → run data (flatted) parsed',
		async ({ n8n, cliRuns }) =>
			nodeOutputItems(await n8n.getExecution(cliRuns[0].id), 'Probe')[0]?.json,
		(out) => out?.probe === true,
		(out) => JSON.stringify(out),
		{ when: (ctx) => ctx.cliRuns?.length },
	),
	step(
		'webhook run appears in executions',
		({ n8n, wf }) => n8n.listExecutions({ workflowId: wf.hookRest.id }),
		(runs) => runs.length >= 1,
		(runs) => `${runs.length} run(s), mode ${runs[0]?.mode}`,
	),
	step(
		'no secret in anything n8n printed',
		({ n8n }) => n8n.logText(),
		(text, { secrets }) => !secrets.some((s) => text.includes(s)),
		(text) => `${text.length} chars of output`,
	),
	step(
		'stop()',
		({ n8n }) => n8n.stop(),
		(_r, { n8n }) => !n8n.running,
		(_r, { n8n }) => (n8n.running ? 'the server process is still running' : ''),
	),
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

/** The probe package's API: 200 for its key, 401 otherwise (the credential test's target). */
async function startProbeApi() {
	const key = `probe-secret-${randomBytes(6).toString('hex')}`;
	const server = await startLoopbackServer((req) =>
		req.headers.authorization === `Bearer ${key}`
			? { status: 200, body: { ok: true, path: req.url } }
			: { status: 401, body: { error: 'bad key' } },
	);
	return Object.assign(server, { key });
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
const secrets = [probe.key, fake?.apiKey].filter(Boolean);
const shared = { tarballs, cred, wf: workflows(cred), repo: !!built, secrets };
const timings = {};
try {
	for (const line of lines) {
		console.log(`\n=== n8n ${line.version} (${line.runtime} node ${line.nodeBin})`);
		await smokeLine(line.version, shared, timings).catch((err) =>
			checks.scoped(line.version)('no exception', false, errorText(err)),
		);
	}
} finally {
	await probe.close();
	await fake?.close();
	if (built) await rm(built.dir, { recursive: true, force: true });
	await rm(path.resolve(tarballs[0], '../..'), { recursive: true, force: true });
}
const versions = lines.map((l) => l.version);
const msOf = (t) => versions.map((v) => String(t[v] ?? '-'));
const rows = Object.entries(timings).map(([name, t]) => [name, ...msOf(t)]);
console.log(`\n=== timings (ms)\n${textTable([['step', ...versions], ...rows])}`);
process.exit(checks.finish());

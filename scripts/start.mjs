#!/usr/bin/env node
// npm start: a real n8n with this package, ready to click through.
//
//   npm start                                   # fake Jimeng gateway (3 s per image), n8n on 127.0.0.1:5678
//   N8N_PORT=5690 npm start                     # another port
//   JIMENG_API_KEY=sk-… npm start               # the real gateway (JIMENG_BASE_URL, default https://zx1.deepwl.net)
//
// What it sets up: docs/development.md (Try it from a clone). Runs until Ctrl-C, then stops n8n
// and removes the temporary folder.
import {
	CREDENTIAL,
	OPENAI_CREDENTIAL,
	prepareSandbox,
	realGatewayFromEnv,
} from './n8n/sandbox.mjs';
import { secs } from './support/report.mjs';
import { lineAndPackage, OWNER, requireFreePort, stopOnExit } from './support/serve.mjs';

const VERSION = '2.41.1';
const PORT = Number(process.env.N8N_PORT || 5678);
const REAL = realGatewayFromEnv();
const FAKE_LATENCY_MS = 3000;
const t0 = Date.now();
let sandbox = null;
let running = null; // the instance, once started

/** One short line per request the fake gateway answers, so waiting is visible. */
function fakeLogLine(entry) {
	const id = entry.taskId ? entry.taskId.slice(0, 8) : '-';
	if (entry.kind === 'submit')
		return `submit  → task ${id}  "${String(entry.prompt ?? '').slice(0, 50)}"`;
	if (entry.kind === 'query') return `query   task ${id} → ${entry.taskStatus ?? entry.statusCode}`;
	if (entry.kind === 'image')
		return `image   task ${id} ${entry.url?.split('/').pop()} → ${entry.statusCode}${entry.bytes ? `, ${entry.bytes} B` : ''}`;
	return `${entry.method} ${entry.url} → ${entry.statusCode}`;
}

function banner({ instance, fake, chat, examples }) {
	const url = instance.baseUrl;
	const gateway = REAL
		? `the real gateway ${REAL.baseUrl} (key from JIMENG_API_KEY)`
		: `the fake gateway ${fake.url} (key "${fake.apiKey}", ~${FAKE_LATENCY_MS / 1000} s per task; images from ${fake.imageUrl})`;
	const workflows = examples.map(
		(ex) => `    ${ex.workflow.name.padEnd(52)} ${url}/workflow/${ex.workflow.id}`,
	);
	return `
================================================================================
  n8n ${instance.version} with n8n-nodes-jimeng is ready (${secs(Date.now() - t0)} after npm start)

  Open      ${url}
  Email     ${OWNER.email}
  Password  ${OWNER.password}

  Credential "${CREDENTIAL.name}" → ${gateway}
  Credential "${OPENAI_CREDENTIAL.name}" → a fake chat model ${chat.url} (the AI Agent example: it calls the
    Jimeng tool once, then quotes the image URLs)

  Workflows (open one, then "Execute workflow"):
${workflows.join('\n')}

  n8n data: ${instance.userFolder} (temporary, removed on exit)
  Ctrl-C to stop.
================================================================================`;
}

const session = stopOnExit({
	what: 'n8n and the fake gateway',
	stop: async () => sandbox?.dispose(),
	dead: () =>
		running && !running.running && `n8n (last output:\n${running.logText().slice(-3000)})`,
});

async function main() {
	await requireFreePort(PORT, 'npm start');
	const { line, tarball } = await lineAndPackage(VERSION, 'start');
	if (session.stopping) return;
	console.log(
		`\n=== n8n ${line.version} on 127.0.0.1:${PORT} (${line.runtime} node ${line.nodeBin})`,
	);
	const tp = Date.now();
	const fakeOptions = {
		latencyMs: FAKE_LATENCY_MS,
		onLog: (e) => console.log(`  [fake gateway] ${fakeLogLine(e)}`),
	};
	sandbox = await prepareSandbox({
		version: VERSION,
		port: PORT,
		tarball,
		...(REAL ?? { fakeOptions }),
	});
	if (session.stopping) return;
	console.log(
		`  package installed, credential and ${sandbox.examples.length} example workflows imported (${secs(Date.now() - tp)})`,
	);
	const ts = Date.now();
	await sandbox.instance.start({ timeoutMs: 180_000 });
	running = sandbox.instance;
	await sandbox.instance.setupOwner(OWNER);
	console.log(`  n8n started (${secs(Date.now() - ts)})`);
	console.log(banner(sandbox));
}

main().catch(session.failed);

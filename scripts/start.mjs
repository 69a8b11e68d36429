#!/usr/bin/env node
// npm start: a real n8n with this package, ready to click through.
//
//   npm start                                   # fake Jimeng gateway (3 s per image), n8n on 127.0.0.1:5678
//   N8N_PORT=5690 npm start                     # another port
//   JIMENG_API_KEY=sk-… npm start               # the real gateway (JIMENG_BASE_URL, default https://zx1.deepwl.net)
//
// Builds and packs the package, installs n8n 2.41.1 into .cache/ if needed (scripts/n8n/install.sh),
// starts the fake gateway in this process (unless JIMENG_API_KEY is set), then n8n with SQLite in a
// fresh temporary user folder, the package installed as a community package, the examples/ workflows
// imported, a "Jimeng API" credential ready (and an "OpenAI account" one on a fake chat model, for
// the AI Agent example) and an owner login. Prints the URL, the login and the
// workflows; runs until Ctrl-C, then stops n8n and removes the temporary folder.
import { rmSync } from 'node:fs';
import path from 'node:path';

import { requireLine } from './n8n/ensure-installed.mjs';
import { buildAndPackRepo, portIsFree } from './n8n/lib.mjs';
import {
	CREDENTIAL,
	OPENAI_CREDENTIAL,
	prepareSandbox,
	realGatewayFromEnv,
} from './n8n/sandbox.mjs';
import { secs } from './support/report.mjs';

const VERSION = '2.41.1';
const PORT = Number(process.env.N8N_PORT || 5678);
const REAL = realGatewayFromEnv();
const FAKE_LATENCY_MS = 3000;
const OWNER = {
	email: 'owner@example.com',
	password: 'Jimeng-n8n-1',
	firstName: 'Jimeng',
	lastName: 'Owner',
};

const t0 = Date.now();
const say = (line = '') => console.log(line);

let built = null;
let sandbox = null;
let stopping = false;

function removeBuildDir() {
	if (built) rmSync(built.dir, { recursive: true, force: true });
	built = null;
}

async function shutdown(signal) {
	if (stopping) return; // npm forwards the terminal's SIGINT too: one is enough
	stopping = true;
	const force = setTimeout(() => process.exit(1), 30_000);
	force.unref();
	say(`\n${signal}: stopping n8n${sandbox?.fake ? ' and the fake gateway' : ''}…`);
	try {
		await sandbox?.dispose();
	} catch (err) {
		console.error(`cleanup: ${err.message}`);
	}
	removeBuildDir();
	say('stopped, temporary n8n folder removed.');
	process.exit(signal === 'SIGINT' || signal === 'parent exited' ? 0 : 143);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void shutdown(sig));

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

async function main() {
	if (!(await portIsFree(PORT))) {
		console.error(
			`Port ${PORT} on 127.0.0.1 is in use. Stop what runs there, or pick another: N8N_PORT=5690 npm start`,
		);
		process.exit(1);
	}

	say(`=== n8n ${VERSION} (scripts/n8n/install.sh; skipped when already installed)`);
	const line = await requireLine(VERSION, { label: 'start' });
	if (stopping) return;

	say('\n=== build and pack the package');
	const tb = Date.now();
	built = await buildAndPackRepo();
	say(`  ${path.basename(built.tarball)} (${secs(Date.now() - tb)})`);
	if (stopping) return;

	say(`\n=== n8n ${line.version} on 127.0.0.1:${PORT} (${line.runtime} node ${line.nodeBin})`);
	const tp = Date.now();
	sandbox = await prepareSandbox({
		version: VERSION,
		port: PORT,
		tarball: built.tarball,
		...(REAL
			? REAL
			: {
					fakeOptions: {
						latencyMs: FAKE_LATENCY_MS,
						onLog: (e) => say(`  [fake gateway] ${fakeLogLine(e)}`),
					},
				}),
	});
	if (stopping) return;
	const { instance, fake, chat, examples } = sandbox;
	say(
		`  package installed, credential and ${examples.length} example workflows imported (${secs(Date.now() - tp)})`,
	);
	const ts = Date.now();
	await instance.start({ timeoutMs: 180_000 });
	await instance.setupOwner(OWNER);
	say(`  n8n started (${secs(Date.now() - ts)})`);

	const url = instance.baseUrl;
	const gateway = REAL
		? `the real gateway ${REAL.baseUrl} (key from JIMENG_API_KEY)`
		: `the fake gateway ${fake.url} (key "${fake.apiKey}", ~${FAKE_LATENCY_MS / 1000} s per task; images from ${fake.imageUrl})`;
	say(`
================================================================================
  n8n ${line.version} with n8n-nodes-jimeng is ready (${secs(Date.now() - t0)} after npm start)

  Open      ${url}
  Email     ${OWNER.email}
  Password  ${OWNER.password}

  Credential "${CREDENTIAL.name}" → ${gateway}
  Credential "${OPENAI_CREDENTIAL.name}" → a fake chat model ${chat.url} (the AI Agent example: it calls the
    Jimeng tool once, then quotes the image URLs)

  Workflows (open one, then "Execute workflow"):`);
	for (const ex of examples)
		say(`    ${ex.workflow.name.padEnd(52)} ${url}/workflow/${ex.workflow.id}`);
	say(`
  n8n data: ${instance.userFolder} (temporary, removed on exit)
  Ctrl-C to stop.
================================================================================`);

	// Stay up until a signal; report if n8n dies on its own. npm does not pass a SIGTERM sent to it
	// alone on to us: if our parent goes away (we get re-parented), stop as for Ctrl-C.
	const parent = process.ppid;
	const watch = setInterval(() => {
		if (!stopping && process.ppid !== parent) {
			clearInterval(watch);
			void shutdown('parent exited');
			return;
		}
		if (!stopping && !instance.running) {
			clearInterval(watch);
			console.error(`\nn8n exited unexpectedly. Last output:\n${instance.logText().slice(-3000)}`);
			void sandbox.dispose().finally(() => {
				removeBuildDir();
				process.exit(1);
			});
		}
	}, 1000);
}

main().catch(async (err) => {
	if (stopping) return;
	console.error(`\nnpm start failed: ${err.message}`);
	try {
		await sandbox?.dispose();
	} catch {}
	removeBuildDir();
	process.exit(1);
});

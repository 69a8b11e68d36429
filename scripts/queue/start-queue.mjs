#!/usr/bin/env node
// npm run start:queue — n8n 2.41.1 in queue mode to try: PostgreSQL 17 and Redis on free ports,
// main on 127.0.0.1:5678 (N8N_PORT), two workers, a webhook process, the fake Jimeng gateway (or
// the real one with JIMENG_API_KEY, optional JIMENG_BASE_URL), the examples imported (as they are,
// and as active webhook variants that run on the workers). Prints the URLs and the login; Ctrl-C
// stops everything and removes the temporary folders.
import { createServer } from 'node:net';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { ensureInstalled } from '../n8n/ensure-installed.mjs';
import { buildAndPackRepo } from '../n8n/lib.mjs';
import { isAgentExample, loadExamples, REAL_GATEWAY } from '../n8n/sandbox.mjs';
import { startCluster } from './cluster.mjs';
import { killAllSync } from './proc.mjs';
import { webhookVariant } from './workflows.mjs';

const require = createRequire(import.meta.url);
const { startFakeJimeng } = require('../../test/fake-jimeng');

const VERSION = '2.41.1';
const PORT = Number(process.env.N8N_PORT || 5678);
const REAL_KEY = process.env.JIMENG_API_KEY?.trim() || '';
const REAL_BASE_URL = process.env.JIMENG_BASE_URL?.trim() || REAL_GATEWAY;
const OWNER = {
	email: 'owner@example.com',
	password: 'Jimeng-n8n-1',
	firstName: 'Jimeng',
	lastName: 'Owner',
};
const say = (l = '') => console.log(l);

let cluster = null;
let fake = null;
let build = null;
let stopping = false;

async function shutdown(reason) {
	if (stopping) return;
	stopping = true;
	const force = setTimeout(() => (killAllSync(), process.exit(1)), 60_000);
	force.unref();
	say(
		`\n${reason}: stopping workers, webhook process, main, Redis, PostgreSQL${fake ? ' and the fake gateway' : ''}…`,
	);
	try {
		await cluster?.dispose();
		await fake?.close();
		if (build) await rm(build.dir, { recursive: true, force: true });
	} catch (err) {
		console.error(`cleanup: ${err.message}`);
	}
	say('stopped, temporary folders removed.');
	process.exit(reason === 'SIGINT' ? 0 : 1);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void shutdown(sig));

const portIsFree = (port) =>
	new Promise((resolve) => {
		const srv = createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});

async function main() {
	if (!(await portIsFree(PORT)))
		throw new Error(
			`port ${PORT} on 127.0.0.1 is in use; pick another: N8N_PORT=5690 npm run start:queue`,
		);
	const inst = await ensureInstalled([VERSION], { log: (l) => say(`  ${l}`) });
	if (!inst.ok) throw new Error(`scripts/n8n/install.sh ${VERSION} failed (exit ${inst.code})`);
	say('=== build and pack the package');
	build = await buildAndPackRepo();
	if (!REAL_KEY) fake = await startFakeJimeng({ latencyMs: 3000 });
	const credentialData = REAL_KEY
		? { apiKey: REAL_KEY, baseUrl: REAL_BASE_URL }
		: { apiKey: fake.apiKey, baseUrl: fake.url };
	// The AI Agent example needs a chat model credential, which this cluster does not set up.
	const examples = (await loadExamples({ imageHost: fake?.imageUrl })).filter(
		(example) => !isAgentExample(example),
	);
	const variants = examples.map(webhookVariant);
	say(`=== n8n ${VERSION} in queue mode`);
	cluster = await startCluster({
		version: VERSION,
		tarball: build.tarball,
		credentialData,
		binaryMode: 'database',
		mainPort: PORT,
		owner: OWNER,
		// The examples as they are (Manual Trigger: run on main when clicked) and their active webhook variants.
		workflows: [...examples.map((e) => e.workflow), ...variants.map((v) => v.workflow)],
		activate: variants.map((v) => v.workflow.id),
		log: (l) => say(`  ${l}`),
	});
	if (stopping) return;
	const url = cluster.main.baseUrl;
	say(`
================================================================================
  n8n ${cluster.version} in queue mode with n8n-nodes-jimeng

  Editor    ${url}
  Email     ${OWNER.email}
  Password  ${OWNER.password}

  Webhook process  ${cluster.webhook.baseUrl}
  Workers          ${[...cluster.workers.keys()].join(', ')} (concurrency 10 each)
  PostgreSQL       127.0.0.1:${cluster.pg.env.DB_POSTGRESDB_PORT} (${cluster.pg.version})
  Redis            127.0.0.1:${cluster.redis.port}
  Gateway          ${REAL_KEY ? `${REAL_BASE_URL} (JIMENG_API_KEY)` : `fake, ${fake.url} (~3 s per image)`}

  Run an example on a worker (webhook variants are active):`);
	for (const v of variants) say(`    curl -X POST ${cluster.webhookUrl(v.path)}`);
	say(`  then open ${url}/home/executions to see the results.
  Ctrl-C stops everything.
================================================================================`);
	const watch = setInterval(() => {
		if (stopping) return clearInterval(watch);
		const dead = [...cluster.workers.values(), cluster.webhook].find((p) => p.proc.exited);
		if (dead || !cluster.main.running) {
			clearInterval(watch);
			console.error(`\n${dead ? dead.name : 'main'} exited unexpectedly.`);
			void shutdown('process exited');
		}
	}, 1000);
}

main().catch((err) => {
	console.error(`\nnpm run start:queue failed: ${err.stack ?? err.message}`);
	void shutdown('error');
});

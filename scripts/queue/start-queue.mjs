#!/usr/bin/env node
// npm run start:queue — n8n 2.41.1 in queue mode to try: PostgreSQL 17 and Redis on free ports,
// main on 127.0.0.1:5678 (N8N_PORT), two workers, a webhook process, the fake Jimeng gateway (or
// the real one with JIMENG_API_KEY, optional JIMENG_BASE_URL), the examples imported (as they are,
// and as active webhook variants that run on the workers). Prints the URLs and the login; Ctrl-C
// stops everything and removes the temporary folders.
import { createRequire } from 'node:module';

import { isAgentExample, loadExamples, realGatewayFromEnv } from '../n8n/sandbox.mjs';
import { lineAndPackage, OWNER, requireFreePort, stopOnExit } from '../support/serve.mjs';
import { webhookVariant } from '../support/workflows.mjs';
import { startCluster } from './cluster.mjs';

const require = createRequire(import.meta.url);
const { startFakeJimeng } = require('../../test/fake-jimeng');

const PORT = Number(process.env.N8N_PORT || 5678);
const REAL = realGatewayFromEnv();
let cluster = null;
let fake = null;

const session = stopOnExit({
	what: 'workers, webhook process, main, Redis, PostgreSQL and the fake gateway',
	async stop() {
		await cluster?.dispose();
		await fake?.close();
	},
	dead: () =>
		cluster &&
		([...cluster.workers.values(), cluster.webhook].find((p) => p.proc.exited)?.name ??
			(!cluster.main.running && 'main')),
});

function banner(variants) {
	const url = cluster.main.baseUrl;
	const gateway = REAL ? `${REAL.baseUrl} (JIMENG_API_KEY)` : `fake, ${fake.url} (~3 s per image)`;
	return `
================================================================================
  n8n ${cluster.version} in queue mode with n8n-nodes-jimeng

  Editor    ${url}
  Email     ${OWNER.email}
  Password  ${OWNER.password}

  Webhook process  ${cluster.webhook.baseUrl}
  Workers          ${[...cluster.workers.keys()].join(', ')} (concurrency 10 each)
  PostgreSQL       127.0.0.1:${cluster.pg.port} (${cluster.pg.version})
  Redis            127.0.0.1:${cluster.redis.port}
  Gateway          ${gateway}

  Run an example on a worker (webhook variants are active):
${variants.map((v) => `    curl -X POST ${cluster.webhookUrl(v.path)}`).join('\n')}
  then open ${url}/home/executions to see the results.
  Ctrl-C stops everything.
================================================================================`;
}

async function main() {
	await requireFreePort(PORT, 'npm run start:queue');
	const { tarball } = await lineAndPackage('2.41.1', 'start:queue');
	if (!REAL) fake = await startFakeJimeng({ latencyMs: 3000 });
	// The AI Agent example needs a chat model credential, which this cluster does not set up.
	const examples = (await loadExamples({ imageHost: fake?.imageUrl })).filter(
		(e) => !isAgentExample(e),
	);
	const variants = examples.map(webhookVariant);
	console.log(`\n=== n8n 2.41.1 in queue mode`);
	cluster = await startCluster({
		tarball,
		credentialData: REAL ?? { apiKey: fake.apiKey, baseUrl: fake.url },
		binaryMode: 'database',
		mainPort: PORT,
		owner: OWNER,
		// The examples as they are (Manual Trigger: run on main when clicked) and their active webhook variants.
		workflows: [...examples.map((e) => e.workflow), ...variants.map((v) => v.workflow)],
		activate: variants.map((v) => v.workflow.id),
		log: (l) => console.log(`  ${l}`),
	});
	if (!session.stopping) console.log(banner(variants));
}

main().catch(session.failed);

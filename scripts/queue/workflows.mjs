// Webhook-triggered workflows for queue mode: in queue mode only webhook/trigger executions go to the
// workers, so the examples' Manual Trigger becomes a Webhook (POST /webhook/<path>, answering at once).
import { randomUUID } from 'node:crypto';

import { CREDENTIAL } from '../n8n/sandbox.mjs';

const JIMENG = 'n8n-nodes-jimeng.jimeng';

function webhookNode(name, webhookPath) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	};
}

/** An example (from sandbox.loadExamples) with its Manual Trigger replaced by a Webhook at `queue-<slug>`. */
export function webhookVariant(example) {
	const wf = structuredClone(example.workflow);
	const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	if (!trigger) throw new Error(`${example.slug} has no Manual Trigger`);
	const path = `queue-${example.slug}`;
	const hook = { ...webhookNode('Webhook', path), position: trigger.position };
	wf.nodes = wf.nodes.map((n) => (n === trigger ? hook : n));
	wf.connections = Object.fromEntries(
		Object.entries(wf.connections).map(([from, c]) => [
			from === trigger.name ? hook.name : from,
			c,
		]),
	);
	wf.name = `${wf.name} (webhook)`;
	wf.id = `q${wf.id.slice(1)}`;
	return { slug: example.slug, path, workflow: wf };
}

/**
 * Webhook → Split Out (`body.prompts`, one item per prompt) → Jimeng Submit, for load tests:
 * POST { prompts: [...] } to /webhook/<path>. `parameters` are merged over the Jimeng node's.
 */
export function promptsWorkflow({ id, name, path, parameters = {}, options = {} }) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			webhookNode('Webhook', path),
			{
				id: randomUUID(),
				name: 'One Item per Prompt',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					fieldToSplitOut: 'body.prompts',
					options: { destinationFieldName: 'prompt' },
				},
			},
			{
				id: randomUUID(),
				name: 'Jimeng',
				type: JIMENG,
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					prompt: '={{ $json.prompt }}',
					size: '1k-1:1',
					...parameters,
					options: { ...options },
				},
				credentials: { jimengApi: { ...CREDENTIAL } },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'One Item per Prompt', type: 'main', index: 0 }]] },
			'One Item per Prompt': { main: [[{ node: 'Jimeng', type: 'main', index: 0 }]] },
		},
	};
}

/** Webhook → Jimeng Get Task of `body.taskId` (how a user recovers an orphaned task). */
export function getTaskWorkflow({ id, name = 'Jimeng: get a task by ID (webhook)', path }) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			webhookNode('Webhook', path),
			{
				id: randomUUID(),
				name: 'Jimeng Get Task',
				type: JIMENG,
				typeVersion: 1,
				position: [220, 0],
				parameters: { operation: 'getTask', taskId: '={{ $json.body.taskId }}', options: {} },
				credentials: { jimengApi: { ...CREDENTIAL } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Jimeng Get Task', type: 'main', index: 0 }]] } },
	};
}

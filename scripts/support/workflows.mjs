// Workflows the drivers import into real n8n, built as a user builds them in the editor:
// Manual Trigger → Set (raw JSON list of prompts) → Split Out → Jimeng (jimengWorkflow), the same
// with a Convert to File node giving each item a reference binary (binaryReferenceWorkflow), or one
// Jimeng node per case behind one trigger (matrixWorkflow, for bad input). For queue mode, where only
// webhook and trigger executions go to the workers: Webhook → Split Out → Jimeng
// (webhookPromptsWorkflow), Webhook → Get Task (webhookGetTaskWorkflow), and an example with its
// Manual Trigger swapped for a Webhook (webhookVariant).
import { randomUUID } from 'node:crypto';

import { CREDENTIAL } from '../n8n/sandbox.mjs';

/** n8n accepts 16 alphanumerics as a workflow id. */
export function workflowId(prefix, n) {
	const clean = `${prefix}${n}`.replace(/[^a-zA-Z0-9]/g, '');
	if (clean.length > 16) throw new Error(`workflow id ${clean} is longer than 16 characters`);
	return clean.padEnd(16, '0');
}

const TRIGGER = 'Start';
const PROMPTS = 'Prompts';
export const SPLIT = 'One Item per Prompt';

export function node(name, type, typeVersion, parameters, position, extra = {}) {
	return { id: randomUUID(), name, type, typeVersion, position, parameters, ...extra };
}

export function link(to, index = 0) {
	return { node: to, type: 'main', index };
}

/** Connections of nodes in a row: each one's main output into the next. */
export function chain(...names) {
	return Object.fromEntries(names.slice(1).map((to, i) => [names[i], { main: [[link(to)]] }]));
}

/** A Jimeng node with the sandbox's credential. */
export function jimengNode(name, parameters, position, extra = {}) {
	const credentials = { jimengApi: { ...CREDENTIAL } };
	return node(name, 'n8n-nodes-jimeng.jimeng', 1, parameters, position, { credentials, ...extra });
}

/** A Webhook node at POST /webhook/<path>; `responseMode` 'onReceived' answers at once. */
export function webhookNode(
	name,
	webhookPath,
	{ responseMode = 'onReceived', position = [0, 0] } = {},
) {
	const parameters = { httpMethod: 'POST', path: webhookPath, responseMode, options: {} };
	return node(name, 'n8n-nodes-base.webhook', 2, parameters, position, { webhookId: randomUUID() });
}

/** Trigger → Set (raw JSON `{ prompts: [...] }`) → Split Out, as in examples/many-prompts.json. */
export function promptSource(prompts) {
	return {
		nodes: [
			node(TRIGGER, 'n8n-nodes-base.manualTrigger', 1, {}, [0, 0]),
			node(
				PROMPTS,
				'n8n-nodes-base.set',
				3.4,
				{ mode: 'raw', jsonOutput: JSON.stringify({ prompts }, null, 2), options: {} },
				[220, 0],
			),
			node(
				SPLIT,
				'n8n-nodes-base.splitOut',
				1,
				{ fieldToSplitOut: 'prompts', options: {} },
				[440, 0],
			),
		],
		connections: chain(TRIGGER, PROMPTS, SPLIT),
	};
}

/**
 * Prompts → Jimeng. `parameters` are merged over Submit with Prompt `={{ $json.prompts }}` (every
 * other parameter at its default); `onError` e.g. 'continueRegularOutput' (Continue On Fail).
 */
export function jimengWorkflow({ id, name, prompts, parameters = {}, onError }) {
	const src = promptSource(prompts);
	const jimeng = jimengNode(
		'Jimeng',
		{ prompt: '={{ $json.prompts }}', options: {}, ...parameters },
		[660, 0],
		onError ? { onError } : {},
	);
	return {
		id,
		name,
		nodes: [...src.nodes, jimeng],
		connections: { ...src.connections, ...chain(SPLIT, 'Jimeng') },
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Prompts → Convert to File → Jimeng with Reference Images From Binary `data`. `files`: one per
 * item, `{ prompt, mimeType, fileName, base64 }`; Convert to File turns `base64` into the item's
 * binary `data` (and drops the JSON), so Jimeng reads its prompt from the Split Out item.
 */
export function binaryReferenceWorkflow({ id, name, files, parameters = {}, onError }) {
	const src = promptSource(files);
	const toFile = 'To File';
	const convert = node(
		toFile,
		'n8n-nodes-base.convertToFile',
		1.1,
		{
			operation: 'toBinary',
			sourceProperty: 'base64',
			binaryPropertyName: 'data',
			options: { fileName: '={{ $json.fileName }}', mimeType: '={{ $json.mimeType }}' },
		},
		[660, 0],
	);
	const jimeng = jimengNode(
		'Jimeng',
		{
			prompt: `={{ $('${SPLIT}').item.json.prompt }}`,
			binaryReferences: ['data'],
			options: {},
			...parameters,
		},
		[880, 0],
		onError ? { onError } : {},
	);
	return {
		id,
		name,
		nodes: [...src.nodes, convert, jimeng],
		connections: { ...src.connections, ...chain(SPLIT, toFile, 'Jimeng') },
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Several independent Jimeng nodes behind one Manual Trigger, each fed one item from its own Set
 * node (raw JSON): for the bad-input matrix. cases: [{ key, json, parameters, onError }].
 */
export function matrixWorkflow({ id, name, cases }) {
	const nodes = [node(TRIGGER, 'n8n-nodes-base.manualTrigger', 1, {}, [0, 0])];
	const connections = { [TRIGGER]: { main: [[]] } };
	cases.forEach((c, i) => {
		const input = `Input ${c.key}`;
		const target = `Jimeng ${c.key}`;
		nodes.push(
			node(
				input,
				'n8n-nodes-base.set',
				3.4,
				{ mode: 'raw', jsonOutput: JSON.stringify(c.json ?? {}), options: {} },
				[220, i * 160],
			),
			jimengNode(
				target,
				{ options: {}, ...c.parameters },
				[440, i * 160],
				c.onError ? { onError: c.onError } : {},
			),
		);
		connections[TRIGGER].main[0].push(link(input));
		connections[input] = { main: [[link(target)]] };
	});
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** An example (from sandbox.loadExamples) with its Manual Trigger replaced by a Webhook at `queue-<slug>`. */
export function webhookVariant(example) {
	const wf = structuredClone(example.workflow);
	const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	if (!trigger) throw new Error(`${example.slug} has no Manual Trigger`);
	const path = `queue-${example.slug}`;
	const hook = webhookNode('Webhook', path, { position: trigger.position });
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
 * Webhook → Split Out (`body.prompts`, one item per prompt) → Jimeng Submit at 1K, for load tests:
 * POST { prompts: [...] } to /webhook/<path>. `parameters` are merged over the Jimeng node's.
 */
export function webhookPromptsWorkflow({ id, name, path, parameters = {}, options = {} }) {
	const split = node(
		SPLIT,
		'n8n-nodes-base.splitOut',
		1,
		{
			fieldToSplitOut: 'body.prompts',
			options: { destinationFieldName: 'prompt' },
		},
		[220, 0],
	);
	const jimeng = jimengNode(
		'Jimeng',
		{
			prompt: '={{ $json.prompt }}',
			size: '1k-1:1',
			...parameters,
			options: { ...options },
		},
		[440, 0],
	);
	return {
		id,
		name,
		settings: { executionOrder: 'v1' },
		nodes: [webhookNode('Webhook', path), split, jimeng],
		connections: chain('Webhook', SPLIT, 'Jimeng'),
	};
}

/** Webhook → Jimeng Get Task of `body.taskId` (how a user recovers an orphaned task). */
export function webhookGetTaskWorkflow({ id, name = 'Jimeng: get a task by ID (webhook)', path }) {
	const getTask = jimengNode(
		'Jimeng Get Task',
		{
			operation: 'getTask',
			taskId: '={{ $json.body.taskId }}',
			options: {},
		},
		[220, 0],
	);
	return {
		id,
		name,
		settings: { executionOrder: 'v1' },
		nodes: [webhookNode('Webhook', path), getTask],
		connections: chain('Webhook', 'Jimeng Get Task'),
	};
}

// Workflows the drivers import into real n8n, built as a user builds them in the editor. Queue mode
// runs only webhook and trigger executions on the workers: hence the Webhook variants.
import { randomUUID } from 'node:crypto';

import { CREDENTIAL } from '../n8n/sandbox.mjs';

/** n8n accepts 16 alphanumerics as a workflow id. */
export function workflowId(prefix, n) {
	const clean = `${prefix}${n}`.replace(/[^a-zA-Z0-9]/g, '');
	if (clean.length > 16) throw new Error(`workflow id ${clean} is longer than 16 characters`);
	return clean.padEnd(16, '0');
}

const TRIGGER = 'Start';
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

const workflow = (id, name, nodes, connections) => ({
	id,
	name,
	nodes,
	connections,
	settings: { executionOrder: 'v1' },
});

/** A workflow of `nodes` in a row. */
const inRow = (id, name, nodes) => workflow(id, name, nodes, chain(...nodes.map((n) => n.name)));

const trigger = () => node(TRIGGER, 'n8n-nodes-base.manualTrigger', 1, {}, [0, 0]);

/** A Set node whose output is the raw JSON text `jsonOutput`. */
const rawJson = (name, jsonOutput, position) =>
	node(name, 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput, options: {} }, position);

const splitOut = (fieldToSplitOut, options, position) =>
	node(SPLIT, 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut, options }, position);

/** A Jimeng node with the sandbox's credential; `onError` e.g. 'continueRegularOutput' (Continue On Fail). */
function jimengNode(name, parameters, position, onError) {
	const extra = { credentials: { jimengApi: { ...CREDENTIAL } }, ...(onError && { onError }) };
	return node(name, 'n8n-nodes-jimeng.jimeng', 1, { options: {}, ...parameters }, position, extra);
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
	const nodes = [
		trigger(),
		rawJson('Prompts', JSON.stringify({ prompts }, null, 2), [220, 0]),
		splitOut('prompts', {}, [440, 0]),
	];
	return { nodes, connections: chain(...nodes.map((n) => n.name)) };
}

/**
 * Prompts → Jimeng. `parameters` are merged over Submit with Prompt `={{ $json.prompts }}` (every
 * other parameter at its default); `onError` e.g. 'continueRegularOutput' (Continue On Fail).
 */
export function jimengWorkflow({ id, name, prompts, parameters = {}, onError }) {
	const jimeng = { prompt: '={{ $json.prompts }}', ...parameters };
	return inRow(id, name, [
		...promptSource(prompts).nodes,
		jimengNode('Jimeng', jimeng, [660, 0], onError),
	]);
}

/**
 * Prompts → Convert to File → Jimeng with Reference Images From Binary `data`. `files`: one per
 * item, `{ prompt, mimeType, fileName, base64 }`; Convert to File turns `base64` into the item's
 * binary `data` (and drops the JSON), so Jimeng reads its prompt from the Split Out item.
 */
export function binaryReferenceWorkflow({ id, name, files, parameters = {}, onError }) {
	const convert = node(
		'To File',
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
	const jimeng = {
		prompt: `={{ $('${SPLIT}').item.json.prompt }}`,
		binaryReferences: ['data'],
		...parameters,
	};
	return inRow(id, name, [
		...promptSource(files).nodes,
		convert,
		jimengNode('Jimeng', jimeng, [880, 0], onError),
	]);
}

/**
 * Several independent Jimeng nodes behind one Manual Trigger, each fed one item from its own Set
 * node (raw JSON): for the bad-input matrix. cases: [{ key, json, parameters, onError }].
 */
export function matrixWorkflow({ id, name, cases }) {
	const nodes = [trigger()];
	const connections = { [TRIGGER]: { main: [[]] } };
	cases.forEach((c, i) => {
		const [input, target] = [`Input ${c.key}`, `Jimeng ${c.key}`];
		nodes.push(
			rawJson(input, JSON.stringify(c.json ?? {}), [220, i * 160]),
			jimengNode(target, c.parameters, [440, i * 160], c.onError),
		);
		connections[TRIGGER].main[0].push(link(input));
		Object.assign(connections, chain(input, target));
	});
	return workflow(id, name, nodes, connections);
}

/** An example (from sandbox.loadExamples) with its Manual Trigger replaced by a Webhook at `queue-<slug>`. */
export function webhookVariant(example) {
	const wf = structuredClone(example.workflow);
	const manual = wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	if (!manual) throw new Error(`${example.slug} has no Manual Trigger`);
	const path = `queue-${example.slug}`;
	const hook = webhookNode('Webhook', path, { position: manual.position });
	wf.nodes = wf.nodes.map((n) => (n === manual ? hook : n));
	wf.connections = Object.fromEntries(
		Object.entries(wf.connections).map(([from, c]) => [from === manual.name ? hook.name : from, c]),
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
	const jimeng = { prompt: '={{ $json.prompt }}', size: '1k-1:1', ...parameters, options };
	return inRow(id, name, [
		webhookNode('Webhook', path),
		splitOut('body.prompts', { destinationFieldName: 'prompt' }, [220, 0]),
		jimengNode('Jimeng', jimeng, [440, 0]),
	]);
}

/** Webhook → Jimeng Get Task of `body.taskId` (how a user recovers an orphaned task). */
export function webhookGetTaskWorkflow({ id, name = 'Jimeng: get a task by ID (webhook)', path }) {
	const getTask = { operation: 'getTask', taskId: '={{ $json.body.taskId }}' };
	return inRow(id, name, [
		webhookNode('Webhook', path),
		jimengNode('Jimeng Get Task', getTask, [220, 0]),
	]);
}

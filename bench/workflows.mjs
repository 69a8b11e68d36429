// Workflows the benchmark and the fault suite import into real n8n, built as a user builds them in
// the editor: Manual Trigger → Set (raw JSON list of prompts) → Split Out → …
//
// - jimengWorkflow(): … → Jimeng (Submit, Wait for Completion), the node under test;
// - coreWorkflow():   … → HTTP Request (submit) → Wait 3 s → HTTP Request (query) → IF status is
//   success → true: HTTP Request (download, response as a file); false: back to Wait. Core nodes
//   only, with the parameter shapes of HTTP Request 4.2, Wait 1.1 and IF 2.2 as n8n 2.41.1 stores them
//   (read from n8n-nodes-base/dist/nodes/{HttpRequest/V3,Wait,If/V2}).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

import { CREDENTIAL } from '../scripts/n8n/sandbox.mjs';

/** n8n accepts 16 alphanumerics as a workflow id. */
export function workflowId(prefix, n) {
	const clean = `${prefix}${n}`.replace(/[^a-zA-Z0-9]/g, '');
	if (clean.length > 16) throw new Error(`workflow id ${clean} is longer than 16 characters`);
	return clean.padEnd(16, '0');
}

export const HEADER_AUTH_CREDENTIAL = { id: 'benchHeaderAuth1', name: 'Jimeng gateway (Header Auth)' };

const TRIGGER = 'Start';
const PROMPTS = 'Prompts';
const SPLIT = 'One Item per Prompt';

function node(name, type, typeVersion, parameters, position, extra = {}) {
	return { id: randomUUID(), name, type, typeVersion, position, parameters, ...extra };
}

function link(to, index = 0) {
	return { node: to, type: 'main', index };
}

/** Trigger → Set (raw JSON `{ prompts: [...] }`) → Split Out, as in examples/many-prompts.json. */
function promptSource(prompts) {
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
			node(SPLIT, 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'prompts', options: {} }, [440, 0]),
		],
		connections: {
			[TRIGGER]: { main: [[link(PROMPTS)]] },
			[PROMPTS]: { main: [[link(SPLIT)]] },
		},
	};
}

/**
 * Prompts → Jimeng. `parameters` are merged over Submit with Prompt `={{ $json.prompts }}` (every
 * other parameter at its default); `onError` e.g. 'continueRegularOutput' (Continue On Fail).
 */
export function jimengWorkflow({ id, name, prompts, parameters = {}, onError }) {
	const src = promptSource(prompts);
	const jimeng = node(
		'Jimeng',
		'n8n-nodes-jimeng.jimeng',
		1,
		{ prompt: '={{ $json.prompts }}', options: {}, ...parameters },
		[660, 0],
		{ credentials: { jimengApi: { ...CREDENTIAL } }, ...(onError ? { onError } : {}) },
	);
	return {
		id,
		name,
		nodes: [...src.nodes, jimeng],
		connections: { ...src.connections, [SPLIT]: { main: [[link('Jimeng')]] } },
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
			node(input, 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify(c.json ?? {}), options: {} }, [220, i * 160]),
			node(
				target,
				'n8n-nodes-jimeng.jimeng',
				1,
				{ options: {}, ...c.parameters },
				[440, i * 160],
				{ credentials: { jimengApi: { ...CREDENTIAL } }, ...(c.onError ? { onError: c.onError } : {}) },
			),
		);
		connections[TRIGGER].main[0].push(link(input));
		connections[input] = { main: [[link(target)]] };
	});
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' } };
}

export const CORE = {
	submit: 'Submit (HTTP Request)',
	wait: 'Wait 3 s',
	query: 'Query (HTTP Request)',
	done: 'Done?',
	download: 'Download (HTTP Request)',
};

/**
 * The same job from core nodes. The API key comes from a Header Auth credential (Authorization:
 * Bearer …), as n8n's docs recommend over a plain header parameter. The query reads the task id
 * back from the submit node through paired items, `$('Submit').item`, the usual way.
 * `submitSettings`: node settings for the submit node, e.g. { retryOnFail: true, maxTries: 3,
 * waitBetweenTries: 5000 } (n8n's "Retry On Fail").
 */
export function coreWorkflow({ id, name, prompts, baseUrl, submitSettings = {} }) {
	const src = promptSource(prompts);
	const auth = {
		authentication: 'genericCredentialType',
		genericAuthType: 'httpHeaderAuth',
	};
	const credentials = { httpHeaderAuth: { ...HEADER_AUTH_CREDENTIAL } };
	const jm = (action) => `${baseUrl}/jm?Action=${action}&Version=2022-08-31`;
	const submit = node(
		CORE.submit,
		'n8n-nodes-base.httpRequest',
		4.2,
		{
			method: 'POST',
			url: jm('CVSync2AsyncSubmitTask'),
			...auth,
			sendBody: true,
			specifyBody: 'json',
			jsonBody:
				"={{ JSON.stringify({ req_key: 'jimeng_t2i_v40', model: 'jimeng-4.0', prompt: $json.prompts, width: 2048, height: 2048, force_single: true }) }}",
			options: {},
		},
		[660, 0],
		{ credentials, ...submitSettings },
	);
	const wait = node(CORE.wait, 'n8n-nodes-base.wait', 1.1, { resume: 'timeInterval', amount: 3, unit: 'seconds' }, [880, 0], {
		webhookId: randomUUID(),
	});
	const submitName = CORE.submit.replace(/'/g, "\\'");
	const query = node(
		CORE.query,
		'n8n-nodes-base.httpRequest',
		4.2,
		{
			method: 'POST',
			url: jm('CVSync2AsyncGetResult'),
			...auth,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ req_key: 'jimeng_t2i_v40', task_id: $('${submitName}').item.json.data.task_id, req_json: JSON.stringify({ return_url: true }) }) }}`,
			options: {},
		},
		[1100, 0],
		{ credentials },
	);
	const done = node(
		CORE.done,
		'n8n-nodes-base.if',
		2.2,
		{
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [
					{
						id: randomUUID(),
						leftValue: '={{ $json.data.status }}',
						rightValue: 'success',
						operator: { type: 'string', operation: 'equals' },
					},
				],
				combinator: 'and',
			},
			options: {},
		},
		[1320, 0],
	);
	const download = node(
		CORE.download,
		'n8n-nodes-base.httpRequest',
		4.2,
		{
			url: '={{ $json.data.image_urls[0] }}',
			options: { response: { response: { responseFormat: 'file' } } },
		},
		[1540, -100],
	);
	return {
		id,
		name,
		nodes: [...src.nodes, submit, wait, query, done, download],
		connections: {
			...src.connections,
			[SPLIT]: { main: [[link(CORE.submit)]] },
			[CORE.submit]: { main: [[link(CORE.wait)]] },
			[CORE.wait]: { main: [[link(CORE.query)]] },
			[CORE.query]: { main: [[link(CORE.done)]] },
			[CORE.done]: { main: [[link(CORE.download)], [link(CORE.wait)]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Max Concurrent Tasks' default and maximum in the Jimeng package installed in an n8n instance. */
export function installedNodeSettings(instance) {
	const pkg = instance.packages.find((p) => p.name === 'n8n-nodes-jimeng');
	// Through the node's class, as n8n reads it, not through the package's internal files; from the
	// repo's build (the one that was packed), where n8n-workflow resolves.
	const { Jimeng } = createRequire(import.meta.url)('../dist/nodes/Jimeng/Jimeng.node.js');
	const optionsProperty = new Jimeng().description.properties.find((p) => p.name === 'options');
	const option = optionsProperty.options.find((o) => o.name === 'maxConcurrency');
	return { defaultConcurrency: option.default, cap: option.typeOptions?.maxValue ?? Infinity, version: pkg.version };
}

// The benchmark's core-node workflow: the Jimeng node's job built from core nodes only,
//   Manual Trigger → Set (raw JSON list of prompts) → Split Out → HTTP Request (submit) → Wait 3 s →
//   HTTP Request (query) → IF status is success → true: HTTP Request (download, response as a file);
//   false: back to Wait.
// With the parameter shapes of HTTP Request 4.2, Wait 1.1 and IF 2.2 as n8n 2.41.1 stores them
// (read from n8n-nodes-base/dist/nodes/{HttpRequest/V3,Wait,If/V2}).
import { randomUUID } from 'node:crypto';

import { chain, link, node, promptSource, SPLIT } from '../scripts/support/workflows.mjs';

export const HEADER_AUTH_CREDENTIAL = {
	id: 'benchHeaderAuth1',
	name: 'Jimeng gateway (Header Auth)',
};

export const CORE = {
	submit: 'Submit (HTTP Request)',
	wait: 'Wait 3 s',
	query: 'Query (HTTP Request)',
	done: 'Done?',
	download: 'Download (HTTP Request)',
};

const AUTH = { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' };
const credentials = { httpHeaderAuth: { ...HEADER_AUTH_CREDENTIAL } };

/** An HTTP Request 4.2 node; `call` posts a JSON body to the gateway with the Header Auth credential. */
const httpRequest = (name, parameters, position, settings = {}) =>
	node(name, 'n8n-nodes-base.httpRequest', 4.2, { options: {}, ...parameters }, position, settings);
const call = (name, url, jsonBody, position, settings = {}) =>
	httpRequest(
		name,
		{ method: 'POST', url, ...AUTH, sendBody: true, specifyBody: 'json', jsonBody },
		position,
		{ credentials, ...settings },
	);

/** IF 2.2: the query's status is success. */
const doneNode = () =>
	node(
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

/**
 * The same job from core nodes. The API key comes from a Header Auth credential (Authorization:
 * Bearer …), as n8n's docs recommend over a plain header parameter. The query reads the task id
 * back from the submit node through paired items, `$('Submit').item`, the usual way.
 * `submitSettings`: node settings for the submit node, e.g. { retryOnFail: true, maxTries: 3,
 * waitBetweenTries: 5000 } (n8n's "Retry On Fail").
 */
export function coreWorkflow({ id, name, prompts, baseUrl, submitSettings = {} }) {
	const src = promptSource(prompts);
	const jm = (action) => `${baseUrl}/jm?Action=${action}&Version=2022-08-31`;
	const submitName = CORE.submit.replace(/'/g, "\\'");
	const nodes = [
		call(
			CORE.submit,
			jm('CVSync2AsyncSubmitTask'),
			"={{ JSON.stringify({ req_key: 'jimeng_t2i_v40', model: 'jimeng-4.0', prompt: $json.prompts, width: 2048, height: 2048, force_single: true }) }}",
			[660, 0],
			submitSettings,
		),
		node(
			CORE.wait,
			'n8n-nodes-base.wait',
			1.1,
			{ resume: 'timeInterval', amount: 3, unit: 'seconds' },
			[880, 0],
			{ webhookId: randomUUID() },
		),
		call(
			CORE.query,
			jm('CVSync2AsyncGetResult'),
			`={{ JSON.stringify({ req_key: 'jimeng_t2i_v40', task_id: $('${submitName}').item.json.data.task_id, req_json: JSON.stringify({ return_url: true }) }) }}`,
			[1100, 0],
		),
		doneNode(),
		httpRequest(
			CORE.download,
			{
				url: '={{ $json.data.image_urls[0] }}',
				options: { response: { response: { responseFormat: 'file' } } },
			},
			[1540, -100],
		),
	];
	return {
		id,
		name,
		nodes: [...src.nodes, ...nodes],
		connections: {
			...src.connections,
			...chain(SPLIT, CORE.submit, CORE.wait, CORE.query, CORE.done),
			[CORE.done]: { main: [[link(CORE.download)], [link(CORE.wait)]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

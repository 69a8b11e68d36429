import type { IDataObject, INode, INodeTypes, IHttpRequestOptions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { request } from 'undici';

import { JimengApi } from '../../credentials/JimengApi.credentials';
import { Jimeng } from '../../nodes/Jimeng/Jimeng.node';
import { expectSuccess, queries, runJimeng, submits, useFakeJimeng } from '../support/jimeng';

const { fake } = useFakeJimeng();

const credentialType = new JimengApi();

/** A one-node workflow whose expression engine resolves `$credentials` as n8n's credential tester does. */
function expressionContext(): { workflow: Workflow; node: INode } {
	const nodeType = new Jimeng();
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const node: INode = {
		id: 'credential-test',
		name: 'Jimeng',
		type: 'n8n-nodes-jimeng.jimeng',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return { workflow, node };
}

function resolve(value: unknown, credentials: IDataObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const { workflow, node } = expressionContext();
	return workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials });
}

/** The credential's test request, resolved and authenticated the way n8n does before sending it. */
function testRequest(credentials: IDataObject): { url: string; options: IHttpRequestOptions; headers: Record<string, string> } {
	const spec = credentialType.test.request;
	const baseURL = String(resolve(spec.baseURL, credentials));
	const url = new URL(`${baseURL}${String(resolve(spec.url, credentials))}`);
	for (const [key, value] of Object.entries(spec.qs ?? {})) url.searchParams.set(key, String(resolve(value, credentials)));
	const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
	for (const [key, value] of Object.entries(credentialType.authenticate.properties.headers ?? {})) {
		headers[key.toLowerCase()] = String(resolve(value, credentials));
	}
	return { url: url.toString(), options: spec as IHttpRequestOptions, headers };
}

async function sendTest(credentials: IDataObject) {
	const { url, options, headers } = testRequest(credentials);
	const response = await request(url, {
		method: (options.method ?? 'GET') as 'POST',
		headers,
		body: JSON.stringify(options.body),
	});
	const text = await response.body.text();
	return { url, statusCode: response.statusCode, text };
}

/** n8n's rule check for a failed test request: the first responseCode rule with this status. */
function ruleMessage(statusCode: number): string | undefined {
	for (const rule of credentialType.test.rules ?? []) {
		if (rule.type === 'responseCode' && rule.properties.value === statusCode) return rule.properties.message;
	}
	return undefined;
}

describe('Jimeng API credential', () => {
	test('the test request with a good key answers the Jimeng envelope and creates no task', async () => {
		const { url, statusCode, text } = await sendTest({ apiKey: fake().apiKey, baseUrl: fake().url });
		expect(url).toBe(`${fake().url}/jm?Action=CVSync2AsyncGetResult&Version=2022-08-31`);
		expect(statusCode).toBe(200);
		const envelope = JSON.parse(text) as IDataObject;
		expect(envelope.code).toBe(10000);
		expect(fake().stats().tasksCreated).toBe(0);
		expect(submits(fake())).toHaveLength(0);
		const [query] = queries(fake());
		expect(query.headers.authorization).toBe(`Bearer ${fake().apiKey}`);
		// The fake checked the protocol: req_key, task_id and req_json as a string.
		expect(query.problem).toBeNull();
		expect(typeof (query.body as IDataObject).req_json).toBe('string');
	});

	test('a trailing slash on the Base URL is stripped', async () => {
		const { url, statusCode } = await sendTest({ apiKey: fake().apiKey, baseUrl: `${fake().url}//` });
		expect(url.startsWith(`${fake().url}/jm?`)).toBe(true);
		expect(statusCode).toBe(200);
		expect(queries(fake())[0].url).toMatch(/^\/jm\?/);
	});

	test('a wrong key answers 401, which the rules turn into a plain message', async () => {
		const { statusCode } = await sendTest({ apiKey: 'wrong-key', baseUrl: fake().url });
		expect(statusCode).toBe(401);
		expect(ruleMessage(statusCode)).toMatch(/rejected the API key/);
		expect(fake().stats().tasksCreated).toBe(0);
	});

	test('a 403 from the gateway is mapped to a refused-key message', async () => {
		fake().enqueue('query', { status: 403, body: { error: { message: 'insufficient quota' } } });
		const { statusCode } = await sendTest({ apiKey: fake().apiKey, baseUrl: fake().url });
		expect(statusCode).toBe(403);
		expect(ruleMessage(statusCode)).toMatch(/refused the API key/);
	});

	test('the node works with a Base URL that ends in a slash', async () => {
		const result = await runJimeng(fake(), {
			baseUrl: `${fake().url}/`,
			parameters: { operation: 'submit', prompt: 'slash' },
		});
		expectSuccess(result);
		expect(result.items[0].binary?.data).toBeDefined();
		expect(fake().log.filter((entry) => entry.server === 'api').every((entry) => entry.url!.startsWith('/jm?'))).toBe(true);
		expect(fake().stats().problems).toBe(0);
	});
});

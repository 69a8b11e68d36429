import type { IncomingMessage, ServerResponse } from 'node:http';

import {
	newApiAnswer,
	UNKNOWN_TASK_MODES,
	type NewApiOptions,
	type ScriptedResponse,
	type UnknownTaskMode,
} from '../fake-jimeng';
import { testCredential } from '../harness';
import { Jimeng } from '../../nodes/Jimeng/Jimeng.node';
import { JimengApi } from '../../credentials/JimengApi.credentials';
import { queries, submits } from '../support/fakeLog';
import { closedPort, startLoopbackServer } from '../support/loopback';
import { apiCalls, submit, useNode } from './_support-run';

const { fake, ok } = useNode();

async function pressTest(data: { apiKey?: string; baseUrl?: string }) {
	const { apiKey = fake().apiKey, baseUrl = fake().url } = data;
	return await testCredential({
		nodeType: Jimeng,
		credentialName: 'jimengApi',
		data: { apiKey, baseUrl },
	});
}

/** The Test button against a loopback server that is not a Jimeng gateway; `requests`: how many it got. */
async function pressAgainst(
	handler: (req: IncomingMessage, res: ServerResponse) => void,
	baseUrl: (url: string) => string,
) {
	const server = await startLoopbackServer(handler);
	try {
		const outcome = await pressTest({ apiKey: 'some-key', baseUrl: baseUrl(server.url) });
		return { ...outcome, url: server.url, requests: server.requests() };
	} finally {
		await server.close();
	}
}

const connected = () => ({
	status: 'OK',
	message: `Connection successful: ${fake().url} accepted the key.`,
});

describe('Jimeng API credential: the Test button', () => {
	test('the node tests the credential (testedBy), and the credential has no declarative test left', () => {
		const entry = new Jimeng().description.credentials?.find((c) => c.name === 'jimengApi');
		expect(entry?.testedBy).toBe('jimengApiTest');
		expect((new JimengApi() as { test?: unknown }).test).toBeUndefined();
	});

	test.each(Object.keys(UNKNOWN_TASK_MODES) as UnknownTaskMode[])(
		'passes with a good key when the gateway answers an unknown task as %s, and bills nothing',
		async (mode) => {
			fake().setOptions({ unknownTask: mode });
			expect(await pressTest({})).toEqual(connected());
			expect(submits(fake())).toHaveLength(0);
			expect(fake().stats().tasksCreated).toBe(0);
			const [query] = queries(fake());
			expect(query.headers.authorization).toBe(`Bearer ${fake().apiKey}`);
			expect(query.url).toBe('/jm?Action=CVSync2AsyncGetResult&Version=2022-08-31');
			expect(query.problem).toBeNull();
		},
	);

	test('a trailing slash on the Base URL is stripped', async () => {
		expect((await pressTest({ baseUrl: `${fake().url}//` })).status).toBe('OK');
		expect(queries(fake())[0].url).toMatch(/^\/jm\?/);
	});

	interface KeyCase {
		key?: string;
		answer?: (key: string) => ScriptedResponse;
		message: RegExp;
	}
	const keyCases: Record<string, KeyCase> = {
		'a wrong key fails with a message about the key (HTTP 401)': {
			key: 'wrong-key-123',
			message: /rejected the API key \(HTTP 401\)/,
		},
		'a 403 that speaks of quota is the balance, not the key, quoting the gateway': {
			answer: () => ({ status: 403, body: { error: { message: 'insufficient quota' } } }),
			message:
				/^The account balance or the key's quota is spent \(HTTP 403\)\. The key is fine\. Top up .*The gateway said: "insufficient quota"\.$/,
		},
		'a gateway that echoes the key in its error has it masked': {
			answer: (key) => ({ status: 401, body: { error: { message: `invalid key ${key}` } } }),
			message: /invalid key \*\*\*/,
		},
	};
	test.each(Object.entries(keyCases))(
		'%s, without echoing the key',
		async (_label, { key, answer, message }) => {
			const apiKey = key ?? fake().apiKey;
			if (answer) fake().enqueue('query', answer(apiKey));
			const outcome = await pressTest({ apiKey });
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toMatch(message);
			expect(outcome.message).not.toContain(apiKey);
		},
	);

	describe('where nothing serves /jm', () => {
		test.each([
			['a 404 HTML page', 404, 'text/html', '<!doctype html><html><body>Not Found</body></html>'],
			["another API's JSON", 404, 'application/json', '{"error":"not found"}'],
			['a 200 JSON of another API', 200, 'application/json', '{"ok":true,"data":[]}'],
			['an empty 502', 502, 'text/plain', ''],
		])('%s fails naming the Base URL', async (_label, status, type, body) => {
			const outcome = await pressAgainst(
				(_req, res) => res.writeHead(status, { 'content-type': type }).end(body),
				(url) => `${url}/`,
			);
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toContain(`Nothing serves the Jimeng API at ${outcome.url}/jm`);
			const page = type === 'text/html' ? 'an HTML page' : 'JSON that is not a Jimeng API answer';
			expect(outcome.message).toMatch(`HTTP ${status} with ${body ? page : 'an empty body'}`);
			expect(outcome.message).not.toContain('{Base URL}');
		});

		test('a redirect is not followed (the key would travel) and names where it points', async () => {
			const outcome = await pressAgainst(
				(_req, res) => res.writeHead(301, { location: 'https://elsewhere.example/jm' }).end(),
				(url) => url,
			);
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toMatch(/redirects \(HTTP 301\) to https:\/\/elsewhere\.example\/jm/);
			expect(outcome.requests).toBe(1);
		});
	});

	test('a refused connection names the Base URL', async () => {
		const baseUrl = `http://127.0.0.1:${await closedPort()}`;
		expect(await pressTest({ apiKey: 'some-key', baseUrl })).toEqual({
			status: 'Error',
			message: `Nothing accepted the connection at ${baseUrl} (ECONNREFUSED). Check the Base URL and that the gateway is running.`,
		});
	});

	test('an unresolvable host says so', async () => {
		const baseUrl = 'http://jimeng-gateway.invalid';
		expect(await pressTest({ apiKey: 'some-key', baseUrl })).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(
				/^The host jimeng-gateway\.invalid in the Base URL could not be resolved \((ENOTFOUND|EAI_AGAIN)\)/,
			),
		});
	});

	test('a Base URL that is not http(s), and an empty key, are refused without a request', async () => {
		expect(await pressTest({ apiKey: 'k', baseUrl: 'zx1.deepwl.net' })).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/not an http\(s\) URL/),
		});
		expect(await pressTest({ apiKey: '  ' })).toMatchObject({
			status: 'Error',
			message: 'The API key is empty.',
		});
		expect(fake().log).toHaveLength(0);
	});

	describe("a gateway whose own layer answers first (the fake's new-api mode)", () => {
		beforeEach(() => fake().setOptions({ gateway: 'new-api' }));

		test("passes with a good key on the gateway's own unknown-task JSON (HTTP 400), and bills nothing", async () => {
			expect(await pressTest({})).toEqual(connected());
			expect(queries(fake()).map((e) => [e.statusCode, e.fault])).toEqual([
				[400, 'new-api:task-not-exist'],
			]);
			expect(fake().stats().tasksCreated).toBe(0);
		});

		test('passes, with a note, when no channel serves the model now (the key was checked first)', async () => {
			fake().setOptions({ newApi: { channel: false } });
			const outcome = await pressTest({});
			expect(outcome.status).toBe('OK');
			expect(outcome.message).toMatch(
				/accepted the key\. Note: it has no channel for the model right now\. The gateway said: "分组 default 下模型 jimeng_t2i_v40 无可用渠道/,
			);
		});

		interface GatewayCase {
			apiKey?: string;
			newApi?: NewApiOptions;
			answer?: ScriptedResponse;
			message: RegExp;
		}
		const gatewayCases: Record<string, GatewayCase> = {
			'a wrong key': {
				apiKey: 'wrong-key-123',
				message:
					/^The gateway rejected the API key \(HTTP 401\)\. Check the API key .*"无效的令牌 \(request id: \w+\)"\.$/,
			},
			'an expired key': {
				newApi: { keyState: 'expired' },
				message: /^The gateway rejected the API key \(HTTP 401\).*"该令牌已过期/,
			},
			'an exhausted key': {
				newApi: { keyState: 'exhausted' },
				message:
					/^The API key's quota is used up \(HTTP 401\)\. The key is right, but .*"该令牌额度已用尽/,
			},
			'a model the key may not use': {
				newApi: { permission: 'model' },
				message:
					/^The gateway does not let this key make this request \(HTTP 403\).*"该令牌无权访问模型/,
			},
			'a group the key may not use': {
				newApi: { permission: 'group' },
				message:
					/^The gateway does not let this key make this request \(HTTP 403\).*"无权访问 default 分组/,
			},
			'a rate limit (429, empty body)': {
				newApi: { rateLimit: { limiter: 'global', max: 0 } },
				message: /is rate limiting requests \(HTTP 429\), so the key could not be checked/,
			},
			'the balance (a gateway that pre-consumes on every call), never blaming the key': {
				answer: newApiAnswer('wallet-empty'),
				message:
					/^The account balance or the key's quota is spent \(HTTP 403\)\. The key is fine\. .*"用户额度不足, 剩余额度: ¥0\.000000"\.$/,
			},
		};
		test.each(Object.entries(gatewayCases))(
			'fails on %s, naming it',
			async (_label, { apiKey, newApi, answer, message }) => {
				if (newApi) fake().setOptions({ newApi });
				if (answer) fake().enqueue('query', answer);
				const outcome = await pressTest({ apiKey });
				expect(outcome.status).toBe('Error');
				expect(outcome.message).toMatch(message);
				expect(outcome.message).not.toContain(fake().apiKey);
				expect(fake().log).toHaveLength(1);
			},
		);

		test('a new-api without the Jimeng route (its web app answers, HTTP 200) fails naming the Base URL', async () => {
			expect(await pressTest({ baseUrl: `${fake().url}/console` })).toEqual({
				status: 'Error',
				message: `Nothing serves the Jimeng API at ${fake().url}/console/jm: it answered HTTP 200 with an HTML page. Check the Base URL.`,
			});
		});
	});

	test('the node works with a Base URL that ends in a slash', async () => {
		await ok({ baseUrl: `${fake().url}/`, parameters: submit('slash') });
		expect(apiCalls(fake()).every((entry) => entry.url!.startsWith('/jm?'))).toBe(true);
		expect(fake().stats().problems).toBe(0);
	});
});

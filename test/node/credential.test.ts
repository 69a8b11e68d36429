import { newApiAnswer, UNKNOWN_TASK_MODES, type UnknownTaskMode } from '../fake-jimeng';
import { testCredential } from '../harness';
import { Jimeng } from '../../nodes/Jimeng/Jimeng.node';
import { JimengApi } from '../../credentials/JimengApi.credentials';
import { queries, submits } from '../support/fakeLog';
import { useFakeJimeng } from '../support/jimeng';
import { closedPort, startLoopbackServer } from '../support/loopback';
import { expectSuccess } from '../support/results';

const { fake, run } = useFakeJimeng();

async function pressTest(data: { apiKey: string; baseUrl: string }) {
	return await testCredential({ nodeType: Jimeng, credentialName: 'jimengApi', data });
}

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
			const outcome = await pressTest({ apiKey: fake().apiKey, baseUrl: fake().url });
			expect(outcome).toEqual({
				status: 'OK',
				message: `Connection successful: ${fake().url} accepted the key.`,
			});
			expect(submits(fake())).toHaveLength(0);
			expect(fake().stats().tasksCreated).toBe(0);
			const [query] = queries(fake());
			expect(query.headers.authorization).toBe(`Bearer ${fake().apiKey}`);
			expect(query.url).toBe('/jm?Action=CVSync2AsyncGetResult&Version=2022-08-31');
			expect(query.problem).toBeNull();
		},
	);

	test('a trailing slash on the Base URL is stripped', async () => {
		const outcome = await pressTest({ apiKey: fake().apiKey, baseUrl: `${fake().url}//` });
		expect(outcome.status).toBe('OK');
		expect(queries(fake())[0].url).toMatch(/^\/jm\?/);
	});

	test('a wrong key fails with a message about the key (HTTP 401), without echoing it', async () => {
		const outcome = await pressTest({ apiKey: 'wrong-key-123', baseUrl: fake().url });
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toMatch(/rejected the API key \(HTTP 401\)/);
		expect(outcome.message).not.toContain('wrong-key-123');
	});

	test('a 403 that speaks of quota is the balance, not the key, quoting the gateway', async () => {
		fake().enqueue('query', { status: 403, body: { error: { message: 'insufficient quota' } } });
		const outcome = await pressTest({ apiKey: fake().apiKey, baseUrl: fake().url });
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toMatch(
			/^The account balance or the key's quota is spent \(HTTP 403\)\. The key is fine\. Top up .*The gateway said: "insufficient quota"\.$/,
		);
	});

	test('a gateway that echoes the key in its error has it masked', async () => {
		fake().enqueue('query', {
			status: 401,
			body: { error: { message: `invalid key ${fake().apiKey}` } },
		});
		const outcome = await pressTest({ apiKey: fake().apiKey, baseUrl: fake().url });
		expect(outcome.message).toMatch(/invalid key \*\*\*/);
		expect(outcome.message).not.toContain(fake().apiKey);
	});

	describe('where nothing serves /jm', () => {
		test.each([
			[
				'a 404 HTML page',
				404,
				'text/html',
				'<!doctype html><html><body>Not Found</body></html>',
				/HTTP 404 with an HTML page/,
			],
			[
				"another API's JSON",
				404,
				'application/json',
				'{"error":"not found"}',
				/HTTP 404 with JSON that is not a Jimeng API answer/,
			],
			[
				'a 200 JSON of another API',
				200,
				'application/json',
				'{"ok":true,"data":[]}',
				/HTTP 200 with JSON that is not a Jimeng API answer/,
			],
			['an empty 502', 502, 'text/plain', '', /HTTP 502 with an empty body/],
		])('%s fails naming the Base URL', async (_label, status, type, body, expected) => {
			const server = await startLoopbackServer((_req, res) =>
				res.writeHead(status, { 'content-type': type }).end(body),
			);
			try {
				const outcome = await pressTest({ apiKey: 'some-key', baseUrl: `${server.url}/` });
				expect(outcome.status).toBe('Error');
				expect(outcome.message).toContain(`Nothing serves the Jimeng API at ${server.url}/jm`);
				expect(outcome.message).toMatch(expected);
				expect(outcome.message).not.toContain('{Base URL}');
			} finally {
				await server.close();
			}
		});

		test('a redirect is not followed (the key would travel) and names where it points', async () => {
			const server = await startLoopbackServer((_req, res) =>
				res.writeHead(301, { location: 'https://elsewhere.example/jm' }).end(),
			);
			try {
				const outcome = await pressTest({ apiKey: 'some-key', baseUrl: server.url });
				expect(outcome.status).toBe('Error');
				expect(outcome.message).toMatch(
					/redirects \(HTTP 301\) to https:\/\/elsewhere\.example\/jm/,
				);
				expect(server.requests()).toBe(1);
			} finally {
				await server.close();
			}
		});
	});

	test('a refused connection names the Base URL', async () => {
		const baseUrl = `http://127.0.0.1:${await closedPort()}`;
		const outcome = await pressTest({ apiKey: 'some-key', baseUrl });
		expect(outcome).toEqual({
			status: 'Error',
			message: `Nothing accepted the connection at ${baseUrl} (ECONNREFUSED). Check the Base URL and that the gateway is running.`,
		});
	});

	test('an unresolvable host says so', async () => {
		const outcome = await pressTest({
			apiKey: 'some-key',
			baseUrl: 'http://jimeng-gateway.invalid',
		});
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toMatch(
			/^The host jimeng-gateway\.invalid in the Base URL could not be resolved \((ENOTFOUND|EAI_AGAIN)\)/,
		);
	});

	test('a Base URL that is not http(s), and an empty key, are refused without a request', async () => {
		expect(await pressTest({ apiKey: 'k', baseUrl: 'zx1.deepwl.net' })).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/not an http\(s\) URL/),
		});
		expect(await pressTest({ apiKey: '  ', baseUrl: fake().url })).toMatchObject({
			status: 'Error',
			message: 'The API key is empty.',
		});
		expect(fake().log).toHaveLength(0);
	});

	describe("a gateway whose own layer answers first (the fake's new-api mode)", () => {
		beforeEach(() => fake().setOptions({ gateway: 'new-api' }));

		test("passes with a good key on the gateway's own unknown-task JSON (HTTP 400), and bills nothing", async () => {
			const outcome = await pressTest({ apiKey: fake().apiKey, baseUrl: fake().url });
			expect(outcome).toEqual({
				status: 'OK',
				message: `Connection successful: ${fake().url} accepted the key.`,
			});
			expect(queries(fake()).map((e) => [e.statusCode, e.fault])).toEqual([
				[400, 'new-api:task-not-exist'],
			]);
			expect(fake().stats().tasksCreated).toBe(0);
		});

		test('passes, with a note, when no channel serves the model now (the key was checked first)', async () => {
			fake().setOptions({ newApi: { channel: false } });
			const outcome = await pressTest({ apiKey: fake().apiKey, baseUrl: fake().url });
			expect(outcome.status).toBe('OK');
			expect(outcome.message).toMatch(
				/accepted the key\. Note: it has no channel for the model right now\. The gateway said: "分组 default 下模型 jimeng_t2i_v40 无可用渠道/,
			);
		});

		test.each([
			[
				'a wrong key',
				'wrong-key-123',
				{},
				/^The gateway rejected the API key \(HTTP 401\)\. Check the API key .*"无效的令牌 \(request id: \w+\)"\.$/,
			],
			[
				'an expired key',
				undefined,
				{ keyState: 'expired' },
				/^The gateway rejected the API key \(HTTP 401\).*"该令牌已过期/,
			],
			[
				'an exhausted key',
				undefined,
				{ keyState: 'exhausted' },
				/^The API key's quota is used up \(HTTP 401\)\. The key is right, but .*"该令牌额度已用尽/,
			],
			[
				'a model the key may not use',
				undefined,
				{ permission: 'model' },
				/^The gateway does not let this key make this request \(HTTP 403\).*"该令牌无权访问模型/,
			],
			[
				'a group the key may not use',
				undefined,
				{ permission: 'group' },
				/^The gateway does not let this key make this request \(HTTP 403\).*"无权访问 default 分组/,
			],
			[
				'a rate limit (429, empty body)',
				undefined,
				{ rateLimit: { limiter: 'global', max: 0 } },
				/is rate limiting requests \(HTTP 429\), so the key could not be checked/,
			],
		] as const)('fails on %s, naming it', async (_label, apiKey, newApi, message) => {
			fake().setOptions({ newApi });
			const outcome = await pressTest({ apiKey: apiKey ?? fake().apiKey, baseUrl: fake().url });
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toMatch(message);
			expect(outcome.message).not.toContain(fake().apiKey);
			expect(fake().log).toHaveLength(1);
		});

		test('fails on the balance (a gateway that pre-consumes on every call), never blaming the key', async () => {
			fake().enqueue('query', newApiAnswer('wallet-empty'));
			const outcome = await pressTest({ apiKey: fake().apiKey, baseUrl: fake().url });
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toMatch(
				/^The account balance or the key's quota is spent \(HTTP 403\)\. The key is fine\. .*"用户额度不足, 剩余额度: ¥0\.000000"\.$/,
			);
		});

		test('a new-api without the Jimeng route (its web app answers, HTTP 200) fails naming the Base URL', async () => {
			const outcome = await pressTest({ apiKey: fake().apiKey, baseUrl: `${fake().url}/console` });
			expect(outcome.status).toBe('Error');
			expect(outcome.message).toBe(
				`Nothing serves the Jimeng API at ${fake().url}/console/jm: it answered HTTP 200 with an HTML page. Check the Base URL.`,
			);
		});
	});

	test('the node works with a Base URL that ends in a slash', async () => {
		const result = await run({
			baseUrl: `${fake().url}/`,
			parameters: { operation: 'submit', prompt: 'slash' },
		});
		expectSuccess(result);
		expect(
			fake()
				.log.filter((entry) => entry.server === 'api')
				.every((entry) => entry.url!.startsWith('/jm?')),
		).toBe(true);
		expect(fake().stats().problems).toBe(0);
	});
});

import { Jimeng } from '../../nodes/Jimeng/Jimeng.node';
import type { FakeJimeng } from '../support/jimeng';
import { expectFailure, jsonOf, pairedItems } from '../support/results';
import { submit, useNode } from './_support-run';

/**
 * Get Balance: GET {Base URL}/api/usage/token/ (new-api's token usage), against the fake gateway in
 * its plain mode and in its new-api mode (test/fake-jimeng/README.md cites new-api's source).
 */
const { fake, run, ok, fail } = useNode();

const getBalance = { operation: 'getBalance' };
const three = [{ json: { n: 1 } }, { json: { n: 2 } }, { json: { n: 3 } }];
/** 100,000 quota units per task in the fake (500,000 = 1 USD in new-api). */
const PER_TASK = 100_000;

const balanceCalls = (f: FakeJimeng) => f.log.filter((entry) => entry.kind === 'balance');
const otherCalls = (f: FakeJimeng) =>
	f.log.filter((entry) => entry.server === 'api' && entry.kind !== 'balance');

describe.each(['plain', 'new-api'] as const)('Get Balance, gateway %s', (gateway) => {
	beforeEach(() => fake().setOptions({ gateway }));

	test('one item per input item, in order, from one read with the key: the figures as the gateway gives them', async () => {
		const expiresAt = 1_900_000_000;
		fake().setOptions({ newApi: { keyQuota: 5, keyExpiresAt: expiresAt } });
		const result = await ok({ parameters: getBalance, inputItems: three });
		expect(jsonOf(result.items)).toEqual(
			[0, 1, 2].map(() => ({
				keyName: 'n8n',
				granted: 5 * PER_TASK,
				used: 0,
				available: 5 * PER_TASK,
				unlimited: false,
				expiresAt,
				expiresAtDate: new Date(expiresAt * 1000).toISOString(),
			})),
		);
		expect(pairedItems(result)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// One read for the execution: new-api allows this route 20 requests in 20 minutes.
		const calls = balanceCalls(fake());
		expect(calls).toHaveLength(1);
		expect(calls[0].method).toBe('GET');
		expect(calls[0].headers.authorization).toBe(`Bearer ${fake().apiKey}`);
		// It bills nothing: no submit, no query, no upload.
		expect(otherCalls(fake())).toHaveLength(0);
	});

	test('an unlimited key that never expires: unlimited, expiresAt 0 as given, no date', async () => {
		const result = await ok({ parameters: getBalance });
		expect(jsonOf(result.items)).toEqual([
			{ keyName: 'n8n', granted: 0, used: 0, available: 0, unlimited: true, expiresAt: 0 },
		]);
	});

	test('a wrong key: the gateway rejected the API key (HTTP 401), not retried', async () => {
		const result = await run({ parameters: getBalance, apiKey: 'wrong-key' });
		const error = expectFailure(result);
		expect(error.message).toMatch(
			/^Reading the balance failed: the gateway rejected the API key \(HTTP 401\)/,
		);
		expect(error.description).toContain('Check the API key');
		expect(balanceCalls(fake())).toHaveLength(1);
		expect(JSON.stringify(result.rawOutput ?? null) + error.message).not.toContain('wrong-key');
	});

	test('Continue On Fail: each item gets its error item', async () => {
		const result = await ok({
			parameters: getBalance,
			inputItems: three,
			apiKey: 'wrong-key',
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(3);
		for (const json of jsonOf(result.items)) {
			expect(json.error).toMatch(/^Reading the balance failed: the gateway rejected the API key/);
			expect(json.httpCode).toBe('401');
		}
		expect(pairedItems(result)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// The refusal is the same for every item: asked once.
		expect(balanceCalls(fake())).toHaveLength(1);
	});

	test('as an AI tool: the same item', async () => {
		const result = await ok({ parameters: getBalance, nodeType: 'jimengTool' });
		expect(jsonOf(result.items)).toMatchObject([{ keyName: 'n8n', unlimited: true }]);
	});

	test.each([
		['missing', gateway === 'plain' ? ' with a non-JSON page' : ''],
		['web-page', ' with a non-JSON page'],
	] as const)(
		'a gateway without the endpoint (%s): an error naming it, not retried',
		async (balance, page) => {
			fake().setOptions({ balance });
			const error = await fail({ parameters: getBalance });
			const status = balance === 'missing' ? 404 : 200;
			expect(error.message).toBe(
				`Reading the balance failed: the gateway has no balance endpoint (GET /api/usage/token/ answered HTTP ${status}${page})`,
			);
			expect(error.description).toContain('Check Base URL');
			expect(fake().log.filter((entry) => entry.server === 'api')).toHaveLength(1);
		},
	);
});

describe('Get Balance in new-api mode', () => {
	beforeEach(() => fake().setOptions({ gateway: 'new-api' }));

	test("the used quota grows with the tasks the key created (the gateway's units)", async () => {
		fake().setOptions({ newApi: { keyQuota: 3 } });
		await ok({ parameters: submit('a cat') });
		const result = await ok({ parameters: getBalance });
		expect(jsonOf(result.items)[0]).toMatchObject({
			granted: 3 * PER_TASK,
			used: PER_TASK,
			available: 2 * PER_TASK,
		});
	});

	test("new-api's rate limit (HTTP 429, empty body) is waited out and retried", async () => {
		fake().setOptions({ newApi: { rateLimit: { limiter: 'global', max: 1, windowMs: 800 } } });
		await ok({ parameters: getBalance });
		// The second execution's read comes inside the window: refused, then retried.
		const result = await ok({ parameters: getBalance });
		expect(result.items).toHaveLength(1);
		const statuses = balanceCalls(fake()).map((entry) => entry.statusCode);
		expect(statuses[0]).toBe(200);
		expect(statuses).toContain(429);
		expect(statuses.filter((status) => status === 200)).toHaveLength(2);
	});
});

test('Get Balance shows no parameter: none of the task parameters names it', () => {
	for (const property of new Jimeng().description.properties) {
		if (property.name === 'operation') continue;
		expect(property.displayOptions?.show?.operation).not.toContain('getBalance');
	}
});

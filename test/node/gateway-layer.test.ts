import { API_MESSAGES, newApiAnswer, type NewApiOptions } from '../fake-jimeng';
import { queries, submits } from '../support/fakeLog';
import { pngOf } from '../support/images';
import { pairedItems } from '../support/results';
import { fromItem, prompts } from '../support/jimeng';
import { apiCalls, useNode } from './_support-run';

/**
 * The gateway's own layer (new-api), through n8n-core: the fake in new-api mode answers as new-api's
 * middleware does (test/fake-jimeng/README.md, "new-api mode"), before the Jimeng layer.
 */
const { fake, ok, fail } = useNode({ gateway: 'new-api' });

const oneAtATime = { ...fromItem, options: { maxConcurrency: 1 } };
const BALANCE =
	/^Submitting the task failed: the account balance or the key's quota is spent \(HTTP 403\): "用户额度不足, 剩余额度: ¥0\.000000"$/;

/** One item's submit, not waited for. */
const submitOnly = (prompt: string, maxRetries?: number) => ({
	parameters: {
		...fromItem,
		waitForCompletion: false,
		...(maxRetries !== undefined && { options: { maxRetries } }),
	},
	inputItems: prompts(prompt),
});

describe('the balance runs out in the middle of a batch', () => {
	test('Continue On Fail: the accepted tasks are delivered, the refused item and every later one get the balance error, no submit after the refusal', async () => {
		fake().setOptions({ newApi: { wallet: 2 } });
		const result = await ok({
			parameters: oneAtATime,
			inputItems: prompts('one', 'two', 'three', 'four', 'five'),
			continueOnFail: true,
		});
		const json = result.items.map((item) => item.json);
		expect(json).toHaveLength(5);
		expect(json.slice(0, 2).map((j) => [j.status, j.prompt])).toEqual([
			['success', 'one'],
			['success', 'two'],
		]);
		for (const item of result.items.slice(0, 2)) expect(item.binary?.data).toBeDefined();
		for (const j of json.slice(2)) {
			expect(j.error).toMatch(BALANCE);
			expect(j).toMatchObject({ code: 'insufficient_user_quota', httpCode: '403' });
			expect(j.description).toMatch(/^The key is fine\. Top up the balance/);
			expect(j.description).not.toMatch(/Check the API key/);
		}
		expect(pairedItems(result)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		// Exactly three submits: two accepted, one refused; none after the refusal.
		expect(submits(fake()).map((e) => [e.prompt, e.statusCode])).toEqual([
			['one', 200],
			['two', 200],
			['three', 403],
		]);
		expect(apiCalls(fake()).at(-1)!.prompt).toBe('three');
		expect(fake().stats().tasksCreated).toBe(2);
	});

	test('tasks already accepted run to the end and are delivered after the refusal', async () => {
		// Three at once: two accepted and generating for 800 ms, the third refused for the balance;
		// the fourth takes the freed slot and fails without a request.
		const result = await ok({
			parameters: { ...fromItem, options: { maxConcurrency: 3 } },
			inputItems: prompts(
				'slow a [latency:800]',
				'slow b [latency:800]',
				'refused c [new-api:wallet-empty]',
				'never sent d',
			),
			continueOnFail: true,
		});
		const json = result.items.map((item) => item.json);
		expect(json.map((j) => j.status ?? 'error')).toEqual(['success', 'success', 'error', 'error']);
		expect(json[2].error).toMatch(BALANCE);
		expect(json[3].error).toBe(json[2].error);
		expect(submits(fake()).map((e) => e.prompt)).not.toContain('never sent d');
		expect(submits(fake())).toHaveLength(3);
		// The refusal came while both tasks were still generating; they were queried to their end.
		const refusedAt = submits(fake()).find((e) => e.statusCode === 403)!.t;
		for (const prompt of ['slow a [latency:800]', 'slow b [latency:800]']) {
			const done = queries(fake()).find((e) => e.prompt === prompt && e.taskStatus === 'success')!;
			expect(done.t).toBeGreaterThan(refusedAt);
		}
	});

	test('without Continue On Fail the node stops at the refused item', async () => {
		fake().setOptions({ newApi: { wallet: 1 } });
		const error = await fail({
			parameters: oneAtATime,
			inputItems: prompts('one', 'two', 'three'),
		});
		expect(error.message).toMatch(BALANCE);
		expect(error.itemIndex).toBe(1);
		expect(submits(fake()).map((e) => e.statusCode)).toEqual([200, 403]);
	});

	test('no reference upload either, once a submit was refused for the balance', async () => {
		fake().setOptions({ newApi: { wallet: 1 } });
		const png = pngOf(64, 64, 500);
		const result = await ok({
			parameters: { ...oneAtATime, waitForCompletion: false, binaryReferences: ['data'] },
			inputItems: ['one', 'two', 'three'].map((prompt) => ({
				json: { prompt },
				binary: { data: { data: png, mimeType: 'image/png', fileName: 'ref.png' } },
			})),
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.status ?? 'error')).toEqual([
			'submitted',
			'error',
			'error',
		]);
		expect(result.items[2].json.error).toMatch(BALANCE);
		// Items one and two each uploaded their reference and submitted; item three sent nothing.
		expect(fake().stats()).toMatchObject({ uploadLinks: 2, submits: 2, tasksCreated: 1 });
	});

	test.each([
		[
			'the key quota short of a task',
			{ keyQuota: 0.5 },
			/pre_consume_token_quota_failed|token quota is not enough/,
		],
		['the chat relay shape', { wallet: 0, quotaShape: 'relay' }, /用户额度不足/],
		['an older new-api', { wallet: 0, quotaShape: 'legacy-task' }, /user quota is not enough/],
		['one-api', { wallet: 0, quotaShape: 'one-api' }, /user quota is not enough/],
	] as const)('%s: read as the balance, not retried', async (_label, newApi, words) => {
		fake().setOptions({ newApi });
		const error = await fail(submitOnly('one'));
		expect(error.message).toMatch(/the account balance or the key's quota is spent \(HTTP 403\)/);
		expect(error.message).toMatch(words);
		expect(submits(fake())).toHaveLength(1);
	});
});

describe('rate limits and channels', () => {
	test('a 429 with an empty body on a submit is a refusal: retried, then accepted, exactly one task', async () => {
		fake().enqueue('submit', newApiAnswer('rate-limit'));
		const result = await ok(submitOnly('throttled once'));
		expect(submits(fake()).map((e) => e.statusCode)).toEqual([429, 200]);
		expect(fake().stats().tasksCreated).toBe(1);
		expect(result.items[0].json.taskId).toBe([...fake().tasks.keys()][0]);
	});

	test("the gateway's own rate limit (2 requests a second, empty 429s) slows the run down; every item succeeds, one task each", async () => {
		fake().setOptions({ newApi: { rateLimit: { limiter: 'global', max: 2, windowMs: 1000 } } });
		const result = await ok({
			parameters: { ...fromItem, options: { maxRetries: 6 } },
			inputItems: prompts('a', 'b', 'c'),
		});
		expect(result.items.map((item) => item.json.status)).toEqual(['success', 'success', 'success']);
		expect(fake().stats().tasksCreated).toBe(3);
		expect(submits(fake()).filter((e) => e.statusCode === 429).length).toBeGreaterThan(0);
	}, 60_000);

	test('a 429 of the model limit (Redis) past Max Retries says so and quotes the gateway', async () => {
		for (let n = 0; n < 2; n++) fake().enqueue('submit', newApiAnswer('model-rate-limit'));
		const error = await fail(submitOnly('throttled', 1));
		expect(error.message).toMatch(
			/^Submitting the task failed: the gateway kept refusing the request for its rate limit \(HTTP 429\): "您已达到请求数限制/,
		);
		expect(error.description).toMatch(/^Still refused after 1 retries\. Nothing was created/);
		expect(submits(fake())).toHaveLength(2);
		expect(fake().stats().tasksCreated).toBe(0);
	});

	test('no channel for the model (503): retried, then the gateway cannot serve this model now', async () => {
		fake().setOptions({ newApi: { channel: false } });
		const error = await fail(submitOnly('no channel', 1));
		expect(error.message).toMatch(
			/^Submitting the task failed: the gateway cannot serve this model now \(HTTP 503\): "分组 default 下模型 jimeng_t2i_v40 无可用渠道/,
		);
		expect(error.description).toMatch(/Try again later, check Model and Req Key in Options/);
		expect(submits(fake())).toHaveLength(2);
	});
});

interface KeyCase {
	newApi: NewApiOptions;
	message: RegExp;
	advice: RegExp;
}

describe('the key', () => {
	const cases: Record<string, KeyCase> = {
		'an exhausted key': {
			newApi: { keyState: 'exhausted' },
			message: /the API key's quota is used up \(HTTP 401\): "该令牌额度已用尽/,
			advice: /Raise the key's quota/,
		},
		'an expired key': {
			newApi: { keyState: 'expired' },
			message: /the gateway rejected the API key \(HTTP 401\): "该令牌已过期/,
			advice: /Check the API key/,
		},
		'a model the key may not use': {
			newApi: { permission: 'model' },
			message:
				/does not let this key make this request \(HTTP 403\): "该令牌无权访问模型 jimeng_t2i_v40/,
			advice: /may not use this model or group/,
		},
		'a group the key may not use': {
			newApi: { permission: 'group' },
			message: /does not let this key make this request \(HTTP 403\): "无权访问 default 分组/,
			advice: /may not use this model or group/,
		},
	};
	test.each(Object.entries(cases))(
		'%s: one request, named for what it is',
		async (_label, { newApi, message, advice }) => {
			fake().setOptions({ newApi });
			const error = await fail(submitOnly('one'));
			expect(error.message).toMatch(message);
			expect(error.description).toMatch(advice);
			expect(apiCalls(fake())).toHaveLength(1);
		},
	);

	test('the wrong key in new-api words: rejected, not retried', async () => {
		const error = await fail({ apiKey: 'sk-not-the-key', ...submitOnly('one') });
		expect(error.message).toMatch(
			/the gateway rejected the API key \(HTTP 401\): "无效的令牌 \(request id: \w+\)"/,
		);
		expect(apiCalls(fake())).toHaveLength(1);
	});
});

describe('upstream codes passed on by the gateway', () => {
	test.each(['string-code', 'fail-to-fetch'] as const)(
		'a moderation refusal passed on as %s is read as 50412: one submit, failed at once',
		async (passthrough) => {
			fake().setOptions({ newApi: { passthrough } });
			const error = await fail(submitOnly('refused [submit-code:50412]'));
			expect(error.message).toBe(`Jimeng API error 50412: ${API_MESSAGES[50412]}`);
			expect(error.description).toMatch(/prompt failed content moderation/);
			expect(error.httpCode).toBe(passthrough === 'string-code' ? '500' : '400');
			expect(submits(fake())).toHaveLength(1);
		},
	);

	test('an internal error passed on as "50500" under HTTP 500 is retried (a complete JSON answer: no task)', async () => {
		await ok(submitOnly('flaky [submit-code:50500:1]'));
		expect(submits(fake()).map((e) => e.statusCode)).toEqual([500, 200]);
		expect(fake().stats().tasksCreated).toBe(1);
	});
});

describe("the gateway's task table", () => {
	test('Get Task of an unknown task says it is unknown or older than about 12 hours', async () => {
		const error = await fail({
			parameters: { operation: 'getTask', taskId: 'no-such-task', waitForCompletion: false },
		});
		expect(error.message).toBe(
			'Querying the task (task no-such-task) failed: the gateway does not know this task (HTTP 400): "task_not_exist"',
		);
		expect(error.description).toMatch(/unknown to the gateway, or older than about 12 hours/);
		expect(queries(fake())).toHaveLength(1);
	});
});

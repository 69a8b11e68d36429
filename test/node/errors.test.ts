import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { API_MESSAGES } from '../fake-jimeng';

import {
	expectSuccess,
	prompts,
	queries,
	runJimeng,
	submits,
	useFakeJimeng,
	type RunNodeResult,
} from '../support/jimeng';

const { fake } = useFakeJimeng();

const noWait = { operation: 'submit', waitForCompletion: false };
const fromItem = { operation: 'submit', prompt: '={{ $json.prompt }}' };

/** A distinctive part of the node's advice for each code (domain/advice.ts). */
const ADVICE: Record<number, RegExp> = {
	50215: /rejected the request parameters/,
	50411: /reference image failed content moderation/,
	50412: /prompt failed content moderation\. Rephrase the prompt/,
	50413: /sensitive or copyrighted words/,
	50511: /generated image failed content moderation\. Submitting again may succeed/,
	50512: /generated text failed content moderation/,
	50518: /reference image was flagged as copyrighted/,
	50519: /generated image was flagged as copyrighted\. Submitting again may succeed/,
	50520: /moderation service failed/,
	50521: /copyright-word service failed/,
	50522: /copyright-image service failed/,
};

const REQUEST_ID = /Request ID: ([0-9a-f-]{36})\.$/;

function onlyTaskId(): string {
	const tasks = [...fake().tasks.values()];
	expect(tasks).toHaveLength(1);
	return tasks[0].id;
}

function expectFailure(result: RunNodeResult): NonNullable<RunNodeResult['error']> {
	expect(result.status).toBe('error');
	expect(result.error).toBeDefined();
	return result.error!;
}

describe('API error codes', () => {
	test.each([50411, 50412, 50413, 50518, 50520, 50521, 50522, 50215])(
		'a submit answered with code %i says the code, the API message, the advice and the request id',
		async (code) => {
			const result = await runJimeng(fake(), {
				parameters: { ...noWait, prompt: `refused [submit-code:${code}]` },
			});
			const error = expectFailure(result);
			expect(error.name).toBe('NodeApiError');
			expect(error.message).toBe(`Jimeng API error ${code}: ${API_MESSAGES[code]}`);
			expect(error.description).toMatch(ADVICE[code]);
			expect(error.description).toMatch(REQUEST_ID);
			expect(error.httpCode).toBe('400');
			expect(error.itemIndex).toBe(0);
			// A refused submit creates nothing and is not retried.
			expect(submits(fake())).toHaveLength(1);
			expect(fake().stats().tasksCreated).toBe(0);
		},
	);

	test.each([50511, 50512, 50519])(
		'a query answered with code %i after generation names the task',
		async (code) => {
			const result = await runJimeng(fake(), {
				parameters: { operation: 'submit', prompt: `made [query-code:${code}]` },
			});
			const error = expectFailure(result);
			const taskId = onlyTaskId();
			expect(error.name).toBe('NodeApiError');
			expect(error.message).toBe(
				`Jimeng API error ${code}: ${API_MESSAGES[code]} (task ${taskId})`,
			);
			expect(error.description).toMatch(ADVICE[code]);
			expect(error.description).toMatch(REQUEST_ID);
			expect(error.httpCode).toBe('400');
			// The moderation answer is final: asked once, not retried.
			expect(queries(fake()).filter((entry) => entry.statusCode === 400)).toHaveLength(1);
			expect(submits(fake())).toHaveLength(1);
		},
	);

	test('HTTP 401 says the API key was rejected, without a retry storm', async () => {
		const submit = await runJimeng(fake(), {
			apiKey: 'not-the-key',
			parameters: { ...noWait, prompt: 'wrong key' },
		});
		const error = expectFailure(submit);
		expect(error.message).toMatch(/rejected the API key \(HTTP 401\)/);
		expect(error.description).toMatch(/Check the API key in the Jimeng API credential/);
		expect(error.httpCode).toBe('401');
		expect(fake().log).toHaveLength(1);

		fake().reset();
		const getTask = await runJimeng(fake(), {
			apiKey: 'not-the-key',
			parameters: { operation: 'getTask', taskId: 'some-task' },
		});
		expect(expectFailure(getTask).message).toMatch(/rejected the API key \(HTTP 401\)/);
		expect(fake().log).toHaveLength(1);
	});

	test.each([200, 404])(
		'a non-JSON HTML answer with HTTP %i is reported as such',
		async (status) => {
			fake().enqueue('submit', {
				status,
				body: `<html><body><h1>${status} from some proxy</h1></body></html>`,
				headers: { 'content-type': 'text/html' },
			});
			const result = await runJimeng(fake(), { parameters: { ...noWait, prompt: 'html' } });
			const error = expectFailure(result);
			expect(error.message).toMatch(new RegExp(`HTTP ${status} with a non-JSON page`));
			expect(error.httpCode).toBe(String(status));
			expect(submits(fake())).toHaveLength(1);
		},
	);
});

describe.each(['deepwl', 'upstream'] as const)('failure statuses (%s vocabulary)', (vocabulary) => {
	const cases: Array<[string, string, RegExp, RegExp]> = [
		// directive, status the API reports, reason in the message, advice
		[
			'[fail]',
			vocabulary === 'deepwl' ? 'failed' : 'done',
			vocabulary === 'deepwl' ? /Image generation failed: \[fail\] directive/ : /Generation failed/,
			vocabulary === 'deepwl' ? /The message above is the API's reason/ : /returned no image/,
		],
		[
			'[not_found]',
			'not_found',
			/not found/,
			/unknown to the gateway, or older than about 12 hours/,
		],
		['[expired]', 'expired', /expired/, /too old to fetch\. Submit the prompt again/],
		[
			'[done-empty]',
			vocabulary === 'deepwl' ? 'success' : 'done',
			/without any image/,
			/returned no image/,
		],
	];

	test.each(cases)(
		'%s ends as an API error with the task id, the status and advice',
		async (directive, status, reason, advice) => {
			fake().setOptions({ vocabulary });
			const result = await runJimeng(fake(), {
				parameters: { operation: 'submit', prompt: `doomed ${directive}` },
			});
			const error = expectFailure(result);
			const taskId = onlyTaskId();
			expect(error.name).toBe('NodeApiError');
			expect(error.message).toContain(`status "${status}"`);
			expect(error.message).toContain(`(task ${taskId})`);
			expect(error.message).toMatch(reason);
			expect(error.description).toMatch(advice);
			expect(error.itemIndex).toBe(0);
			expect(queries(fake()).at(-1)!.taskStatus).toBe(status);
		},
	);
});

describe('timeouts and cancellation', () => {
	test('the timeout message carries the task id and points to Get Task', async () => {
		const result = await runJimeng(fake(), {
			parameters: { operation: 'submit', prompt: 'too slow [latency:5000]', timeout: 0.3 },
		});
		const error = expectFailure(result);
		const taskId = onlyTaskId();
		expect(error.message).toMatch(/Timed out/);
		expect(error.message).toContain(taskId);
		expect(error.message).toContain('last status: generating');
		expect(error.description).toContain('Get Task');
		expect(error.description).toContain(taskId);
		// It gave up at its 0.3 s Timeout (about 6 queries at 50 ms), not at the task's 5 s (about 100).
		expect(queries(fake()).length).toBeLessThanOrEqual(12);
		expect(result.durationMs).toBeLessThan(4500);
	});

	test('stopping the execution ends the wait promptly and stops polling', async () => {
		const result = await runJimeng(fake(), {
			parameters: { operation: 'submit', prompt: 'endless [latency:10000]' },
			cancelAfterMs: 300,
		});
		expect(result.status).toBe('canceled');
		// Stopped long before the task's 10 s: the wait did not run on.
		expect(result.durationMs).toBeGreaterThanOrEqual(290);
		expect(result.durationMs).toBeLessThan(8000);
		const seen = fake().log.length;
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(fake().log.length).toBe(seen);
	});

	test.each(['submit', 'query'] as const)(
		'stopping during a %s retry backoff ends promptly',
		async (action) => {
			fake().enqueue(action, {
				status: 429,
				body: {
					code: 50429,
					data: null,
					message: API_MESSAGES[50429],
					request_id: 'r',
					status: 50429,
				},
				headers: { 'retry-after': '20' },
			});
			const result = await runJimeng(fake(), {
				parameters: { operation: 'submit', prompt: `backing off ${action}` },
				cancelAfterMs: 300,
			});
			expect(result.status).toBe('canceled');
			// Stopped long before the 20 s Retry-After ran out.
			expect(result.durationMs).toBeLessThan(15000);
			const scripted = fake().log.filter((entry) => entry.scripted);
			expect(scripted).toHaveLength(1);
			expect(scripted[0].statusCode).toBe(429);
			// Nothing was sent after the throttled call: the node was sleeping, then stopped.
			const seen = fake().log.length;
			expect(fake().log.at(-1)).toBe(scripted[0]);
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect(fake().log.length).toBe(seen);
		},
	);
});

describe('Continue On Fail', () => {
	const mixed = ['good one', 'bad [fail]', '', 'moderated [submit-code:50412]', 'good two'];

	test('mixed items: one output per input, in input order, error items with their fields', async () => {
		const result = await runJimeng(fake(), {
			parameters: fromItem,
			inputItems: prompts(...mixed),
			continueOnFail: true,
		});
		expectSuccess(result);
		expect(result.items).toHaveLength(5);
		const json = result.items.map((item) => item.json);
		const taskOf = (prompt: string) =>
			[...fake().tasks.values()].find((task) => task.prompt === prompt)!.id;

		expect(json[0]).toMatchObject({
			status: 'success',
			prompt: 'good one',
			taskId: taskOf('good one'),
		});
		expect(result.items[0].binary?.data).toBeDefined();

		expect(json[1]).toMatchObject({ taskId: taskOf('bad [fail]'), code: 'failed' });
		expect(json[1].error).toMatch(/Jimeng task failed with status "failed"/);
		expect(json[1].error).toContain(taskOf('bad [fail]'));
		expect(json[1].description).toMatch(/API's reason/);
		expect(json[1].requestId).toEqual(expect.any(String));

		expect(json[2].error).toBe('Item 3: The prompt is empty');
		expect(json[2].description).toMatch(/Enter a prompt/);
		expect(json[2]).not.toHaveProperty('taskId');

		expect(json[3]).toMatchObject({
			error: `Jimeng API error 50412: ${API_MESSAGES[50412]}`,
			code: 50412,
			apiMessage: API_MESSAGES[50412],
			httpCode: '400',
		});
		expect(json[3].requestId).toEqual(expect.any(String));
		expect(json[3].description).toContain(`Request ID: ${json[3].requestId as string}.`);
		expect(json[3]).not.toHaveProperty('taskId');

		expect(json[4]).toMatchObject({
			status: 'success',
			prompt: 'good two',
			taskId: taskOf('good two'),
		});

		// The node set pairedItem itself, one per input.
		expect(result.rawOutput![0].map((item) => item.pairedItem)).toEqual(
			mixed.map((_, item) => ({ item })),
		);
		// The empty prompt was never sent.
		expect(
			submits(fake())
				.map((entry) => entry.prompt)
				.sort(),
		).toEqual(mixed.filter(Boolean).sort());
	});

	test('httpCode on an error item is an HTTP status or absent, never a task status or error code', async () => {
		const result = await runJimeng(fake(), {
			parameters: { ...fromItem, timeout: 0.3 },
			inputItems: prompts(
				'bad [fail]',
				'slow [latency:5000]',
				'gone [reset-submit]',
				'moderated [submit-code:50412]',
			),
			continueOnFail: true,
		});
		expectSuccess(result);
		expect(result.items).toHaveLength(4);
		expect(result.items[3].json.httpCode).toBe('400');
		const notHttp = result.items
			.map(({ json }) => json.httpCode)
			.filter((httpCode) => httpCode !== undefined && !/^\d{3}$/.test(String(httpCode)));
		expect(notHttp).toEqual([]);
	});

	test('without Continue On Fail the first failure stops the node', async () => {
		const result = await runJimeng(fake(), {
			parameters: fromItem,
			inputItems: prompts(
				'good',
				'bad [fail]',
				'moderated [submit-code:50412]',
				'slow good [latency:3000]',
			),
		});
		const error = expectFailure(result);
		expect(error.message).toBe(`Jimeng API error 50412: ${API_MESSAGES[50412]}`);
		expect(error.itemIndex).toBe(2);
		expect(result.items).toEqual([]);
		// The slow item (3 s) was not waited for: it was never queried to its end.
		expect(
			queries(fake()).filter(
				(entry) => entry.prompt === 'slow good [latency:3000]' && entry.taskStatus === 'success',
			),
		).toEqual([]);
	});

	test('without Continue On Fail a bad parameter anywhere stops the node before any request', async () => {
		const result = await runJimeng(fake(), { parameters: fromItem, inputItems: prompts(...mixed) });
		const error = expectFailure(result);
		expect(error.message).toBe('Item 3: The prompt is empty');
		expect(error.itemIndex).toBe(2);
		expect(fake().log).toEqual([]);
	});
});

describe('parameter validation', () => {
	interface Case {
		name: string;
		parameters: INodeParameters;
		good: IDataObject;
		bad: IDataObject;
		message: RegExp;
		/** the case is about waiting: Continue On Fail runs it with Wait for Completion on */
		waits?: boolean;
	}
	const ref = (n: number) => `https://img.example.com/${n}.png`;
	const cases: Case[] = [
		{
			name: 'an empty prompt',
			parameters: {},
			good: { prompt: 'ok' },
			bad: { prompt: '' },
			message: /The prompt is empty/,
		},
		{
			name: 'a whitespace prompt',
			parameters: {},
			good: { prompt: 'ok' },
			bad: { prompt: '  \n\t ' },
			message: /The prompt is empty/,
		},
		{
			name: '11 reference URLs',
			parameters: { imageUrls: '={{ $json.refs }}' },
			good: { prompt: 'ok', refs: [ref(1)] },
			bad: { prompt: 'ok', refs: Array.from({ length: 11 }, (_, n) => ref(n)) },
			message: /11 reference images given; the API accepts at most 10/,
		},
		{
			name: 'an ftp:// reference URL',
			parameters: { imageUrls: '={{ $json.refs }}' },
			good: { prompt: 'ok', refs: [ref(1)] },
			bad: { prompt: 'ok', refs: [ref(1), 'ftp://files.example.com/a.png'] },
			message: /"ftp:\/\/files\.example\.com\/a\.png" is not an http\(s\) URL/,
		},
		{
			name: 'a custom size of 1000×1000 (area too small)',
			parameters: { size: 'custom', width: '={{ $json.w }}', height: '={{ $json.h }}' },
			good: { prompt: 'ok', w: 2048, h: 2048 },
			bad: { prompt: 'ok', w: 1000, h: 1000 },
			message: /Custom size 1000×1000 has an area of 1000000 pixels, outside/,
		},
		{
			name: 'a custom size of 4000×1000 (ratio too wide)',
			parameters: { size: 'custom', width: '={{ $json.w }}', height: '={{ $json.h }}' },
			good: { prompt: 'ok', w: 2048, h: 2048 },
			bad: { prompt: 'ok', w: 4000, h: 1000 },
			message: /Custom size 4000×1000 has a width\/height ratio of 4\.000, outside 1:3 to 3:1/,
		},
		{
			name: 'malformed Extra Body Fields',
			parameters: { options: { extraBody: '={{ $json.extra }}' } },
			good: { prompt: 'ok', extra: '{"seed": 1}' },
			bad: { prompt: 'ok', extra: '{"seed": ' },
			message: /Extra Body Fields is not valid JSON/,
		},
		{
			name: 'Extra Body Fields that is an array',
			parameters: { options: { extraBody: '={{ $json.extra }}' } },
			good: { prompt: 'ok', extra: '{"seed": 1}' },
			bad: { prompt: 'ok', extra: '[{"seed": 1}]' },
			message: /Extra Body Fields must be a JSON object/,
		},
		{
			name: 'Text Influence 1.5',
			parameters: { options: { scale: '={{ $json.scale }}' } },
			good: { prompt: 'ok', scale: 0.5 },
			bad: { prompt: 'ok', scale: 1.5 },
			message: /Text Influence is 1\.5, outside 0–1/,
		},
		{
			name: 'a Timeout shorter than the Poll Interval',
			parameters: { pollInterval: '={{ $json.poll }}', timeout: 20 },
			good: { prompt: 'ok', poll: 0.05 },
			bad: { prompt: 'ok', poll: 30 },
			message:
				/Timeout \(20 s\) is shorter than Poll Interval \(30 s\): the task would time out before its first status query/,
			waits: true,
		},
		{
			name: 'a preset wider than Max Ratio (2K 21:9 with Max Ratio 2)',
			parameters: { size: '2k-21:9', options: { maxRatio: '={{ $json.max }}' } },
			good: { prompt: 'ok', max: 3 },
			bad: { prompt: 'ok', max: 2 },
			message:
				/Size 3024×1296 has a width\/height ratio of 2\.333, outside Min Ratio 0\.3333 to Max Ratio 2/,
		},
		{
			name: 'a custom portrait narrower than Min Ratio',
			parameters: {
				size: 'custom',
				width: 1024,
				height: 2048,
				options: { minRatio: '={{ $json.min }}' },
			},
			good: { prompt: 'ok', min: 0.4 },
			bad: { prompt: 'ok', min: 0.6 },
			message:
				/Size 1024×2048 has a width\/height ratio of 0\.500, outside Min Ratio 0\.6 to Max Ratio 3/,
		},
		{
			name: 'Min Ratio above Max Ratio',
			parameters: { options: { minRatio: '={{ $json.min }}', maxRatio: 2 } },
			good: { prompt: 'ok', min: 0.5 },
			bad: { prompt: 'ok', min: 2.5 },
			message: /Min Ratio must be below Max Ratio/,
		},
		{
			name: 'Extra Body Fields with 11 image_urls',
			parameters: { options: { extraBody: '={{ $json.extra }}' } },
			good: { prompt: 'ok', extra: { image_urls: [ref(1)] } },
			bad: { prompt: 'ok', extra: { image_urls: Array.from({ length: 11 }, (_, n) => ref(n)) } },
			message: /11 reference images given; the API accepts at most 10/,
		},
		{
			name: 'Extra Body Fields with a width and height below the minimum area',
			parameters: { options: { extraBody: '={{ $json.extra }}' } },
			good: { prompt: 'ok', extra: { width: 2048, height: 2048 } },
			bad: { prompt: 'ok', extra: { width: 512, height: 512 } },
			message: /Custom size 512×512 has an area of 262144 pixels/,
		},
		{
			name: 'Extra Body Fields with an empty prompt',
			parameters: { options: { extraBody: '={{ $json.extra }}' } },
			good: { prompt: 'ok', extra: { seed: 1 } },
			bad: { prompt: 'ok', extra: { prompt: ' ' } },
			message: /Extra Body Fields sets prompt to an empty or non-text value/,
		},
		{
			name: 'Extra Body Fields with force_single "yes"',
			parameters: { options: { extraBody: '={{ $json.extra }}' } },
			good: { prompt: 'ok', extra: { force_single: false } },
			bad: { prompt: 'ok', extra: { force_single: 'yes' } },
			message: /Extra Body Fields sets force_single to "yes", not true or false/,
		},
		{
			name: 'Extra Body Fields with a scale of 2',
			parameters: { options: { extraBody: '={{ $json.extra }}' } },
			good: { prompt: 'ok', extra: { scale: 0.7 } },
			bad: { prompt: 'ok', extra: { scale: 2 } },
			message: /scale \(Extra Body Fields\) is 2, outside 0–1/,
		},
		{
			name: 'AIGC Metadata without a Producer ID',
			parameters: { options: { aigcMeta: { values: { producerId: '={{ $json.producer }}' } } } },
			good: { prompt: 'ok', producer: 'p-1' },
			bad: { prompt: 'ok', producer: ' ' },
			message: /AIGC Metadata needs a Producer ID/,
		},
		{
			name: 'a Watermark Opacity of 2',
			parameters: { options: { watermark: { values: { opacity: '={{ $json.opacity }}' } } } },
			good: { prompt: 'ok', opacity: 0.5 },
			bad: { prompt: 'ok', opacity: 2 },
			message: /Watermark Opacity is 2, outside 0–1/,
		},
		{
			name: 'a Poll Interval of 0',
			parameters: { pollInterval: '={{ $json.poll }}' },
			good: { prompt: 'ok', poll: 0.05 },
			bad: { prompt: 'ok', poll: 0 },
			message: /Poll Interval is 0; it must be a positive number/,
			waits: true,
		},
		{
			name: 'an empty Put Output in Field',
			parameters: { options: { binaryPropertyName: '={{ $json.field }}' } },
			good: { prompt: 'ok', field: 'data' },
			bad: { prompt: 'ok', field: ' ' },
			message: /Put Output in Field is empty/,
		},
		{
			name: 'Max Retries of 11',
			parameters: { options: { maxRetries: '={{ $json.retries }}' } },
			good: { prompt: 'ok', retries: 2 },
			bad: { prompt: 'ok', retries: 11 },
			message: /Max Retries is 11, outside 0–10/,
		},
		{
			name: 'Get Task with a Timeout shorter than the Poll Interval',
			parameters: {
				operation: 'getTask',
				taskId: 'some-task',
				pollInterval: 5,
				timeout: '={{ $json.timeout }}',
			},
			good: { timeout: 10 },
			bad: { timeout: 2 },
			message: /Timeout \(2 s\) is shorter than Poll Interval \(5 s\)/,
		},
		{
			name: 'Get Task with an empty Task ID',
			parameters: { operation: 'getTask', taskId: '={{ $json.taskId }}' },
			good: { taskId: 'some-task' },
			bad: { taskId: '  ' },
			message: /The Task ID is empty/,
		},
	];

	test.each(cases)(
		'$name stops before any request, naming the item',
		async ({ parameters, good, bad, message }) => {
			const result = await runJimeng(fake(), {
				parameters: { ...fromItem, ...parameters },
				inputItems: [{ json: good }, { json: bad }],
			});
			const error = expectFailure(result);
			expect(error.name).toBe('NodeOperationError');
			expect(error.message).toMatch(/^Item 2: /);
			expect(error.message).toMatch(message);
			expect(error.description).toEqual(expect.any(String));
			expect(error.itemIndex).toBe(1);
			expect(fake().log).toEqual([]);
		},
	);

	test.each(cases.filter((entry) => entry.parameters.operation !== 'getTask'))(
		'under Continue On Fail, $name becomes an error item while the good item runs',
		async ({ parameters, good, bad, message, waits }) => {
			const result = await runJimeng(fake(), {
				parameters: { ...fromItem, ...parameters, waitForCompletion: waits === true },
				inputItems: [{ json: bad }, { json: good }],
				continueOnFail: true,
			});
			expectSuccess(result);
			expect(result.items).toHaveLength(2);
			expect(result.items[0].json.error).toMatch(/^Item 1: /);
			expect(result.items[0].json.error).toMatch(message);
			expect(result.items[1].json).toMatchObject({
				status: waits ? 'success' : 'submitted',
				taskId: expect.any(String),
			});
			expect(result.rawOutput![0].map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
			]);
			expect(submits(fake())).toHaveLength(1);
		},
	);
});

import { randomBytes } from 'node:crypto';

import { clearLogs, getLogs } from '../harness';
import { imageRequests, submits } from '../support/fakeLog';
import { fromItem, prompts, useFakeJimeng, type RunNodeResult } from '../support/jimeng';
import { expectFailure } from '../support/results';

const KEY = `sk-SECRET-${randomBytes(12).toString('hex')}`;
const WRONG_KEY = `sk-WRONG-${randomBytes(12).toString('hex')}`;

const { fake, run } = useFakeJimeng({ apiKey: KEY });

/** Every part of a run a user or a log could see. */
function visible(result: RunNodeResult): string[] {
	return [
		JSON.stringify(result.items),
		JSON.stringify(result.error ?? null),
		JSON.stringify(result.runData),
		JSON.stringify(result.rawOutput ?? null),
		JSON.stringify(result.run?.data.resultData ?? null),
	];
}

function expectNoKey(result: RunNodeResult, key = KEY): void {
	for (const text of visible(result)) {
		expect(text).not.toContain(key);
		// Not even a prefix long enough to matter.
		expect(text).not.toContain(key.slice(0, 20));
	}
}

/** The key went to the API on every call and never to the image host. */
function expectKeyOnlyOnApi(key = KEY): void {
	const api = fake().log.filter((entry) => entry.server === 'api');
	expect(api.length).toBeGreaterThan(0);
	for (const entry of api) expect(entry.headers.authorization).toBe(`Bearer ${key}`);
	for (const entry of fake().log.filter((e) => e.server === 'image')) {
		expect(entry.headers).not.toHaveProperty('authorization');
		expect(JSON.stringify(entry.headers)).not.toContain(key);
	}
	expect(fake().stats().problems).toBe(0);
}

describe('the API key stays secret', () => {
	test('a successful run with downloads', async () => {
		const result = await run({
			parameters: { ...fromItem, forceSingle: false },
			inputItems: prompts('secret success [images:2]'),
		});
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(2);
		expect(imageRequests(fake())).toHaveLength(2);
		expectNoKey(result);
		expectKeyOnlyOnApi();
	});

	test('a download that is retried and one that fails', async () => {
		fake().enqueue('image', { status: 503, body: 'busy', headers: { 'retry-after': '0' } });
		const result = await run({
			parameters: fromItem,
			inputItems: prompts('retried download', 'missing download [image404]'),
		});
		expect(result.status).toBe('success');
		expect(imageRequests(fake()).length).toBeGreaterThanOrEqual(3);
		expectNoKey(result);
		expectKeyOnlyOnApi();
	});

	test('a rejected key (401)', async () => {
		const result = await run({ apiKey: WRONG_KEY, parameters: { ...fromItem, prompt: 'bad key' } });
		expect(result.status).toBe('error');
		expect(result.error!.httpCode).toBe('401');
		expectNoKey(result, WRONG_KEY);
		expectNoKey(result);
		expect(fake().log[0].headers.authorization).toBe(`Bearer ${WRONG_KEY}`);
	});

	test.each([
		{ label: 'an API error code', prompt: 'moderated [submit-code:50412]', message: /50412/ },
		{ label: 'a timeout', prompt: 'slow [latency:5000]', timeout: 0.3, message: /Timed out/ },
		{
			label: 'a submit reset after the task was created',
			prompt: 'reset [reset-submit]',
			message: /the task may have been created/,
		},
	])('$label', async ({ prompt, timeout, message }) => {
		const result = await run({ parameters: { ...fromItem, prompt, ...(timeout && { timeout }) } });
		expect(expectFailure(result).message).toMatch(message);
		expectNoKey(result);
		expectKeyOnlyOnApi();
	});

	test('a refused connection', async () => {
		const result = await run({
			baseUrl: 'http://127.0.0.1:1',
			parameters: { ...fromItem, prompt: 'nobody', options: { maxRetries: 0 } },
		});
		expect(result.status).toBe('error');
		expectNoKey(result);
	});

	test('Continue On Fail error items', async () => {
		const result = await run({
			parameters: { ...fromItem, timeout: 2 },
			inputItems: prompts(
				'fine',
				'failed [fail]',
				'moderated [submit-code:50412]',
				'reset [reset-submit]',
				'',
				'query refused [query-code:50511]',
			),
			continueOnFail: true,
		});
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(6);
		expect(result.items.slice(1).every((item) => typeof item.json.error === 'string')).toBe(true);
		expectNoKey(result);
		expectKeyOnlyOnApi();
	});

	test('every submitted task ID is logged at info level with the execution and item, and the key never is', async () => {
		clearLogs();
		const result = await run({ parameters: fromItem, inputItems: prompts('one', 'two') });
		expectNoKey(result);
		const taskIds = [...fake().tasks.values()].map((task) => task.id);
		expect(taskIds).toHaveLength(2);
		const logged = getLogs().filter((line) => /^Jimeng task .+ submitted/.test(line.message));
		expect(logged.map((line) => line.level)).toEqual(['info', 'info']);
		expect(logged.map((line) => line.meta.taskId).sort()).toEqual([...taskIds].sort());
		expect(logged.map((line) => line.meta.itemIndex).sort()).toEqual([0, 1]);
		for (const line of logged) {
			expect(line.message).toMatch(
				new RegExp(
					`^Jimeng task ${String(line.meta.taskId)} submitted \\(execution \\S+, item ${String(line.meta.itemIndex)}\\)$`,
				),
			);
			expect(line.meta.executionId).toEqual(expect.any(String));
		}
		expect(submits(fake())).toHaveLength(2);
		expect(JSON.stringify(getLogs())).not.toContain(KEY.slice(0, 20));
	});
});

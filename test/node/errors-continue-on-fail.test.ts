// Continue On Fail: every input item yields its output or an error item, in input order; without it
// the first failure stops the node.
import { API_MESSAGES } from '../fake-jimeng';
import { queries, submits } from '../support/fakeLog';
import { fromItem, prompts } from '../support/jimeng';
import { expectFailure, pairedItems } from '../support/results';
import { useNode } from './_support-run';

const { fake, run, ok, fail } = useNode();

describe('Continue On Fail', () => {
	const mixed = ['good one', 'bad [fail]', '', 'moderated [submit-code:50412]', 'good two'];

	test('mixed items: one output per input, in input order, error items with their fields', async () => {
		const result = await ok({
			parameters: fromItem,
			inputItems: prompts(...mixed),
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(5);
		const json = result.items.map((item) => item.json);
		const taskOf = (prompt: string) =>
			[...fake().tasks.values()].find((task) => task.prompt === prompt)!.id;
		const succeeded = (prompt: string) => ({ status: 'success', prompt, taskId: taskOf(prompt) });

		expect(json[0]).toMatchObject(succeeded('good one'));
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

		expect(json[4]).toMatchObject(succeeded('good two'));

		// The node set pairedItem itself, one per input.
		expect(pairedItems(result)).toEqual(mixed.map((_, item) => ({ item })));
		// The empty prompt was never sent.
		const sent = submits(fake()).map((entry) => entry.prompt);
		expect(sent.sort()).toEqual(mixed.filter(Boolean).sort());
	});

	test('httpCode on an error item is an HTTP status or absent, never a task status or error code', async () => {
		// A failed task, a timeout, a reset connection: none of them an HTTP answer with a status.
		const failing = ['bad [fail]', 'slow [latency:5000]', 'gone [reset-submit]'];
		const result = await ok({
			parameters: { ...fromItem, timeout: 0.3 },
			inputItems: prompts(...failing, 'moderated [submit-code:50412]'),
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(4);
		expect(result.items[3].json.httpCode).toBe('400');
		const notHttp = result.items
			.map(({ json }) => json.httpCode)
			.filter((httpCode) => httpCode !== undefined && !/^\d{3}$/.test(String(httpCode)));
		expect(notHttp).toEqual([]);
	});

	test('without Continue On Fail the first failure stops the node', async () => {
		const slow = 'slow good [latency:3000]';
		const result = await run({
			parameters: fromItem,
			inputItems: prompts('good', 'bad [fail]', 'moderated [submit-code:50412]', slow),
		});
		const error = expectFailure(result);
		expect(error.message).toBe(`Jimeng API error 50412: ${API_MESSAGES[50412]}`);
		expect(error.itemIndex).toBe(2);
		expect(result.items).toEqual([]);
		// The slow item (3 s) was not waited for: it was never queried to its end.
		const slowDone = queries(fake()).filter(
			(entry) => entry.prompt === slow && entry.taskStatus === 'success',
		);
		expect(slowDone).toEqual([]);
	});

	test('without Continue On Fail a bad parameter anywhere stops the node before any request', async () => {
		const error = await fail({ parameters: fromItem, inputItems: prompts(...mixed) });
		expect(error.message).toBe('Item 3: The prompt is empty');
		expect(error.itemIndex).toBe(2);
		expect(fake().log).toEqual([]);
	});
});

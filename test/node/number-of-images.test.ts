import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { submitOperation } from '../../nodes/Jimeng/actions/submit/submit.operation';
import type { SubmitPlan } from '../../nodes/Jimeng/actions/submit/submit.plan';
import { clearLogs, getLogs } from '../harness';
import { bodyOf, imageRequests, submits } from '../support/fakeLog';
import { fromItem, prompts } from '../support/jimeng';
import {
	expectFailure,
	getBinaryBuffer,
	jsonOf,
	pairedItems,
	sha256 as sha,
} from '../support/results';
import { submit, useNode } from './_support-run';

const { fake, run, ok, fail } = useNode();

/** The task ID the node logged for each imageIndex of the run (its submit order, not the fake's). */
function loggedTaskIds(): Map<number, string> {
	const ids = new Map<number, string>();
	for (const line of getLogs()) {
		if (/^Jimeng task .+ submitted/.test(line.message) && line.meta.imageIndex !== undefined)
			ids.set(Number(line.meta.imageIndex), String(line.meta.taskId));
	}
	return ids;
}

describe('Number of Images: N single-image tasks per item', () => {
	test('4 images: 4 single-image tasks, one item each, imageIndex 1…4 in order, each with its own task', async () => {
		clearLogs();
		const result = await ok({ parameters: submit('four of them', { numberOfImages: 4 }) });
		const sent = submits(fake());
		expect(sent).toHaveLength(4);
		expect(sent.every((entry) => bodyOf(entry).force_single === true)).toBe(true);
		expect(fake().stats().tasksCreated).toBe(4);

		expect(result.items).toHaveLength(4);
		const logged = loggedTaskIds();
		for (const [k, item] of result.items.entries()) {
			expect(item.json).toMatchObject({
				imageIndex: k + 1,
				imageCount: 4,
				status: 'success',
				prompt: 'four of them',
				taskId: logged.get(k + 1),
			});
			const taskId = item.json.taskId as string;
			expect(item.json.imageUrl).toBe((item.json.imageUrls as string[])[k]);
			expect(sha(await getBinaryBuffer(item))).toBe(fake().imageSha256For(taskId, 0));
		}
		expect(new Set(result.items.map((item) => item.json.taskId)).size).toBe(4);
		expect(pairedItems(result)).toEqual([0, 0, 0, 0].map((item) => ({ item })));
	});

	test('the tasks of every item share Max Concurrent Tasks: 3 items × 4 images at most 5 at once, in input order', async () => {
		const texts = ['a', 'b', 'c'].map((key) => `share ${key} [latency:150]`);
		const result = await ok({
			parameters: { ...fromItem, numberOfImages: 4, options: { maxConcurrency: 5 } },
			inputItems: prompts(...texts),
		});
		const stats = fake().stats();
		expect(stats.tasksCreated).toBe(12);
		expect(stats.maxActiveTasks).toBeLessThanOrEqual(5);
		expect(stats.maxActiveTasks).toBeGreaterThanOrEqual(4);
		expect(jsonOf(result.items).map((json) => [json.prompt, json.imageIndex])).toEqual(
			texts.flatMap((text) => [1, 2, 3, 4].map((index) => [text, index])),
		);
		expect(pairedItems(result)).toEqual(
			[0, 1, 2].flatMap((item) => [0, 1, 2, 3].map(() => ({ item }))),
		);
	});

	test('Max Concurrent Tasks below items × images cannot deadlock: 2 items × 3 images, one at a time', async () => {
		const result = await ok({
			parameters: { ...fromItem, numberOfImages: 3, options: { maxConcurrency: 1 } },
			inputItems: prompts('one at a time x', 'one at a time y'),
		});
		expect(result.items).toHaveLength(6);
		expect(fake().stats()).toMatchObject({ tasksCreated: 6, maxActiveTasks: 1 });
	});

	test('a gateway limit (50430) with one item of 5 images: every image arrives, no extra task', async () => {
		fake().setOptions({ maxActiveTasks: 2, latencyMs: 150 });
		const result = await ok({
			parameters: submit('limited set', {
				numberOfImages: 5,
				options: { maxConcurrency: 5, maxRetries: 0 },
			}),
		});
		expect(result.items.map((item) => item.json.imageIndex)).toEqual([1, 2, 3, 4, 5]);
		expect(result.items.every((item) => item.binary?.data)).toBe(true);
		const stats = fake().stats();
		expect(stats.tasksCreated).toBe(5);
		expect(stats.tasksPerPrompt).toEqual({ 'limited set': 5 });
		expect(stats.maxActiveTasks).toBeLessThanOrEqual(2);
		// The refusals were waited out (Max Retries 0: a refusal counted as a failure would end the run).
		expect(submits(fake()).some((entry) => entry.fault === 'max-active')).toBe(true);
	});
});

describe('Number of Images: output layouts', () => {
	test('One Item per Task: one item with every image in picture, picture_1, picture_2 and every task ID', async () => {
		const result = await ok({
			parameters: submit('one item', {
				numberOfImages: 3,
				options: { outputMode: 'task', binaryPropertyName: 'picture' },
			}),
		});
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		const taskIds = item.json.taskIds as string[];
		expect(taskIds).toHaveLength(3);
		expect(new Set(taskIds)).toEqual(new Set(fake().tasks.keys()));
		expect(item.json).not.toHaveProperty('taskId');
		expect(item.json).toMatchObject({ status: 'success', imageCount: 3, prompt: 'one item' });
		expect(item.json.imageUrls).toHaveLength(3);
		expect(Object.keys(item.binary!).sort()).toEqual(['picture', 'picture_1', 'picture_2']);
		for (const [k, key] of ['picture', 'picture_1', 'picture_2'].entries()) {
			expect(sha(await getBinaryBuffer(item, key))).toBe(fake().imageSha256For(taskIds[k], 0));
		}
		expect(pairedItems(result)).toEqual([{ item: 0 }]);
	});

	test('Wait for Completion off: one submitted item per task, in order, with imageIndex', async () => {
		clearLogs();
		const result = await ok({
			parameters: submit('later', { numberOfImages: 3, waitForCompletion: false }),
		});
		const logged = loggedTaskIds();
		expect(jsonOf(result.items).map((json) => [json.status, json.imageIndex, json.taskId])).toEqual(
			[1, 2, 3].map((index) => ['submitted', index, logged.get(index)]),
		);
		expect(fake().stats().tasksCreated).toBe(3);
		expect(pairedItems(result)).toEqual([0, 0, 0].map((item) => ({ item })));
	});
});

describe('Number of Images: some tasks fail', () => {
	test('Continue On Fail: the images that arrived, then one error item saying which failed', async () => {
		const result = await ok({
			parameters: { ...fromItem, numberOfImages: 4 },
			inputItems: prompts('partial [fail-task:2]', 'whole'),
			continueOnFail: true,
		});
		const failedTask = [...fake().tasks.values()].find((task) => task.outcome === 'fail')!;
		const first = result.items.filter((item) => item.json.prompt === 'partial [fail-task:2]');
		expect(first).toHaveLength(3);
		const errorItems = result.items.filter((item) => item.json.error);
		expect(errorItems).toHaveLength(1);
		const [errorItem] = errorItems;
		const failedTasks = errorItem.json.failedTasks as IDataObject[];
		expect(failedTasks).toHaveLength(1);
		expect(failedTasks[0]).toMatchObject({ taskId: failedTask.id, code: 'failed' });
		expect(failedTasks[0].message).toMatch(/Jimeng task failed/);
		const arrived = first.map((item) => item.json.imageIndex);
		expect([...arrived, failedTasks[0].imageIndex].sort()).toEqual([1, 2, 3, 4]);
		expect(first.map((item) => item.json.taskId)).not.toContain(failedTask.id);
		expect(errorItem.json.error).toMatch(
			new RegExp(`^1 of 4 images failed \\(imageIndex ${String(failedTasks[0].imageIndex)}\\)`),
		);
		// Item 1's images, its error item, then item 2's four images.
		expect(pairedItems(result)).toEqual([0, 0, 0, 0, 1, 1, 1, 1].map((item) => ({ item })));
		expect(result.items.indexOf(errorItem)).toBe(3);
	});

	test('Continue On Fail with every task failing: one error item for the item, listing each', async () => {
		const result = await ok({
			parameters: submit('doomed [fail]', { numberOfImages: 3 }),
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(1);
		const { json } = result.items[0];
		expect(json.error).toMatch(/^3 of 3 images failed \(imageIndex 1, 2, 3\)/);
		expect((json.failedTasks as IDataObject[]).map((task) => task.taskId).sort()).toEqual(
			[...fake().tasks.keys()].sort(),
		);
	});

	test('without Continue On Fail the first failed task stops the node and the other tasks are dropped', async () => {
		const result = await run({
			parameters: { ...fromItem, numberOfImages: 2 },
			inputItems: prompts('stops [fail-task:2]', 'dropped [latency:3000]'),
		});
		expect(expectFailure(result).message).toMatch(/Jimeng task failed with status "failed"/);
		expect(result.items).toHaveLength(0);
		const dropped = [...fake().tasks.values()].filter((task) => task.prompt.startsWith('dropped'));
		expect(dropped).toHaveLength(2);
		const downloaded = new Set(imageRequests(fake()).map((entry) => entry.taskId));
		expect(dropped.some((task) => downloaded.has(task.id))).toBe(false);
	});
});

describe('Number of Images: refused before anything is billed', () => {
	const cases: Record<string, { parameters: INodeParameters; message: RegExp }> = {
		'16': { parameters: { numberOfImages: 16 }, message: /Number of Images is 16, outside 1–15/ },
		'0': { parameters: { numberOfImages: 0 }, message: /Number of Images is 0, outside 1–15/ },
		'2.5': {
			parameters: { numberOfImages: 2.5 },
			message: /Number of Images is 2.5, not a whole number/,
		},
		'3 with Generate a Single Image off by an expression': {
			parameters: { numberOfImages: 3, forceSingle: '={{ $json.single }}' },
			message: /Number of Images is 3 but Generate a Single Image is off/,
		},
		'3 with Extra Body Fields force_single false': {
			parameters: { numberOfImages: 3, options: { extraBody: '{"force_single": false}' } },
			message: /Number of Images is 3 but Generate a Single Image is off/,
		},
	};
	test.each(Object.entries(cases))('%s', async (_label, { parameters, message }) => {
		const error = await fail({
			parameters: submit('never sent', parameters),
			inputItems: [{ json: { single: false } }],
		});
		expect(error.message).toMatch(message);
		expect(error.message).toMatch(/^Item 1: /);
		expect(fake().log).toHaveLength(0);
	});

	test('a bad Number of Images in one item stops the node before the other items are submitted', async () => {
		const error = await fail({
			parameters: { ...fromItem, numberOfImages: '={{ $json.n }}' },
			inputItems: [{ json: { prompt: 'fine', n: 2 } }, { json: { prompt: 'bad', n: 20 } }],
		});
		expect(error.message).toMatch(/^Item 2: Number of Images is 20/);
		expect(fake().log).toHaveLength(0);
	});
});

describe('the once-per-item prepare hook', () => {
	const original = submitOperation.prepare;
	afterEach(() => {
		submitOperation.prepare = original;
	});

	test('runs once per item, before any of its tasks is submitted, and every task uses what it returns', async () => {
		const prepared: number[] = [];
		submitOperation.prepare = async (_ctx, plan: SubmitPlan) => {
			expect(submits(fake()).filter((entry) => entry.prompt?.startsWith(plan.prompt))).toEqual([]);
			prepared.push(plan.itemIndex);
			return { ...plan, submitBody: { ...plan.submitBody, prompt: `${plan.prompt} (prepared)` } };
		};
		await ok({
			parameters: { ...fromItem, numberOfImages: 3, options: { maxConcurrency: 4 } },
			inputItems: prompts('hook a', 'hook b'),
		});
		expect(prepared.sort()).toEqual([0, 1]);
		const sent = submits(fake()).map((entry) => entry.prompt);
		expect(sent.sort()).toEqual(
			['hook a (prepared)', 'hook b (prepared)'].flatMap((p) => [p, p, p]),
		);
	});

	test('a failed preparation fails its item once (Continue On Fail), submits nothing for it', async () => {
		submitOperation.prepare = async (_ctx, plan: SubmitPlan) => {
			if (plan.itemIndex === 0) throw new Error('upload refused');
			return plan;
		};
		const result = await ok({
			parameters: { ...fromItem, numberOfImages: 3 },
			inputItems: prompts('cannot prepare', 'can prepare'),
			continueOnFail: true,
		});
		const outcomes = jsonOf(result.items).map((json) => json.error ?? json.imageIndex);
		expect(outcomes).toEqual(['upload refused', 1, 2, 3]);
		expect(submits(fake()).map((entry) => entry.prompt)).toEqual(Array(3).fill('can prepare'));
	});
});

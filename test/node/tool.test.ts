// The Jimeng Tool (the variant n8n registers for AI Agents): its answer is compact (the model reads
// it), and a failure is the tool's answer too; on n8n ≤ 2.4 a throwing tool node ends the whole run
// (test/e2e/agent.mjs).
import type { INodeParameters } from 'n8n-workflow';

import { imageRequests, submits } from '../support/fakeLog';
import { submit, useNode } from './_support-run';

const { fake, run, ok, fail } = useNode();

/** The Jimeng Tool submitting `prompt`. */
const asTool = (prompt: string, more?: INodeParameters) => ({
	nodeType: 'jimengTool' as const,
	parameters: submit(prompt, more),
});

describe('the Jimeng Tool answers a failure instead of throwing', () => {
	test('a prompt refused by moderation: an error item with the code and the advice', async () => {
		const result = await run(asTool('a risky prompt [submit-code:50412]'));
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.json).toMatchObject({
			error: 'Jimeng API error 50412: Text Risk Not Pass',
			code: 50412,
			apiMessage: 'Text Risk Not Pass',
		});
		expect(item.json.description).toMatch(/prompt failed content moderation\. Rephrase the prompt/);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(submits(fake())).toHaveLength(1);
	});

	test('a failed task (after it was submitted): the error item names the task', async () => {
		const result = await run(asTool('generated but refused [query-code:50511]'));
		expect(result.status).toBe('success');
		const taskId = [...fake().tasks.keys()][0];
		expect(result.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ error: expect.stringContaining('50511'), taskId }),
		]);
	});

	test('an empty prompt from the model: an error item, nothing sent', async () => {
		const result = await run(asTool('   '));
		expect(result.status).toBe('success');
		expect(result.items[0].json.error).toMatch(/prompt is empty/i);
		expect(fake().log).toHaveLength(0);
	});

	test('the regular node still stops on the same failure (Continue On Fail off)', async () => {
		const error = await fail({ parameters: submit('a risky prompt [submit-code:50412]') });
		expect(error.message).toBe('Jimeng API error 50412: Text Risk Not Pass');
	});
});

describe('the Jimeng Tool answers compactly: URLs, no binary, no download', () => {
	const cases: Array<[string, INodeParameters, number, 'taskId' | 'taskIds']> = [
		['one image', {}, 1, 'taskId'],
		['Number of Images 3', { numberOfImages: 3 }, 3, 'taskIds'],
	];

	test.each(cases)(
		'%s: one answer listing every task ID and URL',
		async (_label, parameters, imageCount, idField) => {
			const result = await ok(asTool('for an agent', parameters));
			expect(result.items).toHaveLength(1);
			const { json, binary } = result.items[0];
			expect(binary).toBeUndefined();
			expect(Object.keys(json).sort()).toEqual([
				'imageCount',
				'imageUrls',
				'prompt',
				'size',
				'status',
				idField,
			]);
			const taskIds = idField === 'taskId' ? [json.taskId] : (json.taskIds as string[]);
			expect(new Set(taskIds)).toEqual(new Set(fake().tasks.keys()));
			expect(json.imageUrls).toHaveLength(imageCount);
			expect(imageRequests(fake())).toHaveLength(0);
		},
	);
});

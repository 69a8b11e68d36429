// Parameters that cannot succeed are refused before any request, naming the item; under Continue On
// Fail the bad item becomes an error item while the good one runs.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { submits } from '../support/fakeLog';
import { fromItem, runJimeng, useFakeJimeng } from '../support/jimeng';
import { expectFailure, expectSuccess, pairedItems } from '../support/results';

const { fake } = useFakeJimeng();

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
			expect(pairedItems(result)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(submits(fake())).toHaveLength(1);
		},
	);
});

describe('Operations', () => {
	test('the "Custom API Call" entry n8n adds is refused clearly, sending nothing', async () => {
		const result = await runJimeng(fake(), { parameters: { operation: '__CUSTOM_API_CALL__' } });
		const error = expectFailure(result);
		expect(error.message).toBe(
			'Item 1: "__CUSTOM_API_CALL__" is not an operation of the Jimeng node',
		);
		expect(error.description).toMatch(/HTTP Request node/);
		expect(fake().log).toHaveLength(0);
	});
});

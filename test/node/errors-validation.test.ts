// Parameters that cannot succeed are refused before any request, naming the item; under Continue On
// Fail the bad item becomes an error item while the good one runs.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { submits } from '../support/fakeLog';
import { fromItem } from '../support/jimeng';
import { pairedItems } from '../support/results';
import { useNode } from './_support-run';

const { fake, ok, fail } = useNode();

const VALUE = '={{ $json.value }}';
const option = (name: string) => ({ options: { [name]: VALUE } });
const extraBody = option('extraBody');
const custom = { size: 'custom', width: '={{ $json.value.w }}', height: '={{ $json.value.h }}' };
const ref = (n: number) => `https://img.example.com/${n}.png`;
const refs = (count: number) => Array.from({ length: count }, (_, n) => ref(n));
const getTask = { operation: 'getTask', taskId: 'some-task' };

interface Case {
	parameters: INodeParameters;
	/** the parameters read `value` from the item: one item gives `good`, the other `bad` */
	value: { good: IDataObject[string]; bad: IDataObject[string] };
	message: RegExp;
	/** the case is about waiting: Continue On Fail runs it with Wait for Completion on */
	waits?: boolean;
}

const CASES: Record<string, Case> = {
	'an empty prompt': {
		parameters: { prompt: VALUE },
		value: { good: 'ok', bad: '' },
		message: /The prompt is empty/,
	},
	'a whitespace prompt': {
		parameters: { prompt: VALUE },
		value: { good: 'ok', bad: '  \n\t ' },
		message: /The prompt is empty/,
	},
	'11 reference URLs': {
		parameters: { imageUrls: VALUE },
		value: { good: [ref(1)], bad: refs(11) },
		message: /11 reference images given; the API accepts at most 10/,
	},
	'an ftp:// reference URL': {
		parameters: { imageUrls: VALUE },
		value: { good: [ref(1)], bad: [ref(1), 'ftp://files.example.com/a.png'] },
		message: /"ftp:\/\/files\.example\.com\/a\.png" is not an http\(s\) URL/,
	},
	'a custom size of 1000×1000 (area too small)': {
		parameters: custom,
		value: { good: { w: 2048, h: 2048 }, bad: { w: 1000, h: 1000 } },
		message: /Custom size 1000×1000 has an area of 1000000 pixels, outside/,
	},
	'a custom size of 4000×1000 (ratio too wide)': {
		parameters: custom,
		value: { good: { w: 2048, h: 2048 }, bad: { w: 4000, h: 1000 } },
		message: /Custom size 4000×1000 has a width\/height ratio of 4\.000, outside 1:3 to 3:1/,
	},
	'malformed Extra Body Fields': {
		parameters: extraBody,
		value: { good: '{"seed": 1}', bad: '{"seed": ' },
		message: /Extra Body Fields is not valid JSON/,
	},
	'Extra Body Fields that is an array': {
		parameters: extraBody,
		value: { good: '{"seed": 1}', bad: '[{"seed": 1}]' },
		message: /Extra Body Fields must be a JSON object/,
	},
	'Text Influence 1.5': {
		parameters: option('scale'),
		value: { good: 0.5, bad: 1.5 },
		message: /Text Influence is 1\.5, outside 0–1/,
	},
	'a Timeout shorter than the Poll Interval': {
		parameters: { pollInterval: VALUE, timeout: 20 },
		value: { good: 0.05, bad: 30 },
		message:
			/Timeout \(20 s\) is shorter than Poll Interval \(30 s\): the task would time out before its first status query/,
		waits: true,
	},
	'a preset wider than Max Ratio (2K 21:9 with Max Ratio 2)': {
		parameters: { size: '2k-21:9', ...option('maxRatio') },
		value: { good: 3, bad: 2 },
		message:
			/Size 3024×1296 has a width\/height ratio of 2\.333, outside Min Ratio 0\.3333 to Max Ratio 2/,
	},
	'a custom portrait narrower than Min Ratio': {
		parameters: { size: 'custom', width: 1024, height: 2048, ...option('minRatio') },
		value: { good: 0.4, bad: 0.6 },
		message:
			/Size 1024×2048 has a width\/height ratio of 0\.500, outside Min Ratio 0\.6 to Max Ratio 3/,
	},
	'Min Ratio above Max Ratio': {
		parameters: { options: { minRatio: VALUE, maxRatio: 2 } },
		value: { good: 0.5, bad: 2.5 },
		message: /Min Ratio must be below Max Ratio/,
	},
	'Extra Body Fields with 11 image_urls': {
		parameters: extraBody,
		value: { good: { image_urls: [ref(1)] }, bad: { image_urls: refs(11) } },
		message: /11 reference images given; the API accepts at most 10/,
	},
	'Extra Body Fields with a width and height below the minimum area': {
		parameters: extraBody,
		value: { good: { width: 2048, height: 2048 }, bad: { width: 512, height: 512 } },
		message: /Custom size 512×512 has an area of 262144 pixels/,
	},
	'Extra Body Fields with an empty prompt': {
		parameters: extraBody,
		value: { good: { seed: 1 }, bad: { prompt: ' ' } },
		message: /Extra Body Fields sets prompt to an empty or non-text value/,
	},
	'Extra Body Fields with force_single "yes"': {
		parameters: extraBody,
		value: { good: { force_single: false }, bad: { force_single: 'yes' } },
		message: /Extra Body Fields sets force_single to "yes", not true or false/,
	},
	'Extra Body Fields with a scale of 2': {
		parameters: extraBody,
		value: { good: { scale: 0.7 }, bad: { scale: 2 } },
		message: /scale \(Extra Body Fields\) is 2, outside 0–1/,
	},
	'AIGC Metadata without a Producer ID': {
		parameters: { options: { aigcMeta: { values: { producerId: VALUE } } } },
		value: { good: 'p-1', bad: ' ' },
		message: /AIGC Metadata needs a Producer ID/,
	},
	'a Watermark Opacity of 2': {
		parameters: { options: { watermark: { values: { opacity: VALUE } } } },
		value: { good: 0.5, bad: 2 },
		message: /Watermark Opacity is 2, outside 0–1/,
	},
	'a Poll Interval of 0': {
		parameters: { pollInterval: VALUE },
		value: { good: 0.05, bad: 0 },
		message: /Poll Interval is 0; it must be a positive number/,
		waits: true,
	},
	'an empty Put Output in Field': {
		parameters: option('binaryPropertyName'),
		value: { good: 'data', bad: ' ' },
		message: /Put Output in Field is empty/,
	},
	'Max Retries of 11': {
		parameters: option('maxRetries'),
		value: { good: 2, bad: 11 },
		message: /Max Retries is 11, outside 0–10/,
	},
	'Get Task with a Timeout shorter than the Poll Interval': {
		parameters: { ...getTask, pollInterval: 5, timeout: VALUE },
		value: { good: 10, bad: 2 },
		message: /Timeout \(2 s\) is shorter than Poll Interval \(5 s\)/,
	},
	'Get Task with an empty Task ID': {
		parameters: { ...getTask, taskId: VALUE },
		value: { good: 'some-task', bad: '  ' },
		message: /The Task ID is empty/,
	},
};

describe.each(Object.entries(CASES))('parameter validation: %s', (_name, caseOf) => {
	const { parameters, value, message, waits = false } = caseOf;
	const good = { json: { prompt: 'ok', value: value.good } };
	const bad = { json: { prompt: 'ok', value: value.bad } };

	test('stops before any request, naming the item', async () => {
		const error = await fail({
			parameters: { ...fromItem, ...parameters },
			inputItems: [good, bad],
		});
		expect(error).toMatchObject({ name: 'NodeOperationError', itemIndex: 1 });
		expect(error.message).toMatch(/^Item 2: /);
		expect(error.message).toMatch(message);
		expect(error.description).toEqual(expect.any(String));
		expect(fake().log).toEqual([]);
	});

	if (parameters.operation === 'getTask') return;
	test('under Continue On Fail, becomes an error item while the good item runs', async () => {
		const result = await ok({
			parameters: { ...fromItem, ...parameters, waitForCompletion: waits },
			inputItems: [bad, good],
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json.error).toMatch(/^Item 1: /);
		expect(result.items[0].json.error).toMatch(message);
		expect(result.items[1].json).toMatchObject({
			status: waits ? 'success' : 'submitted',
			taskId: expect.any(String),
		});
		expect(pairedItems(result)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(submits(fake())).toHaveLength(1);
	});
});

describe('Operations', () => {
	test('the "Custom API Call" entry n8n adds is refused clearly, sending nothing', async () => {
		const error = await fail({ parameters: { operation: '__CUSTOM_API_CALL__' } });
		expect(error.message).toBe(
			'Item 1: "__CUSTOM_API_CALL__" is not an operation of the Jimeng node',
		);
		expect(error.description).toMatch(/HTTP Request node/);
		expect(fake().log).toHaveLength(0);
	});
});

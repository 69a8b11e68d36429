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
	good: IDataObject[string];
	bad: IDataObject[string];
	message: RegExp;
	/** the case is about waiting: Continue On Fail runs it with Wait for Completion on */
	waits: boolean;
}

describe.each`
	name                                                                  | parameters                                                              | good                             | bad                                          | message                                                                                                             | waits
	${'an empty prompt'}                                                  | ${{ prompt: VALUE }}                                                    | ${'ok'}                          | ${''}                                        | ${/The prompt is empty/}                                                                                            | ${false}
	${'a whitespace prompt'}                                              | ${{ prompt: VALUE }}                                                    | ${'ok'}                          | ${'  \n\t '}                                 | ${/The prompt is empty/}                                                                                            | ${false}
	${'11 reference URLs'}                                                | ${{ imageUrls: VALUE }}                                                 | ${[ref(1)]}                      | ${refs(11)}                                  | ${/11 reference images given; the API accepts at most 10/}                                                          | ${false}
	${'an ftp:// reference URL'}                                          | ${{ imageUrls: VALUE }}                                                 | ${[ref(1)]}                      | ${[ref(1), 'ftp://files.example.com/a.png']} | ${/"ftp:\/\/files\.example\.com\/a\.png" is not an http\(s\) URL/}                                                  | ${false}
	${'a custom size of 1000×1000 (area too small)'}                      | ${custom}                                                               | ${{ w: 2048, h: 2048 }}          | ${{ w: 1000, h: 1000 }}                      | ${/Custom size 1000×1000 has an area of 1000000 pixels, outside/}                                                   | ${false}
	${'a custom size of 4000×1000 (ratio too wide)'}                      | ${custom}                                                               | ${{ w: 2048, h: 2048 }}          | ${{ w: 4000, h: 1000 }}                      | ${/Custom size 4000×1000 has a width\/height ratio of 4\.000, outside 1:3 to 3:1/}                                  | ${false}
	${'malformed Extra Body Fields'}                                      | ${extraBody}                                                            | ${'{"seed": 1}'}                 | ${'{"seed": '}                               | ${/Extra Body Fields is not valid JSON/}                                                                            | ${false}
	${'Extra Body Fields that is an array'}                               | ${extraBody}                                                            | ${'{"seed": 1}'}                 | ${'[{"seed": 1}]'}                           | ${/Extra Body Fields must be a JSON object/}                                                                        | ${false}
	${'Text Influence 1.5'}                                               | ${option('scale')}                                                      | ${0.5}                           | ${1.5}                                       | ${/Text Influence is 1\.5, outside 0–1/}                                                                            | ${false}
	${'a Timeout shorter than the Poll Interval'}                         | ${{ pollInterval: VALUE, timeout: 20 }}                                 | ${0.05}                          | ${30}                                        | ${/Timeout \(20 s\) is shorter than Poll Interval \(30 s\): the task would time out before its first status query/} | ${true}
	${'a preset wider than Max Ratio (2K 21:9 with Max Ratio 2)'}         | ${{ size: '2k-21:9', ...option('maxRatio') }}                           | ${3}                             | ${2}                                         | ${/Size 3024×1296 has a width\/height ratio of 2\.333, outside Min Ratio 0\.3333 to Max Ratio 2/}                   | ${false}
	${'a custom portrait narrower than Min Ratio'}                        | ${{ size: 'custom', width: 1024, height: 2048, ...option('minRatio') }} | ${0.4}                           | ${0.6}                                       | ${/Size 1024×2048 has a width\/height ratio of 0\.500, outside Min Ratio 0\.6 to Max Ratio 3/}                      | ${false}
	${'Min Ratio above Max Ratio'}                                        | ${{ options: { minRatio: VALUE, maxRatio: 2 } }}                        | ${0.5}                           | ${2.5}                                       | ${/Min Ratio must be below Max Ratio/}                                                                              | ${false}
	${'Extra Body Fields with 11 image_urls'}                             | ${extraBody}                                                            | ${{ image_urls: [ref(1)] }}      | ${{ image_urls: refs(11) }}                  | ${/11 reference images given; the API accepts at most 10/}                                                          | ${false}
	${'Extra Body Fields with a width and height below the minimum area'} | ${extraBody}                                                            | ${{ width: 2048, height: 2048 }} | ${{ width: 512, height: 512 }}               | ${/Custom size 512×512 has an area of 262144 pixels/}                                                               | ${false}
	${'Extra Body Fields with an empty prompt'}                           | ${extraBody}                                                            | ${{ seed: 1 }}                   | ${{ prompt: ' ' }}                           | ${/Extra Body Fields sets prompt to an empty or non-text value/}                                                    | ${false}
	${'Extra Body Fields with force_single "yes"'}                        | ${extraBody}                                                            | ${{ force_single: false }}       | ${{ force_single: 'yes' }}                   | ${/Extra Body Fields sets force_single to "yes", not true or false/}                                                | ${false}
	${'Extra Body Fields with a scale of 2'}                              | ${extraBody}                                                            | ${{ scale: 0.7 }}                | ${{ scale: 2 }}                              | ${/scale \(Extra Body Fields\) is 2, outside 0–1/}                                                                  | ${false}
	${'AIGC Metadata without a Producer ID'}                              | ${{ options: { aigcMeta: { values: { producerId: VALUE } } } }}         | ${'p-1'}                         | ${' '}                                       | ${/AIGC Metadata needs a Producer ID/}                                                                              | ${false}
	${'a Watermark Opacity of 2'}                                         | ${{ options: { watermark: { values: { opacity: VALUE } } } }}           | ${0.5}                           | ${2}                                         | ${/Watermark Opacity is 2, outside 0–1/}                                                                            | ${false}
	${'a Poll Interval of 0'}                                             | ${{ pollInterval: VALUE }}                                              | ${0.05}                          | ${0}                                         | ${/Poll Interval is 0; it must be a positive number/}                                                               | ${true}
	${'an empty Put Output in Field'}                                     | ${option('binaryPropertyName')}                                         | ${'data'}                        | ${' '}                                       | ${/Put Output in Field is empty/}                                                                                   | ${false}
	${'Max Retries of 11'}                                                | ${option('maxRetries')}                                                 | ${2}                             | ${11}                                        | ${/Max Retries is 11, outside 0–10/}                                                                                | ${false}
	${'Get Task with a Timeout shorter than the Poll Interval'}           | ${{ ...getTask, pollInterval: 5, timeout: VALUE }}                      | ${10}                            | ${2}                                         | ${/Timeout \(2 s\) is shorter than Poll Interval \(5 s\)/}                                                          | ${false}
	${'Get Task with an empty Task ID'}                                   | ${{ ...getTask, taskId: VALUE }}                                        | ${'some-task'}                   | ${'  '}                                      | ${/The Task ID is empty/}                                                                                           | ${false}
`('parameter validation: $name', ({ parameters, good, bad, message, waits }: Case) => {
	const items = { good: { prompt: 'ok', value: good }, bad: { prompt: 'ok', value: bad } };

	test('stops before any request, naming the item', async () => {
		const error = await fail({
			parameters: { ...fromItem, ...parameters },
			inputItems: [{ json: items.good }, { json: items.bad }],
		});
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toMatch(/^Item 2: /);
		expect(error.message).toMatch(message);
		expect(error.description).toEqual(expect.any(String));
		expect(error.itemIndex).toBe(1);
		expect(fake().log).toEqual([]);
	});

	if (parameters.operation === 'getTask') return;
	test('under Continue On Fail, becomes an error item while the good item runs', async () => {
		const result = await ok({
			parameters: { ...fromItem, ...parameters, waitForCompletion: waits },
			inputItems: [{ json: items.bad }, { json: items.good }],
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

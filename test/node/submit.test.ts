import { bodyOf, submits } from '../support/fakeLog';
import { noWait, prompts } from '../support/jimeng';
import { expectSuccess, jsonOf } from '../support/results';
import { useNode } from './_support-run';

const { fake, run, ok } = useNode();

/** What every submit body carries by default, besides its prompt and size. */
const DEFAULT_BODY = { req_key: 'jimeng_t2i_v40', model: 'jimeng-4.0', force_single: true };

describe('Submit: the request body', () => {
	test('every size choice sends exactly its body fields', async () => {
		const expected: Array<[string, Record<string, unknown>]> = [
			['1k-1:1', { width: 1024, height: 1024 }],
			['2k-1:1', { width: 2048, height: 2048 }],
			['2k-4:3', { width: 2304, height: 1728 }],
			['2k-3:2', { width: 2496, height: 1664 }],
			['2k-16:9', { width: 2560, height: 1440 }],
			['2k-21:9', { width: 3024, height: 1296 }],
			['2k-3:4', { width: 1728, height: 2304 }],
			['2k-2:3', { width: 1664, height: 2496 }],
			['2k-9:16', { width: 1440, height: 2560 }],
			['2k-9:21', { width: 1296, height: 3024 }],
			['4k-1:1', { width: 4096, height: 4096 }],
			['4k-4:3', { width: 4694, height: 3520 }],
			['4k-3:2', { width: 4992, height: 3328 }],
			['4k-16:9', { width: 5404, height: 3040 }],
			['4k-21:9', { width: 6198, height: 2656 }],
			['4k-3:4', { width: 3520, height: 4694 }],
			['4k-2:3', { width: 3328, height: 4992 }],
			['4k-9:16', { width: 3040, height: 5404 }],
			['4k-9:21', { width: 2656, height: 6198 }],
			['auto-1k', { resolution: '1k' }],
			['auto-2k', { resolution: '2k' }],
			['auto-4k', { resolution: '4k' }],
			['custom', { width: 3000, height: 1500 }],
		];
		const result = await ok({
			parameters: {
				...noWait,
				prompt: '={{ $json.prompt }}',
				size: '={{ $json.size }}',
				width: 3000,
				height: 1500,
			},
			inputItems: expected.map(([size]) => ({ json: { prompt: `size ${size}`, size } })),
		});
		const sent = submits(fake());
		expect(sent).toHaveLength(expected.length);
		for (const [size, fields] of expected) {
			const body = bodyOf(sent.find((entry) => entry.prompt === `size ${size}`)!);
			expect(body).toEqual({ ...DEFAULT_BODY, prompt: `size ${size}`, ...fields });
		}
		expect(fake().stats().problems).toBe(0);
		// Outputs name the requested size in input order.
		expect(jsonOf(result.items).map((json) => (json.size as { choice: string }).choice)).toEqual(
			expected.map(([size]) => size),
		);
	});

	test('the default is 2K square, single image, and the headers follow the protocol', async () => {
		await ok({ parameters: { ...noWait, prompt: 'a red fox' } });
		const [entry] = submits(fake());
		expect(bodyOf(entry)).toEqual({
			...DEFAULT_BODY,
			prompt: 'a red fox',
			width: 2048,
			height: 2048,
		});
		expect(entry.url).toBe('/jm?Action=CVSync2AsyncSubmitTask&Version=2022-08-31');
		expect(entry.headers.authorization).toBe(`Bearer ${fake().apiKey}`);
		expect(entry.headers['content-type']).toMatch(/^application\/json/);
	});

	test('reference URLs from the UI list, from an array expression and from a separated string', async () => {
		const a = 'https://img.example.com/a.png';
		const b = 'http://img.example.com/b.jpg';
		const c = 'https://img.example.com/c.png';
		const fromList = await run({ parameters: { ...noWait, prompt: 'list', imageUrls: [a, b] } });
		const fromArray = await run({
			parameters: { ...noWait, prompt: 'array', imageUrls: ['={{ $json.refs }}'] },
			inputItems: [{ json: { refs: [a, b, c] } }],
		});
		const fromString = await run({
			parameters: { ...noWait, prompt: 'string', imageUrls: '={{ $json.refs }}' },
			inputItems: [{ json: { refs: `${a}, ${b}\n${c}\n` } }],
		});
		const none = await run({ parameters: { ...noWait, prompt: 'none', imageUrls: [] } });
		[fromList, fromArray, fromString, none].forEach(expectSuccess);
		const byPrompt = (prompt: string) =>
			bodyOf(submits(fake()).find((entry) => entry.prompt === prompt)!);
		expect(byPrompt('list').image_urls).toEqual([a, b]);
		expect(byPrompt('array').image_urls).toEqual([a, b, c]);
		expect(byPrompt('string').image_urls).toEqual([a, b, c]);
		expect(byPrompt('none')).not.toHaveProperty('image_urls');
	});

	test('options map onto their body fields and Extra Body Fields is merged last', async () => {
		await ok({
			parameters: {
				...noWait,
				prompt: 'options',
				forceSingle: false,
				size: 'auto-2k',
				options: {
					model: 'jimeng-4.0-pro',
					reqKey: 'jimeng_t2i_v40',
					scale: 0.8,
					minRatio: 0.5,
					maxRatio: 2,
					extraBody: '{"seed": 42, "return_url": true}',
				},
			},
		});
		expect(bodyOf(submits(fake())[0])).toEqual({
			req_key: 'jimeng_t2i_v40',
			model: 'jimeng-4.0-pro',
			prompt: 'options',
			force_single: false,
			resolution: '2k',
			scale: 0.8,
			min_ratio: 0.5,
			max_ratio: 2,
			seed: 42,
			return_url: true,
		});
	});

	test('without waiting, one item per input with the task id, ready for Get Task', async () => {
		const result = await ok({
			parameters: { ...noWait, prompt: '={{ $json.prompt }}' },
			inputItems: prompts('one', 'two'),
		});
		expect(result.items).toHaveLength(2);
		const created = [...fake().tasks.values()];
		result.items.forEach((item, index) => {
			expect(item.json).toMatchObject({ status: 'submitted', prompt: index ? 'two' : 'one' });
			expect(created.map((task) => task.id)).toContain(item.json.taskId);
			expect(item.json.requestId).toEqual(expect.any(String));
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.binary).toBeUndefined();
		});
		expect(fake().stats().queries).toBe(0);
	});
});

describe('Submit: prompt length', () => {
	test('a prompt past 800 characters is still sent, with an execution hint', async () => {
		const long = 'a very detailed scene, '.repeat(40);
		const result = await ok({ parameters: { ...noWait, prompt: long } });
		expect(bodyOf(submits(fake())[0]).prompt).toBe(long.trim());
		const hints = result.runData[result.nodeName][0].hints ?? [];
		expect(hints.map((hint) => hint.message).join(' ')).toMatch(/longer than 800 characters/);
	});

	test('a short prompt gets no hint', async () => {
		const result = await ok({ parameters: { ...noWait, prompt: 'short' } });
		expect(result.runData[result.nodeName][0].hints ?? []).toEqual([]);
	});
});

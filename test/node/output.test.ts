// Submit with Wait for Completion: what the output items carry (json, binary, pairedItem) in each
// binary data mode and output layout, and how the images are downloaded.
import { LIMITS } from '../../nodes/Jimeng/domain/limits';
import * as binaryModule from '../../nodes/Jimeng/io/binary';

import { bodyOf, imageRequests, onlyTask, queries, submits } from '../support/fakeLog';
import { aGroup } from '../support/jimeng';
import { getBinaryBuffer, jsonOf, sha256 as sha } from '../support/results';
import { submit, useNode } from './_support-run';

const { fake, ok } = useNode();

describe.each(['default', 'filesystem'] as const)(
	'Submit and wait (%s binary mode)',
	(binaryDataMode) => {
		test('one image arrives as binary with the served bytes, mime type and file name', async () => {
			const result = await ok({
				parameters: submit('a lighthouse', { size: '2k-16:9' }),
				binaryDataMode,
			});
			expect(result.items).toHaveLength(1);
			const [item] = result.items;
			const task = onlyTask(fake());
			expect(item.json).toMatchObject({
				taskId: task.id,
				status: 'success',
				imageIndex: 1,
				imageCount: 1,
				prompt: 'a lighthouse',
				size: { choice: '2k-16:9', width: 2560, height: 1440 },
			});
			expect(item.json.imageUrl).toBe(`${fake().imageUrl}/images/${task.id}/0.png`);
			expect(item.json.imageUrls).toEqual([item.json.imageUrl]);
			expect(item.json.requestId).toEqual(expect.any(String));
			expect(item.json.elapsedMs).toBeGreaterThanOrEqual(50);
			const binary = item.binary!.data;
			expect(binary.mimeType).toBe('image/png');
			expect(binary.fileName).toBe(`jimeng-${task.id}-1.png`);
			const bytes = await getBinaryBuffer(item, 'data');
			expect(sha(bytes)).toBe(fake().imageSha256For(task.id, 0));
			expect(result.rawOutput![0][0].pairedItem).toEqual({ item: 0 });
		});

		test('a group of images gives one item each, in order, in the chosen field', async () => {
			const result = await ok({
				parameters: aGroup('four seasons [images:4]', { binaryPropertyName: 'picture' }),
				binaryDataMode,
			});
			const task = onlyTask(fake());
			expect(bodyOf(submits(fake())[0]).force_single).toBe(false);
			expect(result.items).toHaveLength(4);
			for (const [index, item] of result.items.entries()) {
				expect(item.json).toMatchObject({ taskId: task.id, imageIndex: index + 1, imageCount: 4 });
				expect(item.binary!.picture.fileName).toBe(`jimeng-${task.id}-${index + 1}.png`);
				expect(item.binary!.data).toBeUndefined();
				expect(sha(await getBinaryBuffer(item, 'picture'))).toBe(
					fake().imageSha256For(task.id, index),
				);
				expect(result.rawOutput![0][index].pairedItem).toEqual({ item: 0 });
			}
			expect(new Set(imageRequests(fake()).map((entry) => entry.url)).size).toBe(4);
		});
	},
);

describe('Output layouts and downloads', () => {
	test('one item per task puts the images in data, data_1, data_2', async () => {
		const result = await ok({ parameters: aGroup('a set [images:3]', { outputMode: 'task' }) });
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		const task = onlyTask(fake());
		expect(Object.keys(item.binary!).sort()).toEqual(['data', 'data_1', 'data_2']);
		expect(item.json).toMatchObject({ taskId: task.id, imageCount: 3, status: 'success' });
		expect(item.json).not.toHaveProperty('imageIndex');
		for (const [position, key] of ['data', 'data_1', 'data_2'].entries()) {
			expect(sha(await getBinaryBuffer(item, key))).toBe(fake().imageSha256For(task.id, position));
			expect(item.binary![key].fileName).toBe(`jimeng-${task.id}-${position + 1}.png`);
		}
	});

	test('small images download together: 3 items × a group of 8 all stream at once', async () => {
		// Each image takes 0.6 s to start: long enough that all 24 overlap on a busy machine.
		for (let n = 0; n < 24; n++) fake().enqueue('image', { delayMs: 600 });
		const result = await ok({
			parameters: submit('={{ $json.prompt }}', { forceSingle: false }),
			inputItems: [1, 2, 3].map((n) => ({ json: { prompt: `set ${n} [images:8]` } })),
		});
		expect(result.items).toHaveLength(24);
		expect(result.items.every((item) => item.binary?.data)).toBe(true);
		expect(fake().stats().maxImagesInFlight).toBe(24);
	});

	test('large images stream into the binary store only as many at once as the 64 MiB budget holds', async () => {
		fake().setOptions({ imageBytes: 40 * 1024 * 1024 });
		let storing = 0;
		let peak = 0;
		const real = binaryModule.storeImageStream;
		jest.spyOn(binaryModule, 'storeImageStream').mockImplementation(async (...args) => {
			peak = Math.max(peak, ++storing);
			try {
				return await real(...args);
			} finally {
				storing--;
			}
		});
		try {
			const result = await ok({
				parameters: aGroup('big set [images:3]'),
				binaryDataMode: 'filesystem',
			});
			expect(result.items).toHaveLength(3);
			for (const item of result.items)
				expect((await getBinaryBuffer(item)).length).toBe(40 * 1024 * 1024);
			// 40 MiB each: a second one would not fit in 64 MiB.
			expect(peak).toBe(1);
			expect(LIMITS.downloadBudgetBytes).toBe(64 * 1024 * 1024);
		} finally {
			jest.restoreAllMocks();
		}
	});

	test('JPEG images keep the host mime type and get a .jpg name', async () => {
		fake().setOptions({ imageFormat: 'jpeg' });
		const result = await ok({ parameters: submit('jpeg please') });
		const binary = result.items[0].binary!.data;
		expect(binary.mimeType).toBe('image/jpeg');
		expect(binary.fileName).toMatch(/\.jpg$/);
	});

	test.each(['png', 'jpeg'] as const)(
		'a %s without Content-Type is sniffed from its bytes',
		async (imageFormat) => {
			fake().setOptions({ imageFormat, imageContentType: false });
			const result = await ok({ parameters: submit(`no type ${imageFormat}`) });
			const binary = result.items[0].binary!.data;
			expect(binary.mimeType).toBe(imageFormat === 'png' ? 'image/png' : 'image/jpeg');
			expect(binary.fileName).toMatch(imageFormat === 'png' ? /\.png$/ : /\.jpg$/);
		},
	);

	test('Download Images off returns the URLs and fetches nothing', async () => {
		const result = await ok({
			parameters: aGroup('urls only [images:2]', { downloadImages: false }),
		});
		expect(result.items).toHaveLength(2);
		expect(result.items.every((item) => item.binary === undefined)).toBe(true);
		expect(jsonOf(result.items).map((json) => json.imageUrl)).toEqual(
			result.items[0].json.imageUrls,
		);
		expect(imageRequests(fake())).toHaveLength(0);
	});

	test('the query sends req_json as a string with return_url, watermark and AIGC metadata', async () => {
		await ok({
			parameters: {
				operation: 'submit',
				prompt: 'watermarked',
				options: {
					watermark: { values: { position: 3, language: 1, opacity: 0.5, text: 'Made with n8n' } },
					aigcMeta: { values: { producerId: 'producer-1', contentProducer: 'n8n' } },
				},
			},
		});
		const sent = queries(fake());
		expect(sent.length).toBeGreaterThanOrEqual(1);
		for (const entry of sent) {
			const body = entry.body as { req_key: string; task_id: string; req_json: unknown };
			expect(entry.url).toBe('/jm?Action=CVSync2AsyncGetResult&Version=2022-08-31');
			expect(body.req_key).toBe('jimeng_t2i_v40');
			expect(typeof body.req_json).toBe('string');
			expect(JSON.parse(body.req_json as string)).toEqual({
				return_url: true,
				logo_info: {
					add_logo: true,
					position: 3,
					language: 1,
					opacity: 0.5,
					logo_text_content: 'Made with n8n',
				},
				aigc_meta: { producer_id: 'producer-1', content_producer: 'n8n' },
			});
		}
	});
});

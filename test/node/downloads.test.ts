// Image downloads through n8n-core when one answer misbehaves among good ones, and the image's bytes
// (not its Content-Type) decide what it is.
import { MODES, useMisbehavingHosts } from '../support/downloads';
import { onlyTask } from '../support/fakeLog';
import { jpegOf } from '../support/images';
import { expectSuccess, getBinaryBuffer, sha256 as sha } from '../support/results';

const { fake, download } = useMisbehavingHosts();

describe('one misbehaving answer among good ones', () => {
	test('a host that stalls once: the retry brings the image, after one Request Timeout', async () => {
		fake().enqueue('image', { host: 'stall' });
		const { result, left, requests } = await download(null);
		expectSuccess(result);
		const task = onlyTask(fake());
		expect(sha(await getBinaryBuffer(result.items[0]))).toBe(fake().imageSha256For(task.id, 0));
		expect(requests.map((entry) => entry.fault)).toEqual(['host:stall', null]);
		expect(result.durationMs).toBeGreaterThanOrEqual(500);
		expect(left).toEqual([]);
	});

	test('only the second image of three is a web page: it alone fails', async () => {
		const { result, left } = await download(null, {
			parameters: { prompt: 'three [images:3] [host:html:2]', forceSingle: false },
		});
		expectSuccess(result);
		expect(result.items.map((item) => !!item.binary?.data)).toEqual([true, false, true]);
		expect(result.items[1].json.downloadError).toEqual({
			message: expect.stringMatching(/sent an HTML page/),
		});
		expect(left).toEqual([]);
	});

	test('One Item per Task lists the failed image under downloadErrors', async () => {
		const { result } = await download(null, {
			parameters: { prompt: 'two [images:2] [host:json:1]', forceSingle: false },
			options: { outputMode: 'task' },
		});
		expectSuccess(result);
		const [item] = result.items;
		expect(Object.keys(item.binary ?? {})).toEqual(['data_1']);
		expect(item.json.downloadErrors).toEqual([
			{
				imageIndex: 1,
				imageUrl: expect.stringMatching(/\/0\.png$/),
				message: expect.stringMatching(/^The image host sent a JSON document/),
			},
		]);
	});
});

describe('the bytes decide, not the Content-Type', () => {
	test.each(MODES)(
		'a JPEG sent as image/png is stored as a JPEG (%s binary mode)',
		async (mode) => {
			const jpeg = jpegOf(64, 48);
			fake().enqueue('image', {
				status: 200,
				body: jpeg,
				headers: { 'Content-Type': 'image/png' },
			});
			const { result } = await download(null, { binaryDataMode: mode });
			expectSuccess(result);
			const binary = result.items[0].binary!.data;
			expect(binary.mimeType).toBe('image/jpeg');
			expect(binary.fileName).toMatch(/\.jpg$/);
			expect((await getBinaryBuffer(result.items[0])).equals(jpeg)).toBe(true);
		},
	);

	test('a WebP (as an image CDN may convert to) is an image', async () => {
		const webp = Buffer.alloc(40);
		webp.write('RIFF', 0, 'latin1');
		webp.writeUInt32LE(32, 4);
		webp.write('WEBPVP8 ', 8, 'latin1');
		fake().enqueue('image', { status: 200, body: webp, headers: { 'Content-Type': 'image/webp' } });
		const { result } = await download(null);
		expectSuccess(result);
		expect(result.items[0].binary!.data).toMatchObject({ mimeType: 'image/webp' });
		expect(result.items[0].binary!.data.fileName).toMatch(/\.webp$/);
	});

	test.each(MODES)(
		'a 6 MiB image without Content-Type streams in after its first bytes, whole (%s binary mode)',
		async (mode) => {
			fake().setOptions({ imageContentType: false, imageBytes: 6 * 1024 * 1024 });
			const { result, left } = await download(null, {
				binaryDataMode: mode,
				options: { requestTimeout: 20 },
			});
			expectSuccess(result);
			const task = onlyTask(fake());
			expect(result.items[0].binary!.data.mimeType).toBe('image/png');
			expect(sha(await getBinaryBuffer(result.items[0]))).toBe(fake().imageSha256For(task.id, 0));
			expect(left).toEqual([]);
		},
	);
});

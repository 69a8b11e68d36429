// Image downloads through n8n-core: one misbehaving answer among good ones, the image's bytes (not its
// Content-Type) decide what it is, and the limits of one image together (the item's Timeout, Max Image
// Size, the stop button), with nothing left in the binary store.
import { LIMITS } from '../../nodes/Jimeng/domain/limits';
import { leftBehind, storedFiles } from '../support/binaryStore';
import { MODES, useMisbehavingHosts } from '../support/downloads';
import { onlyTask } from '../support/fakeLog';
import { jpegOf } from '../support/images';
import { expectFailure, expectSuccess, getBinaryBuffer, sha256 as sha } from '../support/results';
import { submit } from './_support-run';

const { fake, download, expectFailedDownload, run } = useMisbehavingHosts();

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

describe('the limits of one image together', () => {
	test("retries stop at the item's Timeout, whatever Max Retries allows", async () => {
		const { result, left, requests } = await download('stall', {
			parameters: { timeout: 2.5 },
			options: { requestTimeout: 1, maxRetries: 10 },
		});
		expectFailedDownload(result, /Timeout \(2\.5 s\)/);
		expect(requests.length).toBeGreaterThanOrEqual(2);
		expect(requests.length).toBeLessThanOrEqual(3);
		// From the task's end (50 ms): 2.5 s for the download, each deadline checked every 0.25 s.
		expect(result.durationMs).toBeLessThan(3500);
		expect(left).toEqual([]);
	});

	test.each(MODES)(
		'an endless body already streaming into the store is cut, and its partial file goes too (%s binary mode)',
		async (mode) => {
			// 1 MiB every 25 ms: past the 4 MiB read whole within the first 0.2 s, far from Max Image Size.
			fake().setOptions({ hostChunkBytes: 1024 * 1024, hostChunkMs: 25 });
			// The store's size while the body streams in: the partial file is there, then gone.
			let peak = 0;
			let running = true;
			const sampling = (async () => {
				while (running) {
					const stored = [...(await storedFiles()).values()].reduce((a, b) => a + b, 0);
					peak = Math.max(peak, stored);
					await new Promise((resolve) => setTimeout(resolve, 50));
				}
			})();
			const { result, left } = await download('endless', {
				binaryDataMode: mode,
				options: { requestTimeout: 1, maxRetries: 0 },
			}).finally(() => (running = false));
			await sampling;
			if (mode === 'filesystem') expect(peak).toBeGreaterThan(LIMITS.wholeBodyBytes);
			const item = expectFailedDownload(
				result,
				/still arriving when Request Timeout \(1 s\) ran out/,
			);
			const { message } = item.json.downloadError as { message: string };
			const received = Number(/\(([\d.]+) MB received\)/.exec(message)?.[1] ?? 0);
			expect(received).toBeGreaterThan(LIMITS.wholeBodyBytes / 1e6);
			expect(left).toEqual([]);
		},
	);

	test('an endless body past Max Image Size is cut there and not retried', async () => {
		const { result, requests } = await download('endless', {
			options: { maxImageSize: 1, requestTimeout: 20, maxRetries: 3 },
		});
		expectFailedDownload(result, /^The image grew past Max Image Size \(1 MB\)/);
		expect(requests).toHaveLength(1);
	});

	test('cancelling the execution ends a stalled download at once', async () => {
		fake().setOptions({ latencyMs: 0 });
		const before = await storedFiles();
		const result = await run({
			parameters: submit('stop me [host:stall]', { options: { requestTimeout: 60 } }),
			binaryDataMode: 'filesystem',
			cancelAfterMs: 800,
		});
		expect(result.status).toBe('canceled');
		expect(result.durationMs).toBeLessThan(2500);
		expect(await leftBehind(before, [])).toEqual([]);
	});

	test('Max Image Size must be at least 1 MB', async () => {
		const result = await run({ parameters: submit('tiny', { options: { maxImageSize: 0 } }) });
		expect(expectFailure(result).message).toBe(
			'Item 1: Max Image Size is 0; it must be at least 1',
		);
		expect(fake().log).toEqual([]);
	});
});

// Image hosts that misbehave (issue 18), through n8n-core: every download ends within its limits,
// nothing that is not an image is handed on as one, and nothing is left in the binary store.
import type { INodeExecutionData } from 'n8n-workflow';

import { LIMITS } from '../../nodes/Jimeng/domain/limits';
import { HOST_KINDS, type HostKind } from '../fake-jimeng';
import { leftBehind, storedFiles } from '../support/binaryStore';
import { jpegOf } from '../support/images';
import {
	expectSuccess,
	getBinaryBuffer,
	imageRequests,
	onlyTask,
	runJimeng,
	sha256 as sha,
	useFakeJimeng,
	type RunNodeResult,
} from '../support/jimeng';

/** Endless and stalled bodies are dropped by the host only after 20 s: every limit must come sooner. */
const { fake } = useFakeJimeng({ hostDropMs: 20_000, oversizeBytes: 3_000_000 });

const MODES = ['default', 'filesystem'] as const;

/** One task of one image from a host that behaves as `kind`; `options` are the node's Options. */
async function download(
	kind: HostKind | null,
	{ binaryDataMode = 'filesystem' as (typeof MODES)[number], options = {}, parameters = {} } = {},
) {
	const before = await storedFiles();
	const result = await runJimeng(fake(), {
		parameters: {
			operation: 'submit',
			prompt: kind ? `misbehaving host [host:${kind}]` : 'a good host',
			...parameters,
			options: { requestTimeout: 0.5, maxRetries: 1, ...options },
		},
		binaryDataMode,
	});
	const left = await leftBehind(before, result.items);
	return { result, left, requests: imageRequests(fake()) };
}

/** The item of a failed download: success as a task, no binary, its URL, and the reason. */
function expectFailedDownload(result: RunNodeResult, message: RegExp): INodeExecutionData {
	expectSuccess(result);
	expect(result.items).toHaveLength(1);
	const [item] = result.items;
	const task = onlyTask(fake());
	expect(item.binary).toBeUndefined();
	expect(item.json).toMatchObject({ status: 'success', taskId: task.id, imageIndex: 1 });
	expect(item.json.imageUrl).toBe(`${fake().imageUrl}/images/${task.id}/0.png`);
	expect(item.json.downloadError).toEqual({ message: expect.stringMatching(message) });
	return item;
}

/** Hosts whose answer is final (no image, too big): one request, the reason, nothing stored. */
const FINAL: Array<[HostKind, RegExp]> = [
	[
		'html',
		/^The image host sent an HTML page \(text\/html\) titled "Sign in to continue", not an image$/,
	],
	[
		'json',
		/^The image host sent a JSON document \(application\/json\), not an image: \{"code":"AccessDenied","message":"Request has expired"\}$/,
	],
	[
		'xml',
		/^The image host sent an XML document \(application\/xml\), not an image: <Error><Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/,
	],
	['empty', /^The image host sent an empty body \(image\/png\), not an image$/],
	[
		'oversize',
		/^The image is 3 MB \(Content-Length\), over Max Image Size \(1 MB\): not downloaded$/,
	],
	['oversize-chunked', /^The image grew past Max Image Size \(1 MB\) and was cut off there$/],
];

/** Hosts that stall or never finish, with the Request Timeout each is tried with. */
const TIMED_OUT: Array<[HostKind, number, RegExp]> = [
	[
		'endless',
		0.5,
		/the image was still arriving when Request Timeout \(0\.5 s\) ran out \([\d,.]+ (bytes|MB) received\)$/,
	],
	[
		'endless-untyped',
		0.5,
		/the image was still arriving when Request Timeout \(0\.5 s\) ran out \([\d,.]+ (bytes|MB) received\)$/,
	],
	[
		'stall',
		1,
		/the image host stopped sending after 424 bytes of 852 bytes: nothing for the last 0\.[5-9] s of Request Timeout \(1 s\)$/,
	],
];

/** Hosts whose body ends short of the image: retried. */
const CUT: Array<[HostKind, RegExp]> = [
	['short', /^Downloading the image failed: the connection broke after 426 bytes of 852 bytes \(/],
	[
		'long',
		/^Downloading the image failed: the image is cut short: a PNG without its IEND chunk \(all 752 bytes its Content-Length announced arrived\)$/,
	],
];

describe.each(MODES)('a host whose answer is final is not retried (%s binary mode)', (mode) => {
	test.each(FINAL)('%s', async (kind, message) => {
		const { result, left, requests } = await download(kind, {
			binaryDataMode: mode,
			options: { maxImageSize: 1, requestTimeout: 5, maxRetries: 3 },
		});
		expectFailedDownload(result, message);
		expect(requests).toHaveLength(1);
		expect(result.durationMs).toBeLessThan(3000);
		expect(left).toEqual([]);
	});
});

describe.each(MODES)(
	'Request Timeout bounds each attempt to the last byte (%s binary mode)',
	(mode) => {
		test.each(TIMED_OUT)(
			'%s: two attempts of %p s, then the item keeps its URL and the reason',
			async (kind, seconds, message) => {
				const { result, left, requests } = await download(kind, {
					binaryDataMode: mode,
					options: { requestTimeout: seconds },
				});
				expectFailedDownload(result, /^Downloading the image failed: /);
				expectFailedDownload(result, message);
				expect(requests).toHaveLength(2);
				// Two attempts and one backoff of 0.5–1 s, each deadline checked every 0.25 s.
				expect(result.durationMs).toBeGreaterThanOrEqual(2 * seconds * 1000);
				expect(result.durationMs).toBeLessThan(2 * seconds * 1000 + 2500);
				expect(left).toEqual([]);
			},
		);
	},
);

describe.each(MODES)('a body cut short is retried like a broken one (%s binary mode)', (mode) => {
	test.each(CUT)('%s', async (kind, message) => {
		const { result, left, requests } = await download(kind, {
			binaryDataMode: mode,
			options: { requestTimeout: 5, maxRetries: 2 },
		});
		expectFailedDownload(result, message);
		expect(requests).toHaveLength(3);
		expect(left).toEqual([]);
	});
});

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
					const sizes = [...(await storedFiles()).values()];
					peak = Math.max(
						peak,
						sizes.reduce((a, b) => a + b, 0),
					);
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
			const received = Number(
				/\(([\d.]+) MB received\)/.exec(
					(item.json.downloadError as { message: string }).message,
				)?.[1] ?? 0,
			);
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
		const result = await runJimeng(fake(), {
			parameters: {
				operation: 'submit',
				prompt: 'stop me [host:stall]',
				options: { requestTimeout: 60 },
			},
			binaryDataMode: 'filesystem',
			cancelAfterMs: 800,
		});
		expect(result.status).toBe('canceled');
		expect(result.durationMs).toBeLessThan(2500);
		expect(await leftBehind(before, [])).toEqual([]);
	});

	test('Max Image Size must be at least 1 MB', async () => {
		const result = await runJimeng(fake(), {
			parameters: { operation: 'submit', prompt: 'tiny', options: { maxImageSize: 0 } },
		});
		expect(result.status).toBe('error');
		expect(result.error!.message).toBe('Item 1: Max Image Size is 0; it must be at least 1');
		expect(fake().log).toEqual([]);
	});

	test('every host behaviour of the fake is tested above', () => {
		const tested = [...FINAL, ...TIMED_OUT, ...CUT].map(([kind]) => kind);
		expect([...tested].sort()).toEqual([...HOST_KINDS].sort());
	});
});

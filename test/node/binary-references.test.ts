import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { recordHttpRequests, setupHarness, type HarnessInputItem } from '../harness';
import { bodyOf, submits } from '../support/fakeLog';
import { jpegOf, pngOf } from '../support/images';
import type { FakeJimeng } from '../support/jimeng';
import { sha256 as sha } from '../support/results';
import { useNode } from './_support-run';

const { fake, run, ok, fail } = useNode();

const URL_REF = 'https://images.example.com/reference-1.png';
const PNG = pngOf(1200, 800, 3000);
const JPEG = jpegOf(900, 1600, { exifBytes: 70_000, progressive: true });

const submitWith = (extra: INodeParameters = {}): INodeParameters => ({
	operation: 'submit',
	prompt: 'blend the references',
	waitForCompletion: false,
	...extra,
});

/** An input item with `data` in its binary field `data`, and `more` fields. */
function item(data: Buffer, mimeType = 'image/png', more?: HarnessInputItem['binary']) {
	return { json: {}, binary: { data: { data, mimeType, fileName: 'data.bin' }, ...more } };
}

function expectNothingSent(f: FakeJimeng): void {
	const { submits: sent, uploadLinks, uploadPuts } = f.stats();
	expect({ sent, uploadLinks, uploadPuts }).toEqual({ sent: 0, uploadLinks: 0, uploadPuts: 0 });
}

describe.each(['default', 'filesystem'] as const)('binary data mode %s', (binaryDataMode) => {
	test('each binary is uploaded as given (bytes, Content-Type, no Authorization), links follow the URLs in order', async () => {
		const photo = { data: JPEG, mimeType: 'image/jpeg', fileName: 'photo.bin' };
		await ok({
			parameters: submitWith({ imageUrls: [URL_REF], binaryReferences: ['photo', 'data'] }),
			inputItems: [item(PNG, 'image/png', { photo })],
			binaryDataMode,
		});
		const { uploads } = fake().stats();
		expect(uploads).toHaveLength(2);
		expect(uploads.map((u) => [u.putContentType, u.bytes, u.sha256])).toEqual([
			['image/jpeg', JPEG.length, sha(JPEG)],
			['image/png', PNG.length, sha(PNG)],
		]);
		expect(uploads.map((upload) => fake().uploadedBytes(upload.downloadUrl))).toEqual([JPEG, PNG]);
		for (const upload of uploads) {
			expect(upload.contentType).toBe(upload.putContentType);
			expect(upload.attempts).toEqual([
				expect.objectContaining({ authorization: false, chunked: false }),
			]);
			expect(upload.putContentLength).toBe(upload.bytes);
			// The lifetime went where the node sends it, at the default (the longest the gateway allows).
			expect([upload.expireFrom, upload.requestedExpire]).toEqual(['expire', 3600]);
		}
		// The key went to the gateway's upload endpoint only.
		const bearer = `Bearer ${fake().apiKey}`;
		const sentTo = (kind: string) => fake().log.filter((entry) => entry.kind === kind);
		expect(sentTo('upload').map((e) => e.headers.authorization)).toEqual([bearer, bearer]);
		expect(sentTo('upload-put').every((e) => e.headers.authorization === undefined)).toBe(true);
		const sent = submits(fake());
		expect(sent).toHaveLength(1);
		const [first, second] = uploads.map((upload) => upload.downloadUrl);
		expect(bodyOf(sent[0]).image_urls).toEqual([URL_REF, first, second]);
		expect(fake().stats().problems).toBe(0);
	});

	test('a retried upload (503 on the link, then on the bytes) still gives one submit and the same bytes', async () => {
		fake().enqueue('upload', { status: 503, body: '<html>503</html>' });
		fake().enqueue('put', { status: 503, body: '<html>503</html>' });
		await ok({
			parameters: submitWith({ binaryReferences: 'data' }),
			inputItems: [item(PNG)],
			binaryDataMode,
		});
		const stats = fake().stats();
		expect([stats.uploadLinks, stats.uploadPuts, stats.submits]).toEqual([2, 2, 1]);
		const live = stats.uploads.filter((u) => u.uploaded);
		expect(live.map((u) => u.sha256)).toEqual([sha(PNG)]);
		expect(bodyOf(submits(fake())[0]).image_urls).toEqual([live[0].downloadUrl]);
	});
});

describe('filesystem binary mode', () => {
	test('the upload streams from the binary store (re-opened on retry) instead of reading the file into memory', async () => {
		const { binaryDataService } = (await setupHarness()) as unknown as {
			binaryDataService: { getAsStream: () => unknown; getAsBuffer: () => unknown };
		};
		const big = pngOf(4000, 3000, 3 * 1024 * 1024);
		const streams = jest.spyOn(binaryDataService, 'getAsStream');
		const buffers = jest.spyOn(binaryDataService, 'getAsBuffer');
		const recorded = recordHttpRequests();
		fake().enqueue('put', { reset: true });
		try {
			await ok({
				parameters: submitWith({ binaryReferences: ['data'] }),
				inputItems: [item(big)],
				binaryDataMode: 'filesystem',
			});
			// One stream for the header check, one per upload attempt; never the whole file as a buffer.
			expect(streams).toHaveBeenCalledTimes(3);
			expect(buffers).not.toHaveBeenCalled();
			// Both PUT attempts handed the HTTP client a stream, not the file's bytes.
			const puts = recorded.requests.filter((r) => r.url?.includes('/uploads/'));
			expect(puts).toHaveLength(2);
			for (const put of puts) {
				expect(Buffer.isBuffer(put.data)).toBe(false);
				expect(typeof (put.data as { pipe?: unknown }).pipe).toBe('function');
			}
		} finally {
			recorded.stop();
			streams.mockRestore();
			buffers.mockRestore();
		}
		const [upload] = fake().stats().uploads;
		expect([upload.bytes, upload.sha256]).toEqual([big.length, sha(big)]);
		expect(upload.attempts.map((a) => a.contentLength)).toEqual([big.length, big.length]);
	});
});

describe('every binary is checked before anything is sent', () => {
	const gif = Buffer.from('GIF89a\x10\0\x10\0\0\0\0\0\0\0\0\0', 'latin1');
	const tenUrls = Array.from({ length: 10 }, (_, i) => `https://images.example.com/${i}.png`);
	interface Case {
		input: HarnessInputItem;
		params?: INodeParameters;
		message: RegExp;
	}
	const cases: Record<string, Case> = {
		'a field the item does not have': {
			input: item(PNG),
			params: { binaryReferences: ['data', 'photo'] },
			message: /Item 1: Reference binary field "photo" does not exist on the item/,
		},
		'a GIF labelled image/png': {
			input: item(gif, 'image/png'),
			message:
				/Item 1: Reference binary field "data" is a GIF image; the API takes JPEG or PNG only/,
		},
		'a file over 15 MB': {
			input: item(pngOf(100, 100, 15 * 1024 * 1024)),
			message:
				/Item 1: Reference binary field "data" is 15\.73 MB .*at most 15\.00 MB \(15000000 bytes\)/,
		},
		'a JPEG wider than 4096 pixels': {
			input: item(jpegOf(4097, 2000), 'image/jpeg'),
			message:
				/Item 1: Reference binary field "data" is 4097 × 2000 pixels; the API takes at most 4096 × 4096/,
		},
		'a PNG more elongated than 3:1': {
			input: item(pngOf(3100, 1000)),
			message:
				/Item 1: Reference binary field "data" is 3100 × 1000 pixels, a width\/height ratio of 3\.100/,
		},
		'a file cut off before its header': {
			input: item(JPEG.subarray(0, 5000), 'image/jpeg'),
			message: /Item 1: Reference binary field "data" ends before its image header/,
		},
		'more than 10 references in all': {
			input: item(PNG),
			params: { imageUrls: tenUrls },
			message:
				/Item 1: 11 reference images given \(10 URL\(s\), 1 binary field\(s\)\); the API accepts at most 10/,
		},
		'a link lifetime outside 60–3600': {
			input: item(PNG),
			params: { options: { referenceLinkLifetime: 30 } },
			message: /Item 1: Reference Link Lifetime is 30, outside 60–3600/,
		},
	};
	test.each(Object.entries(cases))(
		'%s: refused, naming the item and field; no upload, no submit',
		async (_label, { input, params, message }) => {
			for (const binaryDataMode of ['default', 'filesystem'] as const) {
				fake().reset();
				const error = await fail({
					parameters: submitWith({ binaryReferences: ['data'], ...params }),
					inputItems: [input],
					binaryDataMode,
				});
				expect(error.message).toMatch(message);
				expect(error.itemIndex).toBe(0);
				expectNothingSent(fake());
			}
		},
	);

	test('a bad second item stops the run before the first item uploads anything', async () => {
		const error = await fail({
			parameters: submitWith({ binaryReferences: ['data'] }),
			inputItems: [item(PNG), item(pngOf(5000, 100))],
		});
		expect(error.message).toMatch(/^Item 2: Reference binary field "data" is 5000 × 100/);
		expectNothingSent(fake());
	});
});

describe('upload failures stop the item before its submit', () => {
	const withUpload = (extra: INodeParameters = {}) => ({
		parameters: submitWith({ binaryReferences: ['data'], ...extra }),
		inputItems: [item(PNG)],
	});

	test.each([
		{
			label: 'a gateway without the upload endpoint (404 HTML)',
			upload: 'missing',
			message:
				/^Uploading reference binary field "data" failed: the gateway has no file upload endpoint \(PUT \/v1\/file\/upload answered HTTP 404 with a non-JSON page\)$/,
		},
		{
			label: 'an answer that is not the documented shape',
			upload: 'wrong-shape',
			message:
				/^Uploading reference binary field "data" failed: the gateway's answer to PUT \/v1\/file\/upload is not an upload link/,
		},
	] as const)(
		'$label: says so, points to Reference Image URLs, no submit',
		async ({ upload, message }) => {
			fake().setOptions({ upload });
			const error = await fail(withUpload());
			expect(error.message).toMatch(message);
			expect(error.description).toContain('Reference Image URLs');
			expect(fake().stats().submits).toBe(0);
		},
	);

	test.each(['nested', 'no-method'] as const)(
		'an answer %s (nested under data / no method) is tolerated',
		async (upload) => {
			fake().setOptions({ upload });
			await ok(withUpload());
			expect(fake().stats().submits).toBe(1);
		},
	);

	test('an expired link (the upload host answers 403): fails naming the field, no submit', async () => {
		fake().setOptions({ uploadLinkMs: -1000 });
		const error = await fail(withUpload());
		expect(error.message).toMatch(
			/^Uploading reference binary field "data" failed: the upload host answered HTTP 403: it refused the signed link \(expired/,
		);
		expect(error.httpCode).toBe('403');
		expect(fake().stats().submits).toBe(0);
	});

	test('an upload host failing past Max Retries: fails naming the field, no submit', async () => {
		for (let i = 0; i < 2; i++) fake().enqueue('put', { status: 500, body: 'boom' });
		const error = await fail(withUpload({ options: { maxRetries: 1 } }));
		expect(error.message).toBe(
			'Uploading reference binary field "data" failed: the upload host answered HTTP 500',
		);
		expect(fake().stats()).toMatchObject({ uploadPuts: 2, submits: 0 });
	});

	test('a redirect on the link request is not followed (it would carry the key)', async () => {
		fake().enqueue('upload', {
			status: 307,
			headers: { Location: `${fake().imageUrl}/uploads/elsewhere` },
		});
		const error = await fail(withUpload());
		expect(error.message).toMatch(
			/^Uploading reference binary field "data" failed: the gateway answered HTTP 307/,
		);
		expect(fake().stats()).toMatchObject({ uploadPuts: 0, submits: 0 });
		expect(fake().log.filter((e) => e.server === 'image')).toHaveLength(0);
	});

	test('Continue On Fail: the failed item is an error item naming the field; the others run', async () => {
		fake().setOptions({ upload: 'missing' });
		const result = await ok({
			parameters: submitWith({ binaryReferences: '={{ $json.refs }}' }),
			inputItems: [{ ...item(PNG), json: { refs: 'data' } }, { json: { refs: '' } }],
			continueOnFail: true,
		});
		const [failed, passed] = result.items;
		expect(failed.json.error).toMatch(/reference binary field "data".*no file upload endpoint/);
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect((passed.json as IDataObject).status).toBe('submitted');
		expect(fake().stats().submits).toBe(1);
		// The key never shows up in what the node outputs.
		expect(JSON.stringify(result.items)).not.toContain(fake().apiKey);
	});
});

describe('with Number of Images', () => {
	test('an item of 3 tasks uploads each binary once and sends its link in all 3 submits', async () => {
		await ok({
			parameters: submitWith({
				imageUrls: [URL_REF],
				binaryReferences: ['data'],
				numberOfImages: 3,
			}),
			inputItems: [item(PNG)],
		});
		const { uploads, submits: submitCount } = fake().stats();
		expect(uploads).toHaveLength(1);
		expect(submitCount).toBe(3);
		for (const body of submits(fake()).map(bodyOf))
			expect(body.image_urls).toEqual([URL_REF, uploads[0].downloadUrl]);
	});

	test('a failed upload fails the item once, with no submit, under Continue On Fail', async () => {
		fake().enqueue('upload', { status: 404, body: '<html>Not Found</html>' });
		const result = await run({
			parameters: submitWith({ binaryReferences: ['data'], numberOfImages: 3 }),
			inputItems: [item(PNG)],
			continueOnFail: true,
		});
		expect(fake().stats().submits).toBe(0);
		expect(result.items).toHaveLength(1);
		expect(String(result.items[0].json.error)).toMatch(/upload/i);
	});
});

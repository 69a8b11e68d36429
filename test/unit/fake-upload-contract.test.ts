// The fake gateway's upload contract (test/fake-jimeng/uploads.js), spoken to directly over HTTP:
// the node's tests rely on it refusing what a presigned upload host refuses.
import { createHash } from 'node:crypto';
import http from 'node:http';

import { startFakeJimeng, type FakeJimeng } from '../fake-jimeng';
import { pngOf } from '../support/images';

let fake: FakeJimeng;
beforeAll(async () => {
	fake = await startFakeJimeng();
});
beforeEach(() => {
	fake.reset();
	fake.setOptions({ upload: 'ok', uploadLinkMs: null });
});
afterAll(async () => await fake.close());

type Answer = { status: number; body: string };

/** One request with exactly these headers (chunked when no Content-Length is given and a body is). */
function request(method: string, url: string, headers: Record<string, string>, body?: Buffer) {
	return new Promise<Answer>((resolve, reject) => {
		const req = http.request(url, { method, headers }, (res) => {
			res.toArray().then((chunks) => {
				resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
			}, reject);
		});
		req.on('error', reject);
		if (body) req.write(body);
		req.end();
	});
}

/** A JSON request to the gateway, with the key unless told otherwise. */
function gateway(method: string, path: string, body: unknown, key = true): Promise<Answer> {
	const auth: Record<string, string> = key ? { Authorization: `Bearer ${fake.apiKey}` } : {};
	const headers = { ...auth, 'Content-Type': 'application/json' };
	return request(method, `${fake.url}${path}`, headers, Buffer.from(JSON.stringify(body)));
}

const PNG_TYPE = { 'Content-Type': 'image/png' };
const PNG_LINK = { headers: PNG_TYPE, params: {} };
/** Step 1, its answer read as JSON (null: an HTML page). */
async function link(body: unknown = PNG_LINK, key = true) {
	const answer = await gateway('PUT', '/v1/file/upload', body, key);
	return { ...answer, json: answer.body.startsWith('<') ? null : JSON.parse(answer.body) };
}

const PNG = pngOf(64, 48);
const put = (url: string, headers: Record<string, string> = {}, body = PNG) =>
	request('PUT', url, { ...PNG_TYPE, 'Content-Length': String(body.length), ...headers }, body);

/** The signature's first hex digit changed to another (always 0 would leave 1 in 16 valid). */
const tampered = (url: string) =>
	url.replace(/signature=(.)/, (_all, c: string) => `signature=${c === '0' ? '1' : '0'}`);

describe('step 1: PUT /v1/file/upload', () => {
	test('answers the documented shape; expire from top-level expire, else params.expire, else 900', async () => {
		const top = await link({ ...PNG_LINK, expire: 600 });
		expect(top.status).toBe(200);
		const keys = ['download_url', 'expire', 'method', 'upload_url'];
		expect(Object.keys(top.json).sort()).toEqual(keys);
		expect(top.json).toMatchObject({ method: 'PUT', expire: 600 });
		expect(top.json.upload_url).toMatch(
			/^http:\/\/127\.0\.0\.1:\d+\/uploads\/.+\?expires=\d+&signature=[0-9a-f]{64}$/,
		);
		await link({ headers: { 'Content-Type': 'image/jpeg' }, params: { expire: 120 } });
		await link();
		expect(fake.stats().uploads.map((u) => [u.expireFrom, u.requestedExpire])).toEqual([
			['expire', 600],
			['params.expire', 120],
			['default', 900],
		]);
	});

	test.each([
		['no Bearer key', {}, 401, false],
		['a lifetime of 30 s', { ...PNG_LINK, expire: 30 }, 400, true],
		['a GIF content type', { headers: { 'Content-Type': 'image/gif' }, params: {} }, 400, true],
	])('%s is refused', async (_name, body, status, key) => {
		expect((await link(body, key)).status).toBe(status);
		expect(fake.stats().uploads).toHaveLength(0);
	});

	test("options: 'missing' is a 404 page, 'nested' puts the answer under data", async () => {
		fake.setOptions({ upload: 'missing' });
		expect((await link()).status).toBe(404);
		fake.setOptions({ upload: 'nested' });
		const nested = await link();
		expect(nested.json.data).toMatchObject({ method: 'PUT' });
	});
});

describe('step 2 and 3: the signed link and the download link', () => {
	test('an accepted PUT is recorded and served back at download_url', async () => {
		const { json } = await link();
		expect((await put(json.upload_url)).status).toBe(200);
		const got = await request('GET', json.download_url, {});
		expect(got.status).toBe(200);
		expect(fake.uploadedBytes(json.download_url)).toEqual(PNG);
		const [upload] = fake.stats().uploads;
		expect(upload).toMatchObject({
			uploaded: true,
			bytes: PNG.length,
			putContentType: 'image/png',
			putContentLength: PNG.length,
			authorizationSeen: false,
			downloads: 1,
		});
	});

	test.each<[string, (url: string) => Promise<Answer>, number]>([
		['a tampered signature', (url) => put(tampered(url)), 403],
		['another Content-Type', (url) => put(url, { 'Content-Type': 'image/jpeg' }), 403],
		['an Authorization header', (url) => put(url, { Authorization: 'Bearer x' }), 400],
		['a chunked body (no Content-Length)', (url) => request('PUT', url, PNG_TYPE, PNG), 411],
	])('%s is refused', async (_name, send, status) => {
		const { json } = await link();
		expect((await send(json.upload_url)).status).toBe(status);
		expect(fake.stats().uploads[0].uploaded).toBe(false);
	});

	test("every PUT attempt records its bytes' sha256, also one an injected fault refused", async () => {
		const { json } = await link();
		fake.enqueue('put', { status: 503, body: 'busy' });
		const other = pngOf(32, 32);
		expect((await put(json.upload_url, {}, other)).status).toBe(503);
		expect((await put(json.upload_url)).status).toBe(200);
		const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
		const [upload] = fake.stats().uploads;
		expect(upload.attempts.map((a) => a.sha256)).toEqual([sha(other), sha(PNG)]);
		expect(upload.sha256).toBe(sha(PNG));
	});

	test('an expired link refuses the PUT; a download link stops serving when it expires', async () => {
		const first = (await link()).json;
		const second = (await link()).json;
		expect((await put(second.upload_url)).status).toBe(200);
		fake.expireUploads();
		expect((await put(first.upload_url)).status).toBe(403);
		expect((await request('GET', second.download_url, {})).status).toBe(403);
	});

	test('a submit naming an upload that is not live is refused like a reference the API cannot fetch', async () => {
		const { json } = await link();
		const path = '/jm?Action=CVSync2AsyncSubmitTask&Version=2022-08-31';
		const task = { req_key: 'jimeng_t2i_v40', model: 'jimeng-4.0', prompt: 'p' };
		const submit = (urls: string[]) => gateway('POST', path, { ...task, image_urls: urls });
		expect((await submit([json.download_url])).status).toBe(400); // never uploaded
		await put(json.upload_url);
		expect((await submit([json.download_url])).status).toBe(200);
		fake.expireUploads();
		expect((await submit([json.download_url])).status).toBe(400);
		expect(fake.stats().tasksCreated).toBe(1);
	});
});

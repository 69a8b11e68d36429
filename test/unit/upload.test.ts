import { parseUploadLink, uploadLinkBody } from '../../nodes/Jimeng/domain/upload';
import type { CallOutcome, ClassifyContext } from '../../nodes/Jimeng/transport/classify';
import { classify } from '../../nodes/Jimeng/transport/classify';

const LINK = {
	upload_url: 'https://oss.example.com/u/1?signature=abc',
	download_url: 'https://oss.example.com/d/1.png',
	method: 'PUT',
	expire: 900,
};
const { upload_url: uploadUrl, download_url: downloadUrl, method, expire } = LINK;
const PARSED = { uploadUrl, downloadUrl, method, expire };

describe('the upload link request and answer', () => {
	test('the request names the content type and asks for the lifetime as top-level expire', () => {
		expect(uploadLinkBody('image/jpeg', 3600)).toEqual({
			headers: { 'Content-Type': 'image/jpeg' },
			params: {},
			expire: 3600,
		});
	});

	test.each([
		['the documented shape', LINK, PARSED],
		['nested under data', { code: 0, data: LINK }, PARSED],
		['without method: PUT', { ...LINK, method: undefined }, PARSED],
		['lower-case method', { ...LINK, method: 'put' }, PARSED],
		['without expire', { ...LINK, expire: undefined }, { ...PARSED, expire: undefined }],
		['POST', { ...LINK, method: 'POST' }, { ...PARSED, method: 'POST' }],
	])('%s is read', (_name, body, expected) => {
		const parsed = parseUploadLink(body);
		expect(parsed).toEqual(JSON.parse(JSON.stringify(expected)));
	});

	test.each([
		['no upload_url', { ...LINK, upload_url: undefined }],
		['no download_url', { ...LINK, download_url: undefined }],
		['a relative upload_url', { ...LINK, upload_url: '/u/1' }],
		['method GET', { ...LINK, method: 'GET' }],
		['an HTML page', '<html>404</html>'],
		['another JSON answer', { success: true, url: 'https://x.example.com/1' }],
		['null', null],
	])('%s is not an upload link', (_name, body) => {
		expect(parseUploadLink(body)).toBeUndefined();
	});
});

const ctx = (kind: 'uploadLink' | 'uploadPut', attempt = 0, maxRetries = 3): ClassifyContext => {
	const subject = 'Uploading reference binary field "photo"';
	return { kind, attempt, maxRetries, subject, random: () => 0.5 };
};
const answer = (statusCode: number, body: unknown = '', headers = {}): CallOutcome => ({
	answer: { statusCode, headers, body },
});
const network = (code: string): CallOutcome => ({
	error: Object.assign(new Error(`connect ${code}`), { code }),
});
const failed = (failure: object = {}) => ({ kind: 'fail', failure });
const PHOTO = expect.stringContaining('field "photo"');

describe('classify: the upload link (gateway, with the key)', () => {
	test('the documented answer is ok and carries the link', () => {
		expect(classify(answer(200, LINK), ctx('uploadLink'))).toEqual({ kind: 'ok', upload: PARSED });
	});

	test.each([
		['404 HTML', answer(404, '<html>Not Found</html>'), /no file upload endpoint.*HTTP 404/],
		['405', answer(405, { error: 'method not allowed' }), /no file upload endpoint.*HTTP 405/],
		['400 HTML page', answer(400, '<html>Bad</html>'), /no file upload endpoint.*non-JSON/],
		['200, another JSON shape', answer(200, { ok: true }), /is not an upload link/],
		['200 HTML page', answer(200, '<html>app</html>'), /is not an upload link/],
	])(
		'%s: fails saying the gateway has no upload, pointing to URL references',
		(_n, outcome, text) => {
			const message = expect.stringMatching(new RegExp(`field "photo".*${text.source}`));
			const description = expect.stringContaining('Reference Image URLs');
			expect(classify(outcome, ctx('uploadLink'))).toMatchObject(failed({ message, description }));
		},
	);

	test.each([
		['HTTP 503', answer(503, '<html>503</html>')],
		['HTTP 429', answer(429, { error: { message: 'slow down' } })],
		['a reset connection', network('ECONNRESET')],
		['a refused connection', network('ECONNREFUSED')],
	])('%s is retried (no task exists yet)', (_n, outcome) => {
		expect(classify(outcome, ctx('uploadLink'))).toMatchObject({ kind: 'retry' });
	});

	test('past Max Retries a 503 fails naming the field', () => {
		const verdict = classify(answer(503, '<html>503</html>'), ctx('uploadLink', 3, 3));
		expect(verdict).toMatchObject(failed({ httpCode: 503, message: PHOTO }));
	});

	test('401 is the key, not a missing endpoint', () => {
		const refused = answer(401, { error: { message: 'invalid key' } });
		const message = expect.stringMatching(/rejected the API key/);
		expect(classify(refused, ctx('uploadLink'))).toMatchObject(failed({ message }));
	});

	test('a redirect is not followed and fails', () => {
		const redirect = answer(302, '', { location: 'https://evil.example.com/' });
		const description = expect.stringContaining('evil.example.com');
		expect(classify(redirect, ctx('uploadLink'))).toMatchObject(failed({ description }));
	});

	test('an unresolvable gateway host fails at once', () => {
		expect(classify(network('ENOTFOUND'), ctx('uploadLink'))).toMatchObject(failed());
	});
});

describe('classify: the bytes (upload host, no key)', () => {
	test('2xx is ok', () => {
		expect(classify(answer(200), ctx('uploadPut'))).toEqual({ kind: 'ok' });
		expect(classify(answer(204), ctx('uploadPut'))).toEqual({ kind: 'ok' });
	});

	test.each([
		['HTTP 500', answer(500)],
		['HTTP 503', answer(503)],
		['a reset connection', network('ECONNRESET')],
		['a timeout', network('ETIMEDOUT')],
	])('%s is retried (a PUT replaces the same file)', (_n, outcome) => {
		expect(classify(outcome, ctx('uploadPut'))).toMatchObject({ kind: 'retry' });
	});

	test('403 (expired or signature) fails naming the field and the cause', () => {
		const message = expect.stringMatching(/field "photo".*expired/);
		expect(classify(answer(403, '<Error/>'), ctx('uploadPut'))).toMatchObject(
			failed({ httpCode: 403, message }),
		);
	});

	test('past Max Retries a reset connection fails', () => {
		expect(classify(network('ECONNRESET'), ctx('uploadPut', 2, 2))).toMatchObject(failed());
	});
});

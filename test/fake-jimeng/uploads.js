'use strict';
// The gateway's presigned upload in three steps, as README.md ("Uploads") describes them: the link
// (API server), the PUT of the bytes and their download (image host).
const crypto = require('node:crypto');
const { reply, readBody } = require('./http-util');
const { htmlPage } = require('./envelope');
const { playArranged } = require('./scripted');

const PATH = '/v1/file/upload';
const TYPES = { 'image/png': 'png', 'image/jpeg': 'jpg' };
const DEFAULT_EXPIRE_S = 900;
const MIN_EXPIRE_S = 60;
const MAX_EXPIRE_S = 3600;
const MAX_FILE = 20 * 1024 * 1024;
const PUT_PATH = /^\/uploads\/([0-9a-f-]+)$/;
const GET_PATH = /^\/uploads\/([0-9a-f-]+)\/file\.(png|jpg)$/;

function sign(state, id, expiresAt, contentType) {
	const hmac = crypto.createHmac('sha256', state.uploadSecret);
	return hmac.update(`${id}\n${expiresAt}\n${contentType}`).digest('hex');
}

/** The link a path of the image host names (`pattern` captures its id), or null. */
function linkAt(state, pattern, pathname) {
	const m = pattern.exec(pathname);
	return (m && state.uploads.get(m[1])) || null;
}

/** An S3-style XML error, as object stores answer. */
function xmlError(res, entry, status, message) {
	const body = `<Error><Message>${message}</Message></Error>`;
	return reply(res, entry, status, body, { 'Content-Type': 'application/xml' });
}

// Where the client put the lifetime: top-level `expire` (what the node sends), else `params.expire`.
function requestedExpire(body) {
	if (body.expire !== undefined) return { value: body.expire, from: 'expire' };
	if (body.params && body.params.expire !== undefined)
		return { value: body.params.expire, from: 'params.expire' };
	return { value: DEFAULT_EXPIRE_S, from: 'default' };
}

function answerFor(state, link) {
	const expire = Math.max(1, Math.ceil((link.expiresAt - Date.now()) / 1000));
	const answer = {
		upload_url: link.uploadUrl,
		download_url: link.downloadUrl,
		method: 'PUT',
		expire,
	};
	if (state.options.upload === 'no-method') delete answer.method;
	return state.options.upload === 'nested' ? { code: 0, message: 'success', data: answer } : answer;
}

/** Step 1 on the API server (auth already checked by the caller). */
async function handleUploadLink(state, ctx) {
	const { req, res, entry, body } = ctx;
	const badRequest = (problem) => {
		entry.problem = problem;
		reply(res, entry, 400, { error: { message: problem, type: 'invalid_request_error' } });
	};
	const script = state.queues.upload.shift();
	if (await playArranged(state, ctx, 'upload', { script, slow: false })) return;
	const mode = state.options.upload;
	if (mode === 'missing') return reply(res, entry, 404, htmlPage(404));
	if (req.method !== 'PUT') return badRequest(`method must be PUT (got ${req.method})`);
	if (!body || typeof body !== 'object') return badRequest('body must be a JSON object');
	const contentType = body.headers && body.headers['Content-Type'];
	if (!TYPES[contentType])
		return badRequest(
			`headers["Content-Type"] must be image/png or image/jpeg (got ${contentType})`,
		);
	if (body.params === undefined || typeof body.params !== 'object')
		return badRequest('params must be an object');
	const expire = requestedExpire(body);
	if (!Number.isInteger(expire.value) || expire.value < MIN_EXPIRE_S || expire.value > MAX_EXPIRE_S)
		return badRequest(`${expire.from} must be an integer within [60, 3600] (got ${expire.value})`);

	if (mode === 'wrong-shape')
		return reply(res, entry, 200, { success: true, url: `${state.imageUrl}/somewhere` });

	const id = crypto.randomUUID();
	const lifetimeMs = state.options.uploadLinkMs ?? expire.value * 1000;
	const expiresAt = Date.now() + lifetimeMs;
	const query = `expires=${expiresAt}&signature=${sign(state, id, expiresAt, contentType)}`;
	const link = {
		id,
		contentType,
		requestedExpire: expire.value,
		expireFrom: expire.from,
		expiresAt,
		uploadUrl: `${state.imageUrl}/uploads/${id}?${query}`,
		downloadUrl: `${state.imageUrl}/uploads/${id}/file.${TYPES[contentType]}`,
		put: null,
		downloads: 0,
	};
	state.uploads.set(id, link);
	return reply(res, entry, 200, answerFor(state, link));
}

/** Step 2 on the image host: checks the signed link, then keeps the bytes. */
async function handleUploadPut(state, req, res, entry, url) {
	entry.kind = 'upload-put';
	state.counters.uploadPuts++;
	const authorization = !!req.headers.authorization;
	const chunked = /chunked/i.test(String(req.headers['transfer-encoding'] || ''));
	const lengthHeader = req.headers['content-length'];
	const { data, size } = await readBody(req, MAX_FILE);
	const link = linkAt(state, PUT_PATH, url.pathname);
	const attempt = {
		contentType: req.headers['content-type'] || null,
		contentLength: lengthHeader === undefined ? null : Number(lengthHeader),
		authorization,
		chunked,
		bytes: size,
		// Every attempt's hash, also of a refused one: a test can tell whose bytes each PUT carried.
		sha256: crypto.createHash('sha256').update(data).digest('hex'),
	};
	if (link) link.attempts = [...(link.attempts || []), attempt];
	const refuse = (status, why) => {
		entry.problem = entry.problem || why;
		xmlError(res, entry, status, why);
	};
	if (authorization) return refuse(400, 'Authorization header sent to the upload host');
	if (!link) return refuse(404, 'no such upload');
	const script = state.queues.put.shift();
	if (await playArranged(state, { res, entry }, 'put', { script, slow: false })) return;
	const expiresAt = Number(url.searchParams.get('expires'));
	const signature = url.searchParams.get('signature');
	if (req.method !== 'PUT') return refuse(405, `method ${req.method} on a PUT upload link`);
	// The signature covers the expiry in the URL; expireUploads() may end the link earlier.
	if (signature !== sign(state, link.id, expiresAt, link.contentType))
		return refuse(403, 'signature does not match');
	if (Date.now() > Math.min(expiresAt, link.expiresAt)) return refuse(403, 'upload link expired');
	if (attempt.contentType !== link.contentType)
		return refuse(
			403,
			`Content-Type ${attempt.contentType} does not match the signed ${link.contentType}`,
		);
	if (chunked || lengthHeader === undefined)
		return refuse(411, 'Content-Length required (chunked uploads are refused)');
	if (attempt.contentLength !== size)
		return refuse(400, `Content-Length ${attempt.contentLength} but ${size} bytes arrived`);
	if (size > MAX_FILE) return refuse(413, 'file too large');
	link.put = { ...attempt, data };
	entry.bytes = size;
	entry.sha256 = link.put.sha256;
	return reply(res, entry, 200, '');
}

/** Step 3: the download link, public until it expires. */
function handleUploadGet(state, res, entry, url) {
	entry.kind = 'upload-get';
	const link = linkAt(state, GET_PATH, url.pathname);
	if (!link || !link.put) return reply(res, entry, 404, htmlPage(404));
	if (Date.now() > link.expiresAt) return xmlError(res, entry, 403, 'Request has expired');
	link.downloads++;
	entry.bytes = link.put.data.length;
	entry.sha256 = link.put.sha256;
	return reply(res, entry, 200, link.put.data, { 'Content-Type': link.contentType });
}

/** Image host routing for /uploads/…: PUT stores, GET serves. */
async function handleUploadRequest(state, req, res, entry, url) {
	if (req.method === 'GET' && GET_PATH.test(url.pathname))
		return handleUploadGet(state, res, entry, url);
	return handleUploadPut(state, req, res, entry, url);
}

/** The first image_urls entry on the fake's upload host that is not a live upload, or null. */
function deadUploadReference(state, body) {
	const urls = Array.isArray(body.image_urls) ? body.image_urls : [];
	for (let i = 0; i < urls.length; i++) {
		if (typeof urls[i] !== 'string' || !urls[i].startsWith(`${state.imageUrl}/uploads/`)) continue;
		const link = linkAt(state, GET_PATH, new URL(urls[i]).pathname);
		if (!link || !link.put) return `image_urls[${i}] names an upload that never arrived`;
		if (Date.now() > link.expiresAt) return `image_urls[${i}] names an expired upload link`;
	}
	return null;
}

/** JSON-safe summaries for stats() and the control API (no bytes). */
function uploadSummaries(state) {
	return [...state.uploads.values()].map(({ put, attempts = [], downloads, ...link }) => ({
		...link,
		uploaded: !!put,
		bytes: put?.bytes ?? null,
		sha256: put?.sha256 ?? null,
		putContentType: put?.contentType ?? null,
		putContentLength: put?.contentLength ?? null,
		attempts,
		authorizationSeen: attempts.some((a) => a.authorization),
		downloads,
	}));
}

module.exports = {
	PATH,
	handleUploadLink,
	handleUploadRequest,
	deadUploadReference,
	uploadSummaries,
};

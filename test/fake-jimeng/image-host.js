'use strict';
// The image host (a separate port, like a CDN): GET /images/<taskId>/<n>.<ext>, and the upload
// links of uploads.js (PUT /uploads/<id>?…, GET /uploads/<id>/file.<ext>).
// It never needs the API key; one arriving here is logged as a problem.
const { Readable, pipeline } = require('node:stream');
const { reply, readBody } = require('./http-util');
const { htmlPage, REASONS } = require('./envelope');
const { newEntry, finishEntry } = require('./state');
const { imageFor, extFor } = require('./images');
const { playArranged } = require('./scripted');
const { hostKindFor, serveMisbehaving } = require('./host-behaviours');
const { handleUploadRequest } = require('./uploads');

const PATH = /^\/images\/([^/]+)\/(\d+)\.([a-z]+)$/;
// Fixed sample images for workflows that download a reference first (examples/binary-reference.json).
const SAMPLE = /^\/samples\/reference\.(png|jpg)$/;
const CHUNK = 1024 * 1024;

function* slices(parts) {
	for (const p of parts) for (let i = 0; i < p.length; i += CHUNK) yield p.subarray(i, i + CHUNK);
}

// Resolves the image a path names, or null (404).
function lookup(state, pathname) {
	const m = PATH.exec(pathname);
	if (!m) return null;
	const task = state.tasks.get(decodeURIComponent(m[1]));
	const index = Number(m[2]);
	if (!task || task.image404 || index >= task.imageCount || m[3] !== extFor(task.imageFormat))
		return null;
	return { task, index };
}

function serve(state, res, entry, found) {
	const { task, index } = found;
	const img = imageFor(task.imageFormat, task.id, index, state.options.imageBytes);
	entry.bytes = img.length;
	entry.sha256 = img.sha256;
	const headers = { 'Content-Length': img.length, 'Cache-Control': 'max-age=86400' };
	if (state.options.imageContentType) headers['Content-Type'] = img.contentType;
	entry.statusCode = 200;
	res.writeHead(200, headers);
	pipeline(Readable.from(slices(img.parts)), res, () => {}); // errors = client went away
}

async function handleImage(state, req, res) {
	const url = new URL(req.url, 'http://fake');
	const fields = { server: 'image', kind: 'image', method: req.method, url: req.url };
	const entry = newEntry(state, { ...fields, headers: { ...req.headers } });
	res.on('close', () => finishEntry(state, entry));
	// Uploaded references (PUT to a signed link, GET of its download link): uploads.js.
	if (url.pathname.startsWith('/uploads/')) return handleUploadRequest(state, req, res, entry, url);
	if (req.headers.authorization) entry.problem = 'Authorization header sent to the image host';
	const sample = req.method === 'GET' && SAMPLE.exec(url.pathname);
	if (sample) {
		entry.kind = 'sample';
		const img = imageFor(sample[1] === 'png' ? 'png' : 'jpeg', 'sample', 0, null);
		entry.bytes = img.length;
		entry.sha256 = img.sha256;
		return reply(res, entry, 200, Buffer.concat(img.parts), { 'Content-Type': img.contentType });
	}
	// Image requests being answered at once: how many downloads a client streams in parallel.
	const c = state.counters;
	c.maxImagesInFlight = Math.max(c.maxImagesInFlight, ++c.imagesInFlight);
	res.on('close', () => c.imagesInFlight--);
	await readBody(req);
	const m = PATH.exec(url.pathname);
	if (!m) entry.kind = 'other';
	else {
		entry.taskId = decodeURIComponent(m[1]);
		c.images++;
	}
	if (req.method !== 'GET') {
		entry.problem = entry.problem || `method ${req.method} on the image host`;
		return reply(res, entry, 405, htmlPage(405), { Allow: 'GET' });
	}
	if (entry.kind !== 'image') return reply(res, entry, 404, htmlPage(404));

	const script = state.queues.image.shift();
	// A misbehaving host's script (`host`) is not played: it decides how the image is served.
	const played = script && !script.host ? script : null;
	const envelope = (fault) => REASONS[fault.http] || `Error ${fault.http}`;
	if (await playArranged(state, { res, entry }, 'image', { script: played, envelope })) return;
	const found = lookup(state, url.pathname);
	if (!found) return reply(res, entry, 404, htmlPage(404));
	entry.prompt = found.task.prompt;
	const kind = hostKindFor(state, found, script);
	if (kind) return await serveMisbehaving(state, res, entry, found, kind);
	return serve(state, res, entry, found);
}

module.exports = { handleImage };

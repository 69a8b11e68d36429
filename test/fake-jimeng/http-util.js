'use strict';
// Small HTTP helpers shared by the API server, the image host and the fake OpenAI server.
const http = require('node:http');

const MAX_BODY = 10 * 1024 * 1024;

// -> { data, size }: the bytes up to `max`, and how many arrived.
function readBody(req, max = MAX_BODY) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size <= max) chunks.push(c);
		});
		req.on('end', () => resolve({ data: Buffer.concat(chunks), size }));
		req.on('error', reject);
	});
}

// Object -> JSON, string/Buffer -> as is (text/html when it starts with '<'). Records the status on
// the log entry.
function reply(res, entry, status, body, headers = {}) {
	if (res.headersSent || res.destroyed) return;
	const h = { ...headers };
	const lower = Object.keys(h).map((k) => k.toLowerCase());
	let payload = body;
	if (body === undefined || body === null) payload = '';
	else if (!Buffer.isBuffer(body) && typeof body !== 'string') {
		payload = JSON.stringify(body);
		if (!lower.includes('content-type')) h['Content-Type'] = 'application/json; charset=utf-8';
	} else if (!lower.includes('content-type') && payload.length) {
		h['Content-Type'] = String(payload).startsWith('<') ? 'text/html' : 'text/plain; charset=utf-8';
	}
	h['Content-Length'] = Buffer.byteLength(payload);
	if (entry) entry.statusCode = status;
	res.writeHead(status, h);
	res.end(payload);
}

// Abort the TCP connection without an HTTP answer (client sees ECONNRESET).
const resetSocket = (res) => res.socket?.resetAndDestroy();

// Timers are tracked so close() can drop pending delays.
function sleep(state, ms) {
	if (!(ms > 0)) return Promise.resolve();
	return new Promise((resolve) => {
		const t = setTimeout(() => {
			state.timers.delete(t);
			resolve();
		}, ms);
		state.timers.add(t);
	});
}

/**
 * Serves `handle` on 127.0.0.1:`port` -> { url, close }. A bug in a handler shows up as a 500
 * (`errorBody(err)`) or a dropped connection, not a hang; close() drops kept-alive connections.
 */
async function startServer(port, handle, errorBody) {
	const server = http.createServer((req, res) =>
		handle(req, res).catch((err) => {
			if (!res.headersSent) reply(res, null, 500, errorBody(err));
			else res.destroy();
		}),
	);
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	const close = () => {
		const closed = new Promise((resolve) => server.close(resolve));
		server.closeAllConnections();
		return closed;
	};
	return { url: `http://127.0.0.1:${server.address().port}`, close };
}

function parseJson(buf) {
	try {
		return { ok: true, value: JSON.parse(buf.toString('utf8')) };
	} catch {
		return { ok: false, value: buf.toString('utf8') };
	}
}

module.exports = { readBody, reply, resetSocket, sleep, startServer, parseJson };

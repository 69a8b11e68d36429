'use strict';
// Small HTTP helpers shared by the API server and the image host.

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
function resetSocket(res) {
	const s = res.socket;
	if (!s) return;
	if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
	else s.destroy();
}

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

function listen(server, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve(server.address().port));
	});
}

/** Stops listening and drops kept-alive connections. */
function closeServer(server) {
	return new Promise((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

function parseJson(buf) {
	try {
		return { ok: true, value: JSON.parse(buf.toString('utf8')) };
	} catch {
		return { ok: false, value: buf.toString('utf8') };
	}
}

module.exports = { readBody, reply, resetSocket, sleep, listen, closeServer, parseJson };

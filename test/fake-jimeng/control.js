'use strict';
// Optional /__fake/* routes on the API server so a process that started the
// CLI as a child can read stats and steer it. Not logged, not counted.
const { readBody, reply, parseJson } = require('./http-util');

async function handleControl(handle, req, res) {
	const path = new URL(req.url, 'http://fake').pathname;
	const { data: raw } = await readBody(req);
	const body = raw.length ? parseJson(raw).value : {};
	try {
		if (req.method === 'GET' && path === '/__fake/stats')
			return reply(res, null, 200, handle.stats());
		if (req.method === 'GET' && path === '/__fake/log') return reply(res, null, 200, handle.log);
		if (req.method === 'GET' && path === '/__fake/uploads')
			return reply(res, null, 200, handle.stats().uploads);
		if (req.method === 'POST' && path === '/__fake/expire-uploads')
			return reply(res, null, 200, (handle.expireUploads(), { ok: true }));
		if (req.method === 'POST' && path === '/__fake/reset')
			return reply(res, null, 200, (handle.reset(), { ok: true }));
		if (req.method === 'POST' && path === '/__fake/options')
			return reply(res, null, 200, (handle.setOptions(body), { ok: true }));
		if (req.method === 'POST' && path === '/__fake/enqueue') {
			handle.enqueue(body.action, body.response);
			return reply(res, null, 200, { ok: true });
		}
		return reply(res, null, 404, { error: `unknown control route ${req.method} ${path}` });
	} catch (err) {
		return reply(res, null, 400, { error: err.message });
	}
}

module.exports = { handleControl };

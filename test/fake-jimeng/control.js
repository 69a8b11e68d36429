'use strict';
// Optional /__fake/* routes on the API server so a process that started the
// CLI as a child can read stats and steer it. Not logged, not counted.
const { readBody, reply, parseJson } = require('./http-util');

const ok = () => ({ ok: true });
const ROUTES = {
	'GET /__fake/stats': (fake) => fake.stats(),
	'GET /__fake/log': (fake) => fake.log,
	'GET /__fake/uploads': (fake) => fake.stats().uploads,
	'POST /__fake/expire-uploads': (fake) => ok(fake.expireUploads()),
	'POST /__fake/reset': (fake) => ok(fake.reset()),
	'POST /__fake/options': (fake, body) => ok(fake.setOptions(body)),
	'POST /__fake/enqueue': (fake, body) => ok(fake.enqueue(body.action, body.response)),
};

async function handleControl(fake, req, res) {
	const route = `${req.method} ${new URL(req.url, 'http://fake').pathname}`;
	const { data: raw } = await readBody(req);
	const body = raw.length ? parseJson(raw).value : {};
	if (!ROUTES[route]) return reply(res, null, 404, { error: `unknown control route ${route}` });
	try {
		return reply(res, null, 200, ROUTES[route](fake, body));
	} catch (err) {
		return reply(res, null, 400, { error: err.message });
	}
}

module.exports = { handleControl };

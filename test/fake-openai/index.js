'use strict';
// Fake OpenAI-compatible chat server on 127.0.0.1 for the AI Agent tests: GET /v1/models and
// POST /v1/chat/completions (JSON or SSE when `stream: true`). The answers come from model.js:
// first a call to the Jimeng tool, then a final answer quoting the URLs the tool returned.
// Every request is logged (method, path, auth ok, body, messages, tools, stream, answer).
const http = require('node:http');
const { randomBytes } = require('node:crypto');

const { decide } = require('./model');
const { chunks, completion } = require('./format');

const MODEL = 'gpt-4o-mini';
const MAX_BODY = 5 * 1024 * 1024;

function readJson(req) {
	return new Promise((resolve, reject) => {
		const parts = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size <= MAX_BODY) parts.push(c);
		});
		req.on('end', () => {
			const text = Buffer.concat(parts).toString('utf8');
			try {
				resolve(text ? JSON.parse(text) : {});
			} catch {
				resolve({ __unparsed: text });
			}
		});
		req.on('error', reject);
	});
}

function sendJson(res, status, body) {
	const payload = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(payload),
	});
	res.end(payload);
}

const openAiError = (message, type, code) => ({ error: { message, type, param: null, code } });

/**
 * @param {object} [options]
 * @param {string} [options.apiKey]          the Bearer key every request must carry (default: random)
 * @param {number} [options.port]            default 0 (a free port)
 * @param {RegExp} [options.toolPattern]     which offered tool to call (default /jimeng/i)
 * @param {string} [options.fallbackPrompt]  the tool prompt when the user's message quotes none
 */
async function startFakeOpenAi(options = {}) {
	const apiKey = options.apiKey ?? `sk-fake-openai-${randomBytes(8).toString('hex')}`;
	const settings = {
		toolPattern: options.toolPattern ?? /jimeng/i,
		fallbackPrompt: options.fallbackPrompt ?? 'A red fox in fresh snow, watercolor',
	};
	const log = [];
	let calls = 0;

	async function handle(req, res) {
		const path = new URL(req.url, 'http://127.0.0.1').pathname.replace(/\/+$/, '');
		const body = req.method === 'POST' ? await readJson(req) : undefined;
		const authOk = req.headers.authorization === `Bearer ${apiKey}`;
		const entry = { at: Date.now(), method: req.method, path, authOk, body };
		log.push(entry);
		if (!authOk) {
			entry.problem = 'missing or wrong API key';
			entry.statusCode = 401;
			return sendJson(
				res,
				401,
				openAiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'),
			);
		}
		if (req.method === 'GET' && path === '/v1/models') {
			entry.statusCode = 200;
			return sendJson(res, 200, {
				object: 'list',
				data: [{ id: MODEL, object: 'model', created: 1700000000, owned_by: 'fake-openai' }],
			});
		}
		if (req.method !== 'POST' || path !== '/v1/chat/completions') {
			entry.problem = `unexpected ${req.method} ${path}`;
			entry.statusCode = 404;
			return sendJson(
				res,
				404,
				openAiError(`Unknown route ${req.method} ${path}`, 'invalid_request_error', null),
			);
		}
		calls++;
		entry.messages = body.messages ?? [];
		entry.tools = body.tools ?? [];
		entry.stream = body.stream === true;
		const answer = decide(body, { ...settings, callId: `call_fake_${calls}` });
		entry.answer = answer;
		const meta = {
			id: `chatcmpl-fake-${calls}`,
			model: body.model ?? MODEL,
			created: Math.floor(Date.now() / 1000),
			includeUsage: body.stream_options?.include_usage === true,
		};
		entry.statusCode = 200;
		if (!entry.stream) return sendJson(res, 200, completion(answer, meta));
		res.writeHead(200, {
			'Content-Type': 'text/event-stream',
			'Cache-Control': 'no-cache',
			Connection: 'keep-alive',
		});
		for (const line of chunks(answer, meta)) res.write(line);
		res.end();
	}

	const server = http.createServer((req, res) =>
		handle(req, res).catch((err) => {
			log.push({ at: Date.now(), problem: `fake-openai internal error: ${err.message}` });
			if (!res.headersSent) sendJson(res, 500, openAiError(err.message, 'server_error', null));
			else res.destroy();
		}),
	);
	const port = await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve(server.address().port));
	});
	const origin = `http://127.0.0.1:${port}`;

	return {
		/** The Base URL an OpenAI credential takes (with /v1). */
		url: `${origin}/v1`,
		origin,
		apiKey,
		model: MODEL,
		log,
		/** The logged chat completion requests, in order. */
		chatRequests: () => log.filter((e) => e.path === '/v1/chat/completions' && e.messages),
		reset() {
			log.length = 0;
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startFakeOpenAi, MODEL };

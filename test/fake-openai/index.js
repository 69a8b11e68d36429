'use strict';
// Fake OpenAI-compatible chat server on 127.0.0.1 for the AI Agent tests: GET /v1/models and
// POST /v1/chat/completions (JSON or SSE when `stream: true`). The answers come from model.js:
// first a call to the Jimeng tool, then a final answer quoting the URLs the tool returned.
// Every request is logged (method, path, auth ok, body, messages, tools, stream, answer).
const { randomBytes } = require('node:crypto');

const { decide } = require('./model');
const { chunks, completion } = require('./format');
const { parseJson, readBody, reply, startServer } = require('../fake-jimeng/http-util');

const MODEL = 'gpt-4o-mini';

/** The request's JSON body ({} when empty, { __unparsed } when not JSON). */
async function readJson(req) {
	const { ok, value } = parseJson((await readBody(req)).data);
	return ok ? value : value ? { __unparsed: value } : {};
}

const openAiError = (message, type, code) => ({
	error: { message, type, param: null, code },
});

/** A chat completion: the model's next move (model.js), as JSON or as SSE when `stream: true`. */
function chatCompletion(res, entry, body, calls) {
	entry.messages = body.messages ?? [];
	entry.tools = body.tools ?? [];
	entry.stream = body.stream === true;
	const answer = decide(body, `call_fake_${calls}`);
	entry.answer = answer;
	const meta = {
		id: `chatcmpl-fake-${calls}`,
		model: body.model ?? MODEL,
		created: Math.floor(Date.now() / 1000),
		includeUsage: body.stream_options?.include_usage === true,
	};
	if (!entry.stream) return reply(res, entry, 200, completion(answer, meta));
	entry.statusCode = 200;
	res.writeHead(200, {
		'Content-Type': 'text/event-stream',
		'Cache-Control': 'no-cache',
		Connection: 'keep-alive',
	});
	for (const line of chunks(answer, meta)) res.write(line);
	res.end();
}

/** The request handler: the key first, then the two routes; everything else is a logged problem. */
function handler(apiKey, log) {
	let calls = 0;
	return async (req, res) => {
		const path = new URL(req.url, 'http://127.0.0.1').pathname.replace(/\/+$/, '');
		const body = req.method === 'POST' ? await readJson(req) : undefined;
		const authOk = req.headers.authorization === `Bearer ${apiKey}`;
		const entry = { at: Date.now(), method: req.method, path, authOk, body };
		log.push(entry);
		const refuse = (status, problem, message, code = null) => {
			entry.problem = problem;
			return reply(res, entry, status, openAiError(message, 'invalid_request_error', code));
		};
		if (!authOk)
			return refuse(
				401,
				'missing or wrong API key',
				'Incorrect API key provided.',
				'invalid_api_key',
			);
		if (req.method === 'GET' && path === '/v1/models') {
			return reply(res, entry, 200, {
				object: 'list',
				data: [{ id: MODEL, object: 'model', created: 1700000000, owned_by: 'fake-openai' }],
			});
		}
		if (req.method === 'POST' && path === '/v1/chat/completions')
			return chatCompletion(res, entry, body, ++calls);
		return refuse(404, `unexpected ${req.method} ${path}`, `Unknown route ${req.method} ${path}`);
	};
}

/** Options: index.d.ts. */
async function startFakeOpenAi(options = {}) {
	const apiKey = options.apiKey ?? `sk-fake-openai-${randomBytes(8).toString('hex')}`;
	const log = [];
	const internalError = (err) => {
		log.push({ at: Date.now(), problem: `fake-openai internal error: ${err.message}` });
		return openAiError(err.message, 'server_error', null);
	};
	const server = await startServer(options.port ?? 0, handler(apiKey, log), internalError);
	return {
		/** The Base URL an OpenAI credential takes (with /v1). */
		url: `${server.url}/v1`,
		apiKey,
		model: MODEL,
		log,
		/** The logged chat completion requests, in order. */
		chatRequests: () => log.filter((e) => e.path === '/v1/chat/completions' && e.messages),
		reset() {
			log.length = 0;
		},
		close: server.close,
	};
}

module.exports = { startFakeOpenAi, MODEL };

'use strict';
// The API server (POST /jm): logging, auth and protocol checks, then dispatch to submit/query.
const { readBody, reply, parseJson } = require('./http-util');
const { error, INVALID_TOKEN, htmlPage } = require('./envelope');
const { ACTIONS, checkRoute, checkContentType, checkSubmit, checkQuery } = require('./validate');
const { newEntry, finishEntry, bump } = require('./state');
const { handleSubmit } = require('./submit');
const { handleQuery } = require('./query');
const uploads = require('./uploads');
const newApi = require('./new-api');

// The plain gateway's key check.
function plainKeyRefused(state, ctx) {
	if (!newApi.wrongKey(state, ctx)) return false;
	reply(ctx.res, ctx.entry, 401, INVALID_TOKEN);
	return true;
}

/** The layer before the API: the plain key check, or new-api's whole middleware (new-api.js). */
function gatewayRefused(state, ctx, routed) {
	if (state.options.gateway === 'new-api') return newApi.gate(state, ctx, { routed });
	return plainKeyRefused(state, ctx);
}

/** Requests other than POST /jm: the upload link, the key's balance, unknown paths. */
function handleOtherPath(state, ctx, pathname) {
	const { req, res, entry } = ctx;
	if (pathname === uploads.PATH) {
		entry.kind = 'upload';
		state.counters.uploadLinks++;
		if (gatewayRefused(state, ctx, false)) return;
		return uploads.handleUploadLink(state, ctx);
	}
	const balance = pathname === '/api/usage/token/' && req.method === 'GET';
	if (balance && state.options.balance !== 'missing') {
		entry.kind = 'balance';
		if (state.options.balance === 'web-page') return reply(res, entry, 200, newApi.WEB_APP_PAGE);
		if (state.options.gateway === 'new-api') return newApi.tokenUsage(state, ctx);
		// The plain gateway: its key check, then the same answer (deepwl is built on new-api).
		if (plainKeyRefused(state, ctx)) return;
		return newApi.usageAnswer(state, ctx);
	}
	entry.problem = `unknown path ${pathname}`;
	if (state.options.gateway === 'new-api') return newApi.unknownPath(state, ctx, pathname);
	return reply(res, entry, 404, htmlPage(404));
}

async function handleApi(state, req, res) {
	const startNs = process.hrtime.bigint();
	const c = state.counters;
	const entry = newEntry(state, { method: req.method, url: req.url, headers: { ...req.headers } });
	res.on('close', () => finishEntry(state, entry));

	const { data: raw } = await readBody(req);
	const parsed = raw.length ? parseJson(raw) : { ok: false, value: null };
	entry.body = parsed.value;
	const url = new URL(req.url, 'http://fake');
	const envelopeCtx = { vocabulary: state.options.vocabulary, startNs };
	const ctx = { state, req, res, entry, envelopeCtx, body: parsed.value };
	if (url.pathname !== '/jm') return handleOtherPath(state, ctx, url.pathname);

	entry.action = url.searchParams.get('Action');
	entry.kind = ACTIONS[entry.action] || 'other';
	if (entry.kind === 'submit') {
		c.submits++;
		if (parsed.ok && parsed.value && typeof parsed.value.prompt === 'string') {
			entry.prompt = parsed.value.prompt;
			bump(c.submitsPerPrompt, entry.prompt);
		}
	} else if (entry.kind === 'query') c.queries++;

	if (gatewayRefused(state, ctx, true)) return;
	const routeProblem = checkRoute(req.method, url.searchParams);
	const problem =
		routeProblem ??
		checkContentType(req.headers) ??
		(parsed.ok ? null : 'body is not valid JSON') ??
		(entry.kind === 'submit' ? checkSubmit(parsed.value) : checkQuery(parsed.value)) ??
		// The real gateway fetches the references: an upload link that is not live cannot be read.
		(entry.kind === 'submit' ? uploads.deadUploadReference(state, parsed.value) : null);
	if (problem) {
		entry.problem = problem;
		const message = routeProblem
			? 'Input invalid for this service.'
			: `Input invalid for this service: ${problem}`;
		return reply(res, entry, 400, error(50215, message, envelopeCtx));
	}
	return entry.kind === 'submit' ? handleSubmit(state, ctx) : handleQuery(state, ctx);
}

module.exports = { handleApi };

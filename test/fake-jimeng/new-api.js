'use strict';
// new-api mode (option gateway: 'new-api'): the gateway's own layer answers first, in new-api's
// order (router/video-router.go, router/relay-router.go): the global rate limit, TokenAuth (the key,
// its group), the model rate limit, Distribute (the key's models, a channel for the model), then for
// a submit the pre-consumption of the wallet and the key's quota (relay/relay_task.go step 7), and an
// upstream Jimeng error passed on the new-api way. Answers: new-api-answers.js; README.md.
const { reply } = require('./http-util');
const { newApiAnswer } = require('./new-api-answers');

/** The account as it stands: reset() refills it from the options. */
function freshAccount(o) {
	return { wallet: o.wallet, keyQuota: o.keyQuota, windows: new Map() };
}

function answer(ctx, name, extra = {}) {
	const o = ctx.state.options.newApi;
	const a = newApiAnswer(name, { language: o.language, model: ctx.body?.req_key, ...extra });
	ctx.entry.fault = ctx.entry.fault || `new-api:${name}`;
	reply(ctx.res, ctx.entry, a.status, a.body, a.headers);
	return true;
}

/** A request over the limit of this window (counted whether or not it is refused). */
function overLimit(state, limiter) {
	const limit = state.options.newApi.rateLimit;
	if (!limit || (limiter === 'global') !== (limit.limiter === 'global')) return false;
	const now = Date.now();
	const window = state.newApi.windows.get(limiter) ?? { start: now, count: 0 };
	if (now - window.start >= (limit.windowMs ?? 60_000))
		Object.assign(window, { start: now, count: 0 });
	window.count++;
	state.newApi.windows.set(limiter, window);
	return window.count > limit.max;
}

/** A key other than the fake's is a problem of the client: logged as one. */
function wrongKey(state, { req, entry }) {
	const sent = req.headers.authorization;
	if (sent === `Bearer ${state.options.apiKey}`) return false;
	entry.problem = sent ? 'wrong Authorization header' : 'missing Authorization header';
	return true;
}

/** TokenAuth: a wrong key, then the key's states (the gateway's, not the client's problems). */
function keyRefusal(state, ctx) {
	const o = state.options.newApi;
	if (wrongKey(state, ctx)) return answer(ctx, 'invalid-key');
	// new-api names the key without its sk- prefix: 3 characters, ***, the last 3
	const key = state.options.apiKey.replace(/^sk-/, '');
	const keyHint = `${key.slice(0, 3)}***${key.slice(-3)}`;
	if (o.keyState === 'expired' || o.keyState === 'disabled')
		return answer(ctx, `${o.keyState}-key`);
	if (o.keyState === 'exhausted' || (state.newApi.keyQuota !== null && state.newApi.keyQuota <= 0))
		return answer(ctx, 'exhausted-key', { keyHint });
	if (o.permission === 'group') return answer(ctx, 'group-forbidden');
	return false;
}

/**
 * The layer before the API: true when it answered (the request ends there). `routed` is false for
 * the upload link request, which names no model (no model limit, no channel).
 */
function gate(state, ctx, { routed }) {
	const o = state.options.newApi;
	if (overLimit(state, 'global')) return answer(ctx, 'rate-limit');
	if (keyRefusal(state, ctx)) return true;
	if (!routed) return false;
	const limiter = o.rateLimit?.limiter;
	if (limiter !== 'global' && overLimit(state, limiter))
		return answer(ctx, limiter === 'model-redis' ? 'model-rate-limit' : 'rate-limit', {
			max: o.rateLimit.max,
		});
	if (o.permission === 'model') return answer(ctx, 'model-forbidden');
	if (!o.channel) return answer(ctx, 'no-channel');
	return false;
}

const QUOTA_SHAPES = {
	task: 'wallet-empty',
	relay: 'wallet-empty-relay',
	'legacy-task': 'wallet-empty-legacy',
	'one-api': 'wallet-empty-one-api',
};

/** A submit's pre-consumption: one task's price from the wallet and from the key's quota. */
function preConsume(state, ctx) {
	const { wallet, keyQuota } = state.newApi;
	if (wallet !== null && wallet <= 0)
		return answer(ctx, QUOTA_SHAPES[state.options.newApi.quotaShape]);
	if (wallet !== null && wallet < 1) return answer(ctx, 'wallet-short');
	if (keyQuota !== null && keyQuota < 1) return answer(ctx, 'key-quota-short');
	return false;
}

/** A task was created: its price is spent. */
function charge(state) {
	if (state.newApi.wallet !== null) state.newApi.wallet -= 1;
	if (state.newApi.keyQuota !== null) state.newApi.keyQuota -= 1;
}

/** An upstream Jimeng error on a submit, as new-api hands it on (new-api-answers.js). */
function passThrough(state, ctx, upstreamStatus, envelope) {
	if (state.options.newApi.passthrough === 'string-code')
		return answer(ctx, 'upstream-code', { code: envelope.code, message: envelope.message });
	if (upstreamStatus === 429) return answer(ctx, 'upstream-saturated');
	return answer(ctx, 'upstream-passthrough', { status: upstreamStatus, upstream: envelope });
}

/**
 * GET /api/usage/token/'s answer (controller/token.go GetTokenUsage): the key's figures in quota
 * units (new-api's QuotaPerUnit: 500,000 = 1 USD); one task costs `perTask` of them here.
 */
function usageAnswer(state, ctx) {
	const perTask = 100_000;
	const left = state.newApi.keyQuota;
	const used = state.counters.tasksCreated * perTask;
	reply(ctx.res, ctx.entry, 200, {
		code: true,
		message: 'ok',
		data: {
			object: 'token_usage',
			name: 'n8n',
			total_granted: left === null ? 0 : left * perTask + used,
			total_used: used,
			total_available: left === null ? 0 : left * perTask,
			unlimited_quota: left === null,
			model_limits: {},
			model_limits_enabled: false,
			expires_at: state.options.newApi.keyExpiresAt,
		},
	});
	return true;
}

/**
 * GET /api/usage/token/ in new-api mode (router/api-router.go): the /api routes' global rate limit
 * and CriticalRateLimit (429, empty body), then TokenAuthReadOnly (its own 401 shape), then the usage.
 */
function tokenUsage(state, ctx) {
	if (overLimit(state, 'global')) return answer(ctx, 'rate-limit');
	if (ctx.req.headers.authorization !== `Bearer ${state.options.apiKey}`)
		return answer(ctx, 'api-invalid-key');
	return usageAnswer(state, ctx);
}

/** new-api's web app, which answers every path it does not route (router/web-router.go NoRoute). */
const WEB_APP_PAGE =
	'<!doctype html><html><head><title>New API</title></head><body><div id="root"></div></body></html>';

/** A path new-api does not serve: /v1 and /api get RelayNotFound's JSON, others the web app's page. */
function unknownPath(state, ctx, path) {
	if (/^\/(v1|api)\//.test(path))
		return answer(ctx, 'unknown-route', { method: ctx.req.method, path });
	reply(ctx.res, ctx.entry, 200, WEB_APP_PAGE, { 'Content-Type': 'text/html; charset=utf-8' });
	return true;
}

module.exports = {
	wrongKey,
	freshAccount,
	gate,
	preConsume,
	charge,
	passThrough,
	tokenUsage,
	usageAnswer,
	unknownPath,
	WEB_APP_PAGE,
	answer,
};

// The Jimeng API credential's Test as the editor runs it (POST /rest/credentials/test): it passes on
// every way a gateway answers an unknown task ID, fails naming the cause for each way it cannot
// work, never creates a (billed) task; against a plain gateway, then the fake's new-api mode. The
// last entry leaves the tests' log entries in ctx.credentialEntries (wrong keys are problems there).
import { freePort } from '../../scripts/n8n/lib.mjs';
import { verdict } from '../../scripts/support/scenarios.mjs';
import { UNKNOWN_TASK_MODES, newApiAnswer } from '../fake-jimeng/index.js';
import { NOT_FOUND_HTML, startLoopbackServer } from './loopback-server.mjs';

/** The balance or quota named, the key not blamed. */
const namesBalance = (m) =>
	/balance or the key's quota is spent/.test(m) && !/rejected the API key/.test(m);
const UNRESOLVABLE_BASE_URL = 'http://jimeng-gateway.invalid';
const wrongKey = () => `sk-wrong-${Date.now().toString(36)}`;
/** An HTTP 403 refusal of a right key in new-api's error shape (the balance, a permission). */
const refused = (message, code) => ({
	status: 403,
	body: { error: { message, type: 'new_api_error', ...(code && { code }) } },
});

/**
 * The ways the test must fail, each with what its message must say. The sandbox's credential with
 * `apiKey`, `baseUrl(data)` when given; `enqueue`: the fake's next query answer; `answer`: what a
 * loopback server (the Base URL, which must have been asked) answers.
 */
const FAILURE_CASES = [
	{
		name: 'a wrong key (HTTP 401)',
		apiKey: wrongKey(),
		expect: (m) => /API key/i.test(m) && /401/.test(m),
		wants: 'names the API key and HTTP 401',
	},
	{
		name: 'a spent balance (HTTP 403, insufficient_user_quota)',
		enqueue: refused('insufficient user quota', 'insufficient_user_quota'),
		expect: (m) => namesBalance(m) && /403/.test(m),
		wants: 'names the balance or quota and HTTP 403, not the key',
	},
	{
		name: 'a key that may not use the model (HTTP 403)',
		enqueue: refused('该令牌无权访问模型 jimeng_t2i_v40'),
		expect: (m) => /does not let this key/.test(m) && /403/.test(m) && /该令牌无权访问模型/.test(m),
		wants: "names the key's permission and HTTP 403, quoting the gateway",
	},
	...[
		['a 404 HTML page (nothing serves /jm)', { status: 404, body: NOT_FOUND_HTML }, /HTML/i],
		["another API's JSON at HTTP 404", { status: 404, body: { error: 'not found' } }, /JSON/i],
		["another API's JSON at HTTP 200", { status: 200, body: { error: 'not found' } }, /JSON/i],
	].map(([name, answer, kind]) => ({
		name,
		answer,
		expect: (m, data) =>
			m.includes(`${data.baseUrl}/jm`) &&
			!m.includes('{Base URL}') &&
			kind.test(m) &&
			!/API key/i.test(m),
		wants: `names ${'<Base URL>'}/jm with the actual Base URL and what answered (${kind.source}), not the key`,
	})),
	{
		name: 'a refused connection (a free port nobody listens on)',
		baseUrl: async () => `http://127.0.0.1:${await freePort()}`,
		expect: (m, data) =>
			m.includes(data.baseUrl) && /ECONNREFUSED|refused|accepted the connection/i.test(m),
		wants: 'names the Base URL and the refused connection',
	},
	{
		name: `an unresolvable host (${UNRESOLVABLE_BASE_URL})`,
		baseUrl: () => UNRESOLVABLE_BASE_URL,
		expect: (m) => m.includes('jimeng-gateway.invalid') && /resolv|ENOTFOUND|EAI_AGAIN/i.test(m),
		wants: 'names the host and that it could not be resolved',
	},
];

/** Every way a gateway answers an unknown task: the test passes, each query answered that way. */
const UNKNOWN_TASK_CASES = Object.entries(UNKNOWN_TASK_MODES).map(([mode, answer]) => ({
	title: `credential test, right key, unknown task answered "${mode}" (HTTP ${answer.httpStatus}, code ${answer.code}) → OK`,
	options: () => ({ unknownTask: mode }),
	status: 'OK',
	expect: (m, data, queries) =>
		queries.length >= 1 && queries.every((e) => e.statusCode === answer.httpStatus),
}));

/**
 * Against the fake's new-api mode (`newApi`: the mode's options): its own unknown-task JSON and a
 * missing channel pass (the key was checked first); each refusal of the key fails naming it.
 */
const newApiCase = (name, newApi, expect, wants, more) => ({
	...{ name, expect, wants, mode: ' (new-api mode)' },
	options: (now) => ({ gateway: 'new-api', newApi: { ...now.newApi, ...newApi } }),
	...more,
});
const NEW_API_CASES = [
	newApiCase(
		"the gateway's unknown-task JSON (HTTP 400 task_not_exist)",
		{},
		(m) => /accepted the key/.test(m),
		'passes',
		{ status: 'OK' },
	),
	newApiCase(
		'no channel for the model now (HTTP 503)',
		{ channel: false },
		(m) => /accepted the key\. Note: it has no channel/.test(m),
		'passes with a note',
		{ status: 'OK' },
	),
	newApiCase(
		'a wrong key (HTTP 401, 无效的令牌)',
		{},
		(m) => /rejected the API key \(HTTP 401\)/.test(m) && /无效的令牌/.test(m),
		'names the key and quotes the gateway',
		{ apiKey: wrongKey() },
	),
	newApiCase(
		'an exhausted key (HTTP 401, 该令牌额度已用尽)',
		{ keyState: 'exhausted' },
		(m) => /API key's quota is used up \(HTTP 401\)/.test(m) && !/rejected/.test(m),
		"names the key's quota, not a wrong key",
	),
	newApiCase(
		'an expired key (HTTP 401)',
		{ keyState: 'expired' },
		(m) => /rejected the API key/.test(m) && /该令牌已过期/.test(m),
		'names the key, quoting 该令牌已过期',
	),
	newApiCase(
		'a spent wallet (HTTP 403, insufficient_user_quota)',
		{},
		(m) => namesBalance(m) && /用户额度不足/.test(m),
		'names the balance, not the key',
		{ enqueue: newApiAnswer('wallet-empty') },
	),
	newApiCase(
		'a model the key may not use (HTTP 403)',
		{ permission: 'model' },
		(m) => /does not let this key/.test(m),
		"names the key's permission",
	),
	newApiCase(
		'a rate limit (HTTP 429, empty body)',
		{ rateLimit: { limiter: 'global', max: 0 } },
		(m) => /rate limiting requests \(HTTP 429\)/.test(m),
		'says the key could not be checked',
	),
	newApiCase(
		'a new-api without the Jimeng route (its web app, HTTP 200)',
		{},
		(m, data) =>
			m.includes(`Nothing serves the Jimeng API at ${data.baseUrl}/jm`) && /HTML page/.test(m),
		'names <Base URL>/jm and the HTML page',
		{ baseUrl: (data) => `${data.baseUrl}/console` },
	),
];

/** A case's entry, the fake's `options(its options now)` set for it: status (default Error), message. */
const caseEntry = (c) => ({
	name: `server: ${c.title ?? `credential test${c.mode ?? ''} with ${c.name} → ${c.status ?? 'Error'} that ${c.wants}`}`,
	async setup(ctx) {
		const { fake } = ctx;
		ctx.credentialStart ??= { from: fake.log.length, before: fake.stats() }; // where the tests start
		const options = c.options?.(fake.options);
		const saved =
			options && Object.fromEntries(Object.keys(options).map((k) => [k, fake.options[k]]));
		if (options) fake.setOptions(options);
		if (c.enqueue) fake.enqueue('query', c.enqueue);
		const server = c.answer && (await startLoopbackServer(c.answer));
		const base = ctx.sb.credentialData;
		const baseUrl = server?.url ?? (await c.baseUrl?.(base)) ?? base.baseUrl;
		return { saved, server, data: { ...base, apiKey: c.apiKey ?? base.apiKey, baseUrl } };
	},
	async act(ctx, { data, server }) {
		const at = ctx.fake.log.length;
		const credential = { ...ctx.credential, type: 'jimengApi', data };
		const result = await ctx.instance.testCredential(credential);
		const queries = ctx.fake.log.slice(at).filter((e) => e.kind === 'query');
		return { data, result, queries, reached: !server || server.requests > 0 };
	},
	assert: ({ result, data, queries, reached }, ctx) =>
		verdict(
			result?.status === (c.status ?? 'Error') &&
				c.expect(String(result?.message ?? ''), data, queries) &&
				reached,
			`${ctx.redact(JSON.stringify(result))}; the fake answered ${queries.map((e) => e.statusCode).join(',') || 'nothing'}`,
		),
	async cleanup(ctx, state) {
		await state?.server?.close();
		if (state?.saved) ctx.fake.setOptions(state.saved);
	},
});

export const credentialTestEntries = [
	...[...UNKNOWN_TASK_CASES, ...FAILURE_CASES, ...NEW_API_CASES].map(caseEntry),
	{
		name: 'server: credential tests created no task and sent no submit',
		act(ctx) {
			const { from, before } = ctx.credentialStart;
			const after = ctx.fake.stats();
			const entries = (ctx.credentialEntries = ctx.fake.log.slice(from));
			const submits = entries.filter((e) => e.kind === 'submit');
			return verdict(
				after.tasksCreated === before.tasksCreated &&
					after.submits === before.submits &&
					submits.length === 0,
				`tasksCreated +${after.tasksCreated - before.tasksCreated}, submits +${after.submits - before.submits}, ${entries.length} request(s) to the fake, all ${[...new Set(entries.map((e) => e.kind))].join('/')}`,
			);
		},
	},
];

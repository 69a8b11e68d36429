// The Jimeng API credential's Test, as the editor runs it (POST /rest/credentials/test), on one
// running n8n line: it must pass on every way a gateway answers an unknown task ID, fail naming
// the cause for each way it cannot work, and never create a (billed) task; against a plain gateway,
// then against the fake's new-api mode (the gateway's own layer answering first).
//
// Scenario entries of the e2e server table (server.mjs): ctx carries the running instance, the fake,
// the sandbox (its credentialData) and redact. The last entry leaves the fake's log entries the
// tests produced in ctx.credentialEntries (the wrong-key requests show up there as problems, on
// purpose).
import { createRequire } from 'node:module';

import { freePort } from '../../scripts/n8n/lib.mjs';
import { verdict } from '../../scripts/support/scenarios.mjs';
import { NOT_FOUND_HTML, startLoopbackServer } from './loopback-server.mjs';

const require = createRequire(import.meta.url);
const { UNKNOWN_TASK_MODES, newApiAnswer } = require('../fake-jimeng');

/** The refusals of a key that is right: the balance, a permission (new-api's error shape). */
const BALANCE_BODY = {
	error: {
		message: 'insufficient user quota',
		type: 'new_api_error',
		code: 'insufficient_user_quota',
	},
};
const PERMISSION_BODY = {
	error: { message: '该令牌无权访问模型 jimeng_t2i_v40', type: 'new_api_error' },
};
/** The balance or quota named, the key not blamed. */
const namesBalance = (m) =>
	/balance or the key's quota is spent/.test(m) && !/rejected the API key/.test(m);
const UNRESOLVABLE_BASE_URL = 'http://jimeng-gateway.invalid';

/**
 * The ways the test must fail, each with what its message must say. `setup` returns the Base URL
 * (and, for a key problem, the key) to test with; `teardown` stops what it started.
 */
const FAILURE_CASES = [
	{
		name: 'a wrong key (HTTP 401)',
		setup: async (data) => ({ ...data, apiKey: `sk-wrong-${Date.now().toString(36)}` }),
		expect: (m) => /API key/i.test(m) && /401/.test(m),
		wants: 'names the API key and HTTP 401',
	},
	{
		name: 'a spent balance (HTTP 403, insufficient_user_quota)',
		setup: async (data, fake) => {
			fake.enqueue('query', { status: 403, body: BALANCE_BODY });
			return data;
		},
		expect: (m) => namesBalance(m) && /403/.test(m),
		wants: 'names the balance or quota and HTTP 403, not the key',
	},
	{
		name: 'a key that may not use the model (HTTP 403)',
		setup: async (data, fake) => {
			fake.enqueue('query', { status: 403, body: PERMISSION_BODY });
			return data;
		},
		expect: (m) => /does not let this key/.test(m) && /403/.test(m) && /该令牌无权访问模型/.test(m),
		wants: "names the key's permission and HTTP 403, quoting the gateway",
	},
	...[
		['a 404 HTML page (nothing serves /jm)', { status: 404, body: NOT_FOUND_HTML }, /HTML/i],
		["another API's JSON at HTTP 404", { status: 404, body: { error: 'not found' } }, /JSON/i],
		["another API's JSON at HTTP 200", { status: 200, body: { error: 'not found' } }, /JSON/i],
	].map(([name, answer, kind]) => {
		let server;
		return {
			name,
			setup: async (data) => {
				server = await startLoopbackServer(answer);
				return { ...data, baseUrl: server.url };
			},
			teardown: async () => server?.close(),
			expect: (m, data) =>
				m.includes(`${data.baseUrl}/jm`) &&
				!m.includes('{Base URL}') &&
				kind.test(m) &&
				!/API key/i.test(m),
			wants: `names ${'<Base URL>'}/jm with the actual Base URL and what answered (${kind.source}), not the key`,
			reached: () => server?.requests > 0,
		};
	}),
	{
		name: 'a refused connection (a free port nobody listens on)',
		setup: async (data) => ({ ...data, baseUrl: `http://127.0.0.1:${await freePort()}` }),
		expect: (m, data) =>
			m.includes(data.baseUrl) && /ECONNREFUSED|refused|accepted the connection/i.test(m),
		wants: 'names the Base URL and the refused connection',
	},
	{
		name: `an unresolvable host (${UNRESOLVABLE_BASE_URL})`,
		setup: async (data) => ({ ...data, baseUrl: UNRESOLVABLE_BASE_URL }),
		expect: (m) => m.includes('jimeng-gateway.invalid') && /resolv|ENOTFOUND|EAI_AGAIN/i.test(m),
		wants: 'names the host and that it could not be resolved',
	},
];

/**
 * Against the fake's new-api mode: its own unknown-task JSON and a missing channel pass (the key
 * was checked first); each refusal of the key fails naming it. `newApi` sets the mode's options.
 */
const refusal = (name, newApi, expect, wants, more) => ({
	...{ name, newApi, expect, wants, status: 'Error' },
	...more,
});
const NEW_API_CASES = [
	{
		name: "the gateway's unknown-task JSON (HTTP 400 task_not_exist)",
		newApi: {},
		status: 'OK',
		expect: (m) => /accepted the key/.test(m),
		wants: 'passes',
	},
	{
		name: 'no channel for the model now (HTTP 503)',
		newApi: { channel: false },
		status: 'OK',
		expect: (m) => /accepted the key\. Note: it has no channel/.test(m),
		wants: 'passes with a note',
	},
	refusal(
		'a wrong key (HTTP 401, 无效的令牌)',
		{},
		(m) => /rejected the API key \(HTTP 401\)/.test(m) && /无效的令牌/.test(m),
		'names the key and quotes the gateway',
		{ apiKey: `sk-wrong-${Date.now().toString(36)}` },
	),
	refusal(
		'an exhausted key (HTTP 401, 该令牌额度已用尽)',
		{ keyState: 'exhausted' },
		(m) => /API key's quota is used up \(HTTP 401\)/.test(m) && !/rejected/.test(m),
		"names the key's quota, not a wrong key",
	),
	refusal(
		'an expired key (HTTP 401)',
		{ keyState: 'expired' },
		(m) => /rejected the API key/.test(m) && /该令牌已过期/.test(m),
		'names the key, quoting 该令牌已过期',
	),
	refusal(
		'a spent wallet (HTTP 403, insufficient_user_quota)',
		{},
		(m) => namesBalance(m) && /用户额度不足/.test(m),
		'names the balance, not the key',
		{ enqueue: newApiAnswer('wallet-empty') },
	),
	refusal(
		'a model the key may not use (HTTP 403)',
		{ permission: 'model' },
		(m) => /does not let this key/.test(m),
		"names the key's permission",
	),
	refusal(
		'a rate limit (HTTP 429, empty body)',
		{ rateLimit: { limiter: 'global', max: 0 } },
		(m) => /rate limiting requests \(HTTP 429\)/.test(m),
		'says the key could not be checked',
	),
	refusal(
		'a new-api without the Jimeng route (its web app, HTTP 200)',
		{},
		(m, data) =>
			m.includes(`Nothing serves the Jimeng API at ${data.baseUrl}/jm`) && /HTML page/.test(m),
		'names <Base URL>/jm and the HTML page',
		{ baseUrl: (data) => `${data.baseUrl}/console` },
	),
];

/** Mark where the credential tests start in the fake's log (at the first entry that runs). */
const mark = (ctx) => {
	ctx.credentialStart ??= { from: ctx.fake.log.length, before: ctx.fake.stats() };
};
const testWith = (ctx, data) =>
	ctx.instance.testCredential({ ...ctx.credential, type: 'jimengApi', data });
/** The test's answer must have `status` and a message `expect` accepts (for the data tested). */
const answered =
	(status, expect) =>
	({ result, data }, ctx) =>
		verdict(
			result?.status === status && expect(String(result?.message ?? ''), data),
			ctx.redact(JSON.stringify(result)),
		);

/** Every way a gateway answers an unknown task: the test passes. */
const unknownTaskEntries = Object.entries(UNKNOWN_TASK_MODES).map(([mode, answer]) => ({
	name: `server: credential test, right key, unknown task answered "${mode}" (HTTP ${answer.httpStatus}, code ${answer.code}) → OK`,
	setup(ctx) {
		mark(ctx);
		const saved = ctx.fake.options.unknownTask;
		ctx.fake.setOptions({ unknownTask: mode });
		return saved;
	},
	async act(ctx) {
		const at = ctx.fake.log.length;
		const result = await testWith(ctx, ctx.sb.credentialData);
		return { result, queries: ctx.fake.log.slice(at).filter((e) => e.kind === 'query') };
	},
	assert: ({ result, queries }, ctx) =>
		verdict(
			result?.status === 'OK' &&
				queries.length >= 1 &&
				queries.every((e) => e.statusCode === answer.httpStatus),
			`${ctx.redact(JSON.stringify(result))}; the fake answered ${queries.map((e) => e.statusCode).join(',') || 'nothing'}`,
		),
	cleanup: (ctx, saved) => ctx.fake.setOptions({ unknownTask: saved }),
}));

/** Every way it cannot work: the test fails naming the cause. */
const failureEntries = FAILURE_CASES.map((c) => ({
	name: `server: credential test with ${c.name} → Error that ${c.wants}`,
	setup: (ctx) => {
		mark(ctx);
		return c.setup(ctx.sb.credentialData, ctx.fake);
	},
	act: async (ctx, data) => ({ data, result: await testWith(ctx, data) }),
	assert: answered('Error', (m, data) => c.expect(m, data) && (!c.reached || c.reached())),
	cleanup: () => c.teardown?.(),
}));

/** The same against the fake's new-api mode. */
const newApiEntries = NEW_API_CASES.map((c) => ({
	name: `server: credential test (new-api mode) with ${c.name} → ${c.status} that ${c.wants}`,
	setup(ctx) {
		mark(ctx);
		const saved = ctx.fake.options;
		ctx.fake.setOptions({ gateway: 'new-api', newApi: { ...saved.newApi, ...c.newApi } });
		if (c.enqueue) ctx.fake.enqueue('query', c.enqueue);
		return { gateway: saved.gateway, newApi: saved.newApi };
	},
	async act(ctx) {
		const base = ctx.sb.credentialData;
		const data = {
			...base,
			...(c.apiKey ? { apiKey: c.apiKey } : {}),
			...(c.baseUrl ? { baseUrl: c.baseUrl(base) } : {}),
		};
		return { data, result: await testWith(ctx, data) };
	},
	assert: answered(c.status, c.expect),
	cleanup: (ctx, saved) => saved && ctx.fake.setOptions(saved),
}));

export const credentialTestEntries = [
	...unknownTaskEntries,
	...failureEntries,
	...newApiEntries,
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

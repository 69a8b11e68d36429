// The Jimeng API credential's Test, as the editor runs it (POST /rest/credentials/test), on one
// running n8n line: it must pass on every way a gateway answers an unknown task ID, fail naming
// the cause for each way it cannot work, and never create a (billed) task.
//
//   await checkCredentialTest({ instance, fake, credential, credentialData, check });
//
// `check(name, ok, detail)` is the caller's reporter (e2e.mjs). Returns the fake's log entries the
// test produced (the wrong-key requests show up there as problems, on purpose).
import { createRequire } from 'node:module';

import { freePort } from '../../scripts/n8n/lib.mjs';
import { NOT_FOUND_HTML, startLoopbackServer } from './loopback-server.mjs';

const require = createRequire(import.meta.url);
const { UNKNOWN_TASK_MODES } = require('../fake-jimeng');

/** A gateway's answer to a key that lacks access (the gateway's own error shape, as for 401). */
const FORBIDDEN_BODY = {
	error: {
		message: 'insufficient user quota',
		type: 'new_api_error',
		code: 'insufficient_user_quota',
	},
};
const UNRESOLVABLE_BASE_URL = 'http://jimeng-gateway.invalid';

/**
 * The ways the test must fail, each with what its message must say. `setup` returns the Base URL
 * (and, for a key problem, the key) to test with; `teardown` stops what it started.
 */
function failureCases({ fake, credentialData }) {
	return [
		{
			name: 'a wrong key (HTTP 401)',
			setup: async () => ({ ...credentialData, apiKey: `sk-wrong-${Date.now().toString(36)}` }),
			expect: (m) => /API key/i.test(m) && /401/.test(m),
			wants: 'names the API key and HTTP 401',
		},
		{
			name: 'a key without access (HTTP 403)',
			setup: async () => {
				fake.enqueue('query', { status: 403, body: FORBIDDEN_BODY });
				return credentialData;
			},
			expect: (m) => /API key/i.test(m) && /403/.test(m),
			wants: 'names the API key and HTTP 403',
		},
		...[
			['a 404 HTML page (nothing serves /jm)', { status: 404, body: NOT_FOUND_HTML }, /HTML/i],
			["another API's JSON at HTTP 404", { status: 404, body: { error: 'not found' } }, /JSON/i],
			["another API's JSON at HTTP 200", { status: 200, body: { error: 'not found' } }, /JSON/i],
		].map(([name, answer, kind]) => {
			let server;
			return {
				name,
				setup: async () => {
					server = await startLoopbackServer(answer);
					return { ...credentialData, baseUrl: server.url };
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
			setup: async () => ({ ...credentialData, baseUrl: `http://127.0.0.1:${await freePort()}` }),
			expect: (m, data) =>
				m.includes(data.baseUrl) && /ECONNREFUSED|refused|accepted the connection/i.test(m),
			wants: 'names the Base URL and the refused connection',
		},
		{
			name: `an unresolvable host (${UNRESOLVABLE_BASE_URL})`,
			setup: async () => ({ ...credentialData, baseUrl: UNRESOLVABLE_BASE_URL }),
			expect: (m) => m.includes('jimeng-gateway.invalid') && /resolv|ENOTFOUND|EAI_AGAIN/i.test(m),
			wants: 'names the host and that it could not be resolved',
		},
	];
}

export async function checkCredentialTest({
	instance,
	fake,
	credential,
	credentialData,
	check,
	redact = (s) => s,
}) {
	const from = fake.log.length;
	const before = fake.stats();
	const test = (data) => instance.testCredential({ ...credential, type: 'jimengApi', data });
	const savedMode = fake.options.unknownTask;

	try {
		for (const [mode, answer] of Object.entries(UNKNOWN_TASK_MODES)) {
			fake.setOptions({ unknownTask: mode });
			const at = fake.log.length;
			const result = await test(credentialData);
			const queries = fake.log.slice(at).filter((e) => e.kind === 'query');
			check(
				`credential test, right key, unknown task answered "${mode}" (HTTP ${answer.httpStatus}, code ${answer.code}) → OK`,
				result?.status === 'OK' &&
					queries.length >= 1 &&
					queries.every((e) => e.statusCode === answer.httpStatus),
				`${redact(JSON.stringify(result))}; the fake answered ${queries.map((e) => e.statusCode).join(',') || 'nothing'}`,
			);
		}
	} finally {
		fake.setOptions({ unknownTask: savedMode });
	}

	for (const c of failureCases({ fake, credentialData })) {
		let result;
		let data;
		try {
			data = await c.setup();
			result = await test(data);
		} catch (err) {
			result = { status: 'exception', message: err.message };
		} finally {
			await c.teardown?.();
		}
		const message = String(result?.message ?? '');
		check(
			`credential test with ${c.name} → Error that ${c.wants}`,
			result?.status === 'Error' && c.expect(message, data) && (!c.reached || c.reached()),
			redact(JSON.stringify(result)),
		);
	}

	const after = fake.stats();
	const entries = fake.log.slice(from);
	const submits = entries.filter((e) => e.kind === 'submit');
	check(
		'credential tests created no task and sent no submit',
		after.tasksCreated === before.tasksCreated &&
			after.submits === before.submits &&
			submits.length === 0,
		`tasksCreated +${after.tasksCreated - before.tasksCreated}, submits +${after.submits - before.submits}, ${entries.length} request(s) to the fake, all ${[...new Set(entries.map((e) => e.kind))].join('/')}`,
	);
	return entries;
}

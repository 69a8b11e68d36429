// An instance's REST API, as the owner: owner setup/login, then authenticated calls.
import { createRequire } from 'node:module';
import path from 'node:path';

import { BROWSER_ID, fetchWithTimeout } from './http.mjs';

function cookieFrom(headers, name) {
	const all =
		typeof headers.getSetCookie === 'function'
			? headers.getSetCookie()
			: [headers.get('set-cookie') ?? ''];
	for (const c of all) {
		const m = new RegExp(`(?:^|[;,]\\s*)${name}=([^;]*)`).exec(c);
		if (m && m[1]) return m[1];
	}
	return null;
}

async function postForCookie(url, body) {
	const res = await fetchWithTimeout(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
		body: JSON.stringify(body),
	});
	return {
		status: res.status,
		text: await res.text(),
		cookie: cookieFrom(res.headers, 'n8n-auth'),
	};
}

const parseBody = (text) => {
	try {
		return text ? JSON.parse(text) : null;
	} catch {
		return text; // not JSON
	}
};

async function rest(ctx, method, urlPath, body, { headers = {}, timeoutMs = 60_000 } = {}) {
	if (!ctx.server) throw new Error('rest() needs a running server: call start() first');
	const p = urlPath.startsWith('/') ? urlPath : `/${urlPath}`;
	const full = /^\/(rest\/|types\/|webhook|healthz|api\/|form)/.test(p) ? p : `/rest${p}`;
	const h = { 'browser-id': BROWSER_ID, ...headers };
	if (ctx.cookie) h.cookie = ctx.cookie;
	if (body !== undefined) h['content-type'] ??= 'application/json';
	const payload =
		body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
	const res = await fetchWithTimeout(
		`${ctx.baseUrl}${full}`,
		{ method, headers: h, body: payload },
		timeoutMs,
	);
	const parsed = parseBody(await res.text());
	return {
		status: res.status,
		headers: res.headers,
		body: parsed,
		data: parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : undefined,
	};
}

/** rest() that throws unless the answer is 200 (`what` names the call in the error). */
async function restOk(ctx, method, urlPath, body, what = `${method} ${urlPath}`) {
	const r = await rest(ctx, method, urlPath, body);
	if (r.status !== 200)
		throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
	return r;
}

/**
 * Create the owner (POST /rest/owner/setup) and keep the n8n-auth cookie; if an owner already
 * exists, log in instead (POST /rest/login).
 */
async function setupOwner(
	ctx,
	{
		email = 'owner@example.com',
		password = 'E2e-Passw0rd!',
		firstName = 'E2E',
		lastName = 'Owner',
	} = {},
) {
	if (!ctx.server) throw new Error('setupOwner needs a running server: call start() first');
	let res = await postForCookie(`${ctx.baseUrl}/rest/owner/setup`, {
		email,
		password,
		firstName,
		lastName,
	});
	if (res.status !== 200 || !res.cookie) {
		const login = { emailOrLdapLoginId: email, email, password };
		res = await postForCookie(`${ctx.baseUrl}/rest/login`, login);
		if (res.status !== 200 || !res.cookie)
			throw new Error(`owner setup/login failed: HTTP ${res.status} ${res.text.slice(0, 500)}`);
	}
	ctx.cookie = `n8n-auth=${res.cookie}`;
	ctx.owner = { cookie: ctx.cookie, email, password };
	return ctx.owner;
}

/** GET /rest/executions?filter={"workflowId":…} → the list's results (newest first). */
async function listExecutions(ctx, { workflowId, status, limit = 50 } = {}) {
	const filter = {};
	if (workflowId) filter.workflowId = workflowId;
	if (status) filter.status = [].concat(status);
	const q = new URLSearchParams({ filter: JSON.stringify(filter), limit: String(limit) });
	const r = await restOk(ctx, 'GET', `/executions?${q}`, undefined, 'GET /rest/executions');
	return r.data.results ?? r.data;
}

/**
 * GET /rest/executions/:id → the execution with `data` (stored flatted) parsed into
 * { resultData: { runData, … } } using the flatted copy inside that n8n install.
 */
async function getExecution(ctx, executionId) {
	const exec = (await restOk(ctx, 'GET', `/executions/${executionId}`)).data;
	if (typeof exec?.data === 'string') {
		const req = createRequire(path.join(ctx.line.dir, 'node_modules', 'n8n', 'package.json'));
		exec.data = req('flatted').parse(exec.data);
	}
	return exec;
}

/** `ctx`: the instance's shared state (see instance/index.mjs). */
export function restMethods(ctx) {
	const ok = (method, urlPath, body) => restOk(ctx, method, urlPath, body);
	return {
		setupOwner: (owner) => setupOwner(ctx, owner),
		/**
		 * Authenticated call. `path` is under /rest unless it starts with /rest/, /types/, /webhook,
		 * /healthz, /api/ or /form. Returns { status, headers, body, data } — body parsed as JSON when
		 * possible, data = body.data (n8n wraps REST answers in { data }).
		 */
		rest: (...args) => rest(ctx, ...args),
		/** GET /types/nodes.json (needs setupOwner): every loaded node description. */
		nodeTypes: async () => (await ok('GET', '/types/nodes.json')).body,
		/** GET /types/credentials.json (needs setupOwner): every loaded credential type. */
		credentialTypes: async () => (await ok('GET', '/types/credentials.json')).body,
		/**
		 * POST /rest/credentials/test with { credentials: { id, name, type, data } } — the same body in
		 * 1.123, 2.4 and 2.41. `id` must be a stored credential the user can read (else 403); every line
		 * tests the `data` sent, not the stored one (secrets equal to the redaction marker that
		 * GET /rest/credentials/:id?includeData=true returns get the stored value).
		 * Resolves to the answer's data: { status: 'OK' | 'Error', message }.
		 */
		testCredential: async ({ id, name = '', type, data }) =>
			(await ok('POST', '/credentials/test', { credentials: { id, name, type, data } })).data,
		/** Activate (publish) a workflow on a running server: POST /rest/workflows/:id/activate { versionId }. */
		async activateWorkflow(workflowId) {
			const { versionId } = (await ok('GET', `/workflows/${workflowId}`)).data;
			return (await ok('POST', `/workflows/${workflowId}/activate`, { versionId })).data;
		},
		/** GET /rest/workflows/:id → the stored workflow (nodes, connections). */
		getWorkflow: async (workflowId) => (await ok('GET', `/workflows/${workflowId}`)).data,
		listExecutions: (filter) => listExecutions(ctx, filter),
		getExecution: (executionId) => getExecution(ctx, executionId),
	};
}

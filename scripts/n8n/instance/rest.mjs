// An instance's REST API, as the owner: owner setup/login, then authenticated calls.
import { createRequire } from 'node:module';
import path from 'node:path';

import { BROWSER_ID, fetchWithTimeout } from './http.mjs';

function authCookie(headers) {
	for (const c of headers.getSetCookie()) {
		const m = /(?:^|[;,]\s*)n8n-auth=([^;]*)/.exec(c);
		if (m?.[1]) return `n8n-auth=${m[1]}`;
	}
	return null;
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

const httpError = (what, r) =>
	new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);

/** rest() that throws unless the answer is 200. */
async function restOk(ctx, method, urlPath, body) {
	const r = await rest(ctx, method, urlPath, body);
	if (r.status !== 200) throw httpError(`${method} ${urlPath}`, r);
	return r;
}

const DEFAULT_OWNER = {
	email: 'owner@example.com',
	password: 'E2e-Passw0rd!',
	firstName: 'E2E',
	lastName: 'Owner',
};
const sessionOf = (r) => (r.status === 200 ? authCookie(r.headers) : null);

/**
 * Create the owner (POST /rest/owner/setup) and keep the n8n-auth cookie; if an owner already
 * exists, log in instead (POST /rest/login).
 */
async function setupOwner(ctx, owner) {
	const { email, password, firstName, lastName } = { ...DEFAULT_OWNER, ...owner };
	ctx.cookie = null; // the new session replaces any other
	let res = await rest(ctx, 'POST', '/owner/setup', { email, password, firstName, lastName });
	if (!sessionOf(res))
		res = await rest(ctx, 'POST', '/login', { emailOrLdapLoginId: email, email, password });
	ctx.cookie = sessionOf(res);
	if (!ctx.cookie) throw httpError('owner setup/login', res);
	ctx.owner = { cookie: ctx.cookie, email, password };
	return ctx.owner;
}

/** GET /rest/executions?filter={"workflowId":…} → the list's results (newest first). */
async function listExecutions(ctx, { workflowId, status, limit = 50 } = {}) {
	const filter = {};
	if (workflowId) filter.workflowId = workflowId;
	if (status) filter.status = [].concat(status);
	const q = new URLSearchParams({ filter: JSON.stringify(filter), limit: String(limit) });
	const { data } = await restOk(ctx, 'GET', `/executions?${q}`);
	return data.results ?? data;
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
	const data = async (method, urlPath, body) => (await restOk(ctx, method, urlPath, body)).data;
	const body = async (urlPath) => (await restOk(ctx, 'GET', urlPath)).body;
	const getWorkflow = (workflowId) => data('GET', `/workflows/${workflowId}`);
	return {
		setupOwner: (owner) => setupOwner(ctx, owner),
		/** Authenticated call → { status, headers, body (JSON when it parses), data: body.data }. */
		rest: (...args) => rest(ctx, ...args),
		/** GET /types/nodes.json (needs setupOwner): every loaded node description. */
		nodeTypes: () => body('/types/nodes.json'),
		/** GET /types/credentials.json (needs setupOwner): every loaded credential type. */
		credentialTypes: () => body('/types/credentials.json'),
		/** POST /rest/credentials/test: the same body in 1.123, 2.4 and 2.41 (README: Credential test). */
		testCredential: ({ id, name = '', type, data: credentialData }) =>
			data('POST', '/credentials/test', { credentials: { id, name, type, data: credentialData } }),
		/** Activate (publish) a workflow on a running server: POST /rest/workflows/:id/activate { versionId }. */
		async activateWorkflow(workflowId) {
			const { versionId } = await getWorkflow(workflowId);
			return await data('POST', `/workflows/${workflowId}/activate`, { versionId });
		},
		/** GET /rest/workflows/:id → the stored workflow (nodes, connections). */
		getWorkflow,
		listExecutions: (filter) => listExecutions(ctx, filter),
		getExecution: (executionId) => getExecution(ctx, executionId),
	};
}

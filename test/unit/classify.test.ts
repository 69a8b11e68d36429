import { API_MESSAGES } from '../fake-jimeng';
import type {
	CallKind,
	CallOutcome,
	ClassifyContext,
	Verdict,
} from '../../nodes/Jimeng/transport/classify';
import { classify } from '../../nodes/Jimeng/transport/classify';

const HTML = '<html><body><h1>502 Bad Gateway</h1></body></html>';
const RATE_LIMITED = 'retry (rate limited)';

const answer = (statusCode: number, body: unknown, headers = {}): CallOutcome => ({
	answer: { statusCode, headers, body },
});
const SAID: Record<number, string> = { 10000: 'Success', 50404: 'task not found' };
const STATUS: Record<number, number> = { 10000: 200, 50429: 429, 50430: 429 };
/** The Jimeng envelope, at the HTTP status the gateway gives its code unless told another. */
function envelope(code: number, data: unknown = null, http = STATUS[code], headers = {}) {
	const message = SAID[code] ?? API_MESSAGES[code] ?? `Error ${code}`;
	const body = { code, data, message, request_id: 'req-1', status: code };
	return answer(http ?? ([50500, 50501].includes(code) ? 500 : 400), body, headers);
}
const network = (code: string): CallOutcome => ({
	error: Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code }),
});

const FIRST_TRY = { attempt: 0, maxRetries: 3, baseUrl: 'http://gw.test', random: () => 0.5 };
const ctx = (kind: CallKind, extra: Partial<ClassifyContext> = {}): ClassifyContext => {
	const taskId = kind === 'query' ? 'task-1' : undefined;
	return { kind, ...FIRST_TRY, taskId, ...extra };
};

/** A verdict reduced to what the table states: ok, retry, yield, or fail with a message pattern. */
function shape(verdict: Verdict): string {
	if (verdict.kind === 'retry') return verdict.rateLimited ? RATE_LIMITED : 'retry';
	if (verdict.kind === 'fail') return `fail: ${verdict.failure.message}`;
	return verdict.kind;
}

/** Each label: the outcome, the verdict expected, and what differs in the context. */
type Rows = Record<string, [CallOutcome, string | RegExp, Partial<ClassifyContext>?]>;

const used = { attempt: 3 };
const waits = { attempt: 3, canWaitForCapacity: true };
const SUBMIT_FAILED = 'fail: Submitting the task failed';
const QUERY_FAILED = 'fail: Querying the task (task task-1) failed';

const submit: Rows = {
	'submit answered 10000': [envelope(10000, { task_id: 't' }), 'ok'],
	// the concurrency limit
	'submit 50430 while our tasks run: yield': [envelope(50430), 'yield', { canYield: true }],
	'submit 50430 alone: retried': [envelope(50430), 'retry', { canYield: false }],
	'submit 50430 that still created a task: not retried': [
		envelope(50430, { task_id: 't' }),
		/^fail: Jimeng API error 50430/,
		{ canYield: true },
	],
	'submit 50430 with retries used up and no time left': [
		envelope(50430),
		/^fail: Jimeng API error 50430: Request Has Reached API Concurrent Limit/,
		used,
	],
	'submit 50430 past Max Retries while the Timeout allows: waits for capacity': [
		envelope(50430),
		'retry',
		waits,
	],
	'submit 50430 that created a task, time left: never retried': [
		envelope(50430, { task_id: 't' }),
		/^fail: Jimeng API error 50430/,
		waits,
	],
	'submit 50429 past Max Retries, time left: fails (a rate limit is not capacity)': [
		envelope(50429),
		/^fail: Jimeng API error 50429/,
		waits,
	],
	'submit 50429: retried, rate limited': [envelope(50429), RATE_LIMITED],
	'submit 50500 (a complete JSON answer, no task): retried': [envelope(50500), 'retry'],
	'submit 50501 that created a task: not retried': [
		envelope(50501, { task_id: 't' }),
		/^fail: Jimeng API error 50501/,
	],
	// moderation, parameters: final at once
	...Object.fromEntries(
		[50411, 50412, 50413, 50511, 50512, 50518, 50519, 50520, 50521, 50522, 50215].map((code) => [
			`submit ${code}: final`,
			[envelope(code), `fail: Jimeng API error ${code}: ${API_MESSAGES[code]}`],
		]),
	),
	// gateway answers that are not the envelope
	'HTTP 401 with a gateway error': [
		answer(401, { error: { message: 'invalid token', code: 'invalid_api_key' } }),
		`${SUBMIT_FAILED}: the gateway rejected the API key (HTTP 401): "invalid token"`,
	],
	'HTTP 403 about something else: a permission': [
		answer(403, { error: { message: 'model not allowed for this key' } }),
		`${SUBMIT_FAILED}: the gateway does not let this key make this request (HTTP 403): "model not allowed for this key"`,
	],
	'submit HTTP 429 with an empty body: a refusal, retried, rate limited': [
		answer(429, ''),
		RATE_LIMITED,
	],
	'submit "50412" under HTTP 500: a permanent code, final at once': [
		answer(500, { code: '50412', message: API_MESSAGES[50412], data: null }),
		`fail: Jimeng API error 50412: ${API_MESSAGES[50412]}`,
	],
	'HTTP 404 page': [
		answer(404, '<html>Not Found</html>'),
		`${SUBMIT_FAILED}: the gateway answered HTTP 404 with a non-JSON page`,
	],
	'submit HTTP 502 HTML page: the task may exist, not retried': [
		answer(502, HTML),
		'fail: Submitting the task got HTTP 502 with a non-JSON page from the gateway: the task may have been created',
	],
	'submit HTTP 503 JSON error: complete answer, retried': [
		answer(503, { error: 'overloaded' }),
		'retry',
	],
	'submit HTTP 429 JSON without code: retried, rate limited': [
		answer(429, { error: 'slow down' }),
		RATE_LIMITED,
	],
	// network errors
	'submit refused connection: nothing sent, retried': [network('ECONNREFUSED'), 'retry'],
	'submit refused connection, retries used up': [
		network('ECONNREFUSED'),
		`${SUBMIT_FAILED}: the gateway did not answer (ECONNREFUSED)`,
		used,
	],
	'submit reset: the task may exist, not retried': [
		network('ECONNRESET'),
		'fail: Submitting the task failed with no answer from the gateway (ECONNRESET): the task may have been created',
	],
	'submit timeout: the task may exist, not retried': [
		{ error: new Error('timeout of 60000ms exceeded') },
		/ETIMEDOUT\): the task may have been created$/,
	],
	'n8n refused to send (no network code): final, nothing sent': [
		{ error: new Error('Domain not allowed') },
		`${SUBMIT_FAILED}: Domain not allowed`,
	],
};

const query: Rows = {
	'query answered 10000': [envelope(10000, { status: 'generating' }), 'ok'],
	'a JSON string body is parsed': [answer(200, '{"code":10000,"data":{}}'), 'ok'],
	'code 10000 at HTTP 500 is not a success': [envelope(10000, {}, 500), 'retry'],
	'query 50430: retried': [envelope(50430), 'retry'],
	'query 50429: retried, rate limited': [envelope(50429), RATE_LIMITED],
	'query 50429 with retries used up': [
		envelope(50429),
		/^fail: Jimeng API error 50429: .* \(task task-1\)$/,
		used,
	],
	'query 50500: retried': [envelope(50500), 'retry'],
	'query 50404 at HTTP 404: final, names the task': [
		envelope(50404, null, 404),
		'fail: Jimeng API error 50404: task not found (task task-1)',
	],
	'an unknown code: final': [envelope(61234), /^fail: Jimeng API error 61234/],
	'HTTP 403 speaking of the balance': [
		answer(403, { message: 'no balance' }),
		`${QUERY_FAILED}: the account balance or the key's quota is spent (HTTP 403): "no balance"`,
	],
	'HTTP 302 redirect': [
		answer(302, '', { location: 'https://elsewhere.test/' }),
		`${QUERY_FAILED}: the gateway answered HTTP 302 (a redirect to https://elsewhere.test/)`,
	],
	'query HTTP 502 HTML page: retried': [answer(502, HTML), 'retry'],
	'query HTTP 500 HTML with retries used up': [
		answer(500, HTML),
		`${QUERY_FAILED}: the gateway answered HTTP 500 with a non-JSON page`,
		used,
	],
	'HTTP 400 JSON of another API': [
		answer(400, { error: 'bad request' }),
		`${QUERY_FAILED}: the gateway answered HTTP 400: bad request`,
	],
	'query reset: retried': [network('ECONNRESET'), 'retry'],
	'query socket hang up: retried': [{ error: new Error('socket hang up') }, 'retry'],
	'unresolvable host: final at once': [network('ENOTFOUND'), /could not be resolved/],
};

const download: Rows = {
	'download 200': [answer(200, 'stream'), 'ok'],
	'download 404: expired URL': [
		answer(404, ''),
		'fail: The image host answered HTTP 404: the URL may have expired (links last 24 hours)',
	],
	'download 410': [answer(410, ''), /may have expired/],
	'download 400': [answer(400, ''), 'fail: The image host answered HTTP 400'],
	'download 503: retried': [answer(503, ''), 'retry'],
	'download 429: retried, rate limited': [answer(429, ''), RATE_LIMITED],
	'download reset or body cut off: retried': [network('ECONNRESET'), 'retry'],
	'download error with retries used up': [
		network('ECONNRESET'),
		'fail: Downloading the image failed: connect ECONNRESET 127.0.0.1:1',
		used,
	],
};

// Objects, not arrays: a row with fewer cells than parameters would get a done callback.
const rows = Object.entries({ submit, query, download }).flatMap(([kind, table]) =>
	Object.entries(table).map(([label, cells]) => ({ label, kind: kind as CallKind, cells })),
);

const delays = (verdicts: Verdict[]) => verdicts.map((v) => (v.kind === 'retry' ? v.delayMs : -1));

describe('transport classifier: one verdict per outcome', () => {
	test.each(rows)('$label', ({ kind, cells: [outcome, expected, extra] }) => {
		const got = shape(classify(outcome, ctx(kind, extra)));
		if (expected instanceof RegExp) expect(got).toMatch(expected);
		else expect(got).toBe(expected);
	});

	test('a retry waits as Retry-After says (seconds or a date), else backs off exponentially with jitter', () => {
		const retryAfter = classify(envelope(50429, null, 429, { 'retry-after': '2' }), ctx('query'));
		expect(retryAfter).toEqual({ kind: 'retry', delayMs: 2000, rateLimited: true });
		const backoff = [0, 1, 2, 3].map((attempt) =>
			classify(envelope(50500), ctx('query', { attempt, maxRetries: 9 })),
		);
		expect(delays(backoff)).toEqual([750, 1500, 3000, 6000]);
	});

	test('waiting for capacity backs off at most 8 s, and honours Retry-After', () => {
		const capacity = [3, 5, 9, 20].map((attempt) =>
			classify(envelope(50430), ctx('submit', { ...waits, attempt, random: () => 1 })),
		);
		expect(delays(capacity)).toEqual([8000, 8000, 8000, 8000]);
		const told = classify(
			envelope(50430, null, 429, { 'retry-after': '12' }),
			ctx('submit', { ...waits, attempt: 7 }),
		);
		expect(told).toEqual({ kind: 'retry', delayMs: 12000, rateLimited: false });
	});

	test('failures carry what the user needs: code, API message, request ID, HTTP status, advice', () => {
		const verdict = classify(envelope(50412), ctx('submit'));
		expect(verdict).toMatchObject({
			kind: 'fail',
			failure: { code: 50412, apiMessage: 'Text Risk Not Pass', requestId: 'req-1', httpCode: 400 },
		});
		expect(verdict.kind === 'fail' && verdict.failure.description).toMatch(
			/prompt failed content moderation/,
		);
	});

	test('the last retry of a transient error says how many retries were made', () => {
		const verdict = classify(envelope(50500), ctx('query', used));
		expect(verdict.kind === 'fail' && verdict.failure.description).toMatch(
			/^Still failing after 3 retries\. /,
		);
	});
});

import { API_MESSAGES } from '../fake-jimeng';
import type {
	CallKind,
	CallOutcome,
	ClassifyContext,
	Verdict,
} from '../../nodes/Jimeng/transport/classify';
import { classify } from '../../nodes/Jimeng/transport/classify';

const HTML = '<html><body><h1>502 Bad Gateway</h1></body></html>';

function answer(
	statusCode: number,
	body: unknown,
	headers: Record<string, unknown> = {},
): CallOutcome {
	return { answer: { statusCode, headers, body } };
}
function envelope(
	code: number,
	data: unknown = null,
	statusCode?: number,
	headers?: Record<string, unknown>,
): CallOutcome {
	const http =
		statusCode ??
		(code === 10000
			? 200
			: code === 50429 || code === 50430
				? 429
				: code >= 50500 && code < 50510
					? 500
					: 400);
	const message =
		code === 10000
			? 'Success'
			: (API_MESSAGES[code] ?? (code === 50404 ? 'task not found' : `Error ${code}`));
	return answer(http, { code, data, message, request_id: 'req-1', status: code }, headers);
}
function networkError(code: string): CallOutcome {
	return { error: Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code }) };
}

const ctx = (kind: CallKind, extra: Partial<ClassifyContext> = {}): ClassifyContext => ({
	kind,
	attempt: 0,
	maxRetries: 3,
	taskId: kind === 'query' ? 'task-1' : undefined,
	baseUrl: 'http://gw.test',
	random: () => 0.5,
	...extra,
});

/** A verdict reduced to what the table states: ok, retry, yield, or fail with a message pattern. */
function shape(verdict: Verdict): string {
	if (verdict.kind === 'retry') return `retry${verdict.rateLimited ? ' (rate limited)' : ''}`;
	if (verdict.kind === 'fail') return `fail: ${verdict.failure.message}`;
	return verdict.kind;
}

type Row = [
	label: string,
	outcome: CallOutcome,
	kind: CallKind,
	expected: string | RegExp,
	extra?: Partial<ClassifyContext>,
];

const rows: Row[] = [
	// successes
	['submit answered 10000', envelope(10000, { task_id: 't' }), 'submit', 'ok'],
	['query answered 10000', envelope(10000, { status: 'generating' }), 'query', 'ok'],
	[
		'a JSON string body is parsed',
		answer(200, JSON.stringify({ code: 10000, data: {} })),
		'query',
		'ok',
	],
	['code 10000 at HTTP 500 is not a success', envelope(10000, {}, 500), 'query', 'retry'],
	// the concurrency limit
	[
		'submit 50430 while our tasks run: yield',
		envelope(50430),
		'submit',
		'yield',
		{ canYield: true },
	],
	['submit 50430 alone: retried', envelope(50430), 'submit', 'retry', { canYield: false }],
	[
		'submit 50430 that still created a task: not retried',
		envelope(50430, { task_id: 't' }),
		'submit',
		/^fail: Jimeng API error 50430/,
		{ canYield: true },
	],
	['query 50430: retried', envelope(50430), 'query', 'retry'],
	[
		'submit 50430 with retries used up and no time left',
		envelope(50430),
		'submit',
		/^fail: Jimeng API error 50430: Request Has Reached API Concurrent Limit/,
		{ attempt: 3 },
	],
	[
		'submit 50430 past Max Retries while the Timeout allows: waits for capacity',
		envelope(50430),
		'submit',
		'retry',
		{ attempt: 3, canWaitForCapacity: true },
	],
	[
		'submit 50430 that created a task, time left: never retried',
		envelope(50430, { task_id: 't' }),
		'submit',
		/^fail: Jimeng API error 50430/,
		{ attempt: 3, canWaitForCapacity: true },
	],
	[
		'submit 50429 past Max Retries, time left: fails (a rate limit is not capacity)',
		envelope(50429),
		'submit',
		/^fail: Jimeng API error 50429/,
		{ attempt: 3, canWaitForCapacity: true },
	],
	// the rate limit
	['submit 50429: retried, rate limited', envelope(50429), 'submit', 'retry (rate limited)'],
	['query 50429: retried, rate limited', envelope(50429), 'query', 'retry (rate limited)'],
	[
		'query 50429 with retries used up',
		envelope(50429),
		'query',
		/^fail: Jimeng API error 50429: .* \(task task-1\)$/,
		{ attempt: 3 },
	],
	// internal errors
	['query 50500: retried', envelope(50500), 'query', 'retry'],
	['submit 50500 (a complete JSON answer, no task): retried', envelope(50500), 'submit', 'retry'],
	[
		'submit 50501 that created a task: not retried',
		envelope(50501, { task_id: 't' }),
		'submit',
		/^fail: Jimeng API error 50501/,
	],
	// moderation, parameters, not found: final at once
	...[50411, 50412, 50413, 50511, 50512, 50518, 50519, 50520, 50521, 50522, 50215].map(
		(code): Row => [
			`submit ${code}: final`,
			envelope(code),
			'submit',
			new RegExp(
				`^fail: Jimeng API error ${code}: ${API_MESSAGES[code].replace(/[()]/g, '\\$&')}$`,
			),
		],
	),
	[
		'query 50404 at HTTP 404: final, names the task',
		envelope(50404, null, 404),
		'query',
		'fail: Jimeng API error 50404: task not found (task task-1)',
	],
	['an unknown code: final', envelope(61234), 'query', /^fail: Jimeng API error 61234/],
	// gateway answers that are not the envelope
	[
		'HTTP 401 with a gateway error',
		answer(401, { error: { message: 'invalid token', code: 'invalid_api_key' } }),
		'submit',
		'fail: Submitting the task failed: the gateway rejected the API key (HTTP 401): "invalid token"',
	],
	[
		'HTTP 403 speaking of the balance',
		answer(403, { message: 'no balance' }),
		'query',
		`fail: Querying the task (task task-1) failed: the account balance or the key's quota is spent (HTTP 403): "no balance"`,
	],
	[
		'HTTP 403 about something else: a permission',
		answer(403, { error: { message: 'model not allowed for this key' } }),
		'submit',
		'fail: Submitting the task failed: the gateway does not let this key make this request (HTTP 403): "model not allowed for this key"',
	],
	[
		'submit HTTP 429 with an empty body: a refusal, retried, rate limited',
		answer(429, ''),
		'submit',
		'retry (rate limited)',
	],
	[
		'submit "50412" under HTTP 500: a permanent code, final at once',
		answer(500, { code: '50412', message: API_MESSAGES[50412], data: null }),
		'submit',
		`fail: Jimeng API error 50412: ${API_MESSAGES[50412]}`,
	],
	[
		'HTTP 404 page',
		answer(404, '<html>Not Found</html>'),
		'submit',
		'fail: Submitting the task failed: the gateway answered HTTP 404 with a non-JSON page',
	],
	[
		'HTTP 302 redirect',
		answer(302, '', { location: 'https://elsewhere.test/' }),
		'query',
		'fail: Querying the task (task task-1) failed: the gateway answered HTTP 302 (a redirect to https://elsewhere.test/)',
	],
	['query HTTP 502 HTML page: retried', answer(502, HTML), 'query', 'retry'],
	[
		'submit HTTP 502 HTML page: the task may exist, not retried',
		answer(502, HTML),
		'submit',
		/^fail: Submitting the task got HTTP 502 with a non-JSON page from the gateway: the task may have been created$/,
	],
	[
		'submit HTTP 503 JSON error: complete answer, retried',
		answer(503, { error: 'overloaded' }),
		'submit',
		'retry',
	],
	[
		'submit HTTP 429 JSON without code: retried, rate limited',
		answer(429, { error: 'slow down' }),
		'submit',
		'retry (rate limited)',
	],
	[
		'query HTTP 500 HTML with retries used up',
		answer(500, HTML),
		'query',
		/^fail: Querying the task \(task task-1\) failed: the gateway answered HTTP 500 with a non-JSON page$/,
		{ attempt: 3 },
	],
	[
		'HTTP 400 JSON of another API',
		answer(400, { error: 'bad request' }),
		'query',
		'fail: Querying the task (task task-1) failed: the gateway answered HTTP 400: bad request',
	],
	// network errors
	[
		'submit refused connection: nothing sent, retried',
		networkError('ECONNREFUSED'),
		'submit',
		'retry',
	],
	[
		'submit refused connection, retries used up',
		networkError('ECONNREFUSED'),
		'submit',
		'fail: Submitting the task failed: the gateway did not answer (ECONNREFUSED)',
		{ attempt: 3 },
	],
	[
		'submit reset: the task may exist, not retried',
		networkError('ECONNRESET'),
		'submit',
		/^fail: Submitting the task failed with no answer from the gateway \(ECONNRESET\): the task may have been created$/,
	],
	[
		'submit timeout: the task may exist, not retried',
		{ error: new Error('timeout of 60000ms exceeded') },
		'submit',
		/ETIMEDOUT\): the task may have been created$/,
	],
	['query reset: retried', networkError('ECONNRESET'), 'query', 'retry'],
	['query socket hang up: retried', { error: new Error('socket hang up') }, 'query', 'retry'],
	['unresolvable host: final at once', networkError('ENOTFOUND'), 'query', /could not be resolved/],
	[
		'n8n refused to send (no network code): final, nothing sent',
		{ error: new Error('Domain not allowed') },
		'submit',
		'fail: Submitting the task failed: Domain not allowed',
	],
	// image downloads
	['download 200', answer(200, 'stream'), 'download', 'ok'],
	[
		'download 404: expired URL',
		answer(404, ''),
		'download',
		'fail: The image host answered HTTP 404: the URL may have expired (links last 24 hours)',
	],
	['download 410', answer(410, ''), 'download', /may have expired/],
	['download 400', answer(400, ''), 'download', 'fail: The image host answered HTTP 400'],
	['download 503: retried', answer(503, ''), 'download', 'retry'],
	['download 429: retried, rate limited', answer(429, ''), 'download', 'retry (rate limited)'],
	['download reset or body cut off: retried', networkError('ECONNRESET'), 'download', 'retry'],
	[
		'download error with retries used up',
		networkError('ECONNRESET'),
		'download',
		'fail: Downloading the image failed: connect ECONNRESET 127.0.0.1:1',
		{ attempt: 3 },
	],
];

describe('transport classifier: one verdict per outcome', () => {
	// Every row gets its fifth cell: with fewer cells than parameters, jest would pass a done callback.
	test.each(
		rows.map(
			([label, outcome, kind, expected, extra]): Required<Row> => [
				label,
				outcome,
				kind,
				expected,
				extra ?? {},
			],
		),
	)('%s', (_label, outcome, kind, expected, extra) => {
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
		expect(backoff.map((v) => (v.kind === 'retry' ? v.delayMs : -1))).toEqual([
			750, 1500, 3000, 6000,
		]);
	});

	test('waiting for capacity backs off at most 8 s, and honours Retry-After', () => {
		const waits = [3, 5, 9, 20].map((attempt) =>
			classify(
				envelope(50430),
				ctx('submit', { attempt, canWaitForCapacity: true, random: () => 1 }),
			),
		);
		expect(waits.map((v) => (v.kind === 'retry' ? v.delayMs : -1))).toEqual([
			8000, 8000, 8000, 8000,
		]);
		const told = classify(
			envelope(50430, null, 429, { 'retry-after': '12' }),
			ctx('submit', { attempt: 7, canWaitForCapacity: true }),
		);
		expect(told).toEqual({ kind: 'retry', delayMs: 12000, rateLimited: false });
	});

	test('failures carry what the user needs: code, API message, request ID, HTTP status, advice', () => {
		const verdict = classify(envelope(50412), ctx('submit'));
		expect(verdict.kind).toBe('fail');
		if (verdict.kind !== 'fail') return;
		expect(verdict.failure).toMatchObject({
			code: 50412,
			apiMessage: 'Text Risk Not Pass',
			requestId: 'req-1',
			httpCode: 400,
		});
		expect(verdict.failure.description).toMatch(/prompt failed content moderation/);
	});

	test('the last retry of a transient error says how many retries were made', () => {
		const verdict = classify(envelope(50500), ctx('query', { attempt: 3 }));
		expect(verdict.kind === 'fail' && verdict.failure.description).toMatch(
			/^Still failing after 3 retries\. /,
		);
	});
});

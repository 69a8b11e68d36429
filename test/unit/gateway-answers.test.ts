import { API_MESSAGES, newApiAnswer, type NewApiAnswerName } from '../fake-jimeng';
import { verdictFromAnswer } from '../../nodes/Jimeng/domain/credentialVerdict';
import type { GatewayMeaning } from '../../nodes/Jimeng/domain/gatewayAnswers';
import { provesNoTask, readGatewayAnswer } from '../../nodes/Jimeng/domain/gatewayAnswers';
import type { CallKind, Verdict } from '../../nodes/Jimeng/transport/classify';
import { classify } from '../../nodes/Jimeng/transport/classify';

/**
 * The one reading of gateway answers (domain/gatewayAnswers.ts), from a table: each answer, in the
 * shape new-api's own layer gives it (the fake's new-api answers cite new-api's source) or a plain
 * gateway does, read as a meaning, then judged for each call kind that meets it: a submit, a query,
 * the upload link request and the credential Test.
 */

type Kind = Extract<CallKind, 'submit' | 'query' | 'uploadLink'> | 'credential';
/** ok, retry, retry (rate limited), yield, fail; for the credential Test OK or Error */
type Outcome = string;

interface Answer {
	statusCode: number;
	body: unknown;
	headers?: Record<string, unknown>;
}

const HTML = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
const KEY = 'sk-secret-key-123';

const fromNewApi = (name: NewApiAnswerName, options = {}): Answer => {
	const { status, body } = newApiAnswer(name, options);
	return { statusCode: status, body };
};
const MESSAGE: Record<number, string> = { 10000: 'Success', 50404: 'task not found' };
const envelope = (statusCode: number, code: number, data: unknown = null): Answer => ({
	statusCode,
	body: {
		code,
		data,
		message: API_MESSAGES[code] ?? MESSAGE[code] ?? `Error ${code}`,
		request_id: 'r-1',
	},
});
const plain = (
	statusCode: number,
	body: unknown,
	headers: Record<string, unknown> = {},
): Answer => ({
	statusCode,
	body,
	headers,
});

/** [answer, its meaning, what a submit / a query / the upload link request / the credential Test do] */
type Spec = [string, Answer, GatewayMeaning, Outcomes];

type Outcomes = [Outcome, Outcome, Outcome, Outcome];
const refusal: Outcomes = ['fail', 'fail', 'fail', 'Error'];
const RL = 'retry (rate limited)';
const rateLimited: Outcomes = [RL, RL, RL, 'Error'];
const final: Outcomes = ['fail', 'fail', 'fail', 'OK'];
const transient: Outcomes = ['retry', 'retry', 'retry', 'OK'];
const broken: Outcomes = ['fail', 'retry', 'retry', 'Error'];

const SPECS: Spec[] = [
	// new-api's own layer (test/fake-jimeng/new-api-answers.js)
	['new-api: wrong key', fromNewApi('invalid-key'), 'key', refusal],
	['new-api: wrong key (English)', fromNewApi('invalid-key', { language: 'en' }), 'key', refusal],
	['new-api: exhausted key', fromNewApi('exhausted-key'), 'exhaustedKey', refusal],
	['new-api: expired key', fromNewApi('expired-key'), 'key', refusal],
	['new-api: disabled key', fromNewApi('disabled-key'), 'key', refusal],
	['new-api: /api route, wrong key', fromNewApi('api-invalid-key'), 'key', refusal],
	['new-api: group not allowed', fromNewApi('group-forbidden'), 'permission', refusal],
	['new-api: banned account', fromNewApi('user-banned'), 'permission', refusal],
	['new-api: model not allowed', fromNewApi('model-forbidden'), 'permission', refusal],
	['new-api: wallet empty', fromNewApi('wallet-empty'), 'balance', refusal],
	['new-api: wallet short', fromNewApi('wallet-short'), 'balance', refusal],
	['new-api: key quota short', fromNewApi('key-quota-short'), 'balance', refusal],
	['new-api: wallet empty (chat relay)', fromNewApi('wallet-empty-relay'), 'balance', refusal],
	['new-api: wallet empty (older)', fromNewApi('wallet-empty-legacy'), 'balance', refusal],
	['one-api: wallet empty', fromNewApi('wallet-empty-one-api'), 'balance', refusal],
	['new-api: 429, empty body', fromNewApi('rate-limit'), 'rateLimit', rateLimited],
	['new-api: model limit (Redis)', fromNewApi('model-rate-limit'), 'rateLimit', rateLimited],
	['new-api: model total limit', fromNewApi('model-rate-limit-total'), 'rateLimit', rateLimited],
	['new-api: upstream saturated', fromNewApi('upstream-saturated'), 'rateLimit', rateLimited],
	['new-api: no channel', fromNewApi('no-channel'), 'noChannel', transient],
	[
		'new-api: no channel (English)',
		fromNewApi('no-channel', { language: 'en' }),
		'noChannel',
		transient,
	],
	['new-api: "50412" at HTTP 500', fromNewApi('upstream-code', { code: 50412 }), 'refused', final],
	[
		'new-api: "50215" at HTTP 500',
		fromNewApi('upstream-code', { code: 50215, message: API_MESSAGES[50215] }),
		'refused',
		final,
	],
	[
		'new-api: "50500" at HTTP 500',
		fromNewApi('upstream-code', { code: 50500, message: API_MESSAGES[50500] }),
		'unavailable',
		transient,
	],
	[
		'new-api: "50430" at HTTP 500',
		fromNewApi('upstream-code', { code: 50430, message: API_MESSAGES[50430] }),
		'capacity',
		transient,
	],
	[
		'new-api: 50412 passed through at HTTP 400 (fail_to_fetch_task)',
		fromNewApi('upstream-passthrough', {
			status: 400,
			upstream: { code: 50412, message: API_MESSAGES[50412] },
		}),
		'refused',
		final,
	],
	['new-api: unknown task', fromNewApi('task-not-exist'), 'taskNotFound', final],
	['new-api: unknown /v1 route', fromNewApi('unknown-route'), 'missing', refusal],
	// HTTP semantics of any gateway
	['402', plain(402, { error: { message: 'Payment Required' } }), 'balance', refusal],
	['403 speaking of balance', plain(403, { message: 'no balance left' }), 'balance', refusal],
	['403 in Chinese: 余额不足', plain(403, { msg: '余额不足，请充值' }), 'balance', refusal],
	['403 of credits (error_msg)', plain(403, { error_msg: 'Out of credits' }), 'balance', refusal],
	[
		'403 without quota words',
		plain(403, { error: { message: 'Forbidden' } }),
		'permission',
		refusal,
	],
	[
		'401 with invalid_api_key',
		plain(401, { error: { message: 'Invalid token', code: 'invalid_api_key' } }),
		'key',
		refusal,
	],
	['401 HTML page', plain(401, '<html>401</html>'), 'key', refusal],
	['429 HTML page', plain(429, '<html>429</html>'), 'rateLimit', rateLimited],
	[
		'429 naming a task (it may exist: never resent)',
		plain(429, { code: 50429, data: { task_id: 't' } }),
		'rateLimit',
		['fail', RL, RL, 'OK'],
	],
	['502 HTML page', plain(502, HTML), 'unavailable', broken],
	['500, empty body', plain(500, ''), 'unavailable', broken],
	[
		'503 JSON (not about a channel)',
		plain(503, { error: { message: 'Service Unavailable' } }),
		'unavailable',
		['retry', 'retry', 'retry', 'Error'],
	],
	['302 redirect', plain(302, '', { location: 'https://x.test/' }), 'redirect', refusal],
	['404 HTML page', plain(404, '<html>404</html>'), 'missing', refusal],
	[
		'200 {success:false} saying the key is invalid',
		plain(200, { success: false, message: '无效的令牌' }),
		'key',
		refusal,
	],
	['200 JSON of another API', plain(200, { ok: true, data: [] }), 'foreign', refusal],
	[
		'200 HTML page (new-api without /jm serves its web app)',
		plain(200, '<!doctype html><html><div id="root"></div></html>'),
		'foreign',
		refusal,
	],
	['400 JSON of another API', plain(400, { error: 'bad request' }), 'apiError', refusal],
	[
		'500 JSON saying the task does not exist',
		plain(500, { success: false, message: '任务不存在' }),
		'taskNotFound',
		final,
	],
	// the Jimeng envelope
	['10000', envelope(200, 10000, { task_id: 't' }), 'ok', ['ok', 'ok', 'fail', 'OK']],
	['10000 at HTTP 500', envelope(500, 10000), 'unavailable', transient],
	['50404 at 404', envelope(404, 50404), 'taskNotFound', final],
	['50404 at 200', envelope(200, 50404), 'taskNotFound', final],
	['50412 at 400', envelope(400, 50412), 'refused', final],
	['50429 at 429', envelope(429, 50429), 'rateLimit', [RL, RL, RL, 'OK']],
	['50430 at 429', envelope(429, 50430), 'capacity', transient],
	['50500 at 500', envelope(500, 50500), 'unavailable', transient],
	['61234 at 400', envelope(400, 61234), 'apiError', final],
];

const KINDS: Kind[] = ['submit', 'query', 'uploadLink', 'credential'];

/** One row per answer and call kind: a status, a body and a call kind. */
const ROWS = SPECS.flatMap(([label, answer, meaning, outcomes]) =>
	KINDS.map((kind, k) => ({ label, answer, meaning, kind, expected: outcomes[k] })),
);

function shape(verdict: Verdict): Outcome {
	if (verdict.kind === 'retry') return `retry${verdict.rateLimited ? ' (rate limited)' : ''}`;
	return verdict.kind;
}

function judge(answer: Answer, kind: Kind): { outcome: Outcome; message: string } {
	if (kind === 'credential') {
		const verdict = verdictFromAnswer('http://gw.test', { headers: {}, ...answer }, KEY);
		return { outcome: verdict.status, message: verdict.message };
	}
	const verdict = classify(
		{ answer: { headers: {}, ...answer } },
		{ kind, attempt: 0, maxRetries: 3, taskId: 't-1', random: () => 0.5, secret: KEY },
	);
	return {
		outcome: shape(verdict),
		message: verdict.kind === 'fail' ? verdict.failure.message : '',
	};
}

describe('gateway answers: one reading, by meaning', () => {
	test.each(SPECS.map(([label, answer, meaning]) => [label, meaning, answer] as const))(
		'%s means %s',
		(_label, meaning, answer) => {
			expect(readGatewayAnswer({ headers: {}, ...answer }).meaning).toBe(meaning);
		},
	);

	test.each(ROWS.map((row) => [row.label, row.kind, row.expected, row.answer] as const))(
		'%s, to a %s: %s',
		(_label, kind, expected, answer) => {
			expect(judge(answer, kind).outcome).toBe(expected);
		},
	);
});

describe('what the node says', () => {
	const balance = SPECS.filter(([, , meaning]) => meaning === 'balance');

	test.each(balance.map(([label, answer]) => [label, answer] as const))(
		'%s: the submit fails saying the balance or quota is spent, quoting the gateway, never blaming the key',
		(_label, answer) => {
			const verdict = classify(
				{ answer: { headers: {}, ...answer } },
				{ kind: 'submit', attempt: 0, maxRetries: 3 },
			);
			expect(verdict.kind).toBe('fail');
			if (verdict.kind !== 'fail') return;
			const { message, description, meaning, apiMessage } = verdict.failure;
			expect(meaning).toBe('balance');
			expect(message).toMatch(
				/^Submitting the task failed: the account balance or the key's quota is spent \(HTTP 40[23]\): ".+"$/,
			);
			expect(message).toContain(apiMessage);
			expect(description).toMatch(
				/^The key is fine\. Top up the balance on the gateway, or raise the key's quota/,
			);
			expect(description).toMatch(/no further submits are sent in this execution/);
			expect(`${message} ${description}`).not.toMatch(/rejected the API key|Check the API key/);
		},
	);

	test.each([
		[
			'invalid-key',
			/^Submitting the task failed: the gateway rejected the API key \(HTTP 401\): "无效的令牌 \(request id: \w+\)"$/,
		],
		[
			'exhausted-key',
			/^Submitting the task failed: the API key's quota is used up \(HTTP 401\): "该令牌额度已用尽/,
		],
		[
			'model-forbidden',
			/^Submitting the task failed: the gateway does not let this key make this request \(HTTP 403\): "该令牌无权访问模型 jimeng_t2i_v40/,
		],
		[
			'no-channel',
			/^Submitting the task failed: the gateway cannot serve this model now \(HTTP 503\): "分组 default 下模型 jimeng_t2i_v40 无可用渠道/,
		],
		[
			'rate-limit',
			/^Submitting the task failed: the gateway kept refusing the request for its rate limit \(HTTP 429\)$/,
		],
		[
			'task-not-exist',
			/^Querying the task \(task t-1\) failed: the gateway does not know this task \(HTTP 400\): "task_not_exist"$/,
		],
		['upstream-code', /^Jimeng API error 50412: Text Risk Not Pass$/],
	] as Array<[NewApiAnswerName, RegExp]>)('%s past Max Retries: %s', (name, message) => {
		const answer = fromNewApi(name);
		const kind = name === 'task-not-exist' ? 'query' : 'submit';
		const verdict = classify(
			{ answer: { headers: {}, ...answer } },
			{ kind, attempt: 3, maxRetries: 3, taskId: kind === 'query' ? 't-1' : undefined },
		);
		expect(verdict.kind === 'fail' && verdict.failure.message).toMatch(message);
	});

	test('the gateway words are quoted from message, error.message, msg and error_msg, the key masked', () => {
		for (const body of [
			{ message: `bad key ${KEY}` },
			{ error: { message: `bad key ${KEY}` } },
			{ msg: `bad key ${KEY}` },
			{ error_msg: `bad key ${KEY}` },
		]) {
			const { said } = readGatewayAnswer({ statusCode: 401, body }, KEY);
			expect(said).toBe('bad key ***');
			expect(judge({ statusCode: 401, body }, 'submit').message).toContain('"bad key ***"');
			expect(judge({ statusCode: 401, body }, 'credential').message).toContain('"bad key ***"');
		}
	});

	test('a code given as digits is the same code as the number', () => {
		const asText = readGatewayAnswer({ statusCode: 500, body: { code: '50412', message: 'x' } });
		const asNumber = readGatewayAnswer({ statusCode: 500, body: { code: 50412, message: 'x' } });
		expect(asText.code).toBe(50412);
		expect(asText.meaning).toBe(asNumber.meaning);
	});

	test.each(
		(
			[
				['429, empty body', plain(429, ''), true],
				['429 HTML page', plain(429, '<html>429</html>'), true],
				['a complete JSON error', fromNewApi('wallet-empty'), true],
				['"50412" at HTTP 500', fromNewApi('upstream-code'), true],
				['an error envelope at HTTP 200', envelope(200, 50430), true],
				['a 502 HTML page', plain(502, HTML), false],
				['a 500 with an empty body', plain(500, ''), false],
				['a 429 that names a task', plain(429, { code: 50429, data: { task_id: 't' } }), false],
				['a success', envelope(200, 10000, { task_id: 't' }), false],
			] as Array<[string, Answer, boolean]>
		).map(([label, answer, proves]) => [label, proves, answer] as const),
	)('%s proves that no task was created: %s', (_label, proves, answer) => {
		expect(provesNoTask(readGatewayAnswer({ headers: {}, ...answer }))).toBe(proves);
	});
});

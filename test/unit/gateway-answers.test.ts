import { API_MESSAGES, newApiAnswer, type NewApiAnswerName } from '../fake-jimeng';
import { verdictFromAnswer } from '../../nodes/Jimeng/domain/credentialVerdict';
import type { GatewayAnswer, GatewayMeaning } from '../../nodes/Jimeng/domain/gatewayAnswers';
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

type Answer = Required<GatewayAnswer>;

const HTML = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
const KEY = 'sk-secret-key-123';

const newApi = (name: NewApiAnswerName, options = {}): Answer => {
	const { status, body } = newApiAnswer(name, options);
	return { statusCode: status, body, headers: {} };
};
/** new-api passing an upstream code on at HTTP 500, in the API's documented words */
const upstream = (code: number) => newApi('upstream-code', { code, message: API_MESSAGES[code] });
const MESSAGE: Record<number, string> = { 10000: 'Success', 50404: 'task not found' };
const envelope = (statusCode: number, code: number, data: unknown = null): Answer => {
	const message = API_MESSAGES[code] ?? MESSAGE[code] ?? `Error ${code}`;
	return { statusCode, headers: {}, body: { code, data, message, request_id: 'r-1' } };
};
const plain = (statusCode: number, body: unknown, headers = {}) => ({ statusCode, body, headers });
const error = (message: string) => ({ error: { message } });
const english = { language: 'en' };

/** By label: its meaning, the answer, the outcomes (submit, query, upload link, credential Test) */
type Spec = [GatewayMeaning, Answer, Outcomes];

type Outcomes = [Outcome, Outcome, Outcome, Outcome];
const refusal: Outcomes = ['fail', 'fail', 'fail', 'Error'];
const RL = 'retry (rate limited)';
const rateLimited: Outcomes = [RL, RL, RL, 'Error'];
const final: Outcomes = ['fail', 'fail', 'fail', 'OK'];
const transient: Outcomes = ['retry', 'retry', 'retry', 'OK'];
const broken: Outcomes = ['fail', 'retry', 'retry', 'Error'];
const busy: Outcomes = ['retry', 'retry', 'retry', 'Error'];
const TASK_429 = plain(429, { code: 50429, data: { task_id: 't' } });

const BY_LABEL: Record<string, Spec> = {
	// new-api's own layer (test/fake-jimeng/new-api-answers.js)
	'new-api: wrong key': ['key', newApi('invalid-key'), refusal],
	'new-api: wrong key (English)': ['key', newApi('invalid-key', english), refusal],
	'new-api: exhausted key': ['exhaustedKey', newApi('exhausted-key'), refusal],
	'new-api: expired key': ['key', newApi('expired-key'), refusal],
	'new-api: disabled key': ['key', newApi('disabled-key'), refusal],
	'new-api: /api route, wrong key': ['key', newApi('api-invalid-key'), refusal],
	'new-api: group not allowed': ['permission', newApi('group-forbidden'), refusal],
	'new-api: banned account': ['permission', newApi('user-banned'), refusal],
	'new-api: model not allowed': ['permission', newApi('model-forbidden'), refusal],
	'new-api: wallet empty': ['balance', newApi('wallet-empty'), refusal],
	'new-api: wallet short': ['balance', newApi('wallet-short'), refusal],
	'new-api: key quota short': ['balance', newApi('key-quota-short'), refusal],
	'new-api: wallet empty (chat relay)': ['balance', newApi('wallet-empty-relay'), refusal],
	'new-api: wallet empty (older)': ['balance', newApi('wallet-empty-legacy'), refusal],
	'one-api: wallet empty': ['balance', newApi('wallet-empty-one-api'), refusal],
	'new-api: 429, empty body': ['rateLimit', newApi('rate-limit'), rateLimited],
	'new-api: model limit (Redis)': ['rateLimit', newApi('model-rate-limit'), rateLimited],
	'new-api: model total limit': ['rateLimit', newApi('model-rate-limit-total'), rateLimited],
	'new-api: upstream saturated': ['rateLimit', newApi('upstream-saturated'), rateLimited],
	'new-api: no channel': ['noChannel', newApi('no-channel'), transient],
	'new-api: no channel (English)': ['noChannel', newApi('no-channel', english), transient],
	'new-api: "50412" at HTTP 500': ['refused', upstream(50412), final],
	'new-api: "50215" at HTTP 500': ['refused', upstream(50215), final],
	'new-api: "50500" at HTTP 500': ['unavailable', upstream(50500), transient],
	'new-api: "50430" at HTTP 500': ['capacity', upstream(50430), transient],
	'new-api: 50412 passed through at HTTP 400 (fail_to_fetch_task)': [
		'refused',
		newApi('upstream-passthrough', {
			status: 400,
			upstream: { code: 50412, message: API_MESSAGES[50412] },
		}),
		final,
	],
	'new-api: unknown task': ['taskNotFound', newApi('task-not-exist'), final],
	'new-api: unknown /v1 route': ['missing', newApi('unknown-route'), refusal],
	// HTTP semantics of any gateway
	'402': ['balance', plain(402, error('Payment Required')), refusal],
	'403 speaking of balance': ['balance', plain(403, { message: 'no balance left' }), refusal],
	'403 in Chinese: 余额不足': ['balance', plain(403, { msg: '余额不足，请充值' }), refusal],
	'403 of credits (error_msg)': ['balance', plain(403, { error_msg: 'Out of credits' }), refusal],
	'403 without quota words': ['permission', plain(403, error('Forbidden')), refusal],
	'401 with invalid_api_key': [
		'key',
		plain(401, { error: { message: 'Invalid token', code: 'invalid_api_key' } }),
		refusal,
	],
	'401 HTML page': ['key', plain(401, '<html>401</html>'), refusal],
	'429 HTML page': ['rateLimit', plain(429, '<html>429</html>'), rateLimited],
	'429 naming a task (it may exist: never resent)': ['rateLimit', TASK_429, ['fail', RL, RL, 'OK']],
	'502 HTML page': ['unavailable', plain(502, HTML), broken],
	'500, empty body': ['unavailable', plain(500, ''), broken],
	'503 JSON (not about a channel)': ['unavailable', plain(503, error('Service Unavailable')), busy],
	'302 redirect': ['redirect', plain(302, '', { location: 'https://x.test/' }), refusal],
	'404 HTML page': ['missing', plain(404, '<html>404</html>'), refusal],
	'200 {success:false} saying the key is invalid': [
		'key',
		plain(200, { success: false, message: '无效的令牌' }),
		refusal,
	],
	'200 JSON of another API': ['foreign', plain(200, { ok: true, data: [] }), refusal],
	'200 HTML page (new-api without /jm serves its web app)': [
		'foreign',
		plain(200, '<!doctype html><html><div id="root"></div></html>'),
		refusal,
	],
	'400 JSON of another API': ['apiError', plain(400, { error: 'bad request' }), refusal],
	'500 JSON saying the task does not exist': [
		'taskNotFound',
		plain(500, { success: false, message: '任务不存在' }),
		final,
	],
	// the Jimeng envelope
	'10000': ['ok', envelope(200, 10000, { task_id: 't' }), ['ok', 'ok', 'fail', 'OK']],
	'10000 at HTTP 500': ['unavailable', envelope(500, 10000), transient],
	'50404 at 404': ['taskNotFound', envelope(404, 50404), final],
	'50404 at 200': ['taskNotFound', envelope(200, 50404), final],
	'50412 at 400': ['refused', envelope(400, 50412), final],
	'50429 at 429': ['rateLimit', envelope(429, 50429), [RL, RL, RL, 'OK']],
	'50430 at 429': ['capacity', envelope(429, 50430), transient],
	'50500 at 500': ['unavailable', envelope(500, 50500), transient],
	'61234 at 400': ['apiError', envelope(400, 61234), final],
};
const SPECS = Object.entries(BY_LABEL).map(([label, spec]) => [label, ...spec] as const);

const KINDS: Kind[] = ['submit', 'query', 'uploadLink', 'credential'];

/** One row per answer and call kind: [label, kind, expected outcome, answer]. */
const ROWS = SPECS.flatMap(([label, , answer, outcomes]) =>
	KINDS.map((kind, k) => [label, kind, outcomes[k], answer] as const),
);

function shape(verdict: Verdict): Outcome {
	if (verdict.kind === 'retry') return `retry${verdict.rateLimited ? ' (rate limited)' : ''}`;
	return verdict.kind;
}

const FIRST_TRY = { attempt: 0, maxRetries: 3, taskId: 't-1', random: () => 0.5, secret: KEY };

function judge(answer: Answer, kind: Kind): { outcome: Outcome; message: string } {
	if (kind === 'credential') {
		const verdict = verdictFromAnswer('http://gw.test', answer, KEY);
		return { outcome: verdict.status, message: verdict.message };
	}
	const verdict = classify({ answer }, { ...FIRST_TRY, kind });
	return {
		outcome: shape(verdict),
		message: verdict.kind === 'fail' ? verdict.failure.message : '',
	};
}

describe('gateway answers: one reading, by meaning', () => {
	test.each(SPECS)('%s means %s', (_label, meaning, answer) => {
		expect(readGatewayAnswer(answer).meaning).toBe(meaning);
	});

	test.each(ROWS)('%s, to a %s: %s', (_label, kind, expected, answer) => {
		expect(judge(answer, kind).outcome).toBe(expected);
	});
});

describe('what the node says', () => {
	const balance = SPECS.filter(([, meaning]) => meaning === 'balance');

	test.each(balance)(
		'%s: the submit fails saying the balance or quota is spent, quoting the gateway, never blaming the key',
		(_label, _meaning, answer) => {
			const verdict = classify({ answer }, { kind: 'submit', attempt: 0, maxRetries: 3 });
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

	test.each(
		Object.entries({
			'invalid-key':
				/^Submitting the task failed: the gateway rejected the API key \(HTTP 401\): "无效的令牌 \(request id: \w+\)"$/,
			'exhausted-key':
				/^Submitting the task failed: the API key's quota is used up \(HTTP 401\): "该令牌额度已用尽/,
			'model-forbidden':
				/^Submitting the task failed: the gateway does not let this key make this request \(HTTP 403\): "该令牌无权访问模型 jimeng_t2i_v40/,
			'no-channel':
				/^Submitting the task failed: the gateway cannot serve this model now \(HTTP 503\): "分组 default 下模型 jimeng_t2i_v40 无可用渠道/,
			'rate-limit':
				/^Submitting the task failed: the gateway kept refusing the request for its rate limit \(HTTP 429\)$/,
			'task-not-exist':
				/^Querying the task \(task t-1\) failed: the gateway does not know this task \(HTTP 400\): "task_not_exist"$/,
			'upstream-code': /^Jimeng API error 50412: Text Risk Not Pass$/,
		}) as Array<[NewApiAnswerName, RegExp]>,
	)('%s past Max Retries: %s', (name, message) => {
		const answer = newApi(name);
		const kind = name === 'task-not-exist' ? 'query' : 'submit';
		const verdict = classify(
			{ answer },
			{ kind, attempt: 3, maxRetries: 3, taskId: kind === 'query' ? 't-1' : undefined },
		);
		expect(verdict.kind === 'fail' && verdict.failure.message).toMatch(message);
	});

	test('the gateway words are quoted from message, error.message, msg and error_msg, the key masked', () => {
		const words = `bad key ${KEY}`;
		for (const body of [{ message: words }, error(words), { msg: words }, { error_msg: words }]) {
			const { said } = readGatewayAnswer({ statusCode: 401, body }, KEY);
			expect(said).toBe('bad key ***');
			expect(judge(plain(401, body), 'submit').message).toContain('"bad key ***"');
			expect(judge(plain(401, body), 'credential').message).toContain('"bad key ***"');
		}
	});

	test('a code given as digits is the same code as the number', () => {
		const asText = readGatewayAnswer({ statusCode: 500, body: { code: '50412', message: 'x' } });
		const asNumber = readGatewayAnswer({ statusCode: 500, body: { code: 50412, message: 'x' } });
		expect(asText.code).toBe(50412);
		expect(asText.meaning).toBe(asNumber.meaning);
	});

	test.each<[string, boolean, Answer]>([
		['429, empty body', true, plain(429, '')],
		['429 HTML page', true, plain(429, '<html>429</html>')],
		['a complete JSON error', true, newApi('wallet-empty')],
		['"50412" at HTTP 500', true, newApi('upstream-code')],
		['an error envelope at HTTP 200', true, envelope(200, 50430)],
		['a 502 HTML page', false, plain(502, HTML)],
		['a 500 with an empty body', false, plain(500, '')],
		['a 429 that names a task', false, TASK_429],
		['a success', false, envelope(200, 10000, { task_id: 't' })],
	])('%s proves that no task was created: %s', (_label, proves, answer) => {
		expect(provesNoTask(readGatewayAnswer(answer))).toBe(proves);
	});
});

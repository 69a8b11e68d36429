'use strict';
// The answers of new-api's own layer (QuantumNous/new-api, the gateway software deepwl is built
// on), in the shapes and words of its source. Read at d2f7f9ee3adf3ef66798783a60d7bc712451c85c
// (2026-06-05, upstream history as carried by the SolveaCX/new-api mirror); README.md ("new-api
// mode") cites each one's source files and older commits. Each builder returns
// { status, body, headers? }, ready for enqueue() or for the new-api mode (new-api.js).
//
// Two envelopes: the relay's abortWithOpenAiMessage (middleware/utils.go)
//   {"error":{"message":"<words> (request id: <id>)","type":"new_api_error","code":"<code or empty>"}}
// and the task relay's dto.TaskError (dto/task.go, service/error.go TaskErrorWrapper)
//   {"code":"<named or digits>","message":"<words>","data":null}
const crypto = require('node:crypto');

const MODEL = 'jimeng_t2i_v40';
const GROUP = 'default';

function requestId() {
	const ts = new Date().toISOString().replace(/\D/g, '').slice(0, 17);
	return `${ts}${crypto.randomBytes(4).toString('hex')}`;
}

// middleware/utils.go abortWithOpenAiMessage; common/utils.go MessageWithRequestId
function relayError(status, message, code = '', fields = {}) {
	const words = `${message} (request id: ${requestId()})`;
	return { status, body: { error: { message: words, type: 'new_api_error', ...fields, code } } };
}

// dto/task.go TaskError; service/error.go TaskErrorWrapper / TaskErrorFromAPIError
function taskError(status, code, message) {
	return { status, body: { code, message, data: null } };
}

// middleware/rate-limit.go memoryRateLimiter / redisRateLimiter, model-rate-limit.go
// memoryRateLimitHandler: c.Status(http.StatusTooManyRequests), no body at all.
const emptyTooMany = () => ({ status: 429, body: '' });

const zh = (o) => o.language !== 'en';

/** Each answer by name: (options) => { status, body }; options: index.d.ts NewApiAnswerOptions. */
const NEW_API_ANSWERS = {
	'invalid-key': (o = {}) => relayError(401, zh(o) ? '无效的令牌' : 'Invalid token'),
	'exhausted-key': (o = {}) =>
		relayError(401, `该令牌额度已用尽 TokenStatusExhausted[sk-${o.keyHint ?? 'abc***xyz'}]`),
	'expired-key': () => relayError(401, '该令牌已过期'),
	'disabled-key': () => relayError(401, '该令牌状态不可用'),
	'group-forbidden': (o = {}) => relayError(403, `无权访问 ${o.group ?? GROUP} 分组`),
	'user-banned': (o = {}) => relayError(403, zh(o) ? '用户已被封禁' : 'User has been banned'),
	'model-forbidden': (o = {}) =>
		relayError(
			403,
			zh(o)
				? `该令牌无权访问模型 ${o.model ?? MODEL}`
				: `This token has no access to model ${o.model ?? MODEL}`,
		),
	'no-channel': (o = {}) =>
		relayError(
			503,
			zh(o)
				? `分组 ${o.group ?? GROUP} 下模型 ${o.model ?? MODEL} 无可用渠道（distributor）`
				: `No available channel for model ${o.model ?? MODEL} under group ${o.group ?? GROUP} (distributor)`,
			'model_not_found',
		),
	'rate-limit': emptyTooMany,
	'model-rate-limit': (o = {}) =>
		relayError(429, `您已达到请求数限制：1分钟内最多请求${o.max ?? 10}次`),
	'model-rate-limit-total': (o = {}) =>
		relayError(
			429,
			`您已达到总请求数限制：1分钟内最多请求${o.max ?? 10}次，包括失败次数，请检查您的请求是否正确`,
		),
	'upstream-saturated': () =>
		taskError(429, 'fail_to_fetch_task', '当前分组上游负载已饱和，请稍后再试'),
	'wallet-empty': () =>
		taskError(403, 'insufficient_user_quota', '用户额度不足, 剩余额度: ¥0.000000'),
	'wallet-short': () =>
		taskError(
			403,
			'insufficient_user_quota',
			'预扣费额度失败, 用户剩余额度: ¥0.010000, 需要预扣费额度: ¥0.200000',
		),
	'key-quota-short': () =>
		taskError(
			403,
			'pre_consume_token_quota_failed',
			'token quota is not enough, token remain quota: ¥0.010000, need quota: ¥0.200000',
		),
	'wallet-empty-relay': () =>
		relayError(403, '用户额度不足, 剩余额度: ¥0.000000', 'insufficient_user_quota', { param: '' }),
	'wallet-empty-legacy': () => taskError(403, 'quota_not_enough', 'user quota is not enough'),
	'wallet-empty-one-api': () =>
		relayError(403, 'user quota is not enough', 'insufficient_user_quota', {
			type: 'one_api_error',
		}),
	'upstream-code': (o = {}) =>
		taskError(500, String(o.code ?? 50412), o.message ?? 'Text Risk Not Pass'),
	'upstream-passthrough': (o = {}) =>
		taskError(o.status ?? 400, 'fail_to_fetch_task', JSON.stringify(o.upstream ?? {})),
	'task-not-exist': () => taskError(400, 'task_not_exist', 'task_not_exist'),
	'api-invalid-key': (o = {}) => ({
		status: 401,
		body: { success: false, message: zh(o) ? '无效的令牌' : 'Invalid token' },
	}),
	'unknown-route': (o = {}) => ({
		status: 404,
		body: {
			error: {
				message: `Invalid URL (${o.method ?? 'POST'} ${o.path ?? '/v1/jm'})`,
				type: 'invalid_request_error',
				param: '',
				code: '',
			},
		},
	}),
};

/** One answer by name, for enqueue(): newApiAnswer('wallet-empty'), newApiAnswer('upstream-code', { code: 50215 }). */
function newApiAnswer(name, options = {}) {
	const build = NEW_API_ANSWERS[name];
	if (!build) throw new TypeError(`fake-jimeng: unknown new-api answer "${name}"`);
	return build(options);
}

module.exports = { NEW_API_ANSWERS, newApiAnswer };

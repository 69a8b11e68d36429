'use strict';
// The answers of new-api's own layer (QuantumNous/new-api, the gateway software deepwl is built
// on), in the shapes and words of its source. Read at d2f7f9ee3adf3ef66798783a60d7bc712451c85c
// (2026-06-05, upstream history as carried by the SolveaCX/new-api mirror) unless a line names an
// older commit; README.md ("new-api mode") lists each with its file. Each builder returns
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
function relayError(status, message, code = '') {
	return {
		status,
		body: {
			error: { message: `${message} (request id: ${requestId()})`, type: 'new_api_error', code },
		},
	};
}

// dto/task.go TaskError; service/error.go TaskErrorWrapper / TaskErrorFromAPIError
function taskError(status, code, message) {
	return { status, body: { code, message, data: null } };
}

// middleware/rate-limit.go memoryRateLimiter / redisRateLimiter, model-rate-limit.go
// memoryRateLimitHandler: c.Status(http.StatusTooManyRequests), no body at all.
const emptyTooMany = () => ({ status: 429, body: '' });

const zh = (o) => o.language !== 'en';

/** Each answer by name: (options) => { status, body }. options: { language, model, group, code, ... } */
const NEW_API_ANSWERS = {
	// middleware/auth.go TokenAuth: model.ValidateUserToken fails -> 401. Words: i18n token.invalid
	// (i18n/locales/en.yaml, zh-CN.yaml); before 59c582d13 (2026-04-12) the same Chinese, hard-coded.
	'invalid-key': (o = {}) => relayError(401, zh(o) ? '无效的令牌' : 'Invalid token'),
	// model/token.go ValidateUserToken before 59c582d13 (at 59c582d13^ = 2819e3a1d1): an exhausted
	// key names itself; since then every refused key reads "Invalid token" (token enumeration).
	'exhausted-key': (o = {}) =>
		relayError(401, `该令牌额度已用尽 TokenStatusExhausted[sk-${o.keyHint ?? 'abc***xyz'}]`),
	'expired-key': () => relayError(401, '该令牌已过期'),
	'disabled-key': () => relayError(401, '该令牌状态不可用'),
	// middleware/auth.go TokenAuth: the key's group is not one the user may use (Chinese in the source).
	'group-forbidden': (o = {}) => relayError(403, `无权访问 ${o.group ?? GROUP} 分组`),
	// middleware/auth.go TokenAuth: the account is banned (i18n auth.user_banned).
	'user-banned': (o = {}) => relayError(403, zh(o) ? '用户已被封禁' : 'User has been banned'),
	// middleware/distributor.go Distribute: the key's model limits leave this model out
	// (i18n distributor.token_model_forbidden; Chinese hard-coded at 4fdd12ac70^ = 29d48e262e).
	'model-forbidden': (o = {}) =>
		relayError(
			403,
			zh(o)
				? `该令牌无权访问模型 ${o.model ?? MODEL}`
				: `This token has no access to model ${o.model ?? MODEL}`,
		),
	// middleware/distributor.go Distribute: no channel for the model in the group -> 503, model_not_found
	// (i18n distributor.no_available_channel).
	'no-channel': (o = {}) =>
		relayError(
			503,
			zh(o)
				? `分组 ${o.group ?? GROUP} 下模型 ${o.model ?? MODEL} 无可用渠道（distributor）`
				: `No available channel for model ${o.model ?? MODEL} under group ${o.group ?? GROUP} (distributor)`,
			'model_not_found',
		),
	// middleware/rate-limit.go (global API limit, in memory or Redis) and model-rate-limit.go (the
	// per-user model limit kept in memory): 429 and an empty body.
	'rate-limit': emptyTooMany,
	// middleware/model-rate-limit.go redisRateLimitHandler: the successful-request limit (Chinese in the source).
	'model-rate-limit': (o = {}) =>
		relayError(429, `您已达到请求数限制：1分钟内最多请求${o.max ?? 10}次`),
	// middleware/model-rate-limit.go redisRateLimitHandler: the total-request limit.
	'model-rate-limit-total': (o = {}) =>
		relayError(
			429,
			`您已达到总请求数限制：1分钟内最多请求${o.max ?? 10}次，包括失败次数，请检查您的请求是否正确`,
		),
	// controller/relay.go respondTaskError: a task relay's 429 (the upstream refused, retried on every
	// channel) gets its message rewritten.
	'upstream-saturated': () =>
		taskError(429, 'fail_to_fetch_task', '当前分组上游负载已饱和，请稍后再试'),
	// service/billing_session.go NewBillingSession (tryWallet) via relay/relay_task.go RelayTaskSubmit
	// step 7 and service.TaskErrorFromAPIError: the wallet is empty / short of the pre-consumption.
	'wallet-empty': () =>
		taskError(403, 'insufficient_user_quota', '用户额度不足, 剩余额度: ¥0.000000'),
	'wallet-short': () =>
		taskError(
			403,
			'insufficient_user_quota',
			'预扣费额度失败, 用户剩余额度: ¥0.010000, 需要预扣费额度: ¥0.200000',
		),
	// service/billing_session.go preConsume step 1 -> service/quota.go PreConsumeTokenQuota: the key's
	// own quota is short.
	'key-quota-short': () =>
		taskError(
			403,
			'pre_consume_token_quota_failed',
			'token quota is not enough, token remain quota: ¥0.010000, need quota: ¥0.200000',
		),
	// The same refusal through the chat relay: controller/relay.go Relay writes types.NewAPIError
	// (types/error.go ToOpenAIError) as {"error":{…,"code":"insufficient_user_quota"}}.
	'wallet-empty-relay': () => ({
		status: 403,
		body: {
			error: {
				message: `用户额度不足, 剩余额度: ¥0.000000 (request id: ${requestId()})`,
				type: 'new_api_error',
				param: '',
				code: 'insufficient_user_quota',
			},
		},
	}),
	// relay/relay_task.go at ba25ba88fe^ (= 29c2c895ff, before 2026-02-10): the task relay's own check.
	'wallet-empty-legacy': () => taskError(403, 'quota_not_enough', 'user quota is not enough'),
	// one-api (songquanpeng/one-api 8df4a2670b, relay/controller/helper.go preConsumeQuota and
	// relay/adaptor/openai/util.go ErrorWrapper), the ancestor.
	'wallet-empty-one-api': () => ({
		status: 403,
		body: {
			error: {
				message: `user quota is not enough (request id: ${requestId()})`,
				type: 'one_api_error',
				code: 'insufficient_user_quota',
			},
		},
	}),
	// relay/channel/task/jimeng/adaptor.go DoResponse: an upstream answer at HTTP 200 whose Jimeng code
	// is not 10000 is passed on as HTTP 500 with the code as a string of digits.
	'upstream-code': (o = {}) =>
		taskError(500, String(o.code ?? 50412), o.message ?? 'Text Risk Not Pass'),
	// relay/relay_task.go RelayTaskSubmit step 9: an upstream answer that is not HTTP 200 is passed on
	// at its status, its body as the message text.
	'upstream-passthrough': (o = {}) =>
		taskError(o.status ?? 400, 'fail_to_fetch_task', JSON.stringify(o.upstream ?? {})),
	// relay/relay_task.go videoFetchByIDRespBodyBuilder: a task the gateway's task table does not hold.
	'task-not-exist': () => taskError(400, 'task_not_exist', 'task_not_exist'),
	// middleware/auth.go TokenAuthReadOnly (GET /api/usage/token/): the /api routes' own shape.
	'api-invalid-key': (o = {}) => ({
		status: 401,
		body: { success: false, message: zh(o) ? '无效的令牌' : 'Invalid token' },
	}),
	// controller/relay.go RelayNotFound via router/web-router.go NoRoute: an unknown /v1 or /api path.
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

module.exports = { NEW_API_ANSWERS, newApiAnswer, MODEL, GROUP };

'use strict';
// CVSync2AsyncSubmitTask after auth and protocol checks passed.
// Order: scripted response, [new-api:NAME], (new-api mode) the pre-consumption, prompt directives, maxActiveTasks,
// injected fault, normal. In new-api mode a Jimeng error code reaches the client as new-api passes
// it on (new-api.js passThrough), and a created task spends its price.
const { reply, resetSocket, sleep } = require('./http-util');
const { error, httpStatusFor } = require('./envelope');
const { parseDirectives, appliesTo } = require('./directives');
const { createTask, submitEnvelope } = require('./tasks');
const { activeCount } = require('./state');
const { playScript, replyFault } = require('./scripted');
const newApi = require('./new-api');

async function handleSubmit(state, ctx) {
	const { body, entry, res } = ctx;
	const d = parseDirectives(body.prompt);
	const prior = state.counters.submitsPerPrompt.get(body.prompt) - 1; // this submit is already counted
	const isNewApi = state.options.gateway === 'new-api';
	const create = () => {
		const task = createTask(state, body, d);
		entry.taskId = task.id;
		if (isNewApi) newApi.charge(state);
		return task;
	};
	// A Jimeng error envelope, sent as is, or as new-api passes an upstream error on.
	const refuse = (status, code) => {
		const envelope = error(code, null, ctx.envelopeCtx);
		if (isNewApi) return newApi.passThrough(state, ctx, status, envelope);
		return reply(res, entry, status, envelope);
	};
	const answerCreated = (task) => {
		entry.taskStatus = 'submitted';
		reply(res, entry, 200, submitEnvelope(task, ctx.envelopeCtx));
	};

	const script = state.queues.submit.shift();
	if (script) {
		const r = await playScript(state, ctx, script, create);
		if (r.handled) return;
		if (r.task) return answerCreated(r.task);
	}

	if (d.newApiAnswer && appliesTo(d.newApiTimes, prior)) return newApi.answer(ctx, d.newApiAnswer);
	if (isNewApi && newApi.preConsume(state, ctx)) return;
	if (d.submitCode && appliesTo(d.submitCodeTimes, prior)) {
		return refuse(httpStatusFor(d.submitCode), d.submitCode);
	}
	if (d.resetSubmit && appliesTo(d.resetSubmit, prior)) {
		create(); // ambiguous: the task exists but the client never hears of it
		entry.fault = 'reset';
		return resetSocket(res);
	}

	const max = state.options.maxActiveTasks;
	if (max !== null && max !== undefined && activeCount(state) >= max) {
		entry.fault = 'max-active';
		return refuse(429, 50430);
	}

	const fault = state.faults.pick('submit');
	if (fault) {
		// HTML pages (but a 429), resets and slow answers happen after the task was created
		// (ambiguous for the client); JSON error envelopes and any 429 mean it was refused (no task).
		const refused = fault.type === 'envelope' || fault.http === 429;
		const task = refused ? null : create();
		if (fault.type === 'envelope' && isNewApi) {
			entry.fault = fault.kind;
			return refuse(fault.http, fault.code);
		}
		if (fault.type !== 'slow')
			return replyFault(ctx, fault, (f) => error(f.code, null, ctx.envelopeCtx));
		entry.fault = 'slow';
		await sleep(state, fault.slowMs);
		return answerCreated(task);
	}
	return answerCreated(create());
}

module.exports = { handleSubmit };

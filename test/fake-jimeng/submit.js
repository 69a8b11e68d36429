'use strict';
// CVSync2AsyncSubmitTask after auth and protocol checks passed.
// Order: scripted response, prompt directives, maxActiveTasks, injected fault, normal.
const { reply, resetSocket, sleep } = require('./http-util');
const { error, messageFor, httpStatusFor } = require('./envelope');
const { parseDirectives, appliesTo } = require('./directives');
const { createTask, submitEnvelope } = require('./tasks');
const { activeCount } = require('./state');
const { playScript } = require('./scripted');
const { replyFault } = require('./fault-reply');

async function handleSubmit(state, ctx) {
	const { body, entry, res } = ctx;
	const d = parseDirectives(body.prompt);
	const prior = state.counters.submitsPerPrompt.get(body.prompt) - 1; // this submit is already counted
	const create = () => {
		const task = createTask(state, body, d);
		entry.taskId = task.id;
		return task;
	};
	const answerCreated = (task) => {
		entry.taskStatus = 'submitted';
		reply(res, entry, 200, submitEnvelope(state, task, ctx.startNs));
	};

	const script = state.queues.submit.shift();
	if (script) {
		const r = await playScript(state, ctx, script, create);
		if (r.handled) return;
		if (r.task) return answerCreated(r.task);
	}

	const errCtx = { vocabulary: state.options.vocabulary, startNs: ctx.startNs };
	if (d.submitCode && appliesTo(d.submitCodeTimes, prior)) {
		return reply(
			res,
			entry,
			httpStatusFor(d.submitCode),
			error(d.submitCode, messageFor(d.submitCode), errCtx),
		);
	}
	if (d.resetSubmit && appliesTo(d.resetSubmit, prior)) {
		create(); // ambiguous: the task exists but the client never hears of it
		entry.fault = 'reset';
		return resetSocket(res);
	}

	const max = state.options.maxActiveTasks;
	if (max !== null && max !== undefined && activeCount(state) >= max) {
		entry.fault = 'max-active';
		return reply(res, entry, 429, error(50430, messageFor(50430), errCtx));
	}

	const fault = state.faults.pick('submit');
	if (fault) {
		// 502 / reset / slow happen after the task was created (ambiguous for the client);
		// JSON error envelopes mean the gateway refused it (no task).
		const task = fault.type === 'envelope' ? null : create();
		if (fault.type !== 'slow') return replyFault(state, ctx, fault);
		entry.fault = 'slow';
		await sleep(state, fault.slowMs);
		return answerCreated(task);
	}
	return answerCreated(create());
}

module.exports = { handleSubmit };

'use strict';
// CVSync2AsyncGetResult after auth and protocol checks passed.
const { reply, sleep } = require('./http-util');
const { success } = require('./envelope');
const { queryView, markFinished } = require('./tasks');
const { playScript } = require('./scripted');
const { replyFault } = require('./fault-reply');
const { unknownTaskAnswer } = require('./unknown-task');
const newApi = require('./new-api');

function answerUnknown(state, ctx) {
	// new-api's task table answers first: its own JSON, not a Jimeng envelope.
	if (state.options.gateway === 'new-api') return newApi.answer(ctx, 'task-not-exist');
	const u = unknownTaskAnswer(state.options.unknownTask);
	const envelope = success(null, { vocabulary: state.options.vocabulary, startNs: ctx.startNs });
	const body = {
		...envelope,
		code: u.code,
		status: u.code,
		data: u.data ?? null,
		message: u.message ?? envelope.message,
	};
	ctx.entry.taskStatus = body.data && body.data.status ? body.data.status : null;
	reply(ctx.res, ctx.entry, u.httpStatus ?? 200, body);
}

async function handleQuery(state, ctx) {
	const { body, entry, res } = ctx;
	entry.taskId = body.task_id;
	const script = state.queues.query.shift();
	if (script) {
		const r = await playScript(state, ctx, script, null);
		if (r.handled) return;
	}
	const fault = state.faults.pick('query');
	if (fault && fault.type !== 'slow') return replyFault(state, ctx, fault);
	if (fault) {
		entry.fault = 'slow';
		await sleep(state, fault.slowMs);
	}

	const task = state.tasks.get(body.task_id);
	if (!task) return answerUnknown(state, ctx);
	entry.prompt = task.prompt;
	task.queries++;
	const view = queryView(state, task, ctx.startNs);
	entry.taskStatus = view.status;
	reply(res, entry, view.http, view.body);
	if (view.terminal) markFinished(state, task);
}

module.exports = { handleQuery };

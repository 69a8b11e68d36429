'use strict';
// CVSync2AsyncGetResult after auth and protocol checks passed.
const { reply } = require('./http-util');
const { success, error } = require('./envelope');
const { queryView, markFinished } = require('./tasks');
const { playArranged } = require('./scripted');
const { unknownTaskAnswer } = require('./unknown-task');
const newApi = require('./new-api');

function answerUnknown(state, ctx) {
	// new-api's task table answers first: its own JSON, not a Jimeng envelope.
	if (state.options.gateway === 'new-api') return newApi.answer(ctx, 'task-not-exist');
	const u = unknownTaskAnswer(state.options.unknownTask);
	const body = { ...success(u.data ?? null, ctx.envelopeCtx), code: u.code, status: u.code };
	body.message = u.message ?? body.message;
	ctx.entry.taskStatus = body.data?.status || null;
	reply(ctx.res, ctx.entry, u.httpStatus ?? 200, body);
}

async function handleQuery(state, ctx) {
	const { body, entry, res } = ctx;
	entry.taskId = body.task_id;
	const script = state.queues.query.shift();
	const envelope = (fault) => error(fault.code, null, ctx.envelopeCtx);
	if (await playArranged(state, ctx, 'query', { script, envelope })) return;

	const task = state.tasks.get(body.task_id);
	if (!task) return answerUnknown(state, ctx);
	entry.prompt = task.prompt;
	task.queries++;
	const view = queryView(state, task, ctx.envelopeCtx);
	entry.taskStatus = view.status;
	reply(res, entry, view.http, view.body);
	if (view.terminal) markFinished(state, task);
}

module.exports = { handleQuery };

'use strict';
// Task creation and the status a query sees. Status is computed from the clock
// at query time, so no timers run per task.
const crypto = require('node:crypto');
const { activeCount, bump } = require('./state');
const { extFor } = require('./images');
const { success, error, httpStatusFor } = require('./envelope');

function newTaskId(style) {
	if (style === 'numeric')
		return (BigInt(7e18) + BigInt('0x' + crypto.randomBytes(7).toString('hex'))).toString();
	return crypto.randomUUID();
}

function imageCount(state, body, d) {
	if (d.images !== undefined) return Math.max(0, Math.floor(d.images));
	if (body.force_single === true) return 1;
	const refs = Array.isArray(body.image_urls) ? body.image_urls.length : 0;
	return Math.max(1, Math.min(state.options.groupSize, 15 - refs)); // upstream: max outputs = 15 - inputs
}

// n = the task's number among those created for its prompt (1-based).
function outcomeOf(d, n) {
	const failTask = d.failTasks?.[n];
	if (failTask !== undefined) return failTask === null ? 'fail' : 'code';
	if (d.notFound) return 'not_found';
	if (d.expired) return 'expired';
	if (d.queryCode) return 'code';
	if (d.fail) return 'fail';
	if (d.doneEmpty) return 'empty';
	return 'success';
}

function createTask(state, body, d) {
	const o = state.options;
	const now = state.now();
	const latency = d.latencyMs ?? o.latencyMs;
	const n = (state.counters.tasksPerPrompt.get(body.prompt) || 0) + 1;
	const outcome = outcomeOf(d, n);
	const queue = d.queueMs ?? o.queueMs;
	const task = {
		id: newTaskId(o.taskIdStyle),
		prompt: body.prompt,
		body,
		directives: d,
		createdAt: now,
		queuedUntil: now + queue,
		readyAt: now + Math.max(latency, queue),
		imageCount: imageCount(state, body, d),
		imageFormat: o.imageFormat,
		outcome,
		queryCode: (outcome === 'code' && (d.failTasks?.[n] ?? d.queryCode)) || null,
		image404: !!d.image404,
		finished: false,
		finishedAt: null,
		queries: 0,
	};
	state.tasks.set(task.id, task);
	const c = state.counters;
	c.tasksCreated++;
	bump(c.tasksPerPrompt, task.prompt);
	c.maxActiveTasks = Math.max(c.maxActiveTasks, activeCount(state));
	return task;
}

function imageUrls(state, task) {
	const url = (i) => `${state.imageUrl}/images/${task.id}/${i}.${extFor(task.imageFormat)}`;
	return Array.from({ length: task.imageCount }, (_, i) => url(i));
}

function submitEnvelope(task, envelopeCtx) {
	const deepwl = envelopeCtx.vocabulary === 'deepwl';
	const data = deepwl ? { task_id: task.id, status: 'submitted' } : { task_id: task.id };
	return success(data, { ...envelopeCtx, taskId: task.id });
}

// -> { http, body, terminal, status }
function queryView(state, task, envelopeCtx) {
	const ctx = { ...envelopeCtx, taskId: task.id };
	const deepwl = ctx.vocabulary === 'deepwl';
	const emptyBinary = deepwl ? [] : null;
	const answer = (status, urls, terminal, message) => {
		const body = success({ binary_data_base64: emptyBinary, image_urls: urls, status }, ctx);
		if (message) body.message = message;
		return { http: 200, body, terminal, status };
	};
	const now = state.now();
	// not_found / expired answer at once: the gateway does not know (or no longer keeps) the task.
	if (task.outcome === 'not_found' || task.outcome === 'expired')
		return answer(task.outcome, null, true);
	if (now < task.queuedUntil) return answer(deepwl ? 'submitted' : 'in_queue', null, false);
	if (now < task.readyAt) return answer('generating', null, false);
	switch (task.outcome) {
		case 'code':
			return {
				http: httpStatusFor(task.queryCode),
				body: error(task.queryCode, null, ctx),
				terminal: true,
				status: null,
			};
		case 'fail':
			return deepwl
				? answer('failed', null, true, 'Image generation failed: [fail] directive')
				: answer('done', null, true, 'Generation failed');
		case 'empty':
			return answer(deepwl ? 'success' : 'done', [], true);
		default:
			return answer(deepwl ? 'success' : 'done', imageUrls(state, task), true);
	}
}

function markFinished(state, task) {
	if (task.finished) return;
	task.finished = true;
	task.finishedAt = state.now();
}

module.exports = { createTask, submitEnvelope, queryView, markFinished };

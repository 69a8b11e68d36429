'use strict';
// Plays one enqueue()d response. Shapes:
//   { status, body, headers }           body: object -> JSON, string -> as is, function(task) -> either
//   { reset: true }                      destroy the socket without answering
//   { createTask: true, ... }            submit only: create the task first
//   { delayMs, ... }                     wait first
// A script with no status/body/reset falls through to normal handling
// (e.g. { delayMs: 5000 } = a slow but normal answer).
const { reply, resetSocket, sleep } = require('./http-util');

// -> { handled: boolean, task }
async function playScript(state, ctx, script, createTask) {
	ctx.entry.scripted = true;
	await sleep(state, script.delayMs);
	const task = script.createTask && createTask ? createTask() : null;
	if (script.reset) {
		ctx.entry.fault = 'reset';
		resetSocket(ctx.res);
		return { handled: true, task };
	}
	if (script.status === undefined && script.body === undefined) return { handled: false, task };
	const body = typeof script.body === 'function' ? script.body(task) : script.body;
	reply(ctx.res, ctx.entry, script.status ?? 200, body, script.headers);
	return { handled: true, task };
}

module.exports = { playScript };

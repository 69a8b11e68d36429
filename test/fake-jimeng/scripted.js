'use strict';
// What a test arranged for a call. An enqueue()d response:
//   { status, body, headers }           body: object -> JSON, string -> as is, function(task) -> either
//   { reset: true }                      destroy the socket without answering
//   { createTask: true, ... }            submit only: create the task first
//   { delayMs, ... }                     wait first
// A script with no status/body/reset falls through to normal handling
// (e.g. { delayMs: 5000 } = a slow but normal answer). Then an injected fault (faults.js).
const { reply, resetSocket, sleep } = require('./http-util');
const { htmlPage } = require('./envelope');

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

/** An injected fault other than 'slow': a reset, an HTML page, or `envelope(fault)` (else HTML). */
function replyFault(ctx, fault, envelope) {
	ctx.entry.fault = fault.kind;
	if (fault.type === 'reset') return resetSocket(ctx.res);
	const body = fault.type === 'envelope' && envelope ? envelope(fault) : htmlPage(fault.http);
	return reply(ctx.res, ctx.entry, fault.http, body);
}

/**
 * Plays `script`, then a fault of `action`; true when either answered. A 'slow' fault delays the
 * normal answer, unless `slow` is false (the upload steps ignore it).
 */
async function playArranged(state, ctx, action, { script, envelope, slow = true }) {
	if (script && (await playScript(state, ctx, script, null)).handled) return true;
	const fault = state.faults.pick(action);
	if (fault && fault.type !== 'slow') {
		replyFault(ctx, fault, envelope);
		return true;
	}
	if (fault && slow) {
		ctx.entry.fault = 'slow';
		await sleep(state, fault.slowMs);
	}
	return false;
}

module.exports = { playScript, replyFault, playArranged };

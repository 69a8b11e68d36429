'use strict';
// Answers an injected API fault; 'slow' is handled by the caller (it delays and
// then answers normally).
const { reply, resetSocket } = require('./http-util');
const { error, messageFor, htmlPage } = require('./envelope');

function replyFault(state, ctx, fault) {
	const { res, entry } = ctx;
	entry.fault = fault.kind;
	if (fault.type === 'reset') return resetSocket(res);
	if (fault.type === 'html')
		return reply(res, entry, fault.http, htmlPage(fault.http), { 'Content-Type': 'text/html' });
	const body = error(fault.code, messageFor(fault.code), {
		vocabulary: state.options.vocabulary,
		startNs: ctx.startNs,
	});
	return reply(res, entry, fault.http, body);
}

module.exports = { replyFault };

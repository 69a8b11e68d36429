'use strict';
// Per-prompt directives in square brackets let a test or an example workflow
// decide one item's fate, e.g. "a cat [latency:2000] [images:3]".
// [submit-code:C[:N]] and [reset-submit[:N]] take an optional N = only the
// first N submits of this exact prompt, so "fail, then succeed on retry" works.
// [fail-task:K[:C]] fails only the K-th task created for this exact prompt (1-based; repeatable):
// status failed, or business code C on its query. For Number of Images, whose N tasks share a prompt.
// [new-api:NAME[:N]] answers the submit with new-api's answer NAME (new-api-answers.js), e.g.
// [new-api:wallet-empty], whatever the gateway option.
// [host:KIND[:N]] makes the image host misbehave for the task's images (or only its N-th, 1-based;
// repeatable): host-behaviours.js lists the kinds.

const TOKEN = /\[([a-z][a-z0-9_-]*)(?::([^\]]*))?\]/gi;

function num(v) {
	const n = Number(v);
	return Number.isFinite(n) ? n : undefined;
}

function parseDirectives(prompt) {
	const d = {};
	if (typeof prompt !== 'string') return d;
	for (const [, rawName, value] of prompt.matchAll(TOKEN)) {
		const name = rawName.toLowerCase();
		const [a, b] = (value || '').split(':');
		switch (name) {
			case 'latency':
				d.latencyMs = num(a);
				break;
			case 'queue':
				d.queueMs = num(a);
				break;
			case 'images':
				d.images = num(a);
				break;
			case 'fail':
				d.fail = true;
				break;
			case 'not_found':
				d.notFound = true;
				break;
			case 'expired':
				d.expired = true;
				break;
			case 'done-empty':
				d.doneEmpty = true;
				break;
			case 'image404':
				d.image404 = true;
				break;
			case 'submit-code':
				d.submitCode = num(a);
				d.submitCodeTimes = num(b);
				break;
			case 'query-code':
				d.queryCode = num(a);
				break;
			case 'fail-task':
				if (num(a) !== undefined) (d.failTasks ??= {})[num(a)] = num(b) ?? null;
				break;
			case 'new-api':
				d.newApiAnswer = a;
				d.newApiTimes = num(b);
				break;
			case 'host':
				if (a) (d.hosts ??= {})[num(b) ?? '*'] = a.toLowerCase();
				break;
			case 'reset-submit':
				d.resetSubmit = value ? num(a) : true;
				break;
			default:
				break; // ordinary bracketed text in a prompt
		}
	}
	return d;
}

// True when a "first N submits" directive still applies; prior = earlier submits of the prompt.
function appliesTo(times, prior) {
	return times === true || times === undefined || prior < times;
}

module.exports = { parseDirectives, appliesTo };

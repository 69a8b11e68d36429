'use strict';
// Per-prompt directives in square brackets decide one item's fate, e.g. "a cat [latency:2000]
// [images:3]"; README.md lists them. An optional :N on [submit-code], [reset-submit] and [new-api]
// = only the first N submits of this exact prompt, so "fail, then succeed on retry" works.

const TOKEN = /\[([a-z][a-z0-9_-]*)(?::([^\]]*))?\]/gi;
const FLAGS = {
	fail: 'fail',
	not_found: 'notFound',
	expired: 'expired',
	'done-empty': 'doneEmpty',
	image404: 'image404',
};
const NUMBERS = {
	latency: 'latencyMs',
	queue: 'queueMs',
	images: 'images',
	'query-code': 'queryCode',
};

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
		if (FLAGS[name]) d[FLAGS[name]] = true;
		else if (NUMBERS[name]) d[NUMBERS[name]] = num(a);
		else if (name === 'submit-code')
			Object.assign(d, { submitCode: num(a), submitCodeTimes: num(b) });
		else if (name === 'new-api') Object.assign(d, { newApiAnswer: a, newApiTimes: num(b) });
		else if (name === 'reset-submit') d.resetSubmit = value ? num(a) : true;
		// [fail-task:K[:C]]: only the K-th task of this prompt fails (status failed, or code C on its query)
		else if (name === 'fail-task' && num(a) !== undefined)
			(d.failTasks ??= {})[num(a)] = num(b) ?? null;
		// [host:KIND[:N]]: the image host misbehaves for the task's images, or only its N-th (1-based)
		else if (name === 'host' && a) (d.hosts ??= {})[num(b) ?? '*'] = a.toLowerCase();
	}
	return d;
}

// True when a "first N submits" directive still applies; prior = earlier submits of the prompt.
function appliesTo(times, prior) {
	return times === true || times === undefined || prior < times;
}

module.exports = { parseDirectives, appliesTo };

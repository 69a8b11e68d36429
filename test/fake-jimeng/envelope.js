'use strict';
// Response bodies shaped like the documented gateway responses.
const crypto = require('node:crypto');

// Documented business codes (jimeng_t2i_v40 doc) and the validation code.
const MESSAGES = {
	50215: 'Input invalid for this service.',
	50411: 'Pre Img Risk Not Pass',
	50511: 'Post Img Risk Not Pass',
	50412: 'Text Risk Not Pass',
	50512: 'Post Text Risk Not Pass',
	50413: 'Post Text Risk Not Pass',
	50518: 'Pre Img Risk Not Pass: Copyright',
	50519: 'Post Img Risk Not Pass: Copyright',
	50520: 'Risk Internal Error',
	50521: 'Antidirt Internal Error',
	50522: 'Image Copyright Internal Error',
	50429: 'Request Has Reached API Limit, Please Try Later',
	50430: 'Request Has Reached API Concurrent Limit, Please Try Later',
	50500: 'Internal Error',
	50501: 'Internal RPC Error',
};

function httpStatusFor(code) {
	if (code === 10000) return 200;
	if (code === 50429 || code === 50430) return 429;
	if (code === 50500 || code === 50501) return 500;
	return 400;
}

// '35.381µs' under a millisecond, '104.852309ms' above, like the examples.
function timeElapsed(startNs) {
	const ns = Number(process.hrtime.bigint() - startNs);
	return ns < 1e6 ? `${(ns / 1e3).toFixed(3)}µs` : `${(ns / 1e6).toFixed(6)}ms`;
}

// deepwl echoes the task id as request_id; upstream uses a timestamp + hex id.
function requestId(vocabulary, taskId) {
	if (vocabulary === 'deepwl') return taskId || crypto.randomUUID();
	const ts = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
	return ts + crypto.randomBytes(10).toString('hex').toUpperCase();
}

// ctx: { vocabulary, startNs, taskId? }
function envelope(code, data, message, { vocabulary, taskId, startNs }) {
	const request_id = requestId(vocabulary, taskId);
	return { code, data, message, request_id, status: code, time_elapsed: timeElapsed(startNs) };
}

const success = (data, ctx) => envelope(10000, data, 'Success', ctx);
const error = (code, message, ctx) =>
	envelope(code, null, message || MESSAGES[code] || `Error ${code}`, ctx);

// new-api-family gateways answer a bad key with an OpenAI-style error.
const INVALID_TOKEN = {
	error: { message: 'Invalid token', type: 'new_api_error', code: 'invalid_api_key' },
};

const REASONS = {
	404: 'Not Found',
	405: 'Not Allowed',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Temporarily Unavailable',
	504: 'Gateway Time-out',
};

function htmlPage(status) {
	const title = `${status} ${REASONS[status] || 'Error'}`;
	return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

module.exports = { MESSAGES, httpStatusFor, success, error, INVALID_TOKEN, htmlPage, REASONS };

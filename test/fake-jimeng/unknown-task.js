'use strict';
// How a gateway answers a query for a task ID it does not know. Gateways of this format differ,
// so the fake can answer in each way seen or plausible; tests import this table.
const UNKNOWN_TASK_MODES = Object.freeze({
	// Upstream Volcengine: a success envelope whose task status says so.
	'status-not-found': {
		httpStatus: 200,
		code: 10000,
		data: { status: 'not_found', image_urls: null, binary_data_base64: [] },
	},
	// deepwl's own vocabulary has no not_found: a failed task whose message says why.
	'status-failed': {
		httpStatus: 200,
		code: 10000,
		message: 'task not found',
		data: { status: 'failed', image_urls: null, binary_data_base64: [] },
	},
	// An error envelope with a not-found code, at HTTP 404, 400 or even 200.
	'envelope-404': { httpStatus: 404, code: 50404, message: 'task not found', data: null },
	'envelope-400': { httpStatus: 400, code: 50404, message: 'task not found', data: null },
	'envelope-200': { httpStatus: 200, code: 50404, message: 'task not found', data: null },
});

/** The answer for an `unknownTask` option: a mode name from the table, or an explicit answer object. */
const unknownTaskAnswer = (option) =>
	typeof option === 'string' ? UNKNOWN_TASK_MODES[option] : option;

function isUnknownTaskOption(value) {
	if (typeof value === 'string') return value in UNKNOWN_TASK_MODES;
	return typeof value === 'object' && value !== null && typeof value.code === 'number';
}

module.exports = { UNKNOWN_TASK_MODES, unknownTaskAnswer, isUnknownTaskOption };

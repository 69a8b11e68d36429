'use strict';
/**
 * n8n-core hands node errors back already flattened (`{ ...error, message, stack }`,
 * so class identity and prototype getters such as DOMException#name are gone).
 * This turns either such an object or a live Error into a JSON-safe plain object
 * with the fields tests assert on.
 */
const FIELDS = [
	'name',
	'message',
	'description',
	'httpCode',
	'context',
	'level',
	'errorResponse',
	'messages',
	'functionality',
	'tags',
	'obfuscate',
	'lineNumber',
];

function toJsonSafe(value, depth = 0) {
	if (value === undefined) return undefined;
	try {
		return JSON.parse(
			JSON.stringify(value, (_k, v) => {
				if (typeof v === 'bigint') return v.toString();
				if (Buffer.isBuffer(v)) return `<Buffer ${v.length} bytes>`;
				return v;
			}),
		);
	} catch {
		return depth > 0 ? String(value) : toJsonSafe(String(value), 1);
	}
}

function serializeError(error) {
	if (error === undefined || error === null) return undefined;
	if (typeof error !== 'object') return { name: 'Error', message: String(error) };
	const out = {};
	for (const field of FIELDS) {
		const v = error[field];
		if (v !== undefined && v !== null) out[field] = toJsonSafe(v);
	}
	if (out.message === undefined && typeof error.message === 'string') out.message = error.message;
	if (out.name === undefined) {
		// flattened errors lose prototype getters; fall back to the constructor or a stack prefix
		const ctor = error.constructor?.name;
		const fromStack =
			typeof error.stack === 'string' ? /^(\w+)(?::|$)/.exec(error.stack)?.[1] : undefined;
		out.name = ctor && ctor !== 'Object' ? ctor : (fromStack ?? 'Error');
	}
	if (error.node && typeof error.node === 'object' && error.node.name)
		out.nodeName = error.node.name;
	if (out.context && typeof out.context.itemIndex === 'number')
		out.itemIndex = out.context.itemIndex;
	if (error.cause !== undefined) {
		out.cause =
			error.cause instanceof Object && 'message' in error.cause
				? { name: error.cause.name, message: error.cause.message, code: error.cause.code }
				: toJsonSafe(error.cause);
	}
	if (typeof error.stack === 'string') out.stack = error.stack;
	return out;
}

module.exports = { serializeError };

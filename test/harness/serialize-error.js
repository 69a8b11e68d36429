'use strict';
/**
 * n8n-core hands node errors back flattened (`{ ...error, message, stack }`: class identity and
 * prototype getters such as DOMException#name are gone). This turns such an object or a live Error
 * into a JSON-safe plain object with the fields tests assert on.
 */
const FIELDS = ['name', 'message', 'description', 'httpCode', 'context', 'level', 'errorResponse'];
FIELDS.push('messages', 'functionality', 'tags', 'obfuscate', 'lineNumber');

function toJsonSafe(value) {
	const replacer = (_key, v) => {
		if (typeof v === 'bigint') return v.toString();
		return Buffer.isBuffer(v) ? `<Buffer ${v.length} bytes>` : v;
	};
	try {
		return JSON.parse(JSON.stringify(value, replacer));
	} catch {
		return String(value);
	}
}

/** The error's name; flattened errors lost it with their prototype: the constructor's or the stack's. */
function nameOf(error) {
	const ctor = error.constructor?.name;
	if (ctor && ctor !== 'Object') return ctor;
	return (typeof error.stack === 'string' && /^(\w+)(?::|$)/.exec(error.stack)?.[1]) || 'Error';
}

function serializeError(error) {
	if (error === undefined || error === null) return undefined;
	if (typeof error !== 'object') return { name: 'Error', message: String(error) };
	const out = {};
	for (const field of FIELDS) {
		if (error[field] !== undefined && error[field] !== null) out[field] = toJsonSafe(error[field]);
	}
	out.name ??= nameOf(error);
	if (error.node?.name) out.nodeName = error.node.name;
	if (typeof out.context?.itemIndex === 'number') out.itemIndex = out.context.itemIndex;
	if (error.cause !== undefined) {
		const { cause } = error;
		out.cause =
			cause instanceof Object && 'message' in cause
				? { name: cause.name, message: cause.message, code: cause.code }
				: toJsonSafe(cause);
	}
	if (typeof error.stack === 'string') out.stack = error.stack;
	return out;
}

module.exports = { serializeError };

'use strict';
// Protocol checks. Each returns null when fine, else a short text naming the
// field; the API answers 400/50215 with it and logs it as the entry's problem.

const REQ_KEY = 'jimeng_t2i_v40';
const ACTIONS = { CVSync2AsyncSubmitTask: 'submit', CVSync2AsyncGetResult: 'query' };
const VERSION = '2022-08-31';
const MIN_AREA = 1024 * 1024;
const MAX_AREA = 4096 * 4096;

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const isPosInt = (v) => Number.isInteger(v) && v > 0;
const isArea = (v) => Number.isInteger(v) && v >= MIN_AREA && v <= MAX_AREA;

function checkRoute(method, searchParams) {
	if (method !== 'POST') return `method must be POST (got ${method})`;
	const action = searchParams.get('Action');
	if (!ACTIONS[action])
		return `query parameter Action must be CVSync2AsyncSubmitTask or CVSync2AsyncGetResult (got ${action})`;
	if (searchParams.get('Version') !== VERSION)
		return `query parameter Version must be ${VERSION} (got ${searchParams.get('Version')})`;
	return null;
}

function checkContentType(headers) {
	const ct = String(headers['content-type'] || '').toLowerCase();
	return /^application\/json\s*(;|$)/.test(ct)
		? null
		: `Content-Type must be application/json (got ${headers['content-type'] || 'none'})`;
}

const isHttpUrl = (u) =>
	typeof u === 'string' && URL.canParse(u) && /^https?:$/.test(new URL(u).protocol);

// null counts as present: a node should omit optional fields, not send null.
function checkSize(b) {
	const hasW = b.width !== undefined;
	const hasH = b.height !== undefined;
	if (hasW !== hasH) return 'width and height must be sent together';
	for (const k of ['min_ratio', 'max_ratio']) {
		if (b[k] !== undefined && (!isNum(b[k]) || b[k] < 1 / 16 || b[k] >= 16))
			return `${k} must be a number in [1/16, 16)`;
	}
	const minR = b.min_ratio ?? 1 / 3;
	const maxR = b.max_ratio ?? 3;
	if (minR > maxR) return 'min_ratio must not exceed max_ratio';
	if (hasW) {
		if (!isPosInt(b.width) || !isPosInt(b.height))
			return 'width and height must be positive integers';
		if (!isArea(b.width * b.height))
			return `width*height must be within [1024*1024, 4096*4096] (got ${b.width}x${b.height})`;
		const ratio = b.width / b.height;
		if (ratio < minR - 1e-9 || ratio > maxR + 1e-9)
			return `width/height ratio ${ratio.toFixed(3)} outside [${minR.toFixed(3)}, ${maxR.toFixed(3)}]`;
	}
	if (b.size !== undefined && !isArea(b.size))
		return 'size must be an integer within [1024*1024, 4096*4096]';
	return null;
}

function checkSubmit(b) {
	if (!isObject(b)) return 'body must be a JSON object';
	if (b.req_key !== REQ_KEY) return `req_key must be "${REQ_KEY}"`;
	if (typeof b.prompt !== 'string' || !b.prompt.trim()) return 'prompt must be a non-empty string';
	if (typeof b.model !== 'string' || !b.model) return 'model must be a non-empty string';
	if (b.image_urls !== undefined) {
		if (!Array.isArray(b.image_urls)) return 'image_urls must be an array';
		if (b.image_urls.length > 10)
			return `image_urls may hold at most 10 URLs (got ${b.image_urls.length})`;
		const bad = b.image_urls.findIndex((u) => !isHttpUrl(u));
		if (bad >= 0) return `image_urls[${bad}] must be an http(s) URL string`;
	}
	if (b.resolution !== undefined && !['1k', '2k', '4k'].includes(b.resolution))
		return 'resolution must be one of 1k, 2k, 4k';
	if (b.force_single !== undefined && typeof b.force_single !== 'boolean')
		return 'force_single must be a boolean';
	if (b.scale !== undefined && (!isNum(b.scale) || b.scale < 0 || b.scale > 1))
		return 'scale must be a number in [0, 1]';
	return checkSize(b);
}

function checkQuery(b) {
	if (!isObject(b)) return 'body must be a JSON object';
	if (b.req_key !== REQ_KEY) return `req_key must be "${REQ_KEY}"`;
	if (typeof b.task_id !== 'string' || !b.task_id) return 'task_id must be a non-empty string';
	if (typeof b.req_json !== 'string')
		return 'req_json must be a JSON-serialized string (not an object)';
	let rj;
	try {
		rj = JSON.parse(b.req_json);
	} catch {
		return 'req_json must be valid JSON';
	}
	if (!isObject(rj)) return 'req_json must encode a JSON object';
	if (rj.return_url !== true) return 'req_json.return_url must be true';
	for (const k of ['logo_info', 'aigc_meta']) {
		if (rj[k] !== undefined && !isObject(rj[k])) return `req_json.${k} must be an object`;
	}
	return null;
}

module.exports = { ACTIONS, checkRoute, checkContentType, checkSubmit, checkQuery };

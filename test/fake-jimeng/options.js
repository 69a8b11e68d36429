'use strict';
// Option defaults and merging. Unknown option names throw so that a typo in a
// test does not silently run against the defaults.
const { parseFaultKind } = require('./faults');
const { KINDS } = require('./host-behaviours');
const {
	DEFAULT_UNKNOWN_TASK_MODE,
	UNKNOWN_TASK_MODES,
	isUnknownTaskOption,
} = require('./unknown-task');
const { NEW_API_DEFAULTS, mergeNewApi } = require('./new-api');

const DEFAULT_FAULTS = Object.freeze({
	rate: 0,
	on: ['submit', 'query', 'image'],
	kinds: ['429-50429', '429-50430', '502-html', '500-50500', 'reset', 'slow'],
	seed: 1,
	slowMs: 30000,
});

const DEFAULTS = Object.freeze({
	apiKey: 'test-key',
	port: 0, // only read at start
	imagePort: 0, // only read at start
	latencyMs: 50,
	queueMs: 0,
	vocabulary: 'deepwl', // 'deepwl' | 'upstream'
	imageFormat: 'png', // 'png' | 'jpeg'
	imageContentType: true,
	imageBytes: null, // null/0: natural size (PNG 852 B, JPEG 267 B); else exact size (>= natural)
	groupSize: 4,
	maxActiveTasks: null,
	activeUntil: 'observed', // 'observed' (first terminal query) | 'generated' (latency elapsed)
	faults: null,
	unknownTask: DEFAULT_UNKNOWN_TASK_MODE, // a mode of unknown-task.js, or an answer {httpStatus, code, message, data}
	taskIdStyle: 'uuid', // 'uuid' | 'numeric' (upstream-like long digit strings)
	imageHost: null, // null | a kind of host-behaviours.js for every image (else per prompt: [host:KIND])
	hostDropMs: 30000, // endless and stall bodies: the host drops the connection this long after the request
	hostChunkBytes: 64 * 1024, // endless bodies: this many bytes…
	hostChunkMs: 50, // …every this many ms
	oversizeBytes: 3000000, // oversize and oversize-chunked: the image's size
	upload: 'ok', // 'ok' | 'nested' (answer under data) | 'no-method' | 'missing' (404 HTML) | 'wrong-shape'
	uploadLinkMs: null, // null: links last the requested expire; else this many ms (short expiry)
	// GET /api/usage/token/ (the key's balance): 'ok' | 'missing' (not served: the mode's unknown path)
	// | 'web-page' (a web app's HTML page at HTTP 200)
	balance: 'ok',
	// 'plain': only the Jimeng layer (a wrong key gets a 401); 'new-api': new-api's own layer answers
	// first, as new-api.js and README.md ("new-api mode") describe, configured by newApi
	gateway: 'plain',
	newApi: NEW_API_DEFAULTS,
	control: false, // serve /__fake/* control routes on the API server (the CLI turns this on)
	onLog: null, // function(entry) called when a log entry is complete
});

const ENUMS = {
	imageHost: [null, ...KINDS],
	vocabulary: ['deepwl', 'upstream'],
	imageFormat: ['png', 'jpeg'],
	activeUntil: ['observed', 'generated'],
	taskIdStyle: ['uuid', 'numeric'],
	upload: ['ok', 'nested', 'no-method', 'missing', 'wrong-shape'],
	balance: ['ok', 'missing', 'web-page'],
	gateway: ['plain', 'new-api'],
};

function normalizeFaults(faults) {
	if (!faults) return null;
	const f = { ...DEFAULT_FAULTS, ...faults };
	for (const key of Object.keys(faults)) {
		if (!(key in DEFAULT_FAULTS))
			throw new TypeError(`fake-jimeng: unknown faults option "${key}"`);
	}
	f.kinds.forEach(parseFaultKind); // throws on an unknown kind
	return f;
}

function mergeOptions(current, partial = {}) {
	const next = { ...current };
	for (const [key, value] of Object.entries(partial)) {
		if (!(key in DEFAULTS)) throw new TypeError(`fake-jimeng: unknown option "${key}"`);
		if (key === 'unknownTask' && !isUnknownTaskOption(value)) {
			throw new TypeError(
				`fake-jimeng: option unknownTask must be one of ${Object.keys(UNKNOWN_TASK_MODES).join(', ')} or an answer with a numeric code`,
			);
		}
		if (ENUMS[key] && !ENUMS[key].includes(value)) {
			throw new TypeError(`fake-jimeng: option ${key} must be one of ${ENUMS[key].join(', ')}`);
		}
		if (key === 'faults') next[key] = normalizeFaults(value);
		else if (key === 'newApi') next[key] = mergeNewApi(current.newApi ?? NEW_API_DEFAULTS, value);
		else next[key] = value;
	}
	return next;
}

module.exports = { DEFAULTS, mergeOptions };

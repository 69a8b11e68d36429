'use strict';
// Option defaults and merging (README.md says what each means). Unknown option names throw so that
// a typo in a test does not silently run against the defaults.
const { parseFaultKind } = require('./faults');
const { KINDS } = require('./host-behaviours');
const { UNKNOWN_TASK_MODES, isUnknownTaskOption } = require('./unknown-task');

const NEW_API_DEFAULTS = Object.freeze({
	language: 'zh', // new-api before its i18n of 2026-02, or a Chinese client
	keyState: 'enabled',
	wallet: null, // submits the account's balance pays for; null: unlimited
	keyQuota: null, // submits the key's own quota pays for (fractions allowed); null: unlimited
	permission: null,
	channel: true,
	rateLimit: null, // null | { limiter, max, windowMs }
	quotaShape: 'task',
	passthrough: 'string-code',
	keyExpiresAt: 0, // Unix seconds, 0 never (new-api turns -1 into 0)
});

const NEW_API_ENUMS = {
	language: ['zh', 'en'],
	keyState: ['enabled', 'expired', 'disabled', 'exhausted'],
	permission: [null, 'model', 'group'],
	quotaShape: ['task', 'relay', 'legacy-task', 'one-api'],
	passthrough: ['string-code', 'fail-to-fetch'],
};
const LIMITERS = ['global', 'model-memory', 'model-redis'];

/** Throws on a key `defaults` lacks (`unknown <what> "key"`) or a value outside `enums`. */
function checkEnums(partial, defaults, enums, what, prefix = `${what} `) {
	for (const [key, value] of Object.entries(partial)) {
		if (!(key in defaults)) throw new TypeError(`fake-jimeng: unknown ${what} "${key}"`);
		if (enums[key] && !enums[key].includes(value))
			throw new TypeError(`fake-jimeng: ${prefix}${key} must be one of ${enums[key].join(', ')}`);
	}
}

function mergeNewApi(current, partial) {
	checkEnums(partial, NEW_API_DEFAULTS, NEW_API_ENUMS, 'newApi option', 'newApi.');
	const next = { ...current, ...partial };
	if (next.rateLimit && !LIMITERS.includes(next.rateLimit.limiter))
		throw new TypeError(
			`fake-jimeng: newApi.rateLimit.limiter must be one of ${LIMITERS.join(', ')}`,
		);
	return next;
}

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
	vocabulary: 'deepwl',
	imageFormat: 'png',
	imageContentType: true,
	imageBytes: null, // null/0: natural size (PNG 852 B, JPEG 267 B); else exact size (>= natural)
	groupSize: 4,
	maxActiveTasks: null,
	activeUntil: 'observed', // 'observed' (first terminal query) | 'generated' (latency elapsed)
	faults: null,
	unknownTask: 'status-not-found', // a mode of unknown-task.js, or an answer
	taskIdStyle: 'uuid', // | 'numeric' (upstream-like long digit strings)
	imageHost: null, // else a kind of host-behaviours.js for every image
	hostDropMs: 30000,
	hostChunkBytes: 64 * 1024,
	hostChunkMs: 50,
	oversizeBytes: 3000000,
	upload: 'ok',
	uploadLinkMs: null,
	balance: 'ok',
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
	checkEnums(faults, DEFAULT_FAULTS, {}, 'faults option');
	const f = { ...DEFAULT_FAULTS, ...faults };
	f.kinds.forEach(parseFaultKind); // throws on an unknown kind
	return f;
}

function mergeOptions(current, partial = {}) {
	checkEnums(partial, DEFAULTS, ENUMS, 'option');
	const next = { ...current };
	for (const [key, value] of Object.entries(partial)) {
		if (key === 'unknownTask' && !isUnknownTaskOption(value)) {
			throw new TypeError(
				`fake-jimeng: option unknownTask must be one of ${Object.keys(UNKNOWN_TASK_MODES).join(', ')} or an answer with a numeric code`,
			);
		}
		if (key === 'faults') next[key] = normalizeFaults(value);
		else if (key === 'newApi') next[key] = mergeNewApi(current.newApi, value);
		else next[key] = value;
	}
	return next;
}

module.exports = { DEFAULTS, mergeOptions };

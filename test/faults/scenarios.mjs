// The fault suite's scenarios: runs a–d (faults injected by the fake, or task directives in the
// prompts), the bad-input matrix e, runs f–g (Number of Images), h–i (uploads), j (image hosts), with
// the node settings they all use.
export const LATENCY_MS = 1000;
// Every normal answer must come back within the request timeout even on a loaded machine (2 s was
// not enough on 2 shared cores: a plain submit was cut off), and a slow answer must come well after it.
export const REQUEST_TIMEOUT_S = 5;
export const SLOW_MS = 8000;
export const NODE_PARAMETERS = { pollInterval: 1, options: { requestTimeout: REQUEST_TIMEOUT_S } };
/** NODE_PARAMETERS with more parameters, and more options beside Request Timeout. */
export const nodeParameters = ({ options, ...more } = {}) => ({
	...NODE_PARAMETERS,
	...more,
	options: { ...NODE_PARAMETERS.options, ...options },
});
export const ALL_KINDS = ['429-50429', '429-50430', '502-html', '500-50500', 'reset', 'slow'];
/**
 * Run b's last items: a reset after the task was created, then complete refusals ([directive, the
 * refusal in words, the submits the item takes at least]).
 */
export const SCRIPTED_B = [
	['[reset-submit:1]'],
	['[submit-code:50429:2]', 'refused twice with 429 + 50429', 3],
	['[submit-code:50500:1]', 'refused with 500 + 50500', 2],
	['[submit-code:50430:1]', 'refused with 429 + 50430', 2],
];
/** Submit faults after which the gateway created the task but the client got no usable answer. */
export const AMBIGUOUS = new Set(['reset', 'slow', '502-html']);
/** Submit faults that are complete error answers: no task, retried. */
export const COMPLETE_REFUSALS = new Set(['429-50429', '429-50430', '500-50500']);

const numbered = (key, n) => Array.from({ length: n }, (_, i) => `faults ${key} #${i + 1}`);
/** Faults the fake draws at this rate on these calls, of every kind. */
const drawn = (rate, on, seed) => ({ rate, on, kinds: ALL_KINDS, slowMs: SLOW_MS, seed });
const EVERY_CALL = ['submit', 'query', 'image'];

/** Runs a–c: N prompts under faults drawn at `percent` % on the calls `on` (`where` says which). */
const drawnRun = ({ N, SEED }, key, percent, on, where, more) => ({
	key,
	title: `${key}. ${N} items, ${percent} % faults on ${where}${key === 'a' ? '' : ', Continue On Fail'}`,
	load: `${N} items`,
	faults: drawn(percent / 100, on, SEED),
	continueOnFail: key !== 'a',
	prompts: numbered(key, N),
	...more,
});

/** Run d's items: the directive in its prompt, the outcome it must come to, that outcome in words. */
export const SCRIPTED_D = [
	['normal #1', 'image', 'an image'],
	['[fail]', 'task failed', "an error item: the task failed, with the API's reason"],
	['[not_found]', 'task not_found', 'an error item: the task was not found'],
	['[expired]', 'task expired', 'an error item: the task expired'],
	['[done-empty]', 'task finished without any image', 'an error item: finished without any image'],
	[
		'[image404]',
		'download failed (HTTP 404)',
		'an item with imageUrl and downloadError (HTTP 404)',
	],
	['normal #2', 'image', 'an image'],
];

export function loadRuns(args) {
	const { N } = args;
	const last = N - SCRIPTED_B.length;
	return [
		drawnRun(args, 'a', 10, ['query', 'image'], 'queries and image downloads'),
		drawnRun(args, 'b', 10, EVERY_CALL, 'every call', {
			load: `${N} items (the first submit to arrive answered slowly; the last 4 scripted)`,
			// Random faults may miss the submits in a run: these make every submit case happen at least once.
			firstSubmitMs: SLOW_MS, // the first submit to arrive is answered this late
			prompts: numbered('b', N).map((p, i) => (i >= last ? `${p} ${SCRIPTED_B[i - last][0]}` : p)),
		}),
		drawnRun(args, 'c', 30, EVERY_CALL, 'every call'),
		{
			key: 'd',
			title:
				'd. tasks that fail, vanish, expire, finish empty, or whose image answers 404 (+ 2 normal), Continue On Fail',
			load: `${SCRIPTED_D.length} items`,
			continueOnFail: true,
			prompts: SCRIPTED_D.map(([directive]) => `faults d ${directive}`),
		},
	].map((run) => ({ ...run, parameters: NODE_PARAMETERS }));
}

/** Run e's cases: [key, label, what its error item must say, parameters, input item]. */
export const MATRIX = [
	['empty', 'empty prompt', /prompt is empty/i, { prompt: '={{ $json.prompt }}' }, { prompt: '' }],
	[
		'urls11',
		'11 reference URLs',
		/11 reference images.*at most 10/i,
		{ prompt: 'faults matrix 11 urls', imageUrls: '={{ $json.urls }}' },
		{ urls: Array.from({ length: 11 }, (_, i) => `https://example.com/ref-${i + 1}.png`) },
	],
	[
		'nonhttp',
		'a non-http reference URL',
		/not an http\(s\) URL/i,
		{ prompt: 'faults matrix non-http', imageUrls: '={{ $json.urls }}' },
		{ urls: ['ftp://example.com/ref.png'] },
	],
	[
		'area',
		'custom size out of area (512 × 512)',
		/outside 1024² to 4096²/,
		{ prompt: 'faults matrix area', size: 'custom', width: 512, height: 512 },
	],
	[
		'ratio',
		'custom size out of ratio (4096 × 1024)',
		/ratio.*outside 1:3 to 3:1/,
		{ prompt: 'faults matrix ratio', size: 'custom', width: 4096, height: 1024 },
	],
	[
		'extra',
		'malformed Extra Body Fields',
		/Extra Body Fields is not valid JSON/,
		{ prompt: 'faults matrix extra', options: { extraBody: '{"seed": 42,' } },
	],
	[
		'unknown',
		'an unknown task id (Get Task)',
		/not_found/,
		{ operation: 'getTask', taskId: 'no-such-task-00000000' },
	],
].map(([key, label, expect, parameters, json]) => ({
	...{ key, label, expect, json, parameters },
	onError: 'continueRegularOutput',
}));

/** What the error of a submit cut off after its task was created says. */
export const MAY_BE_CREATED = /may have been created/;
/** Number of Images of runs f and g: every item asks for this many single-image tasks. */
export const COUNT_IMAGES = 3;
/** Run f's items: [directive, label, images, submits, what its failed tasks say]; 3 tasks each. */
const SCRIPTED_F = [
	['', 'no fault', 3, 3],
	['[reset-submit:1]', 'the first submit reset after its task was created', 2, 3, MAY_BE_CREATED],
	['[submit-code:50500:2]', 'the first two submits refused with 500 + 50500', 3, 5],
	['[submit-code:50430:1]', 'the first submit refused with 429 + 50430', 3, 4],
	['[fail-task:2]', 'the second task fails', 2, 3, /Jimeng task failed/],
].map(([directive, label, images, submits, failed]) => ({
	...{ directive, label, images, submits },
	failed: failed ? [failed] : [],
}));

/** Runs f and g: Number of Images under submit faults, Continue On Fail. */
export function countRuns({ N, SEED }) {
	const items = Math.max(4, Math.round(N / 3));
	return [
		{
			key: 'f',
			title: `f. Number of Images ${COUNT_IMAGES}: scripted submit faults and a failed task, Continue On Fail`,
			load: `${SCRIPTED_F.length} items × ${COUNT_IMAGES} images`,
			prompts: SCRIPTED_F.map((c, i) => `faults f #${i + 1} ${c.directive}`.trim()),
			scripted: SCRIPTED_F,
		},
		{
			key: 'g',
			title: `g. Number of Images ${COUNT_IMAGES}: ${items} items, 25 % faults on submits, Continue On Fail`,
			load: `${items} items × ${COUNT_IMAGES} images`,
			faults: drawn(0.25, ['submit'], SEED),
			prompts: numbered('g', items),
		},
	].map((run) => ({
		...run,
		continueOnFail: true,
		parameters: nodeParameters({ numberOfImages: COUNT_IMAGES }),
	}));
}

/** Number of Images of run h: the item's two tasks share its one upload. */
const UPLOAD_IMAGES = 2;
/** What the fake does to an upload step in run i: an HTML error page, a 429 page, a reset connection. */
export const UPLOAD_KINDS = ['502-html', '503-html', '429-html', 'reset'];
/**
 * Run h's items, in the order their uploads reach the fake (Max Concurrent Tasks = Number of
 * Images, so an item's upload ends before the next item's starts): the answers its link requests
 * (`link`) and its PUTs (`put`) get before the normal one; `fails` names the step whose four
 * attempts (Max Retries 3) all fail, after which the item is an error item and nothing is submitted.
 */
const SCRIPTED_H = [
	['no fault', [], []],
	['a 502 page on the link request, a reset PUT', ['502-html'], ['reset']],
	[
		'two 429s on the link request, a 503 page then a 429 on the PUT',
		['429-html', '429-html'],
		['503-html', '429-html'],
	],
	[
		'the link request fails 4 times (502 page, 429, 503 page, reset)',
		['502-html', '429-html', '503-html', 'reset'],
		[],
		'link',
		/^Uploading reference binary field "data" failed: the gateway did not answer \(ECONNRESET\)$/,
	],
	[
		'the PUT fails 4 times (reset, 503 page, reset, 502 page)',
		[],
		['reset', '503-html', 'reset', '502-html'],
		'put',
		/^Uploading reference binary field "data" failed: the upload host answered HTTP 502$/,
	],
	['a reset link request', ['reset'], []],
	['no fault, after the failed items', [], []],
].map(([label, link, put, fails, error]) => ({ label, link, put, fails, error }));

/** Runs h and i: Reference Images From Binary under faults on both upload steps, Continue On Fail. */
export function uploadRuns({ N, SEED }) {
	return [
		{
			key: 'h',
			title: `h. Reference Images From Binary, Number of Images ${UPLOAD_IMAGES}: scripted faults on the link request and the PUT, Continue On Fail`,
			load: `${SCRIPTED_H.length} items × ${UPLOAD_IMAGES} images, 1 binary each`,
			scripted: SCRIPTED_H,
			images: UPLOAD_IMAGES,
			prompts: numbered('h', SCRIPTED_H.length),
			parameters: nodeParameters({
				numberOfImages: UPLOAD_IMAGES,
				options: { maxConcurrency: UPLOAD_IMAGES },
			}),
		},
		{
			key: 'i',
			title: `i. Reference Images From Binary: ${N} items, 60 % faults on both upload steps, Continue On Fail`,
			load: `${N} items, 1 binary each`,
			faults: { rate: 0.6, on: ['upload', 'put'], kinds: UPLOAD_KINDS, seed: SEED },
			images: 1,
			prompts: numbered('i', N),
			parameters: NODE_PARAMETERS,
		},
	].map((run) => ({ ...run, continueOnFail: true }));
}

/** Run j: how long a misbehaving image host keeps an endless or stalled body before it drops it. */
export const HOST_DROP_MS = 20_000;
/** Run j's oversize bodies, against Max Image Size 2 MB. */
export const HOST_OVERSIZE_BYTES = 5_000_000;
const HOST_MAX_IMAGE_MB = 2;
const ALL_ATTEMPTS = 4;
/** One backoff after each failed attempt but the last, at most 1 + 2 + 4 s. */
const BACKOFFS_MAX_MS = 7000;
/** A download whose answer is final: one request, done within this (n8n's boot is outside). */
const FINAL = { attempts: 1, minMs: 0, maxMs: 3000 };
/** Every attempt cut at Request Timeout: at least 4 × 5 s, at most that plus the backoffs and the deadline checks. */
const TIMED_OUT = {
	attempts: ALL_ATTEMPTS,
	minMs: ALL_ATTEMPTS * REQUEST_TIMEOUT_S * 1000,
	maxMs: ALL_ATTEMPTS * REQUEST_TIMEOUT_S * 1000 + BACKOFFS_MAX_MS + 2000,
};
const CUT = { attempts: ALL_ATTEMPTS, minMs: 0, maxMs: BACKOFFS_MAX_MS + 3000 };
const OVERSIZE = `a ${HOST_OVERSIZE_BYTES / 1e6} MB body`;
const TOO_BIG = `(Max Image Size ${HOST_MAX_IMAGE_MB} MB)`;
const TIMEOUT_RAN_OUT = /still arriving when Request Timeout \(5 s\) ran out/;
const STALLED = /stopped sending after .* of Request Timeout \(5 s\)/;

/**
 * Run j's image hosts (test/fake-jimeng/host-behaviours.js), one item and one `n8n execute` each:
 * [kind, label, what the item's downloadError must say (none for the control), how many requests
 * the image host may see and the bounds of the download's time (first request → last answer)].
 */
const HOST_SCENARIOS = [
	[null, 'a good host (control)', null, FINAL],
	['html', 'an HTML sign-in page at 200', /sent an HTML page/, FINAL],
	['json', 'a JSON error at 200', /sent a JSON document/, FINAL],
	['xml', 'an XML error at 200', /sent an XML document/, FINAL],
	['empty', 'an empty body at 200', /sent an empty body/, FINAL],
	['endless', 'an endless body (image/png)', TIMEOUT_RAN_OUT, TIMED_OUT],
	['endless-untyped', 'an endless body, no Content-Type', TIMEOUT_RAN_OUT, TIMED_OUT],
	['stall', 'a trickle that stalls', STALLED, TIMED_OUT],
	[
		'oversize',
		`${OVERSIZE} with its Content-Length ${TOO_BIG}`,
		/over Max Image Size \(2 MB\): not downloaded/,
		FINAL,
		HOST_MAX_IMAGE_MB,
	],
	[
		'oversize-chunked',
		`${OVERSIZE}, chunked ${TOO_BIG}`,
		/grew past Max Image Size \(2 MB\)/,
		FINAL,
		HOST_MAX_IMAGE_MB,
	],
	['short', 'fewer bytes than its Content-Length, then closed', /the connection broke after/, CUT],
	['long', 'more bytes than its Content-Length', /the image is cut short/, CUT],
];

/** Run j: one workflow per image host. */
export const hostRuns = () =>
	HOST_SCENARIOS.map(([kind, label, error, bounds, maxImageSize]) => ({
		...{ kind, label, error, ...bounds },
		key: `j-${kind ?? 'good'}`,
		title: `j. ${label}`,
		prompts: [`faults j ${kind ?? 'good'}${kind ? ` [host:${kind}]` : ''}`],
		parameters: nodeParameters({ options: maxImageSize ? { maxImageSize } : {} }),
	}));

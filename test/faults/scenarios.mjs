// The fault suite's scenarios: runs a–d (faults injected by the fake, or task directives in the
// prompts) and the bad-input matrix e, with the node settings they all use.
export const LATENCY_MS = 1000;
// Every normal answer must come back within the request timeout even on a loaded machine (2 s was
// not enough on 2 shared cores: a plain submit was cut off), and a slow answer must come well after it.
export const REQUEST_TIMEOUT_S = 5;
export const SLOW_MS = 8000;
export const NODE_PARAMETERS = { pollInterval: 1, options: { requestTimeout: REQUEST_TIMEOUT_S } };
export const ALL_KINDS = ['429-50429', '429-50430', '502-html', '500-50500', 'reset', 'slow'];
/** Directives of run b's last items: a reset after the task was created, complete refusals. */
export const SCRIPTED_B = [
	'[reset-submit:1]',
	'[submit-code:50429:2]',
	'[submit-code:50500:1]',
	'[submit-code:50430:1]',
];
/** Submit faults after which the gateway created the task but the client got no usable answer. */
export const AMBIGUOUS = new Set(['reset', 'slow', '502-html']);
/** Submit faults that are complete error answers: no task, retried. */
export const COMPLETE_REFUSALS = new Set(['429-50429', '429-50430', '500-50500']);

const numbered = (key, n) => Array.from({ length: n }, (_, i) => `faults ${key} #${i + 1}`);
/** Faults the fake draws at this rate on these calls, of every kind. */
const drawn = (rate, on, seed) => ({ rate, on, kinds: ALL_KINDS, slowMs: SLOW_MS, seed });

export function loadRuns({ N, SEED }) {
	const prompts = (key) => numbered(key, N);
	return [
		{
			key: 'a',
			title: `a. ${N} items, 10 % faults on queries and image downloads`,
			load: `${N} items`,
			faults: drawn(0.1, ['query', 'image'], SEED),
			continueOnFail: false,
			prompts: prompts('a'),
		},
		{
			key: 'b',
			title: `b. ${N} items, 10 % faults on every call, Continue On Fail`,
			load: `${N} items (the first submit to arrive answered slowly; the last 4 scripted)`,
			faults: drawn(0.1, ['submit', 'query', 'image'], SEED),
			continueOnFail: true,
			// Random faults may miss the submits in a run: these make every submit case happen at least once.
			slowFirstSubmit: true,
			prompts: prompts('b').map((prompt, i) =>
				i >= N - SCRIPTED_B.length
					? `${prompt} ${SCRIPTED_B[i - (N - SCRIPTED_B.length)]}`
					: prompt,
			),
		},
		{
			key: 'c',
			title: `c. ${N} items, 30 % faults on every call, Continue On Fail`,
			load: `${N} items`,
			faults: drawn(0.3, ['submit', 'query', 'image'], SEED),
			continueOnFail: true,
			prompts: prompts('c'),
		},
		{
			key: 'd',
			title:
				'd. tasks that fail, vanish, expire, finish empty, or whose image answers 404 (+ 2 normal), Continue On Fail',
			load: '7 items',
			faults: null,
			continueOnFail: true,
			prompts: [
				'faults d normal #1',
				'faults d [fail]',
				'faults d [not_found]',
				'faults d [expired]',
				'faults d [done-empty]',
				'faults d [image404]',
				'faults d normal #2',
			],
		},
	].map((run) => ({ ...run, parameters: NODE_PARAMETERS }));
}

export const MATRIX = [
	{
		key: 'empty',
		label: 'empty prompt',
		json: { prompt: '' },
		parameters: { prompt: '={{ $json.prompt }}' },
		expect: /prompt is empty/i,
	},
	{
		key: 'urls11',
		label: '11 reference URLs',
		json: { urls: Array.from({ length: 11 }, (_, i) => `https://example.com/ref-${i + 1}.png`) },
		parameters: { prompt: 'faults matrix 11 urls', imageUrls: '={{ $json.urls }}' },
		expect: /11 reference images.*at most 10/i,
	},
	{
		key: 'nonhttp',
		label: 'a non-http reference URL',
		json: { urls: ['ftp://example.com/ref.png'] },
		parameters: { prompt: 'faults matrix non-http', imageUrls: '={{ $json.urls }}' },
		expect: /not an http\(s\) URL/i,
	},
	{
		key: 'area',
		label: 'custom size out of area (512 × 512)',
		parameters: { prompt: 'faults matrix area', size: 'custom', width: 512, height: 512 },
		expect: /outside 1024² to 4096²/,
	},
	{
		key: 'ratio',
		label: 'custom size out of ratio (4096 × 1024)',
		parameters: { prompt: 'faults matrix ratio', size: 'custom', width: 4096, height: 1024 },
		expect: /ratio.*outside 1:3 to 3:1/,
	},
	{
		key: 'extra',
		label: 'malformed Extra Body Fields',
		parameters: { prompt: 'faults matrix extra', options: { extraBody: '{"seed": 42,' } },
		expect: /Extra Body Fields is not valid JSON/,
	},
	{
		key: 'unknown',
		label: 'an unknown task id (Get Task)',
		parameters: { operation: 'getTask', taskId: 'no-such-task-00000000' },
		expect: /not_found/,
		queries: true,
	},
].map((c) => ({ ...c, onError: 'continueRegularOutput' }));

/** Number of Images of runs f and g: every item asks for this many single-image tasks. */
export const COUNT_IMAGES = 3;
/** Run f's items: a directive each, with what it must come to (images, error item, tasks, submits). */
export const SCRIPTED_F = [
	{ directive: '', label: 'no fault', images: 3, failed: [], submits: 3 },
	{
		directive: '[reset-submit:1]',
		label: 'the first submit reset after its task was created',
		images: 2,
		failed: [/may have been created/],
		submits: 3,
	},
	{
		directive: '[submit-code:50500:2]',
		label: 'the first two submits refused with 500 + 50500',
		images: 3,
		failed: [],
		submits: 5,
	},
	{
		directive: '[submit-code:50430:1]',
		label: 'the first submit refused with 429 + 50430',
		images: 3,
		failed: [],
		submits: 4,
	},
	{
		directive: '[fail-task:2]',
		label: 'the second task fails',
		images: 2,
		failed: [/Jimeng task failed/],
		submits: 3,
	},
];

/** Runs f and g: Number of Images under submit faults, Continue On Fail. */
export function countRuns({ N, SEED }) {
	const items = Math.max(4, Math.round(N / 3));
	return [
		{
			key: 'f',
			title: `f. Number of Images ${COUNT_IMAGES}: scripted submit faults and a failed task, Continue On Fail`,
			load: `${SCRIPTED_F.length} items × ${COUNT_IMAGES} images`,
			faults: null,
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
		parameters: { ...NODE_PARAMETERS, numberOfImages: COUNT_IMAGES },
	}));
}

/** Number of Images of run h: the item's two tasks share its one upload. */
export const UPLOAD_IMAGES = 2;
/** What the fake does to an upload step in run i: an HTML error page, a 429 page, a reset connection. */
export const UPLOAD_KINDS = ['502-html', '503-html', '429-html', 'reset'];
/**
 * Run h's items, in the order their uploads reach the fake (Max Concurrent Tasks = Number of
 * Images, so an item's upload ends before the next item's starts): the answers its link requests
 * (`link`) and its PUTs (`put`) get before the normal one; `fails` names the step whose four
 * attempts (Max Retries 3) all fail, after which the item is an error item and nothing is submitted.
 */
export const SCRIPTED_H = [
	{ label: 'no fault', link: [], put: [] },
	{ label: 'a 502 page on the link request, a reset PUT', link: ['502-html'], put: ['reset'] },
	{
		label: 'two 429s on the link request, a 503 page then a 429 on the PUT',
		link: ['429-html', '429-html'],
		put: ['503-html', '429-html'],
	},
	{
		label: 'the link request fails 4 times (502 page, 429, 503 page, reset)',
		link: ['502-html', '429-html', '503-html', 'reset'],
		put: [],
		fails: 'link',
		error:
			/^Uploading reference binary field "data" failed: the gateway did not answer \(ECONNRESET\)$/,
	},
	{
		label: 'the PUT fails 4 times (reset, 503 page, reset, 502 page)',
		link: [],
		put: ['reset', '503-html', 'reset', '502-html'],
		fails: 'put',
		error: /^Uploading reference binary field "data" failed: the upload host answered HTTP 502$/,
	},
	{ label: 'a reset link request', link: ['reset'], put: [] },
	{ label: 'no fault, after the failed items', link: [], put: [] },
];

/** Runs h and i: Reference Images From Binary under faults on both upload steps, Continue On Fail. */
export function uploadRuns({ N, SEED }) {
	return [
		{
			key: 'h',
			title: `h. Reference Images From Binary, Number of Images ${UPLOAD_IMAGES}: scripted faults on the link request and the PUT, Continue On Fail`,
			load: `${SCRIPTED_H.length} items × ${UPLOAD_IMAGES} images, 1 binary each`,
			faults: null,
			scripted: SCRIPTED_H,
			images: UPLOAD_IMAGES,
			prompts: numbered('h', SCRIPTED_H.length),
			parameters: {
				...NODE_PARAMETERS,
				numberOfImages: UPLOAD_IMAGES,
				options: { ...NODE_PARAMETERS.options, maxConcurrency: UPLOAD_IMAGES },
			},
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
export const HOST_MAX_IMAGE_MB = 2;
const ALL_ATTEMPTS = 4;
/** One backoff after each failed attempt but the last, at most 1 + 2 + 4 s. */
const BACKOFFS_MAX_MS = 7000;
/** A download whose answer is final: one request, done within this (n8n's boot is outside). */
const FINAL_MS = 3000;
/** Every attempt cut at Request Timeout: at least 4 × 5 s, at most that plus the backoffs and the deadline checks. */
const TIMED_OUT = {
	attempts: ALL_ATTEMPTS,
	minMs: ALL_ATTEMPTS * REQUEST_TIMEOUT_S * 1000,
	maxMs: ALL_ATTEMPTS * REQUEST_TIMEOUT_S * 1000 + BACKOFFS_MAX_MS + 2000,
};
const FINAL = { attempts: 1, minMs: 0, maxMs: FINAL_MS };
const CUT = { attempts: ALL_ATTEMPTS, minMs: 0, maxMs: BACKOFFS_MAX_MS + 3000 };

/**
 * Run j's image hosts (test/fake-jimeng/host-behaviours.js), one item and one `n8n execute` each:
 * what the item must come to (`error`: its downloadError; none for the control), how many requests
 * the image host may see, and the bounds of the download's time (first request → last answer).
 */
export const HOST_SCENARIOS = [
	{ kind: null, label: 'a good host (control)', attempts: 1, minMs: 0, maxMs: FINAL_MS },
	{ kind: 'html', label: 'an HTML sign-in page at 200', error: /sent an HTML page/, ...FINAL },
	{ kind: 'json', label: 'a JSON error at 200', error: /sent a JSON document/, ...FINAL },
	{ kind: 'xml', label: 'an XML error at 200', error: /sent an XML document/, ...FINAL },
	{ kind: 'empty', label: 'an empty body at 200', error: /sent an empty body/, ...FINAL },
	{
		kind: 'endless',
		label: 'an endless body (image/png)',
		error: /still arriving when Request Timeout \(5 s\) ran out/,
		...TIMED_OUT,
	},
	{
		kind: 'endless-untyped',
		label: 'an endless body, no Content-Type',
		error: /still arriving when Request Timeout \(5 s\) ran out/,
		...TIMED_OUT,
	},
	{
		kind: 'stall',
		label: 'a trickle that stalls',
		error: /stopped sending after .* of Request Timeout \(5 s\)/,
		...TIMED_OUT,
	},
	{
		kind: 'oversize',
		label: `a ${HOST_OVERSIZE_BYTES / 1e6} MB body with its Content-Length (Max Image Size ${HOST_MAX_IMAGE_MB} MB)`,
		error: /over Max Image Size \(2 MB\): not downloaded/,
		maxImageSize: HOST_MAX_IMAGE_MB,
		...FINAL,
	},
	{
		kind: 'oversize-chunked',
		label: `a ${HOST_OVERSIZE_BYTES / 1e6} MB body, chunked (Max Image Size ${HOST_MAX_IMAGE_MB} MB)`,
		error: /grew past Max Image Size \(2 MB\)/,
		maxImageSize: HOST_MAX_IMAGE_MB,
		...FINAL,
	},
	{
		kind: 'short',
		label: 'fewer bytes than its Content-Length, then closed',
		error: /the connection broke after/,
		...CUT,
	},
	{
		kind: 'long',
		label: 'more bytes than its Content-Length',
		error: /the image is cut short/,
		...CUT,
	},
];

/** Run j: one workflow per image host. */
export function hostRuns() {
	return HOST_SCENARIOS.map((scenario) => ({
		...scenario,
		key: `j-${scenario.kind ?? 'good'}`,
		prompt: `faults j ${scenario.kind ?? 'good'}${scenario.kind ? ` [host:${scenario.kind}]` : ''}`,
		parameters: {
			...NODE_PARAMETERS,
			options: {
				...NODE_PARAMETERS.options,
				...(scenario.maxImageSize ? { maxImageSize: scenario.maxImageSize } : {}),
			},
		},
	}));
}

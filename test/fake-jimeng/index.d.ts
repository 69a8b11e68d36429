// Types for index.js (plain CommonJS) so strict TypeScript tests can import it.

export type FaultKind = 'reset' | 'slow' | `${number}-html` | `${number}-${number}`;
/** 'upload' = PUT /v1/file/upload (the link), 'put' = the bytes to the signed link */
export type Action = 'submit' | 'query' | 'image' | 'upload' | 'put';

export interface FaultOptions {
	/** probability that a call in `on` faults (default 0) */
	rate?: number;
	/** default ['submit', 'query', 'image'] */
	on?: Action[];
	/** default ['429-50429', '429-50430', '502-html', '500-50500', 'reset', 'slow'] */
	kinds?: FaultKind[];
	/** PRNG seed, default 1 */
	seed?: number;
	/** delay of a 'slow' fault, default 30000 */
	slowMs?: number;
}

export interface UnknownTaskAnswer {
	code: number;
	data?: unknown;
	message?: string;
	httpStatus?: number;
}

/** Image hosts that misbehave (host-behaviours.js). */
export type HostKind =
	| 'html'
	| 'json'
	| 'xml'
	| 'empty'
	| 'endless'
	| 'endless-untyped'
	| 'stall'
	| 'oversize'
	| 'oversize-chunked'
	| 'short'
	| 'long';

export interface FakeJimengOptions {
	apiKey?: string; // 'test-key'
	port?: number; // 0, start only
	imagePort?: number; // 0, start only
	latencyMs?: number; // 50
	queueMs?: number; // 0
	vocabulary?: 'deepwl' | 'upstream';
	imageFormat?: 'png' | 'jpeg';
	imageContentType?: boolean; // true
	imageBytes?: number | null; // null = natural size
	groupSize?: number; // 4
	maxActiveTasks?: number | null; // null
	activeUntil?: 'observed' | 'generated'; // 'observed'
	faults?: FaultOptions | null;
	/** how a query for an unknown task ID is answered: a mode of UNKNOWN_TASK_MODES, or an explicit answer */
	unknownTask?: UnknownTaskMode | UnknownTaskAnswer;
	taskIdStyle?: 'uuid' | 'numeric';
	/** null: a normal image host; else this behaviour for every image ([host:KIND] per prompt) */
	imageHost?: HostKind | null;
	/** endless and stall bodies: the host drops the connection this long after the request (30000) */
	hostDropMs?: number;
	/** endless bodies: hostChunkBytes (64 KiB) every hostChunkMs (50) */
	hostChunkBytes?: number;
	hostChunkMs?: number;
	/** oversize and oversize-chunked: the image's size (3000000) */
	oversizeBytes?: number;
	/** how PUT /v1/file/upload answers: 'ok' (documented shape), 'nested' (under data), 'no-method', 'missing' (404 HTML), 'wrong-shape' (200 JSON without the links) */
	upload?: 'ok' | 'nested' | 'no-method' | 'missing' | 'wrong-shape';
	/** null: upload links last the requested expire; else this many ms (short expiry) */
	uploadLinkMs?: number | null;
	/** how GET /api/usage/token/ answers: 'ok' (new-api's token usage), 'missing' (the mode's unknown path), 'web-page' (HTML at 200) */
	balance?: 'ok' | 'missing' | 'web-page';
	/** 'plain' (default): only the Jimeng layer; 'new-api': new-api's own layer answers first (README) */
	gateway?: 'plain' | 'new-api';
	newApi?: NewApiOptions;
	control?: boolean; // false (the CLI sets true)
	onLog?: ((entry: LogEntry) => void) | null;
}

/** new-api mode (README.md, "new-api mode"); each option is merged into the current ones. */
export interface NewApiOptions {
	/** 'zh' (default: new-api before its i18n, or a Chinese client) | 'en' */
	language?: 'zh' | 'en';
	keyState?: 'enabled' | 'expired' | 'disabled' | 'exhausted';
	/** submits the account's balance pays for; null (default): unlimited */
	wallet?: number | null;
	/** submits the key's own quota pays for, fractions allowed (then the pre-consume of the next fails); null: unlimited */
	keyQuota?: number | null;
	/** null | 'model' (the key's model limits leave Jimeng out) | 'group' (the key's group is not allowed) */
	permission?: null | 'model' | 'group';
	/** false: no channel serves the model (503) */
	channel?: boolean;
	/** requests over `max` per `windowMs` (default 60 s) are refused: 429, empty or new-api's JSON */
	rateLimit?: null | {
		limiter: 'global' | 'model-memory' | 'model-redis';
		max: number;
		windowMs?: number;
	};
	/** the key's expiry in GET /api/usage/token/: Unix seconds, 0 (default) never */
	keyExpiresAt?: number;
	/** the shape of the pre-consume refusal */
	quotaShape?: 'task' | 'relay' | 'legacy-task' | 'one-api';
	/** how an upstream Jimeng error code on a submit is passed on */
	passthrough?: 'string-code' | 'fail-to-fetch';
}

/** A name of NEW_API_ANSWERS. */
export type NewApiAnswerName =
	| 'invalid-key'
	| 'exhausted-key'
	| 'expired-key'
	| 'disabled-key'
	| 'group-forbidden'
	| 'user-banned'
	| 'model-forbidden'
	| 'no-channel'
	| 'rate-limit'
	| 'model-rate-limit'
	| 'model-rate-limit-total'
	| 'upstream-saturated'
	| 'wallet-empty'
	| 'wallet-short'
	| 'key-quota-short'
	| 'wallet-empty-relay'
	| 'wallet-empty-legacy'
	| 'wallet-empty-one-api'
	| 'upstream-code'
	| 'upstream-passthrough'
	| 'task-not-exist'
	| 'api-invalid-key'
	| 'unknown-route';

export interface NewApiAnswerOptions {
	language?: 'zh' | 'en';
	model?: string;
	group?: string;
	/** upstream-code: the Jimeng code passed on (default 50412) and its message */
	code?: number;
	message?: string;
	/** upstream-passthrough: the upstream's HTTP status and answer */
	status?: number;
	upstream?: unknown;
	max?: number;
	keyHint?: string;
	method?: string;
	path?: string;
}

export interface LogEntry {
	/** ms since the server started (performance.now based) */
	t: number;
	server: 'api' | 'image';
	/** upload = the link request, upload-put = the bytes, upload-get = a download of an uploaded file, sample = GET /samples/reference.png|jpg */
	kind:
		| 'submit'
		| 'query'
		| 'balance'
		| 'image'
		| 'sample'
		| 'upload'
		| 'upload-put'
		| 'upload-get'
		| 'other';
	action: string | null;
	method: string | null;
	url: string | null;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	taskId: string | null;
	prompt: string | null;
	statusCode: number | null;
	/** data.status returned (submitted, generating, success, ...) */
	taskStatus: string | null;
	/** fault kind, 'max-active', 'reset', or 'new-api:<answer name>' (new-api mode's refusals); null when none */
	fault: string | null;
	scripted: boolean;
	problem: string | null;
	bytes: number | null;
	sha256: string | null;
	durationMs: number | null;
}

export interface FakeTask {
	id: string;
	prompt: string;
	body: Record<string, unknown>;
	/** the prompt's directives (README), e.g. { latencyMs, images, fail, submitCode, failTasks: { 2: null, 3: 50511 } } */
	directives: Record<string, unknown>;
	createdAt: number;
	queuedUntil: number;
	readyAt: number;
	imageCount: number;
	imageFormat: 'png' | 'jpeg';
	outcome: 'success' | 'fail' | 'empty' | 'not_found' | 'expired' | 'code';
	queryCode: number | null;
	image404: boolean;
	finished: boolean;
	finishedAt: number | null;
	queries: number;
}

export interface FakeJimengStats {
	submits: number;
	queries: number;
	images: number;
	tasksCreated: number;
	maxActiveTasks: number;
	maxInFlight: number;
	/** most image requests being answered at once */
	maxImagesInFlight: number;
	activeTasks: number;
	inFlight: number;
	problems: number;
	submitsPerPrompt: Record<string, number>;
	tasksPerPrompt: Record<string, number>;
	faults: Record<string, number>;
	/** PUT /v1/file/upload requests (any answer) */
	uploadLinks: number;
	/** requests to upload links on the image host (any answer) */
	uploadPuts: number;
	uploads: FakeUpload[];
}

/** One upload link the fake handed out, and what arrived at it. */
export interface FakeUpload {
	id: string;
	/** the Content-Type named in the link request (signed into the link) */
	contentType: string;
	requestedExpire: number;
	/** where the request put the lifetime: top-level expire, params.expire, or none (default 900) */
	expireFrom: 'expire' | 'params.expire' | 'default';
	/** epoch ms */
	expiresAt: number;
	uploadUrl: string;
	downloadUrl: string;
	uploaded: boolean;
	bytes: number | null;
	sha256: string | null;
	putContentType: string | null;
	putContentLength: number | null;
	/** every PUT that reached the link, accepted or not */
	attempts: Array<{
		contentType: string | null;
		contentLength: number | null;
		authorization: boolean;
		chunked: boolean;
		bytes: number;
		/** of the bytes that arrived (the first 20 MiB), accepted or not */
		sha256: string;
	}>;
	authorizationSeen: boolean;
	downloads: number;
}

export type ScriptedResponse = {
	status?: number;
	body?: unknown | ((task: FakeTask | null) => unknown);
	headers?: Record<string, string>;
	reset?: boolean;
	createTask?: boolean;
	delayMs?: number;
	/** image requests: answer this one the way a misbehaving host does */
	host?: HostKind;
};

export interface FakeJimeng {
	url: string;
	imageUrl: string;
	readonly apiKey: string;
	readonly options: FakeJimengOptions;
	log: LogEntry[];
	tasks: Map<string, FakeTask>;
	stats(): FakeJimengStats;
	setOptions(partial: FakeJimengOptions): void;
	reset(): void;
	enqueue(action: Action, response: ScriptedResponse): void;
	imageBytesFor(taskId: string, index: number): Buffer | null;
	imageSha256For(taskId: string, index: number): string | null;
	/** ends every upload link now: PUTs and downloads then answer 403, submits naming them are refused */
	expireUploads(): void;
	/** the bytes PUT to an upload link, by its download URL or id; null before they arrived */
	uploadedBytes(downloadUrlOrId: string): Buffer | null;
	close(): Promise<void>;
}

export declare const DEFAULTS: Readonly<Required<FakeJimengOptions>>;
export declare function startFakeJimeng(options?: FakeJimengOptions): Promise<FakeJimeng>;

export type UnknownTaskMode =
	| 'status-not-found'
	| 'status-failed'
	| 'envelope-404'
	| 'envelope-400'
	| 'envelope-200';
export const UNKNOWN_TASK_MODES: Readonly<Record<UnknownTaskMode, UnknownTaskAnswer>>;
/** The documented message of each business code, as the API (and the fake) sends it. */
export const API_MESSAGES: Readonly<Record<number, string>>;
/** new-api's own answers, by name (new-api-answers.js cites each one's source). */
export const NEW_API_ANSWERS: Readonly<
	Record<NewApiAnswerName, (options?: NewApiAnswerOptions) => ScriptedResponse>
>;
export declare function newApiAnswer(
	name: NewApiAnswerName,
	options?: NewApiAnswerOptions,
): ScriptedResponse & { status: number; body: unknown };
/** Every misbehaving image host the fake can play (host-behaviours.js). */
export const HOST_KINDS: readonly HostKind[];

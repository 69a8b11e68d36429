// Types for index.js (plain CommonJS) so strict TypeScript tests can import it; README.md says
// what each option, directive and record means.

export type FaultKind = 'reset' | 'slow' | `${number}-html` | `${number}-${number}`;
/** 'upload' = PUT /v1/file/upload (the link), 'put' = the bytes to the signed link */
export type Action = 'submit' | 'query' | 'image' | 'upload' | 'put';

export interface FaultOptions {
	rate?: number;
	on?: Action[];
	kinds?: FaultKind[];
	seed?: number;
	slowMs?: number;
}

export interface UnknownTaskAnswer {
	code: number;
	data?: unknown;
	message?: string;
	httpStatus?: number;
}

/** Image hosts that misbehave: content that is no image, or a body whose length lies. */
type WrongContent = 'html' | 'json' | 'xml' | 'empty';
type WrongLength = 'endless' | 'endless-untyped' | 'stall' | 'short' | 'long';
export type HostKind = WrongContent | WrongLength | 'oversize' | 'oversize-chunked';

export interface FakeJimengOptions {
	apiKey?: string;
	port?: number;
	imagePort?: number;
	latencyMs?: number;
	queueMs?: number;
	vocabulary?: 'deepwl' | 'upstream';
	imageFormat?: 'png' | 'jpeg';
	imageContentType?: boolean;
	imageBytes?: number | null;
	groupSize?: number;
	maxActiveTasks?: number | null;
	activeUntil?: 'observed' | 'generated';
	faults?: FaultOptions | null;
	unknownTask?: UnknownTaskMode | UnknownTaskAnswer;
	taskIdStyle?: 'uuid' | 'numeric';
	imageHost?: HostKind | null;
	hostDropMs?: number;
	hostChunkBytes?: number;
	hostChunkMs?: number;
	oversizeBytes?: number;
	upload?: 'ok' | 'nested' | 'no-method' | 'missing' | 'wrong-shape';
	uploadLinkMs?: number | null;
	balance?: 'ok' | 'missing' | 'web-page';
	gateway?: 'plain' | 'new-api';
	newApi?: NewApiOptions;
	control?: boolean;
	onLog?: ((entry: LogEntry) => void) | null;
}

/** new-api mode; each option is merged into the current ones. */
export interface NewApiOptions {
	language?: 'zh' | 'en';
	keyState?: 'enabled' | 'expired' | 'disabled' | 'exhausted';
	wallet?: number | null;
	keyQuota?: number | null;
	permission?: null | 'model' | 'group';
	channel?: boolean;
	rateLimit?: null | {
		limiter: 'global' | 'model-memory' | 'model-redis';
		max: number;
		windowMs?: number;
	};
	keyExpiresAt?: number;
	quotaShape?: 'task' | 'relay' | 'legacy-task' | 'one-api';
	passthrough?: 'string-code' | 'fail-to-fetch';
}

/** new-api's own answers (new-api-answers.js), by what they refuse. */
type KeyAnswer = `${'invalid' | 'exhausted' | 'expired' | 'disabled'}-key` | 'api-invalid-key';
type AccessAnswer = 'group-forbidden' | 'user-banned' | 'model-forbidden' | 'no-channel';
type RateAnswer = 'rate-limit' | 'model-rate-limit' | 'model-rate-limit-total';
type WalletAnswer = 'wallet-empty' | 'wallet-short' | 'wallet-empty-relay' | 'wallet-empty-legacy';
type QuotaAnswer = WalletAnswer | 'wallet-empty-one-api' | 'key-quota-short';
type UpstreamAnswer = 'upstream-code' | 'upstream-passthrough' | 'upstream-saturated';
type RouteAnswer = 'task-not-exist' | 'unknown-route';
export type NewApiAnswerName =
	| KeyAnswer
	| AccessAnswer
	| RateAnswer
	| QuotaAnswer
	| UpstreamAnswer
	| RouteAnswer;

export interface NewApiAnswerOptions {
	language?: 'zh' | 'en';
	model?: string;
	group?: string;
	code?: number;
	message?: string;
	status?: number;
	upstream?: unknown;
	max?: number;
	keyHint?: string;
	method?: string;
	path?: string;
}

/** Log kinds of the image host: upload-put = the bytes, upload-get = their download */
type ImageHostKind = 'image' | 'sample' | 'upload-put' | 'upload-get';

export interface LogEntry {
	/** ms since the server started */
	t: number;
	server: 'api' | 'image';
	kind: 'submit' | 'query' | 'balance' | 'upload' | 'other' | ImageHostKind;
	action: string | null;
	method: string | null;
	url: string | null;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	taskId: string | null;
	prompt: string | null;
	statusCode: number | null;
	taskStatus: string | null;
	/** fault kind, 'max-active', 'reset', 'host:<kind>' or 'new-api:<answer name>' */
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
	imageCount: number;
	outcome: 'success' | 'fail' | 'empty' | 'not_found' | 'expired' | 'code';
	image404: boolean;
	finishedAt: number | null;
	queries: number;
}

export interface FakeJimengStats {
	submits: number;
	queries: number;
	tasksCreated: number;
	maxActiveTasks: number;
	maxImagesInFlight: number;
	problems: number;
	tasksPerPrompt: Record<string, number>;
	uploadLinks: number;
	uploadPuts: number;
	uploads: FakeUpload[];
}

export interface FakeUpload {
	contentType: string;
	requestedExpire: number;
	expireFrom: 'expire' | 'params.expire' | 'default';
	downloadUrl: string;
	uploaded: boolean;
	bytes: number | null;
	sha256: string | null;
	putContentType: string | null;
	putContentLength: number | null;
	attempts: Array<{
		contentType: string | null;
		contentLength: number | null;
		authorization: boolean;
		bytes: number;
		sha256: string;
	}>;
}

export type ScriptedResponse = {
	status?: number;
	body?: unknown | ((task: FakeTask | null) => unknown);
	headers?: Record<string, string>;
	reset?: boolean;
	createTask?: boolean;
	delayMs?: number;
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
	imageSha256For(taskId: string, index: number): string | null;
	expireUploads(): void;
	uploadedBytes(downloadUrlOrId: string): Buffer | null;
	close(): Promise<void>;
}

export declare const DEFAULTS: Readonly<Required<FakeJimengOptions>>;
export declare function startFakeJimeng(options?: FakeJimengOptions): Promise<FakeJimeng>;

export type UnknownTaskMode = 'status-not-found' | 'status-failed' | `envelope-${404 | 400 | 200}`;
export const UNKNOWN_TASK_MODES: Readonly<Record<UnknownTaskMode, UnknownTaskAnswer>>;
export const API_MESSAGES: Readonly<Record<number, string>>;
export const NEW_API_ANSWERS: Readonly<
	Record<NewApiAnswerName, (options?: NewApiAnswerOptions) => ScriptedResponse>
>;
export declare function newApiAnswer(
	name: NewApiAnswerName,
	options?: NewApiAnswerOptions,
): ScriptedResponse & { status: number; body: unknown };
export const HOST_KINDS: readonly HostKind[];

import type {
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunData,
	IVersionedNodeType,
} from 'n8n-workflow';

export type BinaryDataMode = 'default' | 'filesystem';

type InlineBinary = { data?: string | Buffer | Uint8Array; mimeType?: string; fileName?: string };

export interface HarnessInputItem {
	json: IDataObject;
	/** n8n binary entries (with `id`, passed on) or inline ones (`data` base64 or bytes), stored first */
	binary?: Record<string, InlineBinary & { id?: string; [k: string]: unknown }>;
}

export interface RunNodeOptions {
	nodeType: INodeType | IVersionedNodeType | (new () => INodeType | IVersionedNodeType);
	credentialTypes?: Array<ICredentialType | (new () => ICredentialType)>;
	/** plain credential data keyed by credential type name; the node gets a reference to each */
	credentials?: Record<string, IDataObject>;
	parameters?: INodeParameters;
	/** default [{ json: {} }]; an empty array means the node is not executed (as in n8n) */
	inputItems?: HarnessInputItem[];
	/** node.onError = 'continueRegularOutput' */
	continueOnFail?: boolean;
	/** default 'default' (inline base64) */
	binaryDataMode?: BinaryDataMode;
	/** cancel the execution (PCancelable.cancel(), as n8n's stop button) after this many ms */
	cancelAfterMs?: number;
	/** default: description.defaultVersion, or the max of description.version */
	typeVersion?: number;
}

/** JSON-safe copy of an n8n error (engine errors arrive flattened: assert on fields, not instanceof). */
export interface SerializedError {
	name: string;
	message: string;
	description?: string | null;
	httpCode?: string | null;
	context?: IDataObject;
	/** context.itemIndex, when set */
	itemIndex?: number;
	level?: string;
	errorResponse?: IDataObject;
	messages?: string[];
	nodeName?: string;
	cause?: unknown;
	stack?: string;
	[key: string]: unknown;
}

export interface RunNodeResult {
	/** as n8n records it: 'canceled' whenever the run was cancelled */
	status: 'success' | 'error' | 'canceled' | 'waiting' | string;
	/** main output 0 of the node under test; [] if none */
	items: INodeExecutionData[];
	/** the node's task error (also under continueOnFail when execute() threw), else the run's */
	error?: SerializedError;
	runData: IRunData;
	/** from run start until the engine's promise settled (shows whether the node honoured a cancel) */
	durationMs: number;
	/** what execute() returned, snapshotted before core filled in a missing pairedItem */
	rawOutput?: Array<Array<Omit<INodeExecutionData, 'error'> & { error?: SerializedError }>>;
	nodeName: string;
	run?: IRun;
}

export function runNode(options: RunNodeOptions): Promise<RunNodeResult>;
/** bytes of item.binary[propertyName] (default 'data') through n8n-core's BinaryDataService */
export function getBinaryBuffer(item: INodeExecutionData, propertyName?: string): Promise<Buffer>;
/** idempotent (runNode calls it); the harness's state: n8n-core, its Container, the temp dirs */
export function setupHarness(): Promise<{
	loadMs: number;
	/** where filesystem-mode binary data is stored */
	storagePath: string;
	[key: string]: unknown;
}>;
/** removes the temp dir (binary data, fake ~/.n8n); call in afterAll */
export function teardownHarness(): Promise<void>;

/** Runs nodeType's testedBy credential test for credentialName on n8n-core's CredentialTestContext. */
export function testCredential(options: {
	nodeType: INodeType | (new () => INodeType);
	credentialName: string;
	data: IDataObject;
}): Promise<{ status: 'OK' | 'Error'; message: string }>;

/** Lines logged through n8n's logger since clearLogs() (or the harness start). */
export function getLogs(): Array<{ level: string; message: string; meta: IDataObject }>;
export function clearLogs(): void;

/** Records what n8n's httpRequest helpers send (through n8n-core's axios) until stop(). */
export function recordHttpRequests(): {
	/** data: the body as handed to the HTTP client (a Buffer, a stream, an object, …) */
	requests: Array<{ method?: string; url?: string; data: unknown }>;
	stop: () => void;
};

import type {
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';

export type BinaryDataMode = 'default' | 'filesystem';

export interface HarnessInputItem {
	json: IDataObject;
	/**
	 * Either n8n binary entries (with `id`, passed through) or inline ones whose `data`
	 * is base64 or a Buffer; inline ones are stored through prepareBinaryData by the
	 * start node, so in filesystem mode the node under test gets stored references.
	 */
	binary?: Record<
		string,
		{
			data?: string | Buffer | Uint8Array;
			mimeType?: string;
			fileName?: string;
			id?: string;
			[k: string]: unknown;
		}
	>;
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
	/** default 'manual' */
	mode?: WorkflowExecuteMode;
	/** extra INode fields, e.g. { retryOnFail: true, maxTries: 2 } or { onError: 'continueErrorOutput' } */
	nodeOverrides?: Partial<INode>;
	/** default { executionOrder: 'v1' } */
	workflowSettings?: IWorkflowSettings;
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

export interface RawOutputItem {
	json: IDataObject;
	/** absent when the node did not set it */
	pairedItem?: INodeExecutionData['pairedItem'];
	binary?: Record<string, IDataObject>;
	error?: SerializedError;
}

export interface RunNodeResult {
	/** as n8n records it: 'canceled' whenever the run was cancelled */
	status: 'success' | 'error' | 'canceled' | 'waiting' | string;
	/** main output 0 of the node under test; [] if none */
	items: INodeExecutionData[];
	/** the node's task error (also set under continueOnFail when execute() threw), else the run's error */
	error?: SerializedError;
	runData: IRunData;
	/** from run start until the engine's promise settled (so it shows whether the node honoured a cancel) */
	durationMs: number;
	/** what execute() returned, snapshotted before core filled in missing pairedItem */
	rawOutput?: RawOutputItem[][];
	nodeName: string;
	/** IRun.status as computed by the engine at the very end */
	engineStatus?: string;
	run?: IRun;
}

export function runNode(options: RunNodeOptions): Promise<RunNodeResult>;
/** bytes of item.binary[propertyName] (default 'data') through n8n-core's BinaryDataService, in either mode */
export function getBinaryBuffer(item: INodeExecutionData, propertyName?: string): Promise<Buffer>;
/** idempotent; runNode calls it. Returns internal state (n8n-core module, Container, temp dirs). */
export function setupHarness(): Promise<{
	loadMs: number;
	tmpRoot: string;
	/** where filesystem-mode binary data is stored */
	storagePath: string;
	[key: string]: unknown;
}>;
/** removes the temp dir (filesystem binary data, fake ~/.n8n). Call in afterAll. */
export function teardownHarness(): Promise<void>;
export function serializeError(error: unknown): SerializedError | undefined;

export interface CredentialTestOutcome {
	status: 'OK' | 'Error';
	message: string;
}
/** Runs nodeType's testedBy credential test for credentialName on n8n-core's CredentialTestContext. */
export function testCredential(options: {
	nodeType: INodeType | (new () => INodeType);
	credentialName: string;
	data: IDataObject;
}): Promise<CredentialTestOutcome>;

export interface LoggedLine {
	level: string;
	message: string;
	meta: IDataObject;
}
/** Lines logged through n8n's logger since clearLogs() (or the harness start). */
export function getLogs(): LoggedLine[];
export function clearLogs(): void;

export interface RecordedHttpRequest {
	method?: string;
	url?: string;
	/** the body as handed to the HTTP client: a Buffer, a stream, an object, … */
	data: unknown;
}
/** Records every request n8n's httpRequest helpers send (through n8n-core's axios) until stop(). */
export function recordHttpRequests(): { requests: RecordedHttpRequest[]; stop: () => void };

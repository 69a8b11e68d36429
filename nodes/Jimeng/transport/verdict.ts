import type { JimengEnvelope } from '../domain/api';
import type { ApiFailure } from '../domain/errors';
import type { UploadLink } from '../domain/upload';

/**
 * What kind of call an answer belongs to: the rules for retrying differ. A reference upload is two
 * calls: the link from the gateway (`uploadLink`), then the bytes to that link (`uploadPut`). A
 * `read` is any other call that changes nothing at the gateway (transport/read.ts): retried like a
 * query, its messages named by its `subject`.
 */
export type CallKind = 'submit' | 'query' | 'read' | 'download' | 'uploadLink' | 'uploadPut';

export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** What one attempt produced: an HTTP answer (any status), or an error with no answer. */
export type CallOutcome =
	| { answer: HttpAnswer; error?: undefined }
	| { answer?: undefined; error: unknown };

export interface ClassifyContext {
	kind: CallKind;
	/** 0-based number of this attempt */
	attempt: number;
	maxRetries: number;
	taskId?: string;
	baseUrl?: string;
	/** the API key, masked in the gateway's words should it echo it */
	secret?: string;
	/** Submits: whether a 50430 should be handed back, because the execution's own tasks hold the gateway. */
	canYield?: boolean;
	/**
	 * Submits: whether the item may still wait for the gateway's capacity (its time budget is not used
	 * up). A 50430 creates no task, so waiting for others (other executions, other workers) is free.
	 */
	canWaitForCapacity?: boolean;
	random?: () => number;
	/** Uploads and reads: what the call does, e.g. 'Uploading reference binary field "data"', for messages. */
	subject?: string;
}

export type Verdict =
	| { kind: 'ok'; envelope?: JimengEnvelope; upload?: UploadLink }
	| { kind: 'retry'; delayMs: number; rateLimited: boolean }
	| { kind: 'yield'; envelope: JimengEnvelope }
	| { kind: 'fail'; failure: ApiFailure };

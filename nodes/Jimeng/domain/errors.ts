import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** What each documented business code means for the user, and what to do about it. */
const CODE_ADVICE: Record<number, string> = {
	50411: 'A reference image failed content moderation. Use different reference images.',
	50412: 'The prompt failed content moderation. Rephrase the prompt.',
	50413: 'The prompt contains sensitive or copyrighted words. Rephrase the prompt.',
	50511:
		'The generated image failed content moderation. Submitting again may succeed; adjust the prompt if it keeps happening.',
	50512: 'The generated text failed content moderation. Adjust the prompt.',
	50518: 'A reference image was flagged as copyrighted. Use images you own.',
	50519:
		'The generated image was flagged as copyrighted. Submitting again may succeed; adjust the prompt if it keeps happening.',
	50520: "The provider's moderation service failed. Try again later.",
	50521: "The provider's copyright-word service failed. Try again later.",
	50522: "The provider's copyright-image service failed. Try again later.",
	50429:
		'The API rate limit was reached and the retries ran out. Lower Max Concurrent Tasks, raise Max Retries, or space the runs out.',
	50430:
		'Too many tasks were running at once and the retries ran out. Lower Max Concurrent Tasks (Options) or raise Max Retries.',
	50500: 'The provider had an internal error. Try again later.',
	50501: "The provider's model service had an internal error. Try again later.",
	50215: 'The API rejected the request parameters. Check the Size, Reference Image URLs and Extra Body Fields.',
};

/** Codes that describe a momentary limit, not the request: worth retrying. */
export const TRANSIENT_CODES = new Set([50429, 50430]);

export function adviceForCode(code: number): string {
	if (CODE_ADVICE[code]) return CODE_ADVICE[code];
	if (code >= 50400 && code < 50600) {
		return 'The request was refused by content moderation or a provider check. Adjust the prompt or references.';
	}
	return 'See the error table in the node README for what this code means.';
}

export interface ApiFailure {
	message: string;
	description: string;
	httpCode?: number;
	code?: number | string;
	apiMessage?: string;
	requestId?: string;
	taskId?: string;
}

/**
 * A NodeApiError built only from what the API said: never from the raw HTTP error,
 * whose request options carry the Authorization header.
 */
export function apiError(node: INode, failure: ApiFailure, itemIndex: number): NodeApiError {
	const details: JsonObject = {};
	if (failure.code !== undefined) details.code = failure.code;
	if (failure.apiMessage !== undefined) details.apiMessage = failure.apiMessage;
	if (failure.requestId) details.requestId = failure.requestId;
	if (failure.taskId) details.taskId = failure.taskId;
	const description = [
		failure.description,
		failure.requestId ? `Request ID: ${failure.requestId}.` : '',
	]
		.filter(Boolean)
		.join(' ');
	const error = new NodeApiError(node, details, {
		message: failure.message,
		description,
		httpCode: failure.httpCode !== undefined ? String(failure.httpCode) : undefined,
		itemIndex,
	});
	// NodeApiError rewrites messages that mention network codes (ECONNRESET → "you can retry
	// immediately") and takes `code` for the HTTP status: both would contradict what we say.
	error.message = failure.message;
	error.messages = [];
	error.httpCode = failure.httpCode !== undefined ? String(failure.httpCode) : null;
	// Kept on the error so Continue On Fail items can report them.
	Object.assign(error, { jimeng: details });
	return error;
}

export function withTask(text: string, taskId?: string): string {
	return taskId ? `${text} (task ${taskId})` : text;
}

/** Reads the details attached by apiError, whatever the error is. */
export function errorDetails(error: unknown): JsonObject {
	const details = (error as { jimeng?: JsonObject })?.jimeng;
	return details && typeof details === 'object' ? details : {};
}

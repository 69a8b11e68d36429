import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { GatewayMeaning } from './gatewayAnswers';

export interface ApiFailure {
	message: string;
	description: string;
	httpCode?: number;
	code?: number | string;
	apiMessage?: string;
	requestId?: string;
	taskId?: string;
	/** what the gateway's answer meant (domain/gatewayAnswers.ts), when it was read as one */
	meaning?: GatewayMeaning;
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
	// Kept, not serialized, so the same failure can be given to other items (runtime/spentBalance.ts).
	Object.defineProperty(error, 'jimengFailure', { value: failure, enumerable: false });
	return error;
}

/** The failure an error was built from by apiError, if it was. */
export function failureOf(error: unknown): ApiFailure | undefined {
	const failure = (error as { jimengFailure?: ApiFailure })?.jimengFailure;
	return failure && typeof failure === 'object' ? failure : undefined;
}

export function withTask(text: string, taskId?: string): string {
	return taskId ? `${text} (task ${taskId})` : text;
}

/** Reads the details attached by apiError, whatever the error is. */
export function errorDetails(error: unknown): JsonObject {
	const details = (error as { jimeng?: JsonObject })?.jimeng;
	return details && typeof details === 'object' ? details : {};
}

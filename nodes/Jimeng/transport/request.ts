import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { JimengAction, JimengEnvelope } from '../domain/api';
import { API_PATH, API_VERSION, isHttpUrl, trimBaseUrl } from '../domain/api';
import { apiError } from '../domain/errors';
import { classify } from './classify';
import { withRetries } from './retryLoop';
import type { CallOutcome, HttpAnswer } from './verdict';

export interface ApiCallOptions {
	/** a submit creates a task (and may bill it): never sent again unless the answer proves none was */
	kind: 'submit' | 'query';
	itemIndex: number;
	taskId?: string;
	maxRetries: number;
	timeoutMs: number;
	signal?: AbortSignal;
	/** Submits only: what a 50430 (too many tasks at once) may do. */
	capacity?: CapacityPolicy;
	/** Told when a rate-limit answer (50429, HTTP 429) is about to be retried after `delayMs`. */
	onRateLimited?: (delayMs: number) => void;
}

/** Asked when the gateway answers a submit with 50430 (too many tasks at once). */
export interface CapacityPolicy {
	/**
	 * Whether the execution's own tasks hold the gateway: then the answer is handed back as
	 * `concurrencyRefused` instead of being retried, so the caller can wait for one of them to finish.
	 */
	ownTasksRunning(): boolean;
	/** Whether a 50430 past Max Retries may still be waited out (the item's time budget). */
	mayWait(): boolean;
}

export interface ApiAnswer {
	envelope: JimengEnvelope;
	attempts: number;
	concurrencyRefused?: boolean;
}

/**
 * One attempt at the gateway with n8n's credential auth, on a fresh copy of the options and body
 * (each retry sends what the first attempt sent). Any answer is an outcome; so is an error.
 */
export async function callGateway(
	ctx: IExecuteFunctions,
	request: IHttpRequestOptions,
): Promise<CallOutcome> {
	try {
		const fresh = request.body
			? { ...request, body: { ...(request.body as IDataObject) } }
			: request;
		const answer = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			'jimengApi',
			fresh,
		)) as HttpAnswer;
		return { answer };
	} catch (error) {
		return { error };
	}
}

/**
 * A call to the gateway with the credential: JSON, any status an answer (read by classify), and
 * redirects not followed: they would carry the Authorization header to another host.
 */
export function gatewayRequest(
	method: 'GET' | 'POST' | 'PUT',
	url: string,
	timeoutMs: number,
	body?: IDataObject,
): IHttpRequestOptions {
	const json = { Accept: 'application/json' };
	return {
		method,
		url,
		headers: body ? { ...json, 'Content-Type': 'application/json' } : json,
		...(body ? { body } : {}),
		json: true,
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
		disableFollowRedirect: true,
		timeout: timeoutMs,
	};
}

/**
 * The credential's Base URL, trimmed (an error naming it when it is not an http(s) URL), and its
 * key: only to mask it in the gateway's words, should an answer echo it.
 */
export async function gatewayTarget(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<{ baseUrl: string; secret: string }> {
	const credentials = await ctx.getCredentials('jimengApi', itemIndex);
	const baseUrl = trimBaseUrl(credentials.baseUrl);
	if (!isHttpUrl(baseUrl)) {
		throw apiError(
			ctx.getNode(),
			{
				message: `The credential's Base URL "${baseUrl}" is not an http(s) URL`,
				description: 'Set Base URL in the Jimeng API credential, e.g. https://zx1.deepwl.net.',
			},
			itemIndex,
		);
	}
	return { baseUrl, secret: String(credentials.apiKey ?? '') };
}

/**
 * One call to POST {baseUrl}/jm, with n8n's credential auth, through the one retry loop.
 * Errors are built only from what the API said, never from the raw HTTP error (whose request
 * options carry the Authorization header).
 */
export async function jimengApiRequest(
	this: IExecuteFunctions,
	action: JimengAction,
	body: IDataObject,
	options: ApiCallOptions,
): Promise<ApiAnswer> {
	const node = this.getNode();
	const { itemIndex, taskId } = options;
	const { baseUrl, secret } = await gatewayTarget(this, itemIndex);
	const request: IHttpRequestOptions = {
		...gatewayRequest('POST', `${baseUrl}${API_PATH}`, options.timeoutMs, body),
		qs: { Action: action, Version: API_VERSION },
	};
	const { kind } = options;

	const result = await withRetries({
		node,
		signal: options.signal,
		attempt: async () => await callGateway(this, request),
		judge: (outcome, attempt) =>
			classify(outcome, {
				kind,
				attempt,
				maxRetries: options.maxRetries,
				taskId,
				baseUrl,
				secret,
				canYield: kind === 'submit' && (options.capacity?.ownTasksRunning() ?? false),
				canWaitForCapacity: kind === 'submit' && (options.capacity?.mayWait() ?? false),
			}),
		onRetry: (verdict) => {
			if (verdict.rateLimited) options.onRateLimited?.(verdict.delayMs);
		},
	});
	if (result.kind === 'fail') throw apiError(node, result.failure, itemIndex);
	if (result.kind === 'yield')
		return { envelope: result.envelope, attempts: result.attempts, concurrencyRefused: true };
	return { envelope: result.envelope as JimengEnvelope, attempts: result.attempts };
}

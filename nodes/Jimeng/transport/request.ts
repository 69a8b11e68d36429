import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { pause, throwIfAborted } from '../helpers/pause';
import type { JimengEnvelope } from '../helpers/types';
import { adviceForCode, TRANSIENT_CODES } from '../domain/advice';
import { apiError, withTask } from '../domain/errors';
import { retryDelay } from './retry';

export const API_VERSION = '2022-08-31';
export const SUBMIT_ACTION = 'CVSync2AsyncSubmitTask';
export const QUERY_ACTION = 'CVSync2AsyncGetResult';
export type JimengAction = typeof SUBMIT_ACTION | typeof QUERY_ACTION;

const SUCCESS_CODE = 10000;
const CONCURRENCY_LIMIT_CODE = 50430;

export interface ApiCallOptions {
	itemIndex: number;
	taskId?: string;
	maxRetries: number;
	timeoutMs: number;
	signal?: AbortSignal;
	/**
	 * Submits only: asked when the gateway answers 50430 (too many tasks at once). When it returns
	 * true the answer is handed back as `concurrencyRefused` instead of being retried, so the caller
	 * can wait for one of its own tasks to finish.
	 */
	yieldOnConcurrencyLimit?: () => boolean;
}

export interface ApiAnswer {
	envelope: JimengEnvelope;
	attempts: number;
	concurrencyRefused?: boolean;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** Network errors that prove the request never reached the server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const UNRESOLVABLE = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/** Finds a Node/axios error code anywhere in the cause chain. */
function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	const message = String((error as Error)?.message ?? '');
	const found = /\b(E[A-Z]{4,}[A-Z_]*)\b/.exec(message);
	if (found) return found[1];
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	if (/socket hang up/i.test(message)) return 'ECONNRESET';
	return undefined;
}

export function trimBaseUrl(baseUrl: unknown): string {
	return String(baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

function isEnvelope(body: unknown): body is JimengEnvelope {
	return typeof body === 'object' && body !== null && typeof (body as JimengEnvelope).code === 'number';
}

/** Text of a gateway-style `{"error":{"message":…}}` or `{"message":…}` body, if any. */
function gatewayMessage(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const error = (body as IDataObject).error;
	if (typeof error === 'string') return error;
	if (error && typeof error === 'object' && typeof (error as IDataObject).message === 'string') {
		return (error as IDataObject).message as string;
	}
	const message = (body as IDataObject).message;
	return typeof message === 'string' ? message : undefined;
}

/**
 * One call to POST {baseUrl}/jm, with n8n's credential auth and bounded retries.
 * Queries are retried on any transient failure. A submit is retried only when a complete
 * answer shows no task was created, so a task is never billed twice.
 */
export async function jimengApiRequest(
	this: IExecuteFunctions,
	action: JimengAction,
	body: IDataObject,
	options: ApiCallOptions,
): Promise<ApiAnswer> {
	const node = this.getNode();
	const { itemIndex, taskId, signal } = options;
	const isSubmit = action === SUBMIT_ACTION;
	const credentials = await this.getCredentials('jimengApi', itemIndex);
	const baseUrl = trimBaseUrl(credentials.baseUrl);
	if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
		throw apiError(
			node,
			{
				message: `The credential's Base URL "${baseUrl}" is not an http(s) URL`,
				description: 'Set Base URL in the Jimeng API credential, e.g. https://zx1.deepwl.net.',
			},
			itemIndex,
		);
	}
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: `${baseUrl}/jm`,
		qs: { Action: action, Version: API_VERSION },
		headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		body,
		json: true,
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
		// A redirect would carry the Authorization header to another host.
		disableFollowRedirect: true,
		timeout: options.timeoutMs,
	};
	const what = isSubmit ? 'Submitting the task' : withTask('Querying the task', taskId);

	for (let attempt = 0; ; attempt++) {
		throwIfAborted(node, signal);
		const canRetry = attempt < options.maxRetries;
		let response: FullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				'jimengApi',
				{ ...request },
			)) as FullResponse;
		} catch (error) {
			throwIfAborted(node, signal);
			const code = networkCode(error);
			if (code && UNRESOLVABLE.has(code)) {
				throw apiError(
					node,
					{
						message: `${what} failed: the gateway host in Base URL could not be resolved`,
						description: `Check Base URL in the Jimeng API credential (${code}).`,
						code,
						taskId,
					},
					itemIndex,
				);
			}
			if (code === undefined) {
				// Not a transport failure (n8n refused the request, e.g. a domain restriction): nothing was sent.
				throw apiError(
					node,
					{
						message: `${what} failed: ${(error as Error)?.message ?? String(error)}`,
						description: 'n8n did not send the request. Check the credential and the instance settings.',
						taskId,
					},
					itemIndex,
				);
			}
			const notSent = NOT_SENT.has(code);
			if ((notSent || !isSubmit) && canRetry) {
				await pause(retryDelay(attempt), signal);
				continue;
			}
			if (isSubmit && !notSent) {
				throw apiError(
					node,
					{
						message: `Submitting the task failed with no answer from the gateway (${code}): the task may have been created`,
						description:
							'The request was sent but no answer arrived, so it was not retried: a retry could bill a second task. Check the task list or billing on the gateway before running this item again.',
						code,
						taskId,
					},
					itemIndex,
				);
			}
			throw apiError(
				node,
				{
					message: `${what} failed: the gateway did not answer (${code})`,
					description: notSent
						? `Nothing accepted the connection at ${baseUrl}. Check Base URL in the credential and that the gateway is up.`
						: `The connection failed ${attempt + 1} times. Check the network and the gateway, then run the node again${taskId ? ' (Get Task resumes this task)' : ''}.`,
					code,
					taskId,
				},
				itemIndex,
			);
		}

		const { statusCode } = response;
		const parsed = parseBody(response.body);
		const transientHttp = statusCode === 429 || statusCode >= 500;

		if (isEnvelope(parsed)) {
			if (parsed.code === SUCCESS_CODE && statusCode < 300) return { envelope: parsed, attempts: attempt + 1 };
			const code = parsed.code as number;
			const requestId = parsed.request_id;
			const createdTask = (parsed.data as IDataObject | null | undefined)?.task_id;
			if (isSubmit && code === CONCURRENCY_LIMIT_CODE && !createdTask && options.yieldOnConcurrencyLimit?.()) {
				return { envelope: parsed, attempts: attempt + 1, concurrencyRefused: true };
			}
			const transient = TRANSIENT_CODES.has(code) || transientHttp;
			if (transient && canRetry && (!isSubmit || !createdTask)) {
				await pause(retryDelay(attempt, response.headers?.['retry-after']), signal);
				continue;
			}
			const apiMessage = parsed.message ?? '';
			throw apiError(
				node,
				{
					message: withTask(`Jimeng API error ${code}: ${apiMessage || 'no message'}`, taskId),
					description:
						(transient && attempt > 0 ? `Still failing after ${attempt} retries. ` : '') +
						adviceForCode(code, apiMessage),
					httpCode: statusCode,
					code,
					apiMessage,
					requestId,
					taskId,
				},
				itemIndex,
			);
		}

		if (statusCode === 401 || statusCode === 403) {
			throw apiError(
				node,
				{
					message: `The gateway rejected the API key (HTTP ${statusCode})`,
					description: `Check the API key in the Jimeng API credential and that it may use Jimeng. Gateway said: ${gatewayMessage(parsed) ?? 'nothing'}.`,
					httpCode: statusCode,
					apiMessage: gatewayMessage(parsed),
					taskId,
				},
				itemIndex,
			);
		}

		const isJson = typeof parsed === 'object' && parsed !== null;
		// A JSON error is a complete answer: no task was created. A gateway HTML page is not.
		const retryable = transientHttp && (!isSubmit || isJson);
		if (retryable && canRetry) {
			await pause(retryDelay(attempt, response.headers?.['retry-after']), signal);
			continue;
		}
		if (isSubmit && transientHttp && !isJson) {
			throw apiError(
				node,
				{
					message: `Submitting the task got HTTP ${statusCode} with a non-JSON page from the gateway: the task may have been created`,
					description:
						'The gateway failed after receiving the request, so it was not retried: a retry could bill a second task. Check the task list or billing on the gateway before running this item again.',
					httpCode: statusCode,
					taskId,
				},
				itemIndex,
			);
		}
		const message = isJson
			? `${what} failed: HTTP ${statusCode}${gatewayMessage(parsed) ? `: ${gatewayMessage(parsed)}` : ''}`
			: `${what} failed: the gateway answered HTTP ${statusCode} with a non-JSON page`;
		throw apiError(
			node,
			{
				message,
				description:
					statusCode >= 300 && statusCode < 400
						? `The gateway redirected to ${String(response.headers?.location ?? 'another address')}. Set Base URL in the credential to the final address.`
						: statusCode === 404
							? 'Nothing serves /jm at this Base URL. Check Base URL in the credential.'
							: transientHttp
								? `The gateway kept failing after ${attempt} retries. Try again later.`
								: 'The answer is not the Jimeng API envelope. Check Base URL in the credential.',
				httpCode: statusCode,
				apiMessage: gatewayMessage(parsed),
				taskId,
			},
			itemIndex,
		);
	}
}

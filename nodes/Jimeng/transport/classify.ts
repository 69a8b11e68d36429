import type { IDataObject } from 'n8n-workflow';

import { adviceForCode, TRANSIENT_CODES } from '../domain/advice';
import type { JimengEnvelope } from '../domain/api';
import {
	CONCURRENCY_LIMIT_CODE,
	gatewayMessage,
	isEnvelope,
	parseBody,
	RATE_LIMIT_CODE,
	SUCCESS_CODE,
} from '../domain/api';
import type { ApiFailure } from '../domain/errors';
import { withTask } from '../domain/errors';
import { networkCode, NOT_SENT_CODES, UNRESOLVABLE_CODES } from '../domain/network';
import type { UploadLink } from '../domain/upload';
import { classifyUpload } from './classifyUpload';
import { CAPACITY_WAIT_MAX_MS, retryDelay } from './retry';

/**
 * What kind of call an answer belongs to: the rules for retrying differ. A reference upload is two
 * calls: the link from the gateway (`uploadLink`), then the bytes to that link (`uploadPut`).
 */
export type CallKind = 'submit' | 'query' | 'download' | 'uploadLink' | 'uploadPut';

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
	/** Submits: whether a 50430 should be handed back, because the execution's own tasks hold the gateway. */
	canYield?: boolean;
	/**
	 * Submits: whether the item may still wait for the gateway's capacity (its time budget is not used
	 * up). A 50430 creates no task, so waiting for others (other executions, other workers) is free.
	 */
	canWaitForCapacity?: boolean;
	random?: () => number;
	/** Uploads: what is being uploaded, e.g. 'Uploading reference binary field "data"', for messages. */
	subject?: string;
}

export type Verdict =
	| { kind: 'ok'; envelope?: JimengEnvelope; upload?: UploadLink }
	| { kind: 'retry'; delayMs: number; rateLimited: boolean }
	| { kind: 'yield'; envelope: JimengEnvelope }
	| { kind: 'fail'; failure: ApiFailure };

const fail = (failure: ApiFailure): Verdict => ({ kind: 'fail', failure });

function retry(ctx: ClassifyContext, retryAfter?: unknown, rateLimited = false): Verdict {
	return { kind: 'retry', delayMs: retryDelay(ctx.attempt, retryAfter, ctx.random), rateLimited };
}

function what(ctx: ClassifyContext): string {
	return ctx.kind === 'submit' ? 'Submitting the task' : withTask('Querying the task', ctx.taskId);
}

/** A call that got no HTTP answer. */
function classifyError(error: unknown, ctx: ClassifyContext): Verdict {
	const canRetry = ctx.attempt < ctx.maxRetries;
	const code = networkCode(error);
	const { taskId } = ctx;
	if (ctx.kind === 'download') {
		if (canRetry) return retry(ctx);
		return fail({
			message: `Downloading the image failed: ${(error as Error)?.message ?? String(error)}`,
			description: '',
		});
	}
	if (code && UNRESOLVABLE_CODES.has(code)) {
		return fail({
			message: `${what(ctx)} failed: the gateway host in Base URL could not be resolved`,
			description: `Check Base URL in the Jimeng API credential (${code}).`,
			code,
			taskId,
		});
	}
	if (code === undefined) {
		// Not a transport failure (n8n refused the request, e.g. a domain restriction): nothing was sent.
		return fail({
			message: `${what(ctx)} failed: ${(error as Error)?.message ?? String(error)}`,
			description: 'n8n did not send the request. Check the credential and the instance settings.',
			taskId,
		});
	}
	const notSent = NOT_SENT_CODES.has(code);
	if ((notSent || ctx.kind === 'query') && canRetry) return retry(ctx);
	if (ctx.kind === 'submit' && !notSent) {
		return fail({
			message: `Submitting the task failed with no answer from the gateway (${code}): the task may have been created`,
			description:
				'The request was sent but no answer arrived, so it was not retried: a retry could bill a second task. Check the task list or billing on the gateway before running this item again.',
			code,
			taskId,
		});
	}
	return fail({
		message: `${what(ctx)} failed: the gateway did not answer (${code})`,
		description: notSent
			? `Nothing accepted the connection at ${ctx.baseUrl ?? 'the Base URL'}. Check Base URL in the credential and that the gateway is up.`
			: `The connection failed ${ctx.attempt + 1} times. Check the network and the gateway, then run the node again${taskId ? ' (Get Task resumes this task)' : ''}.`,
		code,
		taskId,
	});
}

/** An image host's answer. */
function classifyDownload(answer: HttpAnswer, ctx: ClassifyContext): Verdict {
	const { statusCode } = answer;
	if (statusCode >= 200 && statusCode < 300) return { kind: 'ok' };
	if ((statusCode === 429 || statusCode >= 500) && ctx.attempt < ctx.maxRetries) {
		return retry(ctx, answer.headers['retry-after'], statusCode === 429);
	}
	const expired = statusCode === 404 || statusCode === 403 || statusCode === 410;
	return fail({
		message: expired
			? `The image host answered HTTP ${statusCode}: the URL may have expired (links last 24 hours)`
			: `The image host answered HTTP ${statusCode}`,
		description: '',
		httpCode: statusCode,
	});
}

/** A /jm answer carrying the Jimeng envelope. */
function classifyEnvelope(
	envelope: JimengEnvelope,
	answer: HttpAnswer,
	ctx: ClassifyContext,
): Verdict {
	const { statusCode } = answer;
	if (envelope.code === SUCCESS_CODE && statusCode < 300) return { kind: 'ok', envelope };
	const code = envelope.code as number;
	const isSubmit = ctx.kind === 'submit';
	const createdTask = (envelope.data as IDataObject | null | undefined)?.task_id;
	if (isSubmit && code === CONCURRENCY_LIMIT_CODE && !createdTask) {
		if (ctx.canYield) return { kind: 'yield', envelope };
		// Past Max Retries: keep waiting for a free slot while the item's Timeout allows.
		if (ctx.attempt >= ctx.maxRetries && ctx.canWaitForCapacity) {
			return {
				kind: 'retry',
				delayMs: retryDelay(
					ctx.attempt,
					answer.headers['retry-after'],
					ctx.random,
					CAPACITY_WAIT_MAX_MS,
				),
				rateLimited: false,
			};
		}
	}
	const transient = TRANSIENT_CODES.has(code) || statusCode === 429 || statusCode >= 500;
	if (transient && ctx.attempt < ctx.maxRetries && (!isSubmit || !createdTask)) {
		// A rate limit (QPS) slows the whole execution's polling; the concurrency limit (50430) does not.
		return retry(
			ctx,
			answer.headers['retry-after'],
			code === RATE_LIMIT_CODE || (statusCode === 429 && code !== CONCURRENCY_LIMIT_CODE),
		);
	}
	const apiMessage = envelope.message ?? '';
	return fail({
		message: withTask(`Jimeng API error ${code}: ${apiMessage || 'no message'}`, ctx.taskId),
		description:
			(transient && ctx.attempt > 0 ? `Still failing after ${ctx.attempt} retries. ` : '') +
			adviceForCode(code, apiMessage),
		httpCode: statusCode,
		code,
		apiMessage,
		requestId: envelope.request_id,
		taskId: ctx.taskId,
	});
}

/** A /jm answer that is not the envelope: a gateway error, a proxy page, a wrong Base URL. */
function classifyForeign(body: unknown, answer: HttpAnswer, ctx: ClassifyContext): Verdict {
	const { statusCode } = answer;
	const { taskId } = ctx;
	const said = gatewayMessage(body);
	if (statusCode === 401 || statusCode === 403) {
		return fail({
			message: `The gateway rejected the API key (HTTP ${statusCode})`,
			description: `Check the API key in the Jimeng API credential and that it may use Jimeng. Gateway said: ${said ?? 'nothing'}.`,
			httpCode: statusCode,
			apiMessage: said,
			taskId,
		});
	}
	const transientHttp = statusCode === 429 || statusCode >= 500;
	const isJson = typeof body === 'object' && body !== null;
	const isSubmit = ctx.kind === 'submit';
	// A JSON error is a complete answer: no task was created. A gateway HTML page is not.
	if (transientHttp && (!isSubmit || isJson) && ctx.attempt < ctx.maxRetries) {
		return retry(ctx, answer.headers['retry-after'], statusCode === 429);
	}
	if (isSubmit && transientHttp && !isJson) {
		return fail({
			message: `Submitting the task got HTTP ${statusCode} with a non-JSON page from the gateway: the task may have been created`,
			description:
				'The gateway failed after receiving the request, so it was not retried: a retry could bill a second task. Check the task list or billing on the gateway before running this item again.',
			httpCode: statusCode,
			taskId,
		});
	}
	const redirect = statusCode >= 300 && statusCode < 400;
	return fail({
		message: isJson
			? `${what(ctx)} failed: HTTP ${statusCode}${said ? `: ${said}` : ''}`
			: `${what(ctx)} failed: the gateway answered HTTP ${statusCode} with a non-JSON page`,
		description: redirect
			? `The gateway redirected to ${String(answer.headers.location ?? 'another address')}. Set Base URL in the credential to the final address.`
			: statusCode === 404
				? 'Nothing serves /jm at this Base URL. Check Base URL in the credential.'
				: transientHttp
					? `The gateway kept failing after ${ctx.attempt} retries. Try again later.`
					: 'The answer is not the Jimeng API envelope. Check Base URL in the credential.',
		httpCode: statusCode,
		apiMessage: said,
		taskId,
	});
}

/**
 * Decides what one attempt's outcome means: done, retry after a delay, hand a 50430 back to the
 * caller, or fail with this error. Pure, so every rule is tested from a table (classify.test.ts).
 * A submit is retried only when the answer proves no task was created, so nothing is billed twice.
 */
export function classify(outcome: CallOutcome, ctx: ClassifyContext): Verdict {
	if (ctx.kind === 'uploadLink' || ctx.kind === 'uploadPut') return classifyUpload(outcome, ctx);
	if (outcome.error !== undefined || !outcome.answer) return classifyError(outcome.error, ctx);
	if (ctx.kind === 'download') return classifyDownload(outcome.answer, ctx);
	const body = parseBody(outcome.answer.body);
	if (isEnvelope(body)) return classifyEnvelope(body, outcome.answer, ctx);
	return classifyForeign(body, outcome.answer, ctx);
}

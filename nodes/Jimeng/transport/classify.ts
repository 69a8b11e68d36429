import type { ApiFailure } from '../domain/errors';
import type { GatewayReading } from '../domain/gatewayAnswers';
import { provesNoTask, readGatewayAnswer } from '../domain/gatewayAnswers';
import { MEANINGS } from '../domain/gatewayMeanings';
import type { NetworkMeaning } from '../domain/network';
import { readNetworkError } from '../domain/network';
import { classifyDownload } from './classifyDownload';
import { classifyUploadLink, classifyUploadPut } from './classifyUpload';
import { answerFailure, mayHaveCreated, networkFailure } from './gatewayFailure';
import { CAPACITY_WAIT_MAX_MS, retryDelay } from './retry';
import type { CallKind, CallOutcome, ClassifyContext, HttpAnswer, Verdict } from './verdict';

export type { CallKind, CallOutcome, ClassifyContext, HttpAnswer, Verdict } from './verdict';

const fail = (failure: ApiFailure): Verdict => ({ kind: 'fail', failure });

function retry(ctx: ClassifyContext, retryAfter?: unknown, rateLimited = false): Verdict {
	return { kind: 'retry', delayMs: retryDelay(ctx.attempt, retryAfter, ctx.random), rateLimited };
}

/** Which calls a lost connection may be sent again on: a submit only when nothing was sent. */
const NETWORK_RETRIED: Record<NetworkMeaning, (kind: CallKind) => boolean> = {
	unsent: () => false,
	// the upload host is not the gateway: its name may resolve again
	unresolvable: (kind) => kind === 'uploadPut',
	refused: () => true,
	timeout: (kind) => kind !== 'submit',
	cut: (kind) => kind !== 'submit',
};

/** A call that got no HTTP answer. */
function classifyError(error: unknown, ctx: ClassifyContext): Verdict {
	const { meaning, code } = readNetworkError(error);
	if (NETWORK_RETRIED[meaning](ctx.kind) && ctx.attempt < ctx.maxRetries) return retry(ctx);
	if (ctx.kind === 'submit' && (meaning === 'timeout' || meaning === 'cut')) {
		return fail(
			mayHaveCreated(
				`failed with no answer from the gateway (${code})`,
				'The request was sent but no answer arrived',
				{ code, taskId: ctx.taskId },
			),
		);
	}
	return fail(networkFailure(meaning, code, error, ctx));
}

/**
 * A 50430 to a submit: handed back while our own tasks hold the gateway; past Max Retries, waited
 * out while the item's Timeout allows (a refused submit creates no task). Else retried as usual.
 */
function capacity(
	reading: GatewayReading,
	answer: HttpAnswer,
	ctx: ClassifyContext,
): Verdict | undefined {
	if (ctx.canYield) return { kind: 'yield', envelope: reading.envelope! };
	if (ctx.attempt < ctx.maxRetries || !ctx.canWaitForCapacity) return undefined;
	const { attempt, random } = ctx;
	const delayMs = retryDelay(attempt, answer.headers['retry-after'], random, CAPACITY_WAIT_MAX_MS);
	return { kind: 'retry', delayMs, rateLimited: false };
}

/** An answer of the gateway to a /jm call or the upload link request, read by meaning. */
function classifyAnswer(answer: HttpAnswer, ctx: ClassifyContext): Verdict {
	const reading = readGatewayAnswer(answer, ctx.secret);
	if (reading.meaning === 'ok') return { kind: 'ok', envelope: reading.envelope };
	const rule = MEANINGS[reading.meaning];
	const isSubmit = ctx.kind === 'submit';
	// A submit is sent again only when the answer proves that no task was created.
	const mayRetry = rule.retry !== 'never' && (!isSubmit || provesNoTask(reading));
	if (reading.meaning === 'capacity' && isSubmit && mayRetry) {
		const verdict = capacity(reading, answer, ctx);
		if (verdict) return verdict;
	}
	if (mayRetry && ctx.attempt < ctx.maxRetries) {
		return retry(ctx, answer.headers['retry-after'], rule.rateLimited === true);
	}
	if (isSubmit && rule.retry === 'transient' && !reading.json) {
		return fail(
			mayHaveCreated(
				`got HTTP ${reading.statusCode} with a non-JSON page from the gateway`,
				'The gateway failed after receiving the request',
				{ httpCode: reading.statusCode, taskId: ctx.taskId },
			),
		);
	}
	return fail(answerFailure(reading, answer, ctx));
}

/**
 * Decides what one attempt's outcome means: done, retry after a delay, hand a 50430 back to the
 * caller, or fail with this error. Pure, so every rule is tested from a table (classify.test.ts,
 * gatewayAnswers.test.ts). A submit is retried only when the answer proves no task was created, so
 * nothing is billed twice.
 */
export function classify(outcome: CallOutcome, ctx: ClassifyContext): Verdict {
	if (ctx.kind === 'download') return classifyDownload(outcome, ctx);
	if (outcome.error !== undefined || !outcome.answer) return classifyError(outcome.error, ctx);
	if (ctx.kind === 'uploadPut') return classifyUploadPut(outcome.answer, ctx);
	if (ctx.kind === 'uploadLink') {
		const verdict = classifyUploadLink(outcome.answer, ctx);
		if (verdict) return verdict;
	}
	return classifyAnswer(outcome.answer, ctx);
}

import { retryDelay } from './retry';
import type { CallOutcome, ClassifyContext, HttpAnswer, Verdict } from './verdict';

// An image host's answers (moved here unchanged from classify.ts): the image host is not the gateway.

function retry(ctx: ClassifyContext, retryAfter?: unknown, rateLimited = false): Verdict {
	return { kind: 'retry', delayMs: retryDelay(ctx.attempt, retryAfter, ctx.random), rateLimited };
}

/** A download that got no HTTP answer, or whose body was cut off. */
function downloadError(error: unknown, ctx: ClassifyContext): Verdict {
	if (ctx.attempt < ctx.maxRetries) return retry(ctx);
	return {
		kind: 'fail',
		failure: {
			message: `Downloading the image failed: ${(error as Error)?.message ?? String(error)}`,
			description: '',
		},
	};
}

/** An image host's answer. */
function downloadAnswer(answer: HttpAnswer, ctx: ClassifyContext): Verdict {
	const { statusCode } = answer;
	if (statusCode >= 200 && statusCode < 300) return { kind: 'ok' };
	if ((statusCode === 429 || statusCode >= 500) && ctx.attempt < ctx.maxRetries) {
		return retry(ctx, answer.headers['retry-after'], statusCode === 429);
	}
	const expired = statusCode === 404 || statusCode === 403 || statusCode === 410;
	return {
		kind: 'fail',
		failure: {
			message: expired
				? `The image host answered HTTP ${statusCode}: the URL may have expired (links last 24 hours)`
				: `The image host answered HTTP ${statusCode}`,
			description: '',
			httpCode: statusCode,
		},
	};
}

/** The rules for result image downloads; classify() hands them over by call kind. */
export function classifyDownload(outcome: CallOutcome, ctx: ClassifyContext): Verdict {
	if (outcome.error !== undefined || !outcome.answer) return downloadError(outcome.error, ctx);
	return downloadAnswer(outcome.answer, ctx);
}

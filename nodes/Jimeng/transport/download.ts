import type { IExecuteFunctions } from 'n8n-workflow';

import type { DownloadBody } from '../domain/download';
import {
	BodyMeter,
	DownloadProblem,
	formatSeconds,
	noAnswer,
	overMaxSize,
} from '../domain/download';
import { LIMITS } from '../domain/limits';
import { networkCode } from '../domain/network';
import { Deadline, watchDeadlines } from '../runtime/deadline';
import type { CallOutcome, HttpAnswer, Verdict } from './classify';
import { classify } from './classify';
import { withRetries } from './retryLoop';

export interface DownloadOptions {
	/** Request Timeout: one attempt, from the request to the last byte */
	timeoutMs: number;
	/** the item's Timeout: every attempt of the image and the waits between them */
	budgetMs: number;
	/** Max Image Size */
	maxBytes: number;
	maxRetries: number;
	/** the execution's cancel (or first failure) */
	signal?: AbortSignal;
	/** the execution's download budget in bytes: a body waits for it once its size is known */
	queue?: { run<T>(job: () => Promise<T>, weight: number): Promise<T> };
}

export type DownloadOutcome<T> =
	| { value: T; error?: undefined }
	| { value?: undefined; error: { message: string; httpCode?: number } };

function contentLength(answer: HttpAnswer): number | undefined {
	const bytes = Number(answer.headers['content-length']);
	return answer.headers['content-length'] !== undefined && Number.isFinite(bytes) && bytes >= 0
		? bytes
		: undefined;
}

/**
 * One attempt's watch: an AbortController for the request (linked to the execution's signal),
 * aborted when Request Timeout or the item's Timeout passes, which makes n8n's HTTP client destroy
 * the socket, before or during the body.
 */
class AttemptGuard {
	readonly controller = new AbortController();

	private readonly stop = new AbortController();

	meter: BodyMeter | undefined;

	problem: DownloadProblem | undefined;

	private readonly unlink: () => void;

	constructor(
		readonly deadlines: { attempt: Deadline; budget: Deadline },
		readonly limits: { timeoutMs: number; budgetMs: number },
		signal?: AbortSignal,
	) {
		const cancel = () => this.controller.abort();
		if (signal?.aborted) cancel();
		signal?.addEventListener('abort', cancel);
		this.unlink = () => signal?.removeEventListener('abort', cancel);
		void watchDeadlines(
			[deadlines.attempt, deadlines.budget],
			(expired) => this.expire(expired),
			this.stop.signal,
		);
	}

	private expire(expired: Deadline): void {
		const [name, limitMs] =
			expired === this.deadlines.attempt
				? ['Request Timeout', this.limits.timeoutMs]
				: ["the item's Timeout", this.limits.budgetMs];
		const limit = `${name} (${formatSeconds(limitMs)})`;
		this.problem = this.meter ? this.meter.outOfTime(limit, limitMs) : noAnswer(limit);
		this.controller.abort();
	}

	/** The problem behind an attempt's error, when the node knows it. */
	explain(error: unknown): unknown {
		const known = this.problem ?? this.meter?.problem;
		if (known) return known;
		if (error instanceof DownloadProblem) return error;
		// The connection failed during the body (not the store, not a cancel): a cut body.
		if (this.meter && !this.controller.signal.aborted && networkCode(error))
			return this.meter.broke(error);
		return error;
	}

	/** Ends the watch and releases the socket when the body was not read to its end. */
	end(): void {
		this.stop.abort();
		this.unlink();
		this.controller.abort();
	}
}

async function attemptDownload<T>(
	ctx: IExecuteFunctions,
	url: string,
	store: (body: DownloadBody) => Promise<T>,
	options: DownloadOptions,
	budget: Deadline,
): Promise<CallOutcome & { value?: T }> {
	const attempt = new Deadline(Date.now() + options.timeoutMs);
	const guard = new AttemptGuard({ attempt, budget }, options, options.signal);
	try {
		const answer = (await ctx.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			abortSignal: guard.controller.signal,
		})) as HttpAnswer;
		if (answer.statusCode < 200 || answer.statusCode >= 300) return { answer };
		const announced = contentLength(answer);
		if (announced !== undefined && announced > options.maxBytes)
			return { error: overMaxSize(announced, options.maxBytes) };
		const meter = new BodyMeter(options.maxBytes, announced);
		guard.meter = meter;
		const body = { stream: answer.body, contentType: answer.headers['content-type'], meter };
		// The body waits for the execution's download budget: the node holds it back, not the host.
		const resumeAttempt = attempt.hold();
		const resumeBudget = budget.hold();
		const weight = Math.min(announced ?? LIMITS.unknownImageBytes, options.maxBytes);
		const job = async () => {
			resumeAttempt();
			resumeBudget();
			return await store(body);
		};
		return { answer, value: options.queue ? await options.queue.run(job, weight) : await job() };
	} catch (error) {
		return { error: guard.explain(error) };
	} finally {
		guard.end();
	}
}

/**
 * Retries stay within the item's Timeout: no attempt starts, nor any wait for one, that the Timeout
 * would not leave room for. An answer that is final (no image, over Max Image Size) is not retried.
 */
function judgeDownload(
	outcome: CallOutcome,
	attempt: number,
	options: DownloadOptions,
	budget: Deadline,
): Verdict {
	const { error } = outcome;
	if (error instanceof DownloadProblem && !error.retry)
		return { kind: 'fail', failure: { message: error.message, description: '' } };
	const verdict = classify(outcome, { kind: 'download', attempt, maxRetries: options.maxRetries });
	if (verdict.kind !== 'retry' || budget.remainingMs > verdict.delayMs) return verdict;
	const why =
		error instanceof Error
			? error.message
			: `the image host answered HTTP ${outcome.answer?.statusCode}`;
	const timeout = `the item's Timeout (${formatSeconds(options.budgetMs)})`;
	return {
		kind: 'fail',
		failure: {
			message: why.includes(timeout)
				? `Downloading the image failed: ${why}`
				: `Downloading the image failed: ${why}; ${timeout} leaves no time for attempt ${attempt + 2}`,
			description: '',
			httpCode: outcome.answer?.statusCode,
		},
	};
}

/**
 * GETs one result image with plain httpRequest (never the credentials: the image host is not the
 * gateway) through the one retry loop, and hands the body to `store`. Each attempt is bounded from
 * request to last byte by Request Timeout and its body by Max Image Size; a body cut off or out of
 * time is retried, all attempts within the item's Timeout. A download that fails is an outcome,
 * not an exception: the item keeps its URL and the reason.
 */
export async function downloadImage<T>(
	ctx: IExecuteFunctions,
	url: string,
	store: (body: DownloadBody) => Promise<T>,
	options: DownloadOptions,
): Promise<DownloadOutcome<T>> {
	const budget = new Deadline(Date.now() + options.budgetMs);
	const result = await withRetries<T>({
		node: ctx.getNode(),
		signal: options.signal,
		attempt: async () => await attemptDownload(ctx, url, store, options, budget),
		judge: (outcome, attempt) => judgeDownload(outcome, attempt, options, budget),
	});
	if (result.kind === 'fail') {
		const { message, httpCode } = result.failure;
		return { error: httpCode !== undefined ? { message, httpCode } : { message } };
	}
	return { value: result.value as T };
}

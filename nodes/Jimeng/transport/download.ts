import type { IExecuteFunctions } from 'n8n-workflow';

import type { CallOutcome, HttpAnswer } from './classify';
import { classify } from './classify';
import { withRetries } from './retryLoop';

export interface DownloadOptions {
	timeoutMs: number;
	maxRetries: number;
	signal?: AbortSignal;
}

export type DownloadOutcome<T> =
	| { value: T; error?: undefined }
	| { value?: undefined; error: { message: string; httpCode?: number } };

function discard(body: unknown): void {
	(body as { destroy?: () => void } | undefined)?.destroy?.();
}

/**
 * GETs one result image with plain httpRequest (never the credentials: the image host is not the
 * gateway) through the one retry loop, and hands the streamed body to `store`. A body cut off
 * half way is retried like a failed request. A download that fails is an outcome, not an
 * exception: the item keeps its URL and the reason.
 */
export async function downloadImage<T>(
	ctx: IExecuteFunctions,
	url: string,
	store: (answer: HttpAnswer) => Promise<T>,
	options: DownloadOptions,
): Promise<DownloadOutcome<T>> {
	const result = await withRetries<T>({
		node: ctx.getNode(),
		signal: options.signal,
		attempt: async (): Promise<CallOutcome & { value?: T }> => {
			try {
				const answer = (await ctx.helpers.httpRequest({
					method: 'GET',
					url,
					encoding: 'stream',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: options.timeoutMs,
					abortSignal: ctx.getExecutionCancelSignal?.(),
				})) as HttpAnswer;
				if (answer.statusCode < 200 || answer.statusCode >= 300) {
					discard(answer.body);
					return { answer };
				}
				return { answer, value: await store(answer) };
			} catch (error) {
				return { error };
			}
		},
		judge: (outcome, attempt) =>
			classify(outcome, { kind: 'download', attempt, maxRetries: options.maxRetries }),
	});
	if (result.kind === 'fail') {
		const { message, httpCode } = result.failure;
		return { error: httpCode !== undefined ? { message, httpCode } : { message } };
	}
	return { value: result.value as T };
}

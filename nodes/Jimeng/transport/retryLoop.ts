import type { INode } from 'n8n-workflow';

import { pause, throwIfAborted } from '../runtime/pause';
import type { CallOutcome, Verdict } from './verdict';

export interface RetryLoopOptions<T> {
	node: INode;
	signal?: AbortSignal;
	/** One attempt: the request, and for downloads the storing of its body (a body cut off is retried too). */
	attempt: (attempt: number) => Promise<CallOutcome & { value?: T }>;
	judge: (outcome: CallOutcome, attempt: number) => Verdict;
	/** Told before each wait, e.g. so the poller can slow every query down after a 50429. */
	onRetry?: (verdict: Extract<Verdict, { kind: 'retry' }>) => void;
}

export type LoopResult<T> = Exclude<Verdict, { kind: 'retry' }> & { attempts: number; value?: T };

/** The one retry loop of the node: every HTTP call goes through it. Cancellation ends it at once. */
export async function withRetries<T>(options: RetryLoopOptions<T>): Promise<LoopResult<T>> {
	const { node, signal } = options;
	for (let attempt = 0; ; attempt++) {
		throwIfAborted(node, signal);
		const outcome = await options.attempt(attempt);
		throwIfAborted(node, signal);
		const verdict = options.judge(outcome, attempt);
		if (verdict.kind !== 'retry')
			return { ...verdict, attempts: attempt + 1, value: outcome.value };
		options.onRetry?.(verdict);
		await pause(verdict.delayMs, signal);
	}
}

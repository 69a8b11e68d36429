import type { IExecuteFunctions } from 'n8n-workflow';

import type { ApiFailure } from '../domain/errors';
import { apiError } from '../domain/errors';
import { classify } from './classify';
import { callGateway, gatewayRequest, gatewayTarget } from './request';
import { withRetries } from './retryLoop';
import type { HttpAnswer, Verdict } from './verdict';

/** What an endpoint's own answer says: its value, or a failure only it can explain. */
export type ReadResult<T> = { value: T } | { failure: ApiFailure };

/** A GET of the gateway that changes nothing there (e.g. the key's balance). */
export interface GatewayRead<T> {
	/** under Base URL, e.g. '/api/usage/token/' */
	path: string;
	/** what the call does, for messages: 'Reading the balance' */
	subject: string;
	/**
	 * What only this endpoint answers: its value, or that the gateway has no such endpoint.
	 * undefined: the answer is read like every gateway answer (the key, a rate limit, …).
	 */
	readAnswer(answer: HttpAnswer, secret: string): ReadResult<T> | undefined;
}

export interface ReadCallOptions {
	itemIndex: number;
	maxRetries: number;
	timeoutMs: number;
	signal?: AbortSignal;
}

/**
 * GET {Base URL}{path} with n8n's credential auth, through the one retry loop: retried like a
 * query (a rate limit after its Retry-After), failures read by the one reading of gateway answers.
 */
export async function gatewayRead<T>(
	ctx: IExecuteFunctions,
	read: GatewayRead<T>,
	options: ReadCallOptions,
): Promise<T> {
	const node = ctx.getNode();
	const { baseUrl, secret } = await gatewayTarget(ctx, options.itemIndex);
	const request = gatewayRequest('GET', `${baseUrl}${read.path}`, options.timeoutMs);
	let value: T | undefined;
	const result = await withRetries({
		node,
		signal: options.signal,
		attempt: async () => await callGateway(ctx, request),
		judge: (outcome, attempt): Verdict => {
			const own = outcome.answer && read.readAnswer(outcome.answer, secret);
			if (own && 'failure' in own) return { kind: 'fail', failure: own.failure };
			if (own) {
				value = own.value;
				return { kind: 'ok' };
			}
			const { maxRetries } = options;
			const { subject } = read;
			return classify(outcome, { kind: 'read', attempt, maxRetries, baseUrl, secret, subject });
		},
	});
	if (result.kind === 'fail') throw apiError(node, result.failure, options.itemIndex);
	if (value === undefined) {
		const failure = { message: `${read.subject} failed: no answer was read`, description: '' };
		throw apiError(node, failure, options.itemIndex);
	}
	return value;
}

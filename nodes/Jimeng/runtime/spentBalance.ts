import type { INode } from 'n8n-workflow';

import type { ApiFailure } from '../domain/errors';
import { apiError, failureOf } from '../domain/errors';
import { SPENT } from '../domain/gatewayMeanings';

/**
 * The execution's balance: once the gateway refuses a submit because the balance or the key's quota
 * is spent, no further submit (nor reference upload for one) is sent in this execution; each item
 * that would submit fails with the same error instead. Tasks already accepted run on.
 */
export class SpentBalance {
	private refusal?: ApiFailure;

	/** Throws the refusal, for this item, once a submit was refused for the balance. */
	check(node: INode, itemIndex: number): void {
		if (this.refusal) throw apiError(node, { ...this.refusal, taskId: undefined }, itemIndex);
	}

	/** Notes a submit's error: a refusal for the balance stops every later submit. */
	record(error: unknown): void {
		const failure = failureOf(error);
		if (failure?.meaning && SPENT.has(failure.meaning)) this.refusal ??= failure;
	}
}

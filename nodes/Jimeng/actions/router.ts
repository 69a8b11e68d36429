import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readConcurrency, readItemPlan } from '../helpers/params';
import { TaskPoller } from '../helpers/poller';
import { TaskSlots } from '../helpers/slots';
import { CANCELLED_MESSAGE } from '../helpers/pause';
import type { ItemPlan } from '../helpers/types';
import { PROMPT_SOFT_LIMIT } from '../helpers/validation';
import { errorDetails } from '../domain/errors';
import { runTask } from './runTask';

function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof Error && 'node' in error) return error;
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), { itemIndex });
}

/** The Continue On Fail item: one per failed input item, with what is known about the task. */
function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	const { description, httpCode } = error as { description?: string | null; httpCode?: string | null };
	if (description) json.description = description;
	Object.assign(json, errorDetails(error));
	if (httpCode) json.httpCode = httpCode;
	return { json, pairedItem: { item: itemIndex } };
}

function hintLongPrompts(ctx: IExecuteFunctions, plans: Array<ItemPlan | undefined>): void {
	const long = plans.filter((plan) => (plan?.prompt?.length ?? 0) > PROMPT_SOFT_LIMIT);
	if (long.length === 0 || typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints({
		message: `${long.length} prompt(s) are longer than ${PROMPT_SOFT_LIMIT} characters; the API says long prompts may misbehave.`,
		location: 'outputPane',
	});
}

/** Validates every item first, then runs them concurrently and returns results in input order. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const continueOnFail = this.continueOnFail();
	const results: INodeExecutionData[][] = items.map(() => []);
	const plans: Array<ItemPlan | undefined> = [];

	for (let i = 0; i < items.length; i++) {
		try {
			plans[i] = readItemPlan(this, i);
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!continueOnFail) throw nodeError;
			results[i] = [errorItem(nodeError, i)];
		}
	}
	hintLongPrompts(this, plans);

	let concurrency: number;
	try {
		concurrency = readConcurrency(this);
	} catch (error) {
		throw toNodeError(this, error, 0);
	}

	// One signal for every wait: the execution's cancel, or the first failure when not continuing.
	const executionSignal = this.getExecutionCancelSignal?.();
	const stop = new AbortController();
	const onCancel = () => stop.abort();
	if (executionSignal?.aborted) stop.abort();
	executionSignal?.addEventListener('abort', onCancel);
	const poller = new TaskPoller(this.getNode(), stop.signal);
	const asTool = this.getNode().type.endsWith('Tool');
	let failure: Error | undefined;

	try {
		const runnable = plans.filter((plan): plan is ItemPlan => plan !== undefined);
		const slots = new TaskSlots(concurrency, stop.signal);
		// Every item queues for a slot at once, in input order; a slot is held until its images are stored.
		await Promise.all(
			runnable.map(async (plan) => {
				await slots.acquire();
				try {
					if (stop.signal.aborted) return;
					results[plan.itemIndex] = await runTask(this, plan, { poller, slots, signal: stop.signal, asTool });
				} catch (error) {
					if (stop.signal.aborted) return;
					const nodeError = toNodeError(this, error, plan.itemIndex);
					if (continueOnFail) {
						results[plan.itemIndex] = [errorItem(nodeError, plan.itemIndex)];
					} else {
						failure ??= nodeError;
						stop.abort();
					}
				} finally {
					slots.release();
				}
			}),
		);
	} finally {
		executionSignal?.removeEventListener('abort', onCancel);
	}

	if (failure) throw failure;
	if (executionSignal?.aborted) {
		throw new NodeOperationError(this.getNode(), CANCELLED_MESSAGE);
	}
	return [results.flat()];
}

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorDetails } from '../domain/errors';
import { LIMITS } from '../domain/limits';
import { buildErrorItem } from '../io/output';
import { paramSource, readCommonSettings, readConcurrency, readPolling } from '../io/params';
import { invalid } from '../io/validation';
import { Limiter } from '../runtime/limiter';
import { CANCELLED_MESSAGE } from '../runtime/pause';
import { TaskPoller } from '../runtime/poller';
import type { PollingMode } from '../runtime/pollSchedule';
import type { Slot } from '../runtime/slots';
import { TaskSlots } from '../runtime/slots';
import { SpentBalance } from '../runtime/spentBalance';
import { ItemTasks } from './itemTasks';
import { findOperation } from './operations';
import type { ItemPlan, RunContext, TaskUnit } from './types';

function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof Error && 'node' in error) return error;
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), {
		itemIndex,
	});
}

async function planItem(ctx: IExecuteFunctions, i: number): Promise<ItemPlan> {
	const value = ctx.getNodeParameter('operation', i);
	const operation = findOperation(value);
	if (!operation) {
		// n8n adds a "Custom API Call" entry to nodes whose credential authenticates generically.
		throw invalid(
			paramSource(ctx, i),
			`"${String(value)}" is not an operation of the Jimeng node`,
			'Choose Submit or Get Task. For another endpoint, use an HTTP Request node with the Jimeng API credential (Predefined Credential Type).',
		);
	}
	return await operation.plan(ctx, i, readCommonSettings(ctx, i));
}

function hintLongPrompts(ctx: IExecuteFunctions, plans: Array<ItemPlan | undefined>): void {
	const long = plans.filter(
		(plan) => plan?.operation === 'submit' && plan.prompt.length > LIMITS.promptSoftLength,
	);
	if (long.length === 0 || typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints({
		message: `${long.length} prompt(s) are longer than ${LIMITS.promptSoftLength} characters; the API says long prompts may misbehave.`,
		location: 'outputPane',
	});
}

/** Validates every item first, then runs them concurrently and returns results in input order. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const asTool = this.getNode().type.endsWith('Tool');
	// An AI Agent gets a failure as the tool's answer, so its model can read it and react: n8n up to
	// 2.4 ends the whole run when a tool node throws.
	const continueOnFail = this.continueOnFail() || asTool;
	const results: INodeExecutionData[][] = items.map(() => []);
	const plans: Array<ItemPlan | undefined> = [];
	const fail = (error: Error, itemIndex: number) =>
		buildErrorItem(error, itemIndex, errorDetails(error));

	// Nothing is sent until every item's parameters (and reference binaries) are read: a bad item
	// cannot follow a billed one. One item at a time, so binaries are read one at a time.
	for (let i = 0; i < items.length; i++) {
		try {
			plans[i] = await planItem(this, i);
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!continueOnFail) throw nodeError;
			results[i] = [fail(nodeError, i)];
		}
	}
	hintLongPrompts(this, plans);

	let concurrency: number;
	let polling: PollingMode;
	try {
		concurrency = readConcurrency(this);
		polling = readPolling(this);
	} catch (error) {
		throw toNodeError(this, error, 0);
	}

	// One signal for every wait: the execution's cancel, or the first failure when not continuing.
	const executionSignal = this.getExecutionCancelSignal?.();
	const stop = new AbortController();
	const onCancel = () => stop.abort();
	if (executionSignal?.aborted) stop.abort();
	executionSignal?.addEventListener('abort', onCancel);
	const run: RunContext = {
		poller: new TaskPoller(this.getNode(), stop.signal, polling),
		signal: stop.signal,
		asTool,
		downloads: new Limiter(LIMITS.downloadBudgetBytes),
		balance: new SpentBalance(),
	};
	const slots = new TaskSlots(concurrency, stop.signal);
	let failure: Error | undefined;
	const tasks = plans.flatMap((plan) =>
		plan ? [new ItemTasks(plan, findOperation(plan.operation)!)] : [],
	);

	/** One task of an item, in its own slot: an item of N tasks holds N slots, one per task. */
	const runUnit = async (item: ItemTasks, unit: TaskUnit, slot: Slot): Promise<void> => {
		if (stop.signal.aborted) return;
		let preparing = true;
		try {
			const plan = await item.preparedPlan(this, run);
			preparing = false;
			item.outcomes[unit.index] = await item.operation.run(this, plan, run, slot, unit);
		} catch (error) {
			if (stop.signal.aborted) return;
			const nodeError = toNodeError(this, error, item.plan.itemIndex);
			if (continueOnFail) {
				item.failed(unit, nodeError, preparing);
			} else {
				failure ??= nodeError;
				stop.abort();
			}
		}
	};

	try {
		// Every task queues for a slot at once, in input order; a slot is held until its images are stored.
		await Promise.all(
			tasks.flatMap((item) =>
				item.units.map(
					async (unit) => await slots.hold(async (slot) => await runUnit(item, unit, slot)),
				),
			),
		);
	} finally {
		executionSignal?.removeEventListener('abort', onCancel);
	}

	if (failure) throw failure;
	if (executionSignal?.aborted) throw new NodeOperationError(this.getNode(), CANCELLED_MESSAGE);
	for (const item of tasks) {
		const { itemIndex } = item.plan;
		results[itemIndex] = item.output(run.asTool, (error) => fail(error, itemIndex));
	}
	return [results.flat()];
}

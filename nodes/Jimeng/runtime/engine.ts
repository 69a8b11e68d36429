import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LIMITS } from '../domain/limits';
import { errorItem } from './errorItem';
import { Limiter } from './limiter';
import { CANCELLED_MESSAGE } from './pause';
import { Poller } from './poller';
import type { PollingMode } from './pollSchedule';
import { Slots } from './slots';
import { SpentBalance } from './spentBalance';
import type { ItemOperation, Operation, Place, Plan, Services, TaskOperation } from './operation';
import type { Slot } from './slots';

/** What the engine needs from the node besides the items. */
export interface EngineInput {
	/** The item's operation; throws when it has none. */
	operationOf(itemIndex: number): Operation;
	/** Read once every item is planned: Max Concurrent Tasks and Polling. */
	settings(): { maxConcurrent: number; polling: PollingMode };
}

function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof Error && 'node' in error) return error;
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), {
		itemIndex,
	});
}

interface Planned {
	operation: Operation;
	plan: Plan;
}

/**
 * Nothing is sent until every item's parameters (and reference binaries) are read: a bad item
 * cannot follow a billed one. One item at a time, so binaries are read one at a time.
 */
async function readAll(
	ctx: IExecuteFunctions,
	input: EngineInput,
	count: number,
	failed: (error: Error, itemIndex: number) => void,
): Promise<Array<Planned | undefined>> {
	const planned: Array<Planned | undefined> = [];
	for (let i = 0; i < count; i++) {
		try {
			const operation = input.operationOf(i);
			planned[i] = { operation, plan: await operation.read(ctx, i) };
		} catch (error) {
			failed(toNodeError(ctx, error, i), i);
		}
	}
	return planned;
}

function addHints(ctx: IExecuteFunctions, planned: Array<Planned | undefined>): void {
	const byOperation = new Map<Operation, Plan[]>();
	for (const entry of planned) {
		if (!entry) continue;
		byOperation.set(entry.operation, [...(byOperation.get(entry.operation) ?? []), entry.plan]);
	}
	for (const [operation, plans] of byOperation) {
		const message = operation.hint?.(plans);
		if (message && typeof ctx.addExecutionHints === 'function')
			ctx.addExecutionHints({ message, location: 'outputPane' });
	}
}

/** The execution's stop: its cancel, or the first failure when not continuing. */
function linkStop(ctx: IExecuteFunctions): { stop: AbortController; unlink: () => void } {
	const executionSignal = ctx.getExecutionCancelSignal?.();
	const stop = new AbortController();
	const onCancel = () => stop.abort();
	if (executionSignal?.aborted) stop.abort();
	executionSignal?.addEventListener('abort', onCancel);
	return { stop, unlink: () => executionSignal?.removeEventListener('abort', onCancel) };
}

/** Services.once: one promise per key for the whole execution. */
function onePerExecution(): Services['once'] {
	const shared = new Map<string, Promise<unknown>>();
	return <T>(key: string, read: () => Promise<T>) => {
		if (!shared.has(key)) shared.set(key, read());
		return shared.get(key) as Promise<T>;
	};
}

/**
 * Runs an operation over the input items: validates every item first, then runs them concurrently
 * (tasks in slots of Max Concurrent Tasks and the gateway's learned limit; the rest one item at a
 * time), honours cancel and Continue On Fail (always on as an AI tool, whose model reads the
 * failure), and returns the output in input order.
 */
export async function runItems(
	ctx: IExecuteFunctions,
	input: EngineInput,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	if (items.length === 0) return [[]];
	const asTool = ctx.getNode().type.endsWith('Tool');
	// n8n up to 2.4 ends the whole run when a tool node throws: the Agent gets the failure instead.
	const continueOnFail = ctx.continueOnFail() || asTool;
	const results: INodeExecutionData[][] = items.map(() => []);
	const planned = await readAll(ctx, input, items.length, (error, i) => {
		if (!continueOnFail) throw error;
		results[i] = [errorItem(error, i)];
	});
	addHints(ctx, planned);
	let settings: ReturnType<EngineInput['settings']>;
	try {
		settings = input.settings();
	} catch (error) {
		throw toNodeError(ctx, error, 0);
	}
	const { stop, unlink } = linkStop(ctx);
	const services: Services = {
		signal: stop.signal,
		asTool,
		poller: new Poller(ctx.getNode(), stop.signal, settings.polling),
		downloads: new Limiter(LIMITS.downloadBudgetBytes),
		balance: new SpentBalance(),
		once: onePerExecution(),
	};
	const run = new ItemRunner(ctx, services, continueOnFail, stop);
	try {
		await run.all(planned, new Slots(settings.maxConcurrent, stop.signal), results);
	} finally {
		unlink();
	}
	if (run.failure) throw run.failure;
	if (ctx.getExecutionCancelSignal?.()?.aborted)
		throw new NodeOperationError(ctx.getNode(), CANCELLED_MESSAGE);
	return [results.flat()];
}

/**
 * The tasks of one input item: what each ended as, and the item's once-only preparation. Each task
 * queues as its own unit for a slot, so an item never holds a slot while it waits for another (Max
 * Concurrent Tasks below items × tasks would deadlock).
 */
class ItemTasks {
	readonly results: unknown[];

	/** Tasks that failed under Continue On Fail, by index. */
	private readonly failures: Array<{ index: number; error: Error }> = [];

	private prepareError?: Error;

	private prepared?: Promise<Plan>;

	constructor(
		readonly plan: Plan,
		readonly operation: TaskOperation,
	) {
		this.results = new Array<unknown>(operation.taskCount?.(plan) ?? 1).fill(undefined);
	}

	get places(): Place[] {
		const count = this.results.length;
		return this.results.map((_, index) => ({ index, count }));
	}

	/** The plan after the operation's `prepare`, run once for all tasks of the item. */
	async preparedPlan(ctx: IExecuteFunctions, services: Services): Promise<Plan> {
		const { prepare } = this.operation;
		this.prepared ??= prepare ? prepare(ctx, this.plan, services) : Promise.resolve(this.plan);
		return await this.prepared;
	}

	/** A task failed under Continue On Fail; `preparing`: in the item's preparation (then it fails once). */
	failed(place: Place, error: Error, preparing: boolean): void {
		if (preparing) this.prepareError ??= error;
		else this.failures.push({ index: place.index, error });
	}

	/**
	 * The item's output items. A failure of the only task, or of the preparation, is the usual
	 * error item; some of several tasks failing adds one item saying which, after the others' output.
	 */
	output(asTool: boolean, errorItem: (error: Error) => INodeExecutionData): INodeExecutionData[] {
		if (this.prepareError) return [errorItem(this.prepareError)];
		const failures = [...this.failures].sort((a, b) => a.index - b.index);
		if (failures.length && this.results.length === 1) return [errorItem(failures[0].error)];
		const items = this.operation.output(this.plan, this.results, asTool);
		if (failures.length) items.push(this.operation.failedTasks(this.plan, this.results, failures));
		return items;
	}
}

/** Runs the planned items: task items in slots, the others one at a time. */
class ItemRunner {
	failure?: Error;

	/** Items that bill nothing run one at a time: no burst at the gateway's rate limit. */
	private readonly sequence = new Limiter(1);

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly services: Services,
		private readonly continueOnFail: boolean,
		private readonly stop: AbortController,
	) {}

	async all(
		planned: Array<Planned | undefined>,
		slots: Slots,
		results: INodeExecutionData[][],
	): Promise<void> {
		const tasks: ItemTasks[] = [];
		const runs: Array<Promise<void>> = [];
		for (const entry of planned) {
			if (!entry) continue;
			const { operation, plan } = entry;
			if (operation.kind === 'item') {
				runs.push(this.sequence.run(async () => await this.item(operation, plan, results)));
				continue;
			}
			const item = new ItemTasks(plan, operation);
			tasks.push(item);
			// Every task queues for a slot at once, in input order; a slot is held until its images are stored.
			for (const place of item.places)
				runs.push(slots.hold(async (slot) => await this.task(item, place, slot)));
		}
		await Promise.all(runs);
		for (const item of tasks)
			results[item.plan.itemIndex] = item.output(this.services.asTool, (error) =>
				errorItem(error, item.plan.itemIndex),
			);
	}

	private async item(
		operation: ItemOperation,
		plan: Plan,
		results: INodeExecutionData[][],
	): Promise<void> {
		if (this.stop.signal.aborted) return;
		try {
			results[plan.itemIndex] = await operation.execute(this.ctx, plan, this.services);
		} catch (error) {
			const failed = this.failed(error, plan.itemIndex);
			if (failed) results[plan.itemIndex] = [errorItem(failed, plan.itemIndex)];
		}
	}

	/** One task of an item, in its own slot: an item of N tasks holds N slots, one per task. */
	private async task(item: ItemTasks, place: Place, slot: Slot): Promise<void> {
		if (this.stop.signal.aborted) return;
		let preparing = true;
		try {
			const plan = await item.preparedPlan(this.ctx, this.services);
			preparing = false;
			item.results[place.index] = await item.operation.runTask(
				this.ctx,
				plan,
				this.services,
				slot,
				place,
			);
		} catch (error) {
			const failed = this.failed(error, item.plan.itemIndex);
			if (failed) item.failed(place, failed, preparing);
		}
	}

	/** The error to report under Continue On Fail; otherwise stops the execution (undefined). */
	private failed(error: unknown, itemIndex: number): Error | undefined {
		if (this.stop.signal.aborted) return undefined;
		const nodeError = toNodeError(this.ctx, error, itemIndex);
		if (this.continueOnFail) return nodeError;
		this.failure ??= nodeError;
		this.stop.abort();
		return undefined;
	}
}

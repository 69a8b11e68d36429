import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Plan, Services, TaskOperation, Place } from './operation';

/**
 * The tasks of one input item: what each ended as, and the item's once-only preparation. Each task
 * queues as its own unit for a slot, so an item never holds a slot while it waits for another (Max
 * Concurrent Tasks below items × tasks would deadlock).
 */
export class ItemTasks {
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

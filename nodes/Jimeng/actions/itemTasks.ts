import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { TaskOutcome } from '../io/layout';
import { buildFailedTasksItem, buildItemOutput } from '../io/layout';
import { itemContext } from './common/awaitTask';
import type { ItemPlan, JimengOperation, RunContext, TaskUnit } from './types';

/**
 * The tasks of one input item: what each ended as, and the item's once-only preparation. The
 * router queues each task as its own unit for a slot, so an item never holds a slot while it
 * waits for another (Max Concurrent Tasks below items × tasks would deadlock).
 */
export class ItemTasks {
	readonly outcomes: Array<TaskOutcome | undefined>;

	/** Tasks that failed under Continue On Fail, by unit index. */
	private readonly failures: Array<{ index: number; error: Error }> = [];

	private prepareError?: Error;

	private prepared?: Promise<ItemPlan>;

	constructor(
		readonly plan: ItemPlan,
		readonly operation: JimengOperation<ItemPlan>,
	) {
		this.outcomes = new Array<TaskOutcome | undefined>(operation.taskCount?.(plan) ?? 1).fill(
			undefined,
		);
	}

	get units(): TaskUnit[] {
		const count = this.outcomes.length;
		return this.outcomes.map((_, index) => ({ index, count }));
	}

	/** The plan after the operation's `prepare`, run once for all units of the item. */
	async preparedPlan(ctx: IExecuteFunctions, run: RunContext): Promise<ItemPlan> {
		const { prepare } = this.operation;
		this.prepared ??= prepare ? prepare(ctx, this.plan, run) : Promise.resolve(this.plan);
		return await this.prepared;
	}

	/** A unit failed under Continue On Fail; `preparing`: in the item's preparation (then it fails once). */
	failed(unit: TaskUnit, error: Error, preparing: boolean): void {
		if (preparing) this.prepareError ??= error;
		else this.failures.push({ index: unit.index, error });
	}

	/**
	 * The item's output items. A failure of the only task, or of the preparation, is the usual
	 * error item; some of several tasks failing adds one item saying which, after the images.
	 */
	output(asTool: boolean, errorItem: (error: Error) => INodeExecutionData): INodeExecutionData[] {
		if (this.prepareError) return [errorItem(this.prepareError)];
		const failures = [...this.failures].sort((a, b) => a.index - b.index);
		if (failures.length && this.outcomes.length === 1) return [errorItem(failures[0].error)];
		const items = buildItemOutput(itemContext(this.plan), this.outcomes, asTool);
		if (failures.length)
			items.push(buildFailedTasksItem(this.plan.itemIndex, this.outcomes, failures));
		return items;
	}
}

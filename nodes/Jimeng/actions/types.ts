import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { RequestedSize } from '../domain/types';
import type { TaskOutcome } from '../io/layout';
import type { CommonSettings } from '../io/params';
import type { ReferenceBinary } from '../io/references';
import type { Limiter } from '../runtime/limiter';
import type { TaskPoller } from '../runtime/poller';
import type { Slot } from '../runtime/slots';
import type { SpentBalance } from '../runtime/spentBalance';

/** Everything one input item needs, read and validated before any request is sent. */
interface PlanBase extends CommonSettings {
	itemIndex: number;
}

export interface SubmitPlan extends PlanBase {
	operation: 'submit';
	submitBody: IDataObject;
	prompt: string;
	size: RequestedSize;
	/** Number of Images: single-image tasks submitted for this item */
	numberOfImages: number;
	/** Reference Images From Binary, checked, in the order given: uploaded before the submit */
	references: ReferenceBinary[];
	/** lifetime asked for their upload links */
	referenceLinkSeconds: number;
}

export interface GetTaskPlan extends PlanBase {
	operation: 'getTask';
	taskId: string;
}

export type ItemPlan = SubmitPlan | GetTaskPlan;

/** What the items of one execution share while they run. */
export interface RunContext {
	poller: TaskPoller;
	/** the execution's cancel, or the first failure when not continuing */
	signal: AbortSignal;
	asTool: boolean;
	/** bounds the bytes of image downloads streaming at once */
	downloads: Limiter;
	/** set once a submit is refused for the balance: no further submits in this execution */
	balance: SpentBalance;
}

/** One task of an item: what holds one slot. */
export interface TaskUnit {
	/** 0-based place among the item's tasks */
	index: number;
	/** how many tasks the item has */
	count: number;
}

/**
 * One operation of the node: its entry in the Operation list, its parameters, and its steps. The
 * router runs each item as `taskCount` units, each holding one slot, so items of many tasks share
 * Max Concurrent Tasks with all others (an item never holds a slot while it waits for another).
 */
export interface JimengOperation<P extends ItemPlan = ItemPlan> {
	option: INodePropertyOptions & { value: P['operation'] };
	properties: INodeProperties[];
	/**
	 * Reads and checks one item (its binaries too, from n8n's binary store); throws
	 * NodeOperationError naming the item; sends nothing.
	 */
	plan(ctx: IExecuteFunctions, itemIndex: number, common: CommonSettings): Promise<P>;
	/** How many tasks the item needs (default 1). */
	taskCount?(plan: P): number;
	/**
	 * Once per item, before its first unit submits (e.g. uploads it needs once, never once per task):
	 * every unit of the item awaits it and runs with the plan it returns. If it fails, the item fails
	 * once, whatever its number of tasks.
	 */
	prepare?(ctx: IExecuteFunctions, plan: P, run: RunContext): Promise<P>;
	/** One task of the item, start to end, holding its slot among the tasks in progress. */
	run(
		ctx: IExecuteFunctions,
		plan: P,
		run: RunContext,
		slot: Slot,
		unit: TaskUnit,
	): Promise<TaskOutcome>;
}

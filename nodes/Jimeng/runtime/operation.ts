import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Limiter } from './limiter';
import type { Poller } from './poller';
import type { Slot } from './slots';
import type { SpentBalance } from './spentBalance';

// The interfaces the operations implement, and the services the engine (engine.ts) gives them.

/** What the items of one execution share while they run: the engine's services. */
export interface Services {
	/** the execution's cancel, or the first failure when not continuing */
	signal: AbortSignal;
	/** run by an AI Agent as a tool: its answer is compact, with no binary data */
	asTool: boolean;
	/** waits for tasks, one loop for every item */
	poller: Poller;
	/** bounds the bytes of image downloads streaming at once */
	downloads: Limiter;
	/** set once a billed call is refused for the balance: no further billed calls in this execution */
	balance: SpentBalance;
	/**
	 * Runs `read` once per execution under `key`: every item that asks again shares its result or its
	 * failure (a gateway answer that is the same for every item, asked for once).
	 */
	once<T>(key: string, read: () => Promise<T>): Promise<T>;
}

/** A plan: everything one input item needs, read and checked before any request is sent. */
export interface Plan {
	itemIndex: number;
}

/** One task's place among its item's tasks: each task holds one slot. */
export interface Place {
	/** 0-based place among the item's tasks */
	index: number;
	/** how many tasks the item has */
	count: number;
}

interface OperationBase<P extends Plan> {
	/** Reads and checks one item (its binaries too); throws NodeOperationError naming it; sends nothing. */
	read(ctx: IExecuteFunctions, itemIndex: number): Promise<P>;
	/** An execution hint about the plans of every item of this operation, or undefined. */
	hint?(plans: P[]): string | undefined;
}

/** An operation that bills nothing: one call per item, no slot. */
export interface ItemOperation<P extends Plan = Plan> extends OperationBase<P> {
	kind: 'item';
	execute(ctx: IExecuteFunctions, plan: P, services: Services): Promise<INodeExecutionData[]>;
}

/**
 * An operation whose items run as tasks, each holding one slot of Max Concurrent Tasks, so items of
 * many tasks share the slots with all others (an item never holds a slot while it waits for another).
 */
export interface TaskOperation<P extends Plan = Plan, R = unknown> extends OperationBase<P> {
	kind: 'tasks';
	/** How many tasks the item needs (default 1). */
	taskCount?(plan: P): number;
	/**
	 * Once per item, before its first task (e.g. uploads it needs once, never once per task): every
	 * task of the item runs with the plan it returns. If it fails, the item fails once.
	 */
	prepare?(ctx: IExecuteFunctions, plan: P, services: Services): Promise<P>;
	/** One task of the item, start to end, holding its slot. */
	runTask(
		ctx: IExecuteFunctions,
		plan: P,
		services: Services,
		slot: Slot,
		place: Place,
	): Promise<R>;
	/** The item's output from its tasks' results (undefined: a task that failed under Continue On Fail). */
	output(plan: P, results: Array<R | undefined>, asTool: boolean): INodeExecutionData[];
	/** The one item saying which of several tasks failed, beside the output of the others. */
	failedTasks(
		plan: P,
		results: Array<R | undefined>,
		failures: Array<{ index: number; error: Error }>,
	): INodeExecutionData;
}

export type Operation = ItemOperation | TaskOperation;

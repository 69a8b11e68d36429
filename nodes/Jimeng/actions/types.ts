import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { RequestedSize } from '../domain/types';
import type { CommonSettings } from '../io/params';
import type { ReferenceBinary } from '../io/references';
import type { Limiter } from '../runtime/limiter';
import type { TaskPoller } from '../runtime/poller';
import type { Slot } from '../runtime/slots';

/** Everything one input item needs, read and validated before any request is sent. */
interface PlanBase extends CommonSettings {
	itemIndex: number;
}

export interface SubmitPlan extends PlanBase {
	operation: 'submit';
	submitBody: IDataObject;
	prompt: string;
	size: RequestedSize;
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
}

/** One operation of the node: its entry in the Operation list, its parameters, and its steps. */
export interface JimengOperation<P extends ItemPlan = ItemPlan> {
	option: INodePropertyOptions & { value: P['operation'] };
	properties: INodeProperties[];
	/**
	 * Reads and checks one item (its binaries too, from n8n's binary store); throws
	 * NodeOperationError naming the item; sends nothing.
	 */
	plan(ctx: IExecuteFunctions, itemIndex: number, common: CommonSettings): Promise<P>;
	/** The whole life of one item, holding its slot among the tasks in progress. */
	run(ctx: IExecuteFunctions, plan: P, run: RunContext, slot: Slot): Promise<INodeExecutionData[]>;
}

import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { RequestedSize } from '../domain/types';
import type { CommonSettings } from '../io/params';
import type { ReferenceBinary } from '../io/references';
import type { Operation } from '../runtime/engine';

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

/** An operation with its entry in the Operation list and its parameters. */
export type Described<O extends Operation = Operation> = O & {
	option: INodePropertyOptions;
	properties: INodeProperties[];
};

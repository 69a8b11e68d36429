import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Operation } from '../../runtime/operation';

/** An operation as the node lists it: its entry in the Operation list, its parameters, its steps. */
export type Described<O extends Operation = Operation> = O & {
	option: INodePropertyOptions;
	/** shown only for this operation (updateDisplayOptions) */
	properties: INodeProperties[];
};

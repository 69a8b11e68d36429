import type { INodeProperties } from 'n8n-workflow';

import { getTaskOperation } from './getTask/getTask.operation';
import { submitOperation } from './submit/submit.operation';
import type { ItemPlan, JimengOperation } from './types';

/** The node's operations, in the order of the Operation list. Adding one: a folder here and a line below. */
export const OPERATIONS = [getTaskOperation, submitOperation] as const;

export function findOperation(value: unknown): JimengOperation<ItemPlan> | undefined {
	return OPERATIONS.find((operation) => operation.option.value === value) as
		| JimengOperation<ItemPlan>
		| undefined;
}

const defaultOperation = submitOperation.option.value;

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: OPERATIONS.map((operation) => operation.option),
	default: defaultOperation,
};

export const operationProperties: INodeProperties[] = OPERATIONS.flatMap(
	(operation) => operation.properties,
);

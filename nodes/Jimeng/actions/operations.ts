import type { INodeProperties } from 'n8n-workflow';

import { getTaskOperation } from './getTask/getTask.operation';
import { submitOperation } from './submit/submit.operation';
import type { Operation } from '../runtime/engine';
import type { Described } from './types';

/** The node's operations, in the order of the Operation list. Adding one: a folder here and a line below. */
export const OPERATIONS = [getTaskOperation, submitOperation] as const;

export function findOperation(value: unknown): Operation | undefined {
	return (OPERATIONS as readonly Described[]).find((operation) => operation.option.value === value);
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

import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../runtime/operation';
import type { Described } from './common/described';
import { optionsProperty } from './common/options.properties';
import { waitProperties } from './common/wait.properties';
import { getBalanceOperation } from './getBalance/getBalance.operation';
import { getTaskOperation } from './getTask/getTask.operation';
import { submitOperation } from './submit/submit.operation';

/** The node's operations, in the order of the Operation list. Adding one: a folder here and a line below. */
export const OPERATIONS: readonly Described[] = [
	getBalanceOperation,
	getTaskOperation,
	submitOperation,
];

export function findOperation(value: unknown): Operation | undefined {
	return OPERATIONS.find((operation) => operation.option.value === value);
}

// An identifier, not a member expression: n8n's lint reads a parameter's default only in those forms.
const defaultOperation = submitOperation.option.value;

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: OPERATIONS.map((operation) => operation.option),
	default: defaultOperation,
};

/** Every parameter of the node, each shown only for the operations it applies to. */
export const nodeProperties: INodeProperties[] = [
	operationProperty,
	...OPERATIONS.flatMap((operation) => operation.properties),
	...waitProperties,
	optionsProperty,
];

/** The node's subtitle: the operation's name, from the list (a chain of conditions: no braces inside). */
export const subtitle = `={{ ${OPERATIONS.map(
	({ option }) =>
		`$parameter["operation"] === ${JSON.stringify(option.value)} ? ${JSON.stringify(option.name)} : `,
).join('')}"" }}`;

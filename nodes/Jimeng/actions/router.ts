import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { paramSource, readConcurrency, readPolling } from '../io/params';
import { invalid } from '../io/validation';
import type { Operation } from '../runtime/operation';
import { runItems } from '../runtime/engine';
import { findOperation } from './operations';

/** Each item's operation, by its Operation parameter. */
function operationOf(ctx: IExecuteFunctions, itemIndex: number): Operation {
	const value = ctx.getNodeParameter('operation', itemIndex);
	const operation = findOperation(value);
	if (operation) return operation;
	// n8n adds a "Custom API Call" entry to nodes whose credential authenticates generically.
	throw invalid(
		paramSource(ctx, itemIndex),
		`"${String(value)}" is not an operation of the Jimeng node`,
		'Choose an operation from the list. For another endpoint, use an HTTP Request node with the Jimeng API credential (Predefined Credential Type).',
	);
}

/** Dispatches each item to its operation; the engine (runtime/engine.ts) runs them. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems(this, {
		operationOf: (itemIndex) => operationOf(this, itemIndex),
		settings: () => ({ maxConcurrent: readConcurrency(this), polling: readPolling(this) }),
	});
}

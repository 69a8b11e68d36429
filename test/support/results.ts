// Assertions on what a run of the node gave (test/support/jimeng.ts runJimeng): success or failure,
// the output json, pairedItem, the bytes of a binary.
import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { getBinaryBuffer, type RunNodeResult } from '../harness';

export { getBinaryBuffer };

/** Output json fields, in order, for compact assertions. */
export const jsonOf = (items: INodeExecutionData[]): IDataObject[] =>
	items.map((item) => item.json);

/** Fails the test when the run did not succeed, printing the node's error. */
export function expectSuccess(result: RunNodeResult): void {
	if (result.status !== 'success' || result.error) {
		const error = JSON.stringify(result.error, null, 2);
		throw new Error(`expected success, got ${result.status}: ${error}`);
	}
}

/** Fails the test unless the run ended in an error; returns that error for assertions on its fields. */
export function expectFailure(result: RunNodeResult): NonNullable<RunNodeResult['error']> {
	expect(result.status).toBe('error');
	expect(result.error).toBeDefined();
	return result.error!;
}

/** pairedItem of each item execute() returned, before n8n-core filled in any missing one. */
export const pairedItems = (result: RunNodeResult): unknown[] =>
	result.rawOutput![0].map((item) => item.pairedItem);

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

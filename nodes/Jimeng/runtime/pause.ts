import type { INode } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

/** Longest single sleep, so hosts whose `sleep` ignores the signal still stop within about a second. */
const SLICE_MS = 500;

export const CANCELLED_MESSAGE = 'The execution was cancelled while waiting for Jimeng';

const sleepWithSignal = sleep as (ms: number, signal?: AbortSignal) => Promise<void>;

export function throwIfAborted(node: INode, signal?: AbortSignal): void {
	if (signal?.aborted) throw new NodeOperationError(node, CANCELLED_MESSAGE);
}

/**
 * Waits `ms`, or less when `signal` aborts; callers check the signal afterwards.
 * n8n-workflow 2.34+ rejects `sleep` on abort itself; older lines only sleep, hence the slices.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	const end = Date.now() + ms;
	while (!signal?.aborted) {
		const left = end - Date.now();
		if (left <= 0) return;
		const finished = await sleepWithSignal(Math.min(left, SLICE_MS), signal).then(
			() => true,
			() => false,
		);
		if (!finished) return;
	}
}

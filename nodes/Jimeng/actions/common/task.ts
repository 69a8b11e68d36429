import type { IExecuteFunctions } from 'n8n-workflow';

import { adviceForFailedTask } from '../../domain/advice';
import { QUERY_ACTION } from '../../domain/api';
import { apiError, withTask } from '../../domain/errors';
import { imageFileBase } from '../../domain/imageHeader';
import { DEFAULTS } from '../../domain/limits';
import { readTaskState } from '../../domain/status';
import type { TaskState } from '../../domain/types';
import { binaryFromBuffer, storeImageStream } from '../../io/binary';
import type { TaskOutcome } from '../../io/layout';
import type { ImageResult } from '../../io/output';
import type { CommonSettings } from '../../io/params';
import type { Services } from '../../runtime/operation';
import { throwIfAborted } from '../../runtime/pause';
import type { RateLimitListener } from '../../runtime/poller';
import { downloadImage } from '../../transport/download';
import { jimengApiRequest } from '../../transport/request';

// The steps of a Jimeng task that Submit and Get Task share: look, wait, and finish (its images).

/** What the task steps read of an item's plan. */
export interface ItemSettings extends CommonSettings {
	itemIndex: number;
}

/** One status query of the task. */
export async function lookUpTask(
	ctx: IExecuteFunctions,
	plan: ItemSettings,
	taskId: string,
	services: Services,
	onRateLimited?: RateLimitListener,
): Promise<TaskState> {
	const { envelope } = await jimengApiRequest.call(
		ctx,
		QUERY_ACTION,
		{ req_key: plan.reqKey, task_id: taskId, req_json: plan.reqJson },
		{
			kind: 'query',
			itemIndex: plan.itemIndex,
			taskId,
			maxRetries: plan.maxRetries,
			timeoutMs: plan.requestTimeoutMs,
			signal: services.signal,
			// After a 50429 the poller holds every other query of the execution back too.
			onRateLimited,
		},
	);
	return readTaskState(envelope);
}

/**
 * Waits for the task's end with the execution's poller (runtime/poller.ts), within the item's
 * Timeout. `firstPollNow`: a task submitted elsewhere is looked at once; a fresh one cannot be done
 * before one interval.
 */
export async function waitForTask(
	ctx: IExecuteFunctions,
	plan: ItemSettings,
	taskId: string,
	services: Services,
	firstPollNow: boolean,
): Promise<TaskState> {
	const { wait } = plan;
	return await services.poller.waitFor({
		intervalMs: wait.pollIntervalMs,
		timeoutMs: wait.timeoutMs,
		firstPollNow,
		query: async (onRateLimited) => await lookUpTask(ctx, plan, taskId, services, onRateLimited),
		timeoutError: (lastStatus) =>
			apiError(
				ctx.getNode(),
				{
					message: `Timed out after ${Number((wait.timeoutMs / 1000).toFixed(1))} s waiting for task ${taskId} (last status: ${lastStatus})`,
					description: `The task may still finish. Run Get Task with task ID ${taskId} to resume it, or raise Timeout.`,
					code: 'TIMEOUT',
					taskId,
				},
				plan.itemIndex,
			),
	});
}

/**
 * A finished task's images: their URLs, and with Download Images (not as an AI tool) their bytes,
 * each downloaded without the key (transport/download.ts) into n8n's binary store (io/binary.ts). A
 * download that fails is kept as the image's error, not thrown.
 */
async function fetchImages(
	ctx: IExecuteFunctions,
	plan: ItemSettings,
	taskId: string,
	state: TaskState,
	services: Services,
): Promise<ImageResult[]> {
	const sources: Array<{ url: string | null; base64?: string }> = state.imageUrls.length
		? state.imageUrls.map((url) => ({ url }))
		: state.base64Images.map((base64) => ({ url: null, base64 }));
	const download = plan.output.download && !services.asTool;
	return await Promise.all(
		sources.map(async (source, position): Promise<ImageResult> => {
			const result: ImageResult = { index: position + 1, url: source.url };
			const fileBase = imageFileBase(taskId, result.index);
			if (!download) return result;
			if (source.base64 !== undefined) {
				result.binary = await binaryFromBuffer(ctx, Buffer.from(source.base64, 'base64'), fileBase);
				return result;
			}
			if (!source.url) return result;
			const outcome = await downloadImage(
				ctx,
				source.url,
				async (body) => await storeImageStream(ctx, body, fileBase),
				{
					timeoutMs: plan.requestTimeoutMs,
					// Without waiting there is no Timeout on the item: its default bounds the retries.
					budgetMs: plan.wait.timeoutMs || DEFAULTS.timeoutSeconds * 1000,
					maxBytes: plan.maxImageBytes,
					maxRetries: plan.maxRetries,
					signal: services.signal,
					queue: services.downloads,
				},
			);
			if (outcome.error) result.error = outcome.error;
			else result.binary = outcome.value;
			return result;
		}),
	);
}

/** A task that ended: its failure as an error, or its images (downloaded as the options say). */
export async function finishTask(
	ctx: IExecuteFunctions,
	plan: ItemSettings,
	taskId: string,
	state: TaskState,
	services: Services,
	{ started, submitRequestId }: { started: number; submitRequestId?: string },
): Promise<TaskOutcome> {
	const node = ctx.getNode();
	throwIfAborted(node, services.signal);
	if (state.phase === 'failed') {
		throw apiError(
			node,
			{
				message: withTask(
					`Jimeng task failed with status "${state.status}": ${state.message ?? 'no reason given'}`,
					taskId,
				),
				description: adviceForFailedTask(state.status, state.message),
				code: state.status,
				requestId: state.requestId,
				taskId,
			},
			plan.itemIndex,
		);
	}
	const images = await fetchImages(ctx, plan, taskId, state, services);
	const requestId = state.requestId ?? submitRequestId;
	return {
		kind: 'done',
		result: { taskId, state, requestId, elapsedMs: Date.now() - started, images },
	};
}

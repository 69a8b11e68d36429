import type { IExecuteFunctions } from 'n8n-workflow';

import { adviceForFailedTask } from '../../domain/advice';
import { QUERY_ACTION } from '../../domain/api';
import { apiError, withTask } from '../../domain/errors';
import { imageFileBase } from '../../domain/images';
import { DEFAULTS } from '../../domain/limits';
import { readTaskState } from '../../domain/status';
import type { TaskState } from '../../domain/types';
import { binaryFromBuffer, storeImageStream } from '../../io/binary';
import type { TaskOutcome } from '../../io/layout';
import type { ImageResult } from '../../io/output';
import { throwIfAborted } from '../../runtime/pause';
import type { Services } from '../../runtime/engine';
import type { RateLimitListener } from '../../runtime/poller';
import { downloadImage, jimengApiRequest } from '../../transport';
import type { ItemPlan } from '../types';

async function queryTask(
	ctx: IExecuteFunctions,
	plan: ItemPlan,
	taskId: string,
	services: Services,
	onRateLimited?: RateLimitListener,
): Promise<TaskState> {
	const { envelope } = await jimengApiRequest.call(
		ctx,
		QUERY_ACTION,
		{ req_key: plan.reqKey, task_id: taskId, req_json: plan.reqJson },
		{
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

async function fetchImages(
	ctx: IExecuteFunctions,
	plan: ItemPlan,
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

/**
 * From a task ID to its outcome: waits (runtime/poller.ts) or looks once, turns a failed task into
 * an error and downloads the images (io/layout.ts lays out the items). Both operations end here.
 */
export async function awaitTask(
	ctx: IExecuteFunctions,
	plan: ItemPlan,
	taskId: string,
	services: Services,
	{ started, submitRequestId }: { started: number; submitRequestId?: string },
): Promise<TaskOutcome> {
	const node = ctx.getNode();
	let state: TaskState;
	if (plan.wait.enabled) {
		state = await services.poller.waitFor({
			intervalMs: plan.wait.pollIntervalMs,
			timeoutMs: plan.wait.timeoutMs,
			// Get Task looks at once; a fresh submit cannot be done before one interval.
			firstPollNow: plan.operation === 'getTask',
			query: async (onRateLimited) => await queryTask(ctx, plan, taskId, services, onRateLimited),
			timeoutError: (lastStatus) =>
				apiError(
					node,
					{
						message: `Timed out after ${Number((plan.wait.timeoutMs / 1000).toFixed(1))} s waiting for task ${taskId} (last status: ${lastStatus})`,
						description: `The task may still finish. Run Get Task with task ID ${taskId} to resume it, or raise Timeout.`,
						code: 'TIMEOUT',
						taskId,
					},
					plan.itemIndex,
				),
		});
	} else {
		state = await queryTask(ctx, plan, taskId, services);
		if (state.phase === 'pending') return { kind: 'pending', taskId, state };
	}
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
	return {
		kind: 'done',
		result: {
			taskId,
			state,
			requestId: state.requestId ?? submitRequestId,
			elapsedMs: Date.now() - started,
			images,
		},
	};
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { binaryFromBuffer, downloadImage } from '../helpers/download';
import type { ImageResult, TaskResult } from '../helpers/output';
import { buildSuccessItems, buildToolItem, fileBase } from '../helpers/output';
import { throwIfAborted } from '../helpers/pause';
import type { TaskPoller } from '../helpers/poller';
import type { TaskSlots } from '../helpers/slots';
import { adviceForFailedTask } from '../domain/advice';
import { apiError, withTask } from '../domain/errors';
import { readTaskState } from '../helpers/status';
import type { ItemPlan, TaskState } from '../helpers/types';
import { jimengApiRequest, QUERY_ACTION, SUBMIT_ACTION } from '../transport/request';

export interface RunContext {
	poller: TaskPoller;
	slots: TaskSlots;
	signal: AbortSignal;
	asTool: boolean;
}

async function submitTask(ctx: IExecuteFunctions, plan: ItemPlan, run: RunContext): Promise<{ taskId: string; requestId?: string }> {
	let envelope;
	for (;;) {
		const answer = await jimengApiRequest.call(ctx, SUBMIT_ACTION, plan.submitBody as IDataObject, {
			itemIndex: plan.itemIndex,
			maxRetries: plan.maxRetries,
			timeoutMs: plan.requestTimeoutMs,
			signal: run.signal,
			// Only worth waiting for a slot when our own tasks hold the gateway's capacity.
			yieldOnConcurrencyLimit: () => run.slots.running > 1,
		});
		if (!answer.concurrencyRefused) {
			envelope = answer.envelope;
			run.slots.accepted();
			break;
		}
		// The gateway allows no more than the others now running: wait until one of them finishes.
		run.slots.learnLimit(run.slots.running - 1);
		run.slots.release();
		await run.slots.acquire(true);
		throwIfAborted(ctx.getNode(), run.signal);
	}
	const taskId = (envelope.data as IDataObject | null | undefined)?.task_id;
	if (typeof taskId !== 'string' && typeof taskId !== 'number') {
		throw apiError(
			ctx.getNode(),
			{
				message: 'The submit answer has no task ID',
				description: 'The gateway answered code 10000 without data.task_id. Check Base URL and report it to the gateway.',
				requestId: envelope.request_id,
			},
			plan.itemIndex,
		);
	}
	// Logged so that a task whose execution dies (a killed worker) can still be fetched with Get Task.
	ctx.logger.info(`Jimeng task ${String(taskId)} submitted (execution ${ctx.getExecutionId()}, item ${plan.itemIndex})`, {
		taskId: String(taskId),
		executionId: ctx.getExecutionId(),
		itemIndex: plan.itemIndex,
		node: ctx.getNode().name,
	});
	return { taskId: String(taskId), requestId: envelope.request_id };
}

async function queryTask(ctx: IExecuteFunctions, plan: ItemPlan, taskId: string, run: RunContext): Promise<TaskState> {
	const { envelope } = await jimengApiRequest.call(
		ctx,
		QUERY_ACTION,
		{ req_key: plan.reqKey, task_id: taskId, req_json: plan.reqJson },
		{ itemIndex: plan.itemIndex, taskId, maxRetries: plan.maxRetries, timeoutMs: plan.requestTimeoutMs, signal: run.signal },
	);
	return readTaskState(envelope);
}

async function fetchImages(
	ctx: IExecuteFunctions,
	plan: ItemPlan,
	taskId: string,
	state: TaskState,
	run: RunContext,
): Promise<ImageResult[]> {
	const sources: Array<{ url: string | null; base64?: string }> = state.imageUrls.length
		? state.imageUrls.map((url) => ({ url }))
		: state.base64Images.map((base64) => ({ url: null, base64 }));
	const download = plan.output.download && !run.asTool;
	return await Promise.all(
		sources.map(async (source, position): Promise<ImageResult> => {
			const result: ImageResult = { index: position + 1, url: source.url };
			const base = fileBase(taskId, result.index);
			if (source.base64 !== undefined) {
				if (download) result.binary = await binaryFromBuffer(ctx, Buffer.from(source.base64, 'base64'), base);
				return result;
			}
			if (!download || !source.url) return result;
			const outcome = await downloadImage(ctx, source.url, base, {
				timeoutMs: plan.requestTimeoutMs,
				maxRetries: plan.maxRetries,
				signal: run.signal,
			});
			result.binary = outcome.binary;
			result.error = outcome.error;
			return result;
		}),
	);
}

/** Submit (or resume), wait, download: the whole life of one input item. */
export async function runTask(ctx: IExecuteFunctions, plan: ItemPlan, run: RunContext): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const started = Date.now();
	const pairedItem = { item: plan.itemIndex };
	let taskId = plan.taskId as string;
	let submitRequestId: string | undefined;

	if (plan.operation === 'submit') {
		({ taskId, requestId: submitRequestId } = await submitTask(ctx, plan, run));
		if (!plan.wait.enabled) {
			const json: IDataObject = { taskId, status: 'submitted', requestId: submitRequestId, prompt: plan.prompt };
			if (plan.size) json.size = { ...plan.size };
			return [{ json, pairedItem }];
		}
	}

	let state: TaskState;
	if (plan.wait.enabled) {
		state = await run.poller.waitFor({
			intervalMs: plan.wait.pollIntervalMs,
			timeoutMs: plan.wait.timeoutMs,
			firstPollNow: plan.operation === 'getTask',
			query: async () => await queryTask(ctx, plan, taskId, run),
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
		state = await queryTask(ctx, plan, taskId, run);
		if (state.phase === 'pending') {
			return [{ json: { taskId, status: state.status, requestId: state.requestId }, pairedItem }];
		}
	}
	throwIfAborted(node, run.signal);

	if (state.phase === 'failed') {
		throw apiError(
			node,
			{
				message: withTask(`Jimeng task failed with status "${state.status}": ${state.message ?? 'no reason given'}`, taskId),
				description: adviceForFailedTask(state.status, state.message),
				code: state.status,
				requestId: state.requestId,
				taskId,
			},
			plan.itemIndex,
		);
	}

	const images = await fetchImages(ctx, plan, taskId, state, run);
	const result: TaskResult = {
		taskId,
		state,
		requestId: state.requestId ?? submitRequestId,
		elapsedMs: Date.now() - started,
		images,
	};
	if (run.asTool) return [buildToolItem(plan, result)];
	return buildSuccessItems(plan, result);
}

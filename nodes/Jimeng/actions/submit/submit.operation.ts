import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { SUBMIT_ACTION } from '../../domain/api';
import { apiError } from '../../domain/errors';
import { DEFAULTS, LIMITS } from '../../domain/limits';
import type { TaskOutcome } from '../../io/layout';
import { readCommonSettings } from '../../io/params';
import { throwIfAborted } from '../../runtime/pause';
import type { Services, TaskOperation, TaskPlace } from '../../runtime/engine';
import type { Slot } from '../../runtime/slots';
import { jimengApiRequest } from '../../transport';
import { awaitTask } from '../common/task';
import { failedTasksOutput, taskOutput } from '../common/taskOutput';
import type { Described, SubmitPlan } from '../types';
import { planSubmit } from './submit.plan';
import { submitProperties } from './submit.properties';
import { uploadReferences } from './uploadReferences';

/** Submits until the gateway accepts: a 50430 while our own tasks run waits for one of them (Slot). */
async function submitTask(
	ctx: IExecuteFunctions,
	plan: SubmitPlan,
	services: Services,
	slot: Slot,
	place: TaskPlace,
): Promise<{ taskId: string; requestId?: string }> {
	// How long a submit may wait for the gateway's capacity when others hold it: the item's Timeout.
	const patienceMs = plan.wait.enabled ? plan.wait.timeoutMs : DEFAULTS.timeoutSeconds * 1000;
	const waitUntil = Date.now() + patienceMs;
	for (;;) {
		services.balance.check(ctx.getNode(), plan.itemIndex);
		const answer = await jimengApiRequest
			.call(ctx, SUBMIT_ACTION, plan.submitBody, {
				itemIndex: plan.itemIndex,
				maxRetries: plan.maxRetries,
				timeoutMs: plan.requestTimeoutMs,
				signal: services.signal,
				canYield: () => slot.othersRunning(),
				canWaitForCapacity: () => Date.now() < waitUntil,
			})
			.catch((error: unknown) => {
				services.balance.record(error);
				throw error;
			});
		if (answer.concurrencyRefused) {
			await slot.refused();
			throwIfAborted(ctx.getNode(), services.signal);
			continue;
		}
		slot.accepted();
		const { envelope } = answer;
		const taskId = (envelope.data as IDataObject | null | undefined)?.task_id;
		if (typeof taskId !== 'string' && typeof taskId !== 'number') {
			throw apiError(
				ctx.getNode(),
				{
					message: 'The submit answer has no task ID',
					description:
						'The gateway answered code 10000 without data.task_id. Check Base URL and report it to the gateway.',
					requestId: envelope.request_id,
				},
				plan.itemIndex,
			);
		}
		// Logged so that a task whose execution dies (a killed worker) can still be fetched with Get Task.
		const image = place.count > 1 ? `, image ${place.index + 1} of ${place.count}` : '';
		ctx.logger.info(
			`Jimeng task ${String(taskId)} submitted (execution ${ctx.getExecutionId()}, item ${plan.itemIndex}${image})`,
			{
				taskId: String(taskId),
				executionId: ctx.getExecutionId(),
				itemIndex: plan.itemIndex,
				...(place.count > 1 ? { imageIndex: place.index + 1 } : {}),
				node: ctx.getNode().name,
			},
		);
		return { taskId: String(taskId), requestId: envelope.request_id };
	}
}

/** Once per item, whatever its Number of Images: uploads the binary references, URL ones first. */
async function prepareSubmit(
	ctx: IExecuteFunctions,
	plan: SubmitPlan,
	services: Services,
): Promise<SubmitPlan> {
	if (!plan.references.length) return plan;
	const links = await uploadReferences(ctx, plan, services);
	const urls = Array.isArray(plan.submitBody.image_urls) ? plan.submitBody.image_urls : [];
	return { ...plan, submitBody: { ...plan.submitBody, image_urls: [...urls, ...links] } };
}

async function runSubmit(
	ctx: IExecuteFunctions,
	plan: SubmitPlan,
	services: Services,
	slot: Slot,
	place: TaskPlace,
): Promise<TaskOutcome> {
	const started = Date.now();
	const { taskId, requestId } = await submitTask(ctx, plan, services, slot, place);
	if (!plan.wait.enabled) return { kind: 'submitted', taskId, requestId };
	return await awaitTask(ctx, plan, taskId, services, { started, submitRequestId: requestId });
}

export const submitOperation: Described<TaskOperation<SubmitPlan, TaskOutcome>> = {
	kind: 'tasks',
	option: {
		name: 'Submit',
		value: 'submit',
		description: 'Generate images from a prompt and optional reference images',
		action: 'Generate an image',
	},
	properties: submitProperties,
	read: async (ctx, itemIndex) =>
		await planSubmit(ctx, itemIndex, readCommonSettings(ctx, itemIndex)),
	hint: (plans) => {
		const long = plans.filter((plan) => plan.prompt.length > LIMITS.promptSoftLength).length;
		return long
			? `${long} prompt(s) are longer than ${LIMITS.promptSoftLength} characters; the API says long prompts may misbehave.`
			: undefined;
	},
	// Number of Images: one single-image task per image, each its own unit holding one slot.
	taskCount: (plan) => plan.numberOfImages,
	prepare: prepareSubmit,
	runTask: runSubmit,
	output: taskOutput,
	failedTasks: failedTasksOutput,
};

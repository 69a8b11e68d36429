import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { SUBMIT_ACTION } from '../../domain/api';
import { apiError } from '../../domain/errors';
import { DEFAULTS } from '../../domain/limits';
import type { TaskOutcome } from '../../io/layout';
import { throwIfAborted } from '../../runtime/pause';
import type { Slot } from '../../runtime/slots';
import { jimengApiRequest } from '../../transport';
import { awaitTask } from '../common/awaitTask';
import type { JimengOperation, RunContext, SubmitPlan, TaskUnit } from '../types';
import { planSubmit } from './submit.plan';
import { submitProperties } from './submit.properties';
import { uploadReferences } from './uploadReferences';

/** Submits until the gateway accepts: a 50430 while our own tasks run waits for one of them (Slot). */
async function submitTask(
	ctx: IExecuteFunctions,
	plan: SubmitPlan,
	run: RunContext,
	slot: Slot,
	unit: TaskUnit,
): Promise<{ taskId: string; requestId?: string }> {
	// How long a submit may wait for the gateway's capacity when others hold it: the item's Timeout.
	const patienceMs = plan.wait.enabled ? plan.wait.timeoutMs : DEFAULTS.timeoutSeconds * 1000;
	const waitUntil = Date.now() + patienceMs;
	for (;;) {
		run.balance.check(ctx.getNode(), plan.itemIndex);
		const answer = await jimengApiRequest
			.call(ctx, SUBMIT_ACTION, plan.submitBody, {
				itemIndex: plan.itemIndex,
				maxRetries: plan.maxRetries,
				timeoutMs: plan.requestTimeoutMs,
				signal: run.signal,
				canYield: () => slot.othersRunning(),
				canWaitForCapacity: () => Date.now() < waitUntil,
			})
			.catch((error: unknown) => {
				run.balance.record(error);
				throw error;
			});
		if (answer.concurrencyRefused) {
			await slot.refused();
			throwIfAborted(ctx.getNode(), run.signal);
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
		const image = unit.count > 1 ? `, image ${unit.index + 1} of ${unit.count}` : '';
		ctx.logger.info(
			`Jimeng task ${String(taskId)} submitted (execution ${ctx.getExecutionId()}, item ${plan.itemIndex}${image})`,
			{
				taskId: String(taskId),
				executionId: ctx.getExecutionId(),
				itemIndex: plan.itemIndex,
				...(unit.count > 1 ? { imageIndex: unit.index + 1 } : {}),
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
	run: RunContext,
): Promise<SubmitPlan> {
	if (!plan.references.length) return plan;
	const links = await uploadReferences(ctx, plan, run);
	const urls = Array.isArray(plan.submitBody.image_urls) ? plan.submitBody.image_urls : [];
	return { ...plan, submitBody: { ...plan.submitBody, image_urls: [...urls, ...links] } };
}

async function runSubmit(
	ctx: IExecuteFunctions,
	plan: SubmitPlan,
	run: RunContext,
	slot: Slot,
	unit: TaskUnit,
): Promise<TaskOutcome> {
	const started = Date.now();
	const { taskId, requestId } = await submitTask(ctx, plan, run, slot, unit);
	if (!plan.wait.enabled) return { kind: 'submitted', taskId, requestId };
	return await awaitTask(ctx, plan, taskId, run, { started, submitRequestId: requestId });
}

export const submitOperation: JimengOperation<SubmitPlan> = {
	option: {
		name: 'Submit',
		value: 'submit',
		description: 'Generate images from a prompt and optional reference images',
		action: 'Generate an image',
	},
	properties: submitProperties,
	plan: planSubmit,
	// Number of Images: one single-image task per image, each its own unit holding one slot.
	taskCount: (plan) => plan.numberOfImages,
	prepare: prepareSubmit,
	run: runSubmit,
};

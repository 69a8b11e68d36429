import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { SUBMIT_ACTION } from '../../domain/api';
import { apiError } from '../../domain/errors';
import { DEFAULTS } from '../../domain/limits';
import { buildSubmittedItem } from '../../io/output';
import { throwIfAborted } from '../../runtime/pause';
import type { Slot } from '../../runtime/slots';
import { jimengApiRequest } from '../../transport';
import { awaitTask, itemContext } from '../common/awaitTask';
import type { JimengOperation, RunContext, SubmitPlan } from '../types';
import { planSubmit } from './submit.plan';
import { submitProperties } from './submit.properties';
import { uploadReferences } from './uploadReferences';

/** Submits until the gateway accepts: a 50430 while our own tasks run waits for one of them (Slot). */
async function submitTask(
	ctx: IExecuteFunctions,
	plan: SubmitPlan,
	run: RunContext,
	slot: Slot,
): Promise<{ taskId: string; requestId?: string }> {
	// How long a submit may wait for the gateway's capacity when others hold it: the item's Timeout.
	const patienceMs = plan.wait.enabled ? plan.wait.timeoutMs : DEFAULTS.timeoutSeconds * 1000;
	const waitUntil = Date.now() + patienceMs;
	for (;;) {
		const answer = await jimengApiRequest.call(ctx, SUBMIT_ACTION, plan.submitBody, {
			itemIndex: plan.itemIndex,
			maxRetries: plan.maxRetries,
			timeoutMs: plan.requestTimeoutMs,
			signal: run.signal,
			canYield: () => slot.othersRunning(),
			canWaitForCapacity: () => Date.now() < waitUntil,
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
		ctx.logger.info(
			`Jimeng task ${String(taskId)} submitted (execution ${ctx.getExecutionId()}, item ${plan.itemIndex})`,
			{
				taskId: String(taskId),
				executionId: ctx.getExecutionId(),
				itemIndex: plan.itemIndex,
				node: ctx.getNode().name,
			},
		);
		return { taskId: String(taskId), requestId: envelope.request_id };
	}
}

async function runSubmit(
	ctx: IExecuteFunctions,
	plan: SubmitPlan,
	run: RunContext,
	slot: Slot,
): Promise<INodeExecutionData[]> {
	const started = Date.now();
	if (plan.references.length) {
		// URL references first, then the binaries in the order given.
		const links = await uploadReferences(ctx, plan, run);
		const urls = Array.isArray(plan.submitBody.image_urls) ? plan.submitBody.image_urls : [];
		plan = { ...plan, submitBody: { ...plan.submitBody, image_urls: [...urls, ...links] } };
	}
	const { taskId, requestId } = await submitTask(ctx, plan, run, slot);
	if (!plan.wait.enabled) return [buildSubmittedItem(itemContext(plan), taskId, requestId)];
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
	run: runSubmit,
};

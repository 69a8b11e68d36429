import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { SUBMIT_ACTION } from '../../domain/api';
import { apiError } from '../../domain/errors';
import { DEFAULTS } from '../../domain/limits';
import type { Place, Services } from '../../runtime/operation';
import { throwIfAborted } from '../../runtime/pause';
import type { Slot } from '../../runtime/slots';
import type { CapacityPolicy } from '../../transport/request';
import { jimengApiRequest } from '../../transport/request';
import type { SubmitPlan } from './submit.plan';

/** The submit answer's task ID, or an error: a 10000 without one cannot be followed. */
function taskIdOf(ctx: IExecuteFunctions, plan: SubmitPlan, envelope: IDataObject): string {
	const taskId = (envelope.data as IDataObject | null | undefined)?.task_id;
	if (typeof taskId === 'string' || typeof taskId === 'number') return String(taskId);
	throw apiError(
		ctx.getNode(),
		{
			message: 'The submit answer has no task ID',
			description:
				'The gateway answered code 10000 without data.task_id. Check Base URL and report it to the gateway.',
			requestId: envelope.request_id as string | undefined,
		},
		plan.itemIndex,
	);
}

/** Logged so that a task whose execution dies (a killed worker) can still be fetched with Get Task. */
function logSubmitted(ctx: IExecuteFunctions, plan: SubmitPlan, taskId: string, place: Place) {
	const image = place.count > 1 ? `, image ${place.index + 1} of ${place.count}` : '';
	ctx.logger.info(
		`Jimeng task ${taskId} submitted (execution ${ctx.getExecutionId()}, item ${plan.itemIndex}${image})`,
		{
			taskId,
			executionId: ctx.getExecutionId(),
			itemIndex: plan.itemIndex,
			...(place.count > 1 ? { imageIndex: place.index + 1 } : {}),
			node: ctx.getNode().name,
		},
	);
}

/**
 * Submits until the gateway accepts: a 50430 while the execution's own tasks run gives the slot up
 * and waits for one of them (runtime/slots.ts); past Max Retries, one from elsewhere is waited out
 * within the item's Timeout. No submit once the balance was refused (runtime/spentBalance.ts).
 */
export async function submitTask(
	ctx: IExecuteFunctions,
	plan: SubmitPlan,
	services: Services,
	slot: Slot,
	place: Place,
): Promise<{ taskId: string; requestId?: string }> {
	const patienceMs = plan.wait.enabled ? plan.wait.timeoutMs : DEFAULTS.timeoutSeconds * 1000;
	const waitUntil = Date.now() + patienceMs;
	const capacity: CapacityPolicy = {
		ownTasksRunning: () => slot.othersRunning(),
		mayWait: () => Date.now() < waitUntil,
	};
	for (;;) {
		services.balance.check(ctx.getNode(), plan.itemIndex);
		const answer = await jimengApiRequest
			.call(ctx, SUBMIT_ACTION, plan.submitBody, {
				kind: 'submit',
				itemIndex: plan.itemIndex,
				maxRetries: plan.maxRetries,
				timeoutMs: plan.requestTimeoutMs,
				signal: services.signal,
				capacity,
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
		const taskId = taskIdOf(ctx, plan, answer.envelope as IDataObject);
		logSubmitted(ctx, plan, taskId, place);
		return { taskId, requestId: answer.envelope.request_id };
	}
}

import type { INodeExecutionData } from 'n8n-workflow';

import type { TaskOutcome } from '../../io/layout';
import { buildFailedTasksItem, buildItemOutput } from '../../io/layout';
import type { ItemContext } from '../../io/output';
import type { ItemPlan } from '../types';

/** The output-side view of a plan. */
function itemContext(plan: ItemPlan): ItemContext {
	return plan.operation === 'submit'
		? { itemIndex: plan.itemIndex, prompt: plan.prompt, size: plan.size, output: plan.output }
		: { itemIndex: plan.itemIndex, output: plan.output };
}

/** An item's output from its tasks (io/layout.ts lays them out). */
export function taskOutput(
	plan: ItemPlan,
	outcomes: Array<TaskOutcome | undefined>,
	asTool: boolean,
): INodeExecutionData[] {
	return buildItemOutput(itemContext(plan), outcomes, asTool);
}

/** The item saying which of an item's tasks failed. */
export function failedTasksOutput(
	plan: ItemPlan,
	outcomes: Array<TaskOutcome | undefined>,
	failures: Array<{ index: number; error: Error }>,
): INodeExecutionData {
	return buildFailedTasksItem(plan.itemIndex, outcomes, failures);
}

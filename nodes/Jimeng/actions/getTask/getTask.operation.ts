import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { TaskOutcome } from '../../io/layout';
import { buildFailedTasksItem, buildItemOutput } from '../../io/layout';
import { paramSource, readCommonSettings } from '../../io/params';
import { invalid } from '../../io/validation';
import type { Services, TaskOperation } from '../../runtime/operation';
import type { Described } from '../common/described';
import type { ItemSettings } from '../common/task';
import { finishTask, lookUpTask, waitForTask } from '../common/task';

// Get Task: a task submitted earlier (or elsewhere), looked at once or waited for, its images downloaded.

const properties: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 67fb9e82-126e-4c71-bb16-a3bb3789e3b7',
		description: 'The task ID returned by Submit (field taskId)',
	},
];

const description = updateDisplayOptions({ show: { operation: ['getTask'] } }, properties);

interface GetTaskPlan extends ItemSettings {
	taskId: string;
}

async function read(ctx: IExecuteFunctions, i: number): Promise<GetTaskPlan> {
	const common = readCommonSettings(ctx, i);
	const taskId = String(ctx.getNodeParameter('taskId', i, '') ?? '').trim();
	if (!taskId)
		throw invalid(
			paramSource(ctx, i),
			'The Task ID is empty',
			'Map the taskId field from a Submit output.',
		);
	return { ...common, itemIndex: i, taskId };
}

/** Waits (looking at once: its age is unknown) or looks once; a task still running is reported as such. */
async function runTask(
	ctx: IExecuteFunctions,
	plan: GetTaskPlan,
	services: Services,
): Promise<TaskOutcome> {
	const started = Date.now();
	const { taskId } = plan;
	const state = plan.wait.enabled
		? await waitForTask(ctx, plan, taskId, services, true)
		: await lookUpTask(ctx, plan, taskId, services);
	if (state.phase === 'pending') return { kind: 'pending', taskId, state };
	return await finishTask(ctx, plan, taskId, state, services, { started });
}

export const getTaskOperation: Described<TaskOperation<GetTaskPlan, TaskOutcome>> = {
	kind: 'tasks',
	option: {
		name: 'Get Task',
		value: 'getTask',
		description: 'Fetch a submitted task, optionally waiting until its images are ready',
		action: 'Get a generation task',
	},
	properties: description,
	read,
	runTask,
	output: (plan, outcomes, asTool) =>
		buildItemOutput({ itemIndex: plan.itemIndex, output: plan.output }, outcomes, asTool),
	failedTasks: (plan, outcomes, failures) =>
		buildFailedTasksItem(plan.itemIndex, outcomes, failures),
};

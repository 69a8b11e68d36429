import type { IExecuteFunctions } from 'n8n-workflow';

import type { TaskOutcome } from '../../io/layout';
import { paramSource, readCommonSettings } from '../../io/params';
import { invalid } from '../../io/validation';
import type { Services, TaskOperation } from '../../runtime/engine';
import { awaitTask } from '../common/task';
import { failedTasksOutput, taskOutput } from '../common/taskOutput';
import type { Described, GetTaskPlan } from '../types';
import { getTaskProperties } from './getTask.properties';

async function readGetTask(ctx: IExecuteFunctions, i: number): Promise<GetTaskPlan> {
	const common = readCommonSettings(ctx, i);
	const taskId = String(ctx.getNodeParameter('taskId', i, '') ?? '').trim();
	if (!taskId)
		throw invalid(
			paramSource(ctx, i),
			'The Task ID is empty',
			'Map the taskId field from a Submit output.',
		);
	return { ...common, operation: 'getTask', itemIndex: i, taskId };
}

async function runGetTask(
	ctx: IExecuteFunctions,
	plan: GetTaskPlan,
	services: Services,
): Promise<TaskOutcome> {
	return await awaitTask(ctx, plan, plan.taskId, services, { started: Date.now() });
}

export const getTaskOperation: Described<TaskOperation<GetTaskPlan, TaskOutcome>> = {
	kind: 'tasks',
	option: {
		name: 'Get Task',
		value: 'getTask',
		description: 'Fetch a submitted task, optionally waiting until its images are ready',
		action: 'Get a generation task',
	},
	properties: getTaskProperties,
	read: readGetTask,
	runTask: runGetTask,
	output: taskOutput,
	failedTasks: failedTasksOutput,
};

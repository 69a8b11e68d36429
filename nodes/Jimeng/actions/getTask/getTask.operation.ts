import type { IExecuteFunctions } from 'n8n-workflow';

import type { CommonSettings } from '../../io/params';
import type { TaskOutcome } from '../../io/layout';
import { paramSource } from '../../io/params';
import { invalid } from '../../io/validation';
import { awaitTask } from '../common/awaitTask';
import type { GetTaskPlan, JimengOperation, RunContext } from '../types';
import { getTaskProperties } from './getTask.properties';

async function planGetTask(
	ctx: IExecuteFunctions,
	i: number,
	common: CommonSettings,
): Promise<GetTaskPlan> {
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
	run: RunContext,
): Promise<TaskOutcome> {
	return await awaitTask(ctx, plan, plan.taskId, run, { started: Date.now() });
}

export const getTaskOperation: JimengOperation<GetTaskPlan> = {
	option: {
		name: 'Get Task',
		value: 'getTask',
		description: 'Fetch a submitted task, optionally waiting until its images are ready',
		action: 'Get a generation task',
	},
	properties: getTaskProperties,
	plan: planGetTask,
	run: runGetTask,
};

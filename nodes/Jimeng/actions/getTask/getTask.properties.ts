import type { INodeProperties } from 'n8n-workflow';

export const getTaskProperties: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 67fb9e82-126e-4c71-bb16-a3bb3789e3b7',
		description: 'The task ID returned by Submit (field taskId)',
		displayOptions: { show: { operation: ['getTask'] } },
	},
];

import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { optionsProperty, waitProperties } from './actions/common.properties';
import { getTaskProperties } from './actions/getTask.properties';
import { router } from './actions/router';
import { jimengApiTest } from './methods/credentialTest';
import { submitProperties } from './actions/submit.properties';

export class Jimeng implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Jimeng',
		name: 'jimeng',
		icon: { light: 'file:jimeng.svg', dark: 'file:jimeng.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "getTask" ? "Get Task" : "Submit" }}',
		description: 'Generate images with Jimeng 4.0 (Seedream) through the deepwl gateway',
		defaults: { name: 'Jimeng' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'jimengApi', required: true, testedBy: 'jimengApiTest' }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Get Task',
						value: 'getTask',
						description: 'Fetch a submitted task, optionally waiting until its images are ready',
						action: 'Get a generation task',
					},
					{
						name: 'Submit',
						value: 'submit',
						description: 'Generate images from a prompt and optional reference images',
						action: 'Generate an image',
					},
				],
				default: 'submit',
			},
			...submitProperties,
			...getTaskProperties,
			...waitProperties,
			optionsProperty,
		],
	};

	methods = { credentialTest: { jimengApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

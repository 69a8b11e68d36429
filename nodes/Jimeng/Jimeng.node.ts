import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, subtitle } from './actions/operations';
import { router } from './actions/router';
import { jimengApiTest } from './methods/jimengApiTest';

export class Jimeng implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Jimeng',
		name: 'jimeng',
		icon: { light: 'file:jimeng.svg', dark: 'file:jimeng.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle,
		// Also what an AI Agent's model reads about the Jimeng Tool: n8n's tool description falls back to
		// it when a node has no resource (NodeHelpers.getToolDescriptionForNode, every line).
		description:
			'Generate images with Jimeng 4.0 (Seedream) through the deepwl gateway. Each call submits a new task that is billed per image, and returns the task ID, the image URLs (valid 24 hours) and the size.',
		defaults: { name: 'Jimeng' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'jimengApi', required: true, testedBy: 'jimengApiTest' }],
		properties: nodeProperties,
	};

	methods = { credentialTest: { jimengApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

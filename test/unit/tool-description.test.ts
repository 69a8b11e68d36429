// What an AI Agent's model reads about the Jimeng Tool, computed by n8n's own function: with no
// resource and no toolDescription parameter set, n8n uses the node's description (on every line:
// 1.123 and 2.4 take the same branch as 2.41).
import type { INode } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Jimeng } from '../../nodes/Jimeng/Jimeng.node';

const nodeType = new Jimeng();
const toolNode: INode = {
	id: 'tool',
	name: 'Jimeng',
	type: 'n8n-nodes-jimeng.jimengTool',
	typeVersion: 1,
	position: [0, 0],
	// What n8n stores for a tool added in the editor: descriptionType at its default.
	parameters: { descriptionType: 'auto', operation: 'submit', prompt: "={{ $fromAI('prompt') }}" },
};

describe('the tool description the model reads', () => {
	const description = NodeHelpers.getToolDescriptionForNode(toolNode, nodeType);

	test('is the node description', () => {
		expect(description).toBe(nodeType.description.description);
	});

	test.each([
		[
			'that each call generates and bills images',
			[/generate images/i, /each call submits a new task that is billed/i],
		],
		['what the tool returns: task ID, image URLs, size', [/task ID/, /image URLs/, /\bsize\b/]],
	])('says %s', (_what, patterns) => {
		for (const pattern of patterns) expect(description).toMatch(pattern);
	});
});

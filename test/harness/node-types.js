'use strict';
/**
 * The INodeTypes registry handed to the Workflow, and the tiny start node that
 * feeds the test's input items to the node under test.
 */
const { requireFromCore } = require('./core');

const { NodeHelpers, UnexpectedError, NodeConnectionTypes } = requireFromCore('n8n-workflow');

const START_NODE_TYPE = 'n8n-nodes-harness.harnessStart';
const START_NODE_NAME = 'Harness Start';

/**
 * Start node: ignores the engine's single empty item and outputs the run's
 * input items. Binary properties given inline (base64 string or Buffer in
 * `data`, no `id`) are stored through this.helpers.prepareBinaryData, so in
 * filesystem mode the node under test receives items that reference stored
 * files, as it would behind a real upstream node.
 */
function createStartNodeType(inputItems) {
	return {
		description: {
			displayName: START_NODE_NAME,
			name: 'harnessStart',
			group: ['input'],
			version: 1,
			description: 'Feeds the harness input items',
			defaults: { name: START_NODE_NAME },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute() {
			const out = [];
			for (const item of inputItems) {
				const json = structuredClone(item.json ?? {});
				const newItem = { json, pairedItem: { item: 0 } };
				if (item.binary) {
					newItem.binary = {};
					for (const [key, value] of Object.entries(item.binary)) {
						if (value.id) {
							newItem.binary[key] = { ...value };
							continue;
						}
						const buffer = Buffer.isBuffer(value.data)
							? value.data
							: value.data instanceof Uint8Array
								? Buffer.from(value.data)
								: Buffer.from(String(value.data ?? ''), 'base64');
						const stored = await this.helpers.prepareBinaryData(
							buffer,
							value.fileName,
							value.mimeType,
						);
						newItem.binary[key] = stored;
					}
				}
				out.push(newItem);
			}
			return [out];
		},
	};
}

class HarnessNodeTypes {
	constructor() {
		this.types = new Map();
	}

	add(typeName, nodeType) {
		this.types.set(typeName, nodeType);
	}

	getByName(nodeType) {
		const t = this.types.get(nodeType);
		if (!t) throw new UnexpectedError(`Unknown node type: ${nodeType}`);
		return t;
	}

	getByNameAndVersion(nodeType, version) {
		const t = this.types.get(nodeType);
		if (!t) return undefined;
		return NodeHelpers.getVersionedNodeType(t, version);
	}

	getKnownTypes() {
		const known = {};
		for (const [name, t] of this.types) {
			known[name] = { className: t.constructor?.name ?? 'Object', sourcePath: '' };
		}
		return known;
	}
}

module.exports = { HarnessNodeTypes, createStartNodeType, START_NODE_TYPE, START_NODE_NAME };

'use strict';
/** The INodeTypes registry handed to the Workflow, and the start node that feeds the input items. */
const { requireFromCore } = require('./core');

const { NodeHelpers, NodeConnectionTypes } = requireFromCore('n8n-workflow');

const START_NODE_TYPE = 'n8n-nodes-harness.harnessStart';
const START_NODE_NAME = 'Harness Start';

/** Inline binary `data` (base64, Buffer or Uint8Array) as a Buffer. */
const bytesOf = (data) =>
	typeof data === 'string' || data === undefined
		? Buffer.from(data ?? '', 'base64')
		: Buffer.from(data);

/**
 * Outputs the run's input items instead of the engine's empty one. Inline binaries (no `id`) are
 * stored through prepareBinaryData, so in filesystem mode the node under test gets references to
 * stored files, as behind a real upstream node.
 */
function createStartNodeType(inputItems) {
	const main = [NodeConnectionTypes.Main];
	return {
		description: {
			displayName: START_NODE_NAME,
			name: 'harnessStart',
			group: ['input'],
			version: 1,
			description: 'Feeds the harness input items',
			defaults: { name: START_NODE_NAME },
			inputs: main,
			outputs: main,
			properties: [],
		},
		async execute() {
			const out = [];
			for (const item of inputItems) {
				const json = structuredClone(item.json ?? {});
				const newItem = { json, pairedItem: { item: 0 }, ...(item.binary && { binary: {} }) };
				for (const [key, value] of Object.entries(item.binary ?? {})) {
					newItem.binary[key] = value.id
						? { ...value }
						: await this.helpers.prepareBinaryData(
								bytesOf(value.data),
								value.fileName,
								value.mimeType,
							);
				}
				out.push(newItem);
			}
			return [out];
		},
	};
}

/** The INodeTypes of a harness workflow: the start node and the node under test, by type name. */
function harnessNodeTypes(byName) {
	const getByNameAndVersion = (name, version) =>
		byName[name] && NodeHelpers.getVersionedNodeType(byName[name], version);
	return { getByNameAndVersion };
}

module.exports = { harnessNodeTypes, createStartNodeType, START_NODE_TYPE, START_NODE_NAME };

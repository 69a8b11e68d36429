// The Jimeng node as installed in an instance, read through its class.
import { installedNodeDescription } from '../n8n/installed-node.mjs';

export const JIMENG_NODE = {
	packageName: 'n8n-nodes-jimeng',
	file: 'dist/nodes/Jimeng/Jimeng.node.js',
	className: 'Jimeng',
};

/** Max Concurrent Tasks' default and maximum in the Jimeng package installed in an n8n instance. */
export function installedNodeSettings(instance) {
	const { version, description } = installedNodeDescription(instance, JIMENG_NODE);
	const options = description.properties.find((p) => p.name === 'options');
	const option = options?.options?.find((o) => o.name === 'maxConcurrency');
	if (!option) throw new Error('the installed Jimeng node has no Options → Max Concurrent Tasks');
	return {
		defaultConcurrency: option.default,
		cap: option.typeOptions?.maxValue ?? Infinity,
		version,
	};
}

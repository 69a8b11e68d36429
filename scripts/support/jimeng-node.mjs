// The Jimeng node as an instance loads it: the installed community package's built class,
// instantiated in a child node whose n8n-workflow is the one that n8n line ships (NODE_PATH), as n8n
// resolves a community package's peer dependency.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const PACKAGE = 'n8n-nodes-jimeng';

/** `new Jimeng().description` of the package installed in `instance`, and the package's version. */
function installedDescription(instance) {
	const pkg = instance.packages.find((p) => p.name === PACKAGE);
	if (!pkg) throw new Error(`${PACKAGE} is not installed in this instance`);
	const script =
		'const [file, name] = process.argv.slice(1);' +
		'process.stdout.write(JSON.stringify(new (require(file)[name])().description));';
	const file = path.join(pkg.dir, 'dist/nodes/Jimeng/Jimeng.node.js');
	const out = execFileSync(process.execPath, ['-e', script, file, 'Jimeng'], {
		env: { ...process.env, NODE_PATH: path.join(instance.line.dir, 'node_modules') },
		encoding: 'utf8',
		timeout: 60_000,
	});
	return { version: pkg.version, description: JSON.parse(out) };
}

/** Max Concurrent Tasks' default and maximum in the Jimeng package installed in an n8n instance. */
export function installedNodeSettings(instance) {
	const { version, description } = installedDescription(instance);
	const options = description.properties.find((p) => p.name === 'options');
	const option = options?.options?.find((o) => o.name === 'maxConcurrency');
	if (!option) throw new Error('the installed Jimeng node has no Options → Max Concurrent Tasks');
	return {
		defaultConcurrency: option.default,
		cap: option.typeOptions?.maxValue ?? Infinity,
		version,
	};
}

// The description of a node class as an instance loads it: the installed community package's built
// class, instantiated in a child node whose n8n-workflow is the one that n8n line ships (NODE_PATH),
// as n8n resolves a community package's peer dependency.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * `new (require(<package>/<file>)[className])().description` of a package installed in `instance`.
 * @param {object} instance  from createInstance
 * @param {{ packageName: string, file: string, className: string }} node  e.g.
 *   { packageName: 'n8n-nodes-jimeng', file: 'dist/nodes/Jimeng/Jimeng.node.js', className: 'Jimeng' }
 */
export function installedNodeDescription(instance, { packageName, file, className }) {
	const pkg = instance.packages.find((p) => p.name === packageName);
	if (!pkg) throw new Error(`${packageName} is not installed in this instance`);
	const script =
		'const [file, name] = process.argv.slice(1);' +
		'process.stdout.write(JSON.stringify(new (require(file)[name])().description));';
	const out = execFileSync(process.execPath, ['-e', script, path.join(pkg.dir, file), className], {
		env: { ...process.env, NODE_PATH: path.join(instance.line.dir, 'node_modules') },
		encoding: 'utf8',
		timeout: 60_000,
	});
	return { version: pkg.version, description: JSON.parse(out) };
}

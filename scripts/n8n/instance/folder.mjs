// An instance's temporary user folder, with community packages installed the way n8n installs them.
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { extractTarball } from '../pack.mjs';
import { trackFolder } from '../processes.mjs';

/**
 * mkdtemp a user folder (removed by the reaper if we die), extract each tarball into
 * .n8n/nodes/node_modules/<name> and write the nodes package.json n8n keeps there.
 * Returns { userFolder, workDir, packages: [{ name, version, dir }] }.
 */
export async function makeUserFolder({ line, packageTarball }) {
	const userFolder = await mkdtemp(path.join(tmpdir(), `n8n-e2e-${line.version}-`));
	trackFolder(userFolder, true);
	const nodesFolder = path.join(userFolder, '.n8n', 'nodes');
	await mkdir(nodesFolder, { recursive: true });
	const workDir = path.join(userFolder, 'work');
	await mkdir(workDir, { recursive: true });

	const packages = [];
	try {
		for (const tgz of packageTarball ? [].concat(packageTarball) : []) {
			const tmp = path.join(userFolder, `extract-${packages.length}`);
			const pkg = await extractTarball(path.resolve(tgz), tmp);
			const target = path.join(nodesFolder, 'node_modules', ...pkg.name.split('/'));
			await mkdir(path.dirname(target), { recursive: true });
			await rm(target, { recursive: true, force: true });
			await rename(tmp, target);
			packages.push({ name: pkg.name, version: pkg.version, dir: target });
		}
	} catch (err) {
		await removeUserFolder(userFolder);
		throw err;
	}
	// What n8n itself keeps in ~/.n8n/nodes/package.json (CommunityPackagesService.ensurePackageJson).
	const dependencies = Object.fromEntries(packages.map((p) => [p.name, p.version]));
	await writeFile(
		path.join(nodesFolder, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies }, null, 2) + '\n',
	);
	return { userFolder, workDir, packages };
}

/** Remove a user folder (kept when N8N_E2E_KEEP=1) and stop tracking it. */
export async function removeUserFolder(userFolder, { keep = false } = {}) {
	if (keep) process.stderr.write(`[n8n-e2e] kept ${userFolder}\n`);
	else await rm(userFolder, { recursive: true, force: true });
	trackFolder(userFolder, false);
}

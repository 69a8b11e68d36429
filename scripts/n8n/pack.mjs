// The package as n8n gets it: built in a private copy, `npm pack`ed, extracted.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { REPO_ROOT } from './env.mjs';

const execFileAsync = promisify(execFile);
/** execFile whose error carries the command's stderr. */
const run = (cmd, args, opts = {}) =>
	execFileAsync(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: 300_000, ...opts }).catch(
		(err) => {
			err.message += `\n${err.stderr ?? ''}`;
			throw err;
		},
	);

/**
 * `npm pack` a package folder (default: the repo) into a temp folder; returns the tarball path.
 * Build first (`npm run build`) — pack only takes what `files` lists.
 */
export async function packPackage(dir = REPO_ROOT, { destination } = {}) {
	const dest = destination ?? (await mkdtemp(path.join(tmpdir(), 'n8n-e2e-pack-')));
	await mkdir(dest, { recursive: true });
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dest], {
		cwd: dir,
		env: { ...process.env, npm_config_ignore_scripts: 'true' },
	});
	const info = JSON.parse(stdout.slice(stdout.indexOf('[')));
	return path.join(dest, info[0].filename);
}

/**
 * Build the repo in a private temp copy (so a concurrent build/watch in the repo's own dist/ is not
 * disturbed) and `npm pack` it: copies everything but node_modules/.git/.cache/dist/coverage,
 * symlinks node_modules, runs `npm run build`, packs. Returns { tarball, dir, buildMs }.
 */
export async function buildAndPackRepo({ repoDir = REPO_ROOT, buildScript = 'build' } = {}) {
	const dir = await mkdtemp(path.join(tmpdir(), 'n8n-e2e-build-'));
	const skip = [
		'node_modules',
		'.git',
		'.cache',
		'dist',
		'coverage',
		'test-results',
		'demo-output',
	];
	await cp(repoDir, dir, {
		recursive: true,
		filter: (src) => {
			const rel = path.relative(repoDir, src);
			return !rel || (!skip.includes(rel.split(path.sep)[0]) && !rel.endsWith('.tgz'));
		},
	});
	await symlink(path.join(repoDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	const t0 = Date.now();
	await run('npm', ['run', buildScript], { cwd: dir });
	const buildMs = Date.now() - t0;
	const tarball = await packPackage(dir, { destination: path.join(dir, '.pack') });
	return { tarball, dir, buildMs };
}

/** Extract an npm tarball into `target` (its `package/` prefix stripped); returns its package.json. */
export async function extractTarball(tarball, target) {
	await rm(target, { recursive: true, force: true });
	await mkdir(target, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	return JSON.parse(await readFile(path.join(target, 'package.json'), 'utf8'));
}

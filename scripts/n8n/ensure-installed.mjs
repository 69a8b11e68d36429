// Run scripts/n8n/install.sh for some n8n lines (a no-op for lines already installed), with its
// output shown, and report how long it took. Used by the e2e suite, `npm start` and `npm run demo`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { n8nLine, REPO_ROOT } from './lib.mjs';

/**
 * @param {string[]} lines   e.g. ['2.41.1'] or ['2.41.1', '2.4.8', '1.123.x']
 * @param {{ log?: (line: string) => void }} [opts]  where install.sh's lines go (default: stdout)
 * @returns {Promise<{ ok: boolean, code: number | null, ms: number }>}
 */
export async function ensureInstalled(lines, { log = (line) => console.log(line) } = {}) {
	const t0 = Date.now();
	const script = path.join(REPO_ROOT, 'scripts', 'n8n', 'install.sh');
	// Under `npm run …` the environment carries npm_config_* from the repo's .npmrc, notably
	// npm_config_ignore_scripts=true: install.sh's `npm rebuild sqlite3` would then build nothing and
	// every line fail ("sqlite3 does not load after rebuild"). Give install.sh the environment of a
	// plain shell: without the lowercase npm_* variables npm run exports (npm reads its rc files again
	// itself; NPM_CONFIG_* set by a user or CI are kept).
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')),
	);
	const child = spawn('bash', [script, ...lines], {
		cwd: REPO_ROOT,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	for (const input of [child.stdout, child.stderr]) createInterface({ input }).on('line', log);
	const code = await new Promise((resolve) => {
		child.on('error', () => resolve(null));
		child.on('close', resolve);
	});
	return { ok: code === 0, code, ms: Date.now() - t0 };
}

/**
 * The installed n8n line `version`, running scripts/n8n/install.sh first when it is missing (a clean
 * clone), unless `install` is false. `label` prefixes the progress lines.
 */
export async function requireLine(version, { label = 'n8n', install = true } = {}) {
	try {
		return n8nLine(version);
	} catch (err) {
		if (!install) throw err;
		console.log(
			`${label}: n8n ${version} is not installed; running scripts/n8n/install.sh ${version} (a few minutes, once)`,
		);
		const { ok, code } = await ensureInstalled([version], {
			log: (line) => console.log(`  ${line}`),
		});
		if (!ok) throw new Error(`scripts/n8n/install.sh ${version} failed (exit ${code})`);
		return n8nLine(version);
	}
}

#!/usr/bin/env node
// npm run lint: every check, each run even when an earlier one fails, then a summary. Step 1 is
// `n8n-node lint`'s eslint config (@n8n/node-cli, eslint.config.mjs) on the node's own paths: that
// command runs `eslint .`, which here would lint the tests with the node's rules. The last step is
// the lint n8n's verification scanner runs (analyzePackage), on the sources and on the packed
// tarball, with inline eslint-disable comments ignored.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

import { extractTarball, packPackage } from './n8n/pack.mjs';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = [];

function step(label, cmd, args) {
	console.log(`\n=== ${label}: ${[cmd.replace(`${root}/`, ''), ...args].join(' ')}`);
	const { status } = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
	results.push({ label, ok: status === 0 });
}

async function scan(label, dir, patterns) {
	const { analyzePackage } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	const result = await analyzePackage(dir, patterns);
	console.log(
		`${result.passed ? 'PASS' : 'FAIL'} ${label}${result.message ? `: ${result.message}` : ''}`,
	);
	if (!result.passed && result.details) console.log(result.details);
	results.push({ label: `scanner, ${label}`, ok: result.passed });
}

async function scanner() {
	const { SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	console.log("\n=== n8n's verification scanner");
	await scan('sources (package.json, nodes/, credentials/)', root, SOURCE_FILE_PATTERNS);
	const work = mkdtempSync(join(tmpdir(), 'jimeng-lint-'));
	try {
		execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
		const tarball = await packPackage(root, { destination: work });
		await extractTarball(tarball, join(work, 'package'));
		const label = `packed tarball (${basename(tarball)})`;
		await scan(label, join(work, 'package'), ['**/*.js', 'package.json']);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

step("n8n's node linter (@n8n/node-cli eslint config)", bin('eslint'), [
	'nodes',
	'credentials',
	'package.json',
]);
step('tests, drivers and scripts', bin('eslint'), ['--config', 'eslint.tools.config.mjs', '.']);
step('format check', bin('prettier'), ['--check', '.']);
await scanner();

console.log('\n=== lint summary');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'} ${r.label}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);

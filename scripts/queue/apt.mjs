// Debian packages a cluster piece needs, installed when missing (as root, as
// scripts/browser/install-chromium.sh does for chromium), so a fresh CI machine needs nothing by hand.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Absolute path of an executable on PATH (or the usual system folders), or null. */
function which(command) {
	for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), ...DIRS]) {
		if (!dir) continue;
		const file = path.join(dir, command);
		try {
			accessSync(file, constants.X_OK);
			return file;
		} catch {}
	}
	return null;
}

let updated = false;

/** `command`'s path, after `apt-get install <debPackage>` when it is missing. */
export function ensureCommand(command, debPackage, { log = console.log } = {}) {
	const found = which(command);
	if (found) return found;
	if (process.getuid?.() !== 0)
		throw new Error(
			`${command} is missing: install the Debian package ${debPackage} (apt-get, as root)`,
		);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	log(`${command} is missing: apt-get install ${debPackage}`);
	if (!updated) {
		execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'inherit', timeout: 300_000 });
		updated = true;
	}
	execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', debPackage], {
		env,
		stdio: 'inherit',
		timeout: 600_000,
	});
	const installed = which(command);
	if (!installed) throw new Error(`apt-get install ${debPackage} did not provide ${command}`);
	return installed;
}

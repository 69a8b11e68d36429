// What `npm start`, `npm run demo` and `npm run start:queue` share: n8n installed and the package
// built (its temp copy removed on exit), the owner login the editor opens with, a free port, and
// one shutdown on Ctrl-C, when npm (our parent) goes away, or when a process we started dies.
import { rmSync } from 'node:fs';
import path from 'node:path';

import { requireLine } from '../n8n/ensure-installed.mjs';
import { buildAndPackRepo, portIsFree } from '../n8n/lib.mjs';
import { secs } from './report.mjs';

export const OWNER = {
	email: 'owner@example.com',
	password: 'Jimeng-n8n-1',
	firstName: 'Jimeng',
	lastName: 'Owner',
};

let build = null;
process.on('exit', () => build && rmSync(build.dir, { recursive: true, force: true }));

/** n8n `version` (install.sh when missing) and the package built and packed: { line, tarball }. */
export async function lineAndPackage(version, label) {
	console.log(`=== n8n ${version} (scripts/n8n/install.sh; skipped when already installed)`);
	const line = await requireLine(version, { label });
	console.log('\n=== build and pack the package');
	const t0 = Date.now();
	build = await buildAndPackRepo();
	console.log(`  ${path.basename(build.tarball)} (${secs(Date.now() - t0)})`);
	return { line, tarball: build.tarball };
}

/** Exit with a hint when `port` is taken on 127.0.0.1. */
export async function requireFreePort(port, command) {
	if (await portIsFree(port)) return;
	console.error(
		`Port ${port} on 127.0.0.1 is in use. Stop what runs there, or pick another: N8N_PORT=5690 ${command}`,
	);
	process.exit(1);
}

/**
 * Stop once: on SIGINT/SIGTERM/SIGHUP, when our parent exits (npm does not pass on a SIGTERM sent to
 * it alone), when `dead()` names a process that exited on its own, or on `failed(error)`. `stop`
 * disposes of what was started; then the process exits (0 after Ctrl-C).
 */
export function stopOnExit({ what, stop, dead = () => null }) {
	let stopping = false;
	const parent = process.ppid;
	const shutdown = async (reason, code) => {
		if (stopping) return; // npm forwards the terminal's SIGINT too: one is enough
		stopping = true;
		setTimeout(() => process.exit(1), 60_000).unref();
		console.log(`\n${reason}: stopping ${what}…`);
		await stop().catch((err) => console.error(`cleanup: ${err.message}`));
		console.log('stopped, temporary folders removed.');
		process.exit(code);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
		process.on(signal, () => void shutdown(signal, signal === 'SIGINT' ? 0 : 1));
	setInterval(() => {
		if (process.ppid !== parent) return void shutdown('parent exited', 0);
		const gone = !stopping && dead();
		if (gone) {
			console.error(`\n${gone} exited unexpectedly.`);
			void shutdown('process exited', 1);
		}
	}, 1000);
	return {
		get stopping() {
			return stopping;
		},
		failed: (err) => {
			console.error(`\nfailed: ${err.stack ?? err.message}`);
			void shutdown('error', 1);
		},
	};
}

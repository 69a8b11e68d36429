// Where a secret ended up on disk.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files under `dir` whose bytes contain `secret` (as UTF-8, and as UTF-16LE when `utf16`).
 * @param {object} [options]
 * @param {boolean} [options.recursive]  walk sub-folders (default true), except those in `skip`
 * @param {(name: string) => boolean} [options.match]  which file names to read (default all)
 * @returns {Promise<{ checked: number, hits: string[] }>} files read, and the paths that contain it
 */
export async function secretInFiles(
	dir,
	secret,
	{ recursive = true, match = () => true, skip = new Set(['node_modules']), utf16 = false } = {},
) {
	const needles = [Buffer.from(secret), ...(utf16 ? [Buffer.from(secret, 'utf16le')] : [])];
	const hits = [];
	let checked = 0;
	const walk = async (d) => {
		const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
		for (const e of entries) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) {
				if (recursive && !skip.has(e.name)) await walk(p);
			} else if (e.isFile() && match(e.name)) {
				if ((await stat(p)).size > 512 * 1024 * 1024) continue;
				checked++;
				const bytes = await readFile(p).catch(() => Buffer.alloc(0));
				if (needles.some((needle) => bytes.includes(needle))) hits.push(p);
			}
		}
	};
	await walk(dir);
	return { checked, hits };
}

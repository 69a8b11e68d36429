// Where a secret ended up on disk.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Files under `dir` (not in a `skip` folder, at most 512 MiB) whose bytes contain `needle`. */
export async function filesContaining(dir, needle, skip = new Set(['node_modules'])) {
	const bytes = Buffer.isBuffer(needle) ? needle : Buffer.from(needle);
	const hits = [];
	const walk = async (d) => {
		let entries;
		try {
			entries = await readdir(d, { withFileTypes: true });
		} catch {
			return;
		}
		for (const e of entries) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) {
				if (!skip.has(e.name)) await walk(p);
			} else if (e.isFile()) {
				const { size } = await stat(p);
				if (size > 512 * 1024 * 1024) continue;
				if ((await readFile(p)).includes(bytes)) hits.push(p);
			}
		}
	};
	await walk(dir);
	return hits;
}

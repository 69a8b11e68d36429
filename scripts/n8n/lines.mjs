// The n8n lines scripts/n8n/install.sh installed into the cache.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { BASE_ENV, CACHE_DIR, NODE24_BIN } from './env.mjs';

/** A line from its cache folder, or null unless install.sh completed it (a `.installed` marker). */
function installedLine(version, dir) {
	let marker;
	try {
		marker = JSON.parse(readFileSync(path.join(dir, '.installed'), 'utf8'));
	} catch {
		return null;
	}
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	// node24 is resolved inside this cache (the folder may have moved, e.g. a CI cache restore);
	// 'system' is the node install.sh ran with, else the node running us.
	let nodeBin = marker.runtime === 'node24' ? NODE24_BIN : marker.nodeBin;
	if (!nodeBin || !existsSync(nodeBin)) {
		if (marker.runtime === 'node24') return null;
		nodeBin = process.execPath;
	}
	if (!existsSync(n8nBin)) return null;
	const PATH = [path.dirname(nodeBin), process.env.PATH].filter(Boolean).join(path.delimiter);
	return { version, dir, runtime: marker.runtime, nodeBin, n8nBin, env: { ...BASE_ENV, PATH } };
}

const newestFirst = (a, b) => {
	const [pa, pb] = [a, b].map((l) => l.version.split('.').map(Number));
	return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2];
};

/**
 * The n8n lines install.sh completed, newest first: `{ version, dir, runtime, nodeBin, n8nBin, env }`
 * where `env` is BASE_ENV plus a PATH whose first entry is the folder of `nodeBin` (n8n spawns its
 * JS task runner as plain `node`).
 */
export function n8nLines() {
	if (!existsSync(CACHE_DIR)) return [];
	return readdirSync(CACHE_DIR)
		.map((entry) => /^n8n-(\d+\.\d+\.\d+)$/.exec(entry))
		.map((m) => m && installedLine(m[1], path.join(CACHE_DIR, m[0])))
		.filter(Boolean)
		.sort(newestFirst);
}

/** One installed line by version (exact, or a prefix like '1.123' / '1.123.x'); throws if missing. */
export function n8nLine(version) {
	const lines = n8nLines();
	if (!version) {
		if (!lines.length)
			throw new Error(`No n8n installed in ${CACHE_DIR}; run scripts/n8n/install.sh`);
		return lines[0];
	}
	const prefix = String(version).replace(/\.x$/, '');
	const line =
		lines.find((l) => l.version === version) ??
		lines.find((l) => l.version === prefix || l.version.startsWith(prefix + '.'));
	if (!line) {
		throw new Error(
			`n8n ${version} is not installed (have: ${lines.map((l) => l.version).join(', ') || 'none'}); ` +
				`run scripts/n8n/install.sh ${version}`,
		);
	}
	return line;
}

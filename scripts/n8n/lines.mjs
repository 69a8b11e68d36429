// The n8n lines scripts/n8n/install.sh installed into the cache.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { BASE_ENV, CACHE_DIR, NODE24_BIN } from './env.mjs';

function compareVersions(a, b) {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
	return 0;
}

function readMarker(markerPath) {
	try {
		return JSON.parse(readFileSync(markerPath, 'utf8'));
	} catch {
		return null;
	}
}

/**
 * The n8n lines install.sh completed (a `.installed` marker), newest first:
 * `{ version, dir, runtime, nodeBin, n8nBin, env }` where `env` is BASE_ENV plus a PATH whose first
 * entry is the folder of `nodeBin` (n8n spawns its JS task runner as plain `node`).
 */
export function n8nLines() {
	if (!existsSync(CACHE_DIR)) return [];
	const lines = [];
	for (const entry of readdirSync(CACHE_DIR)) {
		const m = /^n8n-(\d+\.\d+\.\d+)$/.exec(entry);
		if (!m) continue;
		const dir = path.join(CACHE_DIR, entry);
		const markerPath = path.join(dir, '.installed');
		if (!existsSync(markerPath)) continue;
		const marker = readMarker(markerPath);
		if (!marker) continue;
		const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
		// node24 is resolved inside this cache (the folder may have moved, e.g. a CI cache restore);
		// 'system' is the node install.sh ran with, else the node running us.
		let nodeBin = marker.runtime === 'node24' ? NODE24_BIN : marker.nodeBin;
		if (!nodeBin || !existsSync(nodeBin)) {
			if (marker.runtime === 'node24') continue;
			nodeBin = process.execPath;
		}
		if (!existsSync(n8nBin)) continue;
		lines.push({
			version: m[1],
			dir,
			runtime: marker.runtime,
			nodeBin,
			n8nBin,
			env: {
				...BASE_ENV,
				PATH: [path.dirname(nodeBin), process.env.PATH].filter(Boolean).join(path.delimiter),
			},
		});
	}
	return lines.sort((a, b) => compareVersions(b.version, a.version));
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

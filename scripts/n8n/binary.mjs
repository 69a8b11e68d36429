// Read a binary that a workflow run produced, from where that n8n line keeps it (read from each
// line's n8n-core dist):
// - memory mode ('default', the 1.x default): the base64 bytes are in `binary.data`, no `id`;
// - filesystem mode (the 2.x default outside queue mode): `binary.id` is `filesystem-v2:<fileId>`
//   (`filesystem:<fileId>` for the older mode name), fileId a path relative to the storage folder:
//   2.41.x N8N_BINARY_DATA_STORAGE_PATH ?? N8N_STORAGE_PATH ?? <n8nFolder>/storage, or
//   <n8nFolder>/binaryData while that legacy folder exists unmigrated; 2.4.x and 1.x
//   N8N_BINARY_DATA_STORAGE_PATH ?? <n8nFolder>/binaryData, <n8nFolder> being $N8N_USER_FOLDER/.n8n;
// - other modes (s3, azure, database): only n8n can read them, through GET /rest/binary-data?id=….
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { BROWSER_ID } from './instance/http.mjs';

const FILE_MODES = ['filesystem', 'filesystem-v2'];

/** The folders a line may keep filesystem-mode binaries in, most specific first. */
function storageRoots(instance) {
	const n8nFolder = path.join(instance.userFolder, '.n8n');
	return [
		instance.env?.N8N_BINARY_DATA_STORAGE_PATH,
		instance.env?.N8N_STORAGE_PATH,
		path.join(n8nFolder, 'storage'),
		path.join(n8nFolder, 'binaryData'),
	].filter(Boolean);
}

/** The file behind a filesystem-mode `fileId` inside one of the roots, or null. */
function storedFile(instance, fileId) {
	for (const root of storageRoots(instance)) {
		const resolved = path.resolve(root, fileId);
		const rel = path.relative(path.resolve(root), resolved);
		if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
		if (existsSync(resolved)) return resolved;
	}
	return null;
}

/** n8n's binary-data endpoint (2.x and 1.x): needs `instance.start()` and `instance.setupOwner()`. */
export async function fetchBinaryFromServer(instance, binary) {
	if (!instance.running || !instance.owner)
		throw new Error('the n8n server is not running with an owner session');
	const q = new URLSearchParams({ id: binary.id, action: 'download' });
	if (binary.fileName) q.set('fileName', binary.fileName);
	if (binary.mimeType) q.set('mimeType', binary.mimeType);
	const res = await fetch(`${instance.baseUrl}/rest/binary-data?${q}`, {
		headers: { cookie: instance.owner.cookie, 'browser-id': BROWSER_ID },
		signal: AbortSignal.timeout(30_000),
	});
	if (res.status !== 200) throw new Error(`GET /rest/binary-data: HTTP ${res.status}`);
	return {
		bytes: Buffer.from(await res.arrayBuffer()),
		contentType: res.headers.get('content-type'),
	};
}

/**
 * The bytes of one binary property of an output item (`item.binary.data`), whatever the mode:
 * base64 inline, a file in the instance's storage folder, or (other modes) through the server.
 */
export async function readBinary(instance, binary) {
	if (!binary || typeof binary !== 'object') throw new Error('no binary data');
	if (!binary.id) {
		if (typeof binary.data !== 'string')
			throw new Error('binary has neither an id nor inline data');
		return Buffer.from(binary.data, 'base64');
	}
	const [mode, ...rest] = binary.id.split(':');
	const file = FILE_MODES.includes(mode) && storedFile(instance, rest.join(':'));
	if (file) return await readFile(file);
	if (instance.running && instance.owner)
		return (await fetchBinaryFromServer(instance, binary)).bytes;
	throw new Error(
		FILE_MODES.includes(mode)
			? `binary ${binary.id} not found under ${storageRoots(instance).join(', ')}`
			: `binary data mode '${mode}' is only readable through a running n8n (start() + setupOwner())`,
	);
}

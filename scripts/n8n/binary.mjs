// Read a binary that a workflow run produced, from where that n8n line keeps it.
//
//   import { readBinary } from './scripts/n8n/binary.mjs';
//   const bytes = await readBinary(instance, item.binary.data);   // Buffer
//
// Where n8n keeps binaries (read from each line's n8n-core dist):
// - memory mode ('default', the 1.x default): the base64 bytes are in `binary.data`, no `id`;
// - filesystem mode (the 2.x default outside queue mode): `binary.data` is the mode name and
//   `binary.id` is `filesystem-v2:<fileId>` (`filesystem:<fileId>` for the older mode name), with
//   fileId `workflows/<workflowId>/executions/<executionId>/binary_data/<uuid>`, a path relative to
//   the storage folder (plus `<fileId>.metadata`, JSON with fileName, mimeType, fileSize):
//     2.41.x  BinaryDataConfig.localStoragePath = N8N_BINARY_DATA_STORAGE_PATH ?? StorageConfig.storagePath,
//             storagePath = N8N_STORAGE_PATH ?? <n8nFolder>/storage, or <n8nFolder>/binaryData while that
//             legacy folder exists and has not been migrated (BinaryDataBlobManager → FsByteStore);
//     2.4.x, 1.x  N8N_BINARY_DATA_STORAGE_PATH ?? <n8nFolder>/binaryData (FileSystemManager.resolvePath);
//   where <n8nFolder> is $N8N_USER_FOLDER/.n8n;
// - other modes (s3, azure, database): only n8n can read them; with a running server and an owner
//   session we ask GET /rest/binary-data?id=… instead.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The folders a line may keep filesystem-mode binaries in, most specific first. */
export function binaryStorageRoots(instance) {
	const n8nFolder = path.join(instance.userFolder, '.n8n');
	return [
		instance.env?.N8N_BINARY_DATA_STORAGE_PATH,
		instance.env?.N8N_STORAGE_PATH,
		path.join(n8nFolder, 'storage'),
		path.join(n8nFolder, 'binaryData'),
	].filter(Boolean);
}

/** The file behind a `filesystem[-v2]:<fileId>` id, or null when it is not (or no longer) there. */
export function binaryFilePath(instance, binaryDataId) {
	const colon = binaryDataId.indexOf(':');
	const mode = binaryDataId.slice(0, colon);
	const fileId = binaryDataId.slice(colon + 1);
	if (mode !== 'filesystem' && mode !== 'filesystem-v2') return null;
	for (const root of binaryStorageRoots(instance)) {
		const resolved = path.resolve(root, fileId);
		const rel = path.relative(path.resolve(root), resolved);
		if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
		if (existsSync(resolved)) return resolved;
	}
	return null;
}

/** n8n's binary-data endpoint (2.x and 1.x): needs `instance.start()` and `instance.setupOwner()`. */
export async function fetchBinaryFromServer(
	instance,
	binary,
	{ browserId = 'n8n-e2e-browser' } = {},
) {
	if (!instance.running || !instance.owner)
		throw new Error('the n8n server is not running with an owner session');
	const q = new URLSearchParams({ id: binary.id, action: 'download' });
	if (binary.fileName) q.set('fileName', binary.fileName);
	if (binary.mimeType) q.set('mimeType', binary.mimeType);
	// The session cookie is bound to the browser-id header lib.mjs sends at login.
	const res = await fetch(`${instance.baseUrl}/rest/binary-data?${q}`, {
		headers: { cookie: instance.owner.cookie, 'browser-id': browserId },
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
	const file = binaryFilePath(instance, binary.id);
	if (file) return await readFile(file);
	const mode = binary.id.slice(0, binary.id.indexOf(':'));
	if (instance.running && instance.owner)
		return (await fetchBinaryFromServer(instance, binary)).bytes;
	throw new Error(
		mode === 'filesystem' || mode === 'filesystem-v2'
			? `binary ${binary.id} not found under ${binaryStorageRoots(instance).join(', ')}`
			: `binary data mode '${mode}' is only readable through a running n8n (start() + setupOwner())`,
	);
}

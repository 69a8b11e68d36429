// What a run left in n8n's binary store (filesystem mode): every file under the harness's storage
// path, so a test can tell the files its output items point at from anything left behind.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

import type { INodeExecutionData } from 'n8n-workflow';

import { setupHarness } from '../harness';

/** Relative path → size of every file in the binary store. */
export async function storedFiles(): Promise<Map<string, number>> {
	const { storagePath } = await setupHarness();
	const files = new Map<string, number>();
	const entries = await readdir(storagePath, { recursive: true, withFileTypes: true });
	for (const entry of entries) {
		if (!entry.isFile()) continue;
		const full = path.join(entry.parentPath, entry.name);
		// A temporary file may go between the listing and its stat.
		const size = await stat(full).then(
			(found) => found.size,
			() => undefined,
		);
		if (size !== undefined) files.set(path.relative(storagePath, full), size);
	}
	return files;
}

/** Files that appeared since `before` and that no output item's binary points at (nor its metadata). */
export async function leftBehind(
	before: Map<string, number>,
	items: INodeExecutionData[],
): Promise<Array<[string, number]>> {
	const referenced = new Set(
		items.flatMap((item) =>
			Object.values(item.binary ?? {}).flatMap((binary) => {
				const fileId = binary.id?.split(':')[1];
				return fileId ? [fileId, `${fileId}.metadata`] : [];
			}),
		),
	);
	const after = await storedFiles();
	return [...after].filter(([file]) => !before.has(file) && !referenced.has(file));
}

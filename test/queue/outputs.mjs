// Reading an execution's results back through main: node output items, and image bytes through
// main's binary-data endpoint, compared with what the fake gateway served.
import { createHash } from 'node:crypto';

import { fetchBinaryFromServer } from '../../scripts/n8n/binary.mjs';

export const JIMENG_TYPE = 'n8n-nodes-jimeng.jimeng';
export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** Output items (main output 0) of a node in an execution read with main.getExecution(). */
export function nodeItems(execution, nodeName) {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	return runs?.[0]?.data?.main?.[0] ?? [];
}

/** The Jimeng nodes of a workflow definition. */
export const jimengNodes = (workflow) =>
	workflow.nodes.filter((n) => n.type === JIMENG_TYPE).map((n) => n.name);

/**
 * Check one output item's image: binary `data`, mime image/png, bytes from main's /rest/binary-data
 * equal to what the fake served for (taskId, imageIndex). Returns a problem string or null.
 */
export async function imageProblem(main, fake, item) {
	const bin = item?.binary?.data;
	if (!bin) return 'no binary data';
	if (bin.mimeType !== 'image/png') return `mime ${bin.mimeType}`;
	const { taskId, imageIndex } = item.json;
	const want = fake.imageSha256For(taskId, (imageIndex ?? 1) - 1);
	let got;
	try {
		got = sha256((await fetchBinaryFromServer(main, bin)).bytes);
	} catch (err) {
		return `binary ${bin.id}: ${err.message}`;
	}
	return got === want
		? null
		: `bytes of ${bin.id} differ from the fake's (${got.slice(0, 10)} ≠ ${String(want).slice(0, 10)})`;
}

/** Which binary data mode an item's id names (`database`, `filesystem-v2`, …). */
export const binaryModeOf = (item) =>
	item?.binary?.data?.id?.split(':')[0] ?? (item?.binary?.data ? 'inline' : null);

// Image hosts that misbehave (issue 18), shared by test/node/downloads-*.test.ts: one download from a
// host of each kind the fake plays, and what the node must say about it.
import type { INodeExecutionData } from 'n8n-workflow';

import type { HostKind } from '../fake-jimeng';
import { leftBehind, storedFiles } from './binaryStore';
import { imageRequests, onlyTask } from './fakeLog';
import { useFakeJimeng, type RunNodeResult } from './jimeng';
import { expectSuccess } from './results';

export const MODES = ['default', 'filesystem'] as const;

interface DownloadOptions {
	binaryDataMode?: (typeof MODES)[number];
	/** the node's Options (Request Timeout 0.5 s and Max Retries 1 unless given) */
	options?: Record<string, unknown>;
	parameters?: Record<string, unknown>;
}

/**
 * The fake for a downloads test file, and what a download from it does and must say.
 * Endless and stalled bodies are dropped by the host only after 20 s: every limit must come sooner.
 */
export function useMisbehavingHosts() {
	const { fake, run } = useFakeJimeng({ hostDropMs: 20_000, oversizeBytes: 3_000_000 });

	/** One task of one image from a host that behaves as `kind` (null: a good host). */
	async function download(kind: HostKind | null, how: DownloadOptions = {}) {
		const { binaryDataMode = 'filesystem', options = {}, parameters = {} } = how;
		const before = await storedFiles();
		const result = await run({
			parameters: {
				operation: 'submit',
				prompt: kind ? `misbehaving host [host:${kind}]` : 'a good host',
				...parameters,
				options: { requestTimeout: 0.5, maxRetries: 1, ...options },
			},
			binaryDataMode,
		});
		return {
			result,
			left: await leftBehind(before, result.items),
			requests: imageRequests(fake()),
		};
	}

	/** The item of a failed download: success as a task, no binary, its URL, and the reason. */
	function expectFailedDownload(result: RunNodeResult, message: RegExp): INodeExecutionData {
		expectSuccess(result);
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		const task = onlyTask(fake());
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ status: 'success', taskId: task.id, imageIndex: 1 });
		expect(item.json.imageUrl).toBe(`${fake().imageUrl}/images/${task.id}/0.png`);
		expect(item.json.downloadError).toEqual({ message: expect.stringMatching(message) });
		return item;
	}

	return { fake, run, download, expectFailedDownload };
}

/** Hosts whose answer is final (no image, too big): one request, the reason, nothing stored. */
export const FINAL = Object.entries({
	html: /^The image host sent an HTML page \(text\/html\) titled "Sign in to continue", not an image$/,
	json: /^The image host sent a JSON document \(application\/json\), not an image: \{"code":"AccessDenied","message":"Request has expired"\}$/,
	xml: /^The image host sent an XML document \(application\/xml\), not an image: <Error><Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/,
	empty: /^The image host sent an empty body \(image\/png\), not an image$/,
	oversize: /^The image is 3 MB \(Content-Length\), over Max Image Size \(1 MB\): not downloaded$/,
	'oversize-chunked': /^The image grew past Max Image Size \(1 MB\) and was cut off there$/,
}) as Array<[HostKind, RegExp]>;

const STILL_ARRIVING =
	/the image was still arriving when Request Timeout \(0\.5 s\) ran out \([\d,.]+ (bytes|MB) received\)$/;
const STALLED =
	/the image host stopped sending after 424 bytes of 852 bytes: nothing for the last (1(\.\d)?|2) s of Request Timeout \(2 s\)$/;

/** Hosts that stall or never finish, with the Request Timeout each is tried with. */
export const TIMED_OUT: Array<[HostKind, number, RegExp]> = [
	['endless', 0.5, STILL_ARRIVING],
	['endless-untyped', 0.5, STILL_ARRIVING],
	// 2 s, not 1: the first bytes may arrive up to 1 s late (a busy machine) and it is still a stall.
	['stall', 2, STALLED],
];

/** Hosts whose body ends short of the image: retried. */
export const CUT = Object.entries({
	short: /^Downloading the image failed: the connection broke after 426 bytes of 852 bytes \(/,
	long: /^Downloading the image failed: the image is cut short: a PNG without its IEND chunk \(all 752 bytes its Content-Length announced arrived\)$/,
}) as Array<[HostKind, RegExp]>;

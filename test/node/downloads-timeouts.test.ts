// Image hosts that stall or never finish, through n8n-core: Request Timeout bounds each attempt, the
// item's Timeout and Max Image Size bound them together, and the stop button ends them at once.
import { LIMITS } from '../../nodes/Jimeng/domain/limits';
import { leftBehind, storedFiles } from '../support/binaryStore';
import { MODES, TIMED_OUT, useMisbehavingHosts } from '../support/downloads';
import { expectFailure } from '../support/results';

const { fake, download, expectFailedDownload, run } = useMisbehavingHosts();

describe.each(MODES)(
	'Request Timeout bounds each attempt to the last byte (%s binary mode)',
	(mode) => {
		test.each(TIMED_OUT)(
			'%s: two attempts of %p s, then the item keeps its URL and the reason',
			async (kind, seconds, message) => {
				const { result, left, requests } = await download(kind, {
					binaryDataMode: mode,
					options: { requestTimeout: seconds },
				});
				expectFailedDownload(result, /^Downloading the image failed: /);
				expectFailedDownload(result, message);
				expect(requests).toHaveLength(2);
				// Two attempts and one backoff of 0.5–1 s, each deadline checked every 0.25 s.
				expect(result.durationMs).toBeGreaterThanOrEqual(2 * seconds * 1000);
				expect(result.durationMs).toBeLessThan(2 * seconds * 1000 + 2500);
				expect(left).toEqual([]);
			},
		);
	},
);

describe('the limits of one image together', () => {
	test("retries stop at the item's Timeout, whatever Max Retries allows", async () => {
		const { result, left, requests } = await download('stall', {
			parameters: { timeout: 2.5 },
			options: { requestTimeout: 1, maxRetries: 10 },
		});
		expectFailedDownload(result, /Timeout \(2\.5 s\)/);
		expect(requests.length).toBeGreaterThanOrEqual(2);
		expect(requests.length).toBeLessThanOrEqual(3);
		// From the task's end (50 ms): 2.5 s for the download, each deadline checked every 0.25 s.
		expect(result.durationMs).toBeLessThan(3500);
		expect(left).toEqual([]);
	});

	test.each(MODES)(
		'an endless body already streaming into the store is cut, and its partial file goes too (%s binary mode)',
		async (mode) => {
			// 1 MiB every 25 ms: past the 4 MiB read whole within the first 0.2 s, far from Max Image Size.
			fake().setOptions({ hostChunkBytes: 1024 * 1024, hostChunkMs: 25 });
			// The store's size while the body streams in: the partial file is there, then gone.
			let peak = 0;
			let running = true;
			const sampling = (async () => {
				while (running) {
					const sizes = [...(await storedFiles()).values()];
					peak = Math.max(
						peak,
						sizes.reduce((a, b) => a + b, 0),
					);
					await new Promise((resolve) => setTimeout(resolve, 50));
				}
			})();
			const { result, left } = await download('endless', {
				binaryDataMode: mode,
				options: { requestTimeout: 1, maxRetries: 0 },
			}).finally(() => (running = false));
			await sampling;
			if (mode === 'filesystem') expect(peak).toBeGreaterThan(LIMITS.wholeBodyBytes);
			const item = expectFailedDownload(
				result,
				/still arriving when Request Timeout \(1 s\) ran out/,
			);
			const received = Number(
				/\(([\d.]+) MB received\)/.exec(
					(item.json.downloadError as { message: string }).message,
				)?.[1] ?? 0,
			);
			expect(received).toBeGreaterThan(LIMITS.wholeBodyBytes / 1e6);
			expect(left).toEqual([]);
		},
	);

	test('an endless body past Max Image Size is cut there and not retried', async () => {
		const { result, requests } = await download('endless', {
			options: { maxImageSize: 1, requestTimeout: 20, maxRetries: 3 },
		});
		expectFailedDownload(result, /^The image grew past Max Image Size \(1 MB\)/);
		expect(requests).toHaveLength(1);
	});

	test('cancelling the execution ends a stalled download at once', async () => {
		fake().setOptions({ latencyMs: 0 });
		const before = await storedFiles();
		const result = await run({
			parameters: {
				operation: 'submit',
				prompt: 'stop me [host:stall]',
				options: { requestTimeout: 60 },
			},
			binaryDataMode: 'filesystem',
			cancelAfterMs: 800,
		});
		expect(result.status).toBe('canceled');
		expect(result.durationMs).toBeLessThan(2500);
		expect(await leftBehind(before, [])).toEqual([]);
	});

	test('Max Image Size must be at least 1 MB', async () => {
		const result = await run({
			parameters: { operation: 'submit', prompt: 'tiny', options: { maxImageSize: 0 } },
		});
		expect(expectFailure(result).message).toBe(
			'Item 1: Max Image Size is 0; it must be at least 1',
		);
		expect(fake().log).toEqual([]);
	});
});

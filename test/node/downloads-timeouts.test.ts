// Image hosts that stall or never finish, through n8n-core: Request Timeout bounds each attempt to the
// last byte, and the item keeps its URL and the reason.
import { MODES, TIMED_OUT, useMisbehavingHosts } from '../support/downloads';

const { download, expectFailedDownload } = useMisbehavingHosts();

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

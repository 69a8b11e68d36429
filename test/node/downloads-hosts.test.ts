// Image hosts whose answer is final (not an image, too big) or cut short, through n8n-core: the item
// keeps its URL and the reason, final answers are not retried, cut ones are, nothing is left stored.
import { HOST_KINDS } from '../fake-jimeng';
import { CUT, FINAL, MODES, TIMED_OUT, useMisbehavingHosts } from '../support/downloads';

const { download, expectFailedDownload } = useMisbehavingHosts();

describe.each(MODES)('a host whose answer is final is not retried (%s binary mode)', (mode) => {
	test.each(FINAL)('%s', async (kind, message) => {
		const { result, left, requests } = await download(kind, {
			binaryDataMode: mode,
			options: { maxImageSize: 1, requestTimeout: 5, maxRetries: 3 },
		});
		expectFailedDownload(result, message);
		expect(requests).toHaveLength(1);
		expect(result.durationMs).toBeLessThan(3000);
		expect(left).toEqual([]);
	});
});

describe.each(MODES)('a body cut short is retried like a broken one (%s binary mode)', (mode) => {
	test.each(CUT)('%s', async (kind, message) => {
		const { result, left, requests } = await download(kind, {
			binaryDataMode: mode,
			options: { requestTimeout: 5, maxRetries: 2 },
		});
		expectFailedDownload(result, message);
		expect(requests).toHaveLength(3);
		expect(left).toEqual([]);
	});
});

describe("the fake's host behaviours", () => {
	test('every host behaviour of the fake is tested by the downloads tests', () => {
		const tested = [...FINAL, ...TIMED_OUT, ...CUT].map(([kind]) => kind);
		expect([...tested].sort()).toEqual([...HOST_KINDS].sort());
	});
});

import { backoffDelay, parseRetryAfter, retryDelay } from '../../nodes/Jimeng/transport/retry';

describe('retry delays', () => {
	test('backoff doubles from 0.5–1 s up to 30 s, with jitter inside each band', () => {
		const low = [0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, () => 0));
		const high = [0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, () => 1));
		expect(low).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
		expect(high).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
	});

	test('Retry-After in seconds, as a date, capped at 60 s, and ignored when unreadable', () => {
		const now = Date.parse('2026-12-01T10:00:00Z');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('1.5', now)).toBe(1500);
		expect(parseRetryAfter(['2'], now)).toBe(2000);
		expect(parseRetryAfter('Tue, 01 Dec 2026 10:00:05 GMT', now)).toBe(5000);
		expect(parseRetryAfter('Tue, 01 Dec 2026 09:59:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('3600', now)).toBe(60000);
		for (const bad of [undefined, '', 'soon', {}, null])
			expect(parseRetryAfter(bad, now)).toBeUndefined();
	});

	test('Retry-After wins over the backoff', () => {
		expect(retryDelay(5, '1', () => 0)).toBe(1000);
		expect(retryDelay(1, undefined, () => 0)).toBe(1000);
	});
});

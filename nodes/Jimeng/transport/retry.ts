const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
const MAX_RETRY_AFTER_MS = 60_000;

/** Exponential backoff with jitter: attempt 0 waits 0.5–1 s, then doubles up to 30 s. */
export function backoffDelay(
	attempt: number,
	random: () => number = Math.random,
	maxMs = MAX_DELAY_MS,
): number {
	const ceiling = Math.min(maxMs, BASE_DELAY_MS * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as seconds or an HTTP date, capped; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const raw = String(text).trim();
	if (raw === '') return undefined;
	let ms: number;
	if (/^\d+(\.\d+)?$/.test(raw)) {
		ms = Number(raw) * 1000;
	} else {
		const date = Date.parse(raw);
		if (Number.isNaN(date)) return undefined;
		ms = date - now;
	}
	return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

/** The wait before retry number `attempt` (0-based): Retry-After when the server sent one. */
export function retryDelay(
	attempt: number,
	retryAfterHeader?: unknown,
	random?: () => number,
	maxMs?: number,
): number {
	return parseRetryAfter(retryAfterHeader) ?? backoffDelay(attempt, random, maxMs);
}

/**
 * Longest wait between two submits refused for the gateway's concurrency limit when the slots are
 * held by other executions: short enough to take a slot soon after one frees, long enough not to
 * hammer the gateway (each refused submit is a request, but bills nothing).
 */
export const CAPACITY_WAIT_MAX_MS = 8000;

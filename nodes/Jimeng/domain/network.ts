/** Network errors that prove the request never reached the server. */
export const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
]);

/** The host name could not be resolved: nothing was sent, and retrying will not help. */
export const UNRESOLVABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/** Finds a Node/axios error code (ECONNRESET, ENOTFOUND, …) anywhere in an error's cause chain. */
export function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	const message = String((error as Error)?.message ?? '');
	const found = /\b(E[A-Z]{4,}[A-Z_]*)\b/.exec(message);
	if (found) return found[1];
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	if (/socket hang up/i.test(message)) return 'ECONNRESET';
	return undefined;
}

/** Why a call got no HTTP answer, as far as it tells whether the request was sent. */
export type NetworkMeaning =
	/** n8n refused to send it (no network code, e.g. a domain restriction) */
	| 'unsent'
	/** the host name could not be resolved */
	| 'unresolvable'
	/** nothing accepted the connection: nothing was sent */
	| 'refused'
	/** sent, then no answer in time */
	| 'timeout'
	/** sent, then the connection was cut */
	| 'cut';

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

export function readNetworkError(error: unknown): { meaning: NetworkMeaning; code?: string } {
	const code = networkCode(error);
	if (code === undefined) return { meaning: 'unsent' };
	if (UNRESOLVABLE_CODES.has(code)) return { meaning: 'unresolvable', code };
	if (NOT_SENT_CODES.has(code)) return { meaning: 'refused', code };
	return { meaning: TIMEOUT_CODES.has(code) ? 'timeout' : 'cut', code };
}

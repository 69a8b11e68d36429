// HTTP to an instance's server: every request has a timeout and the fixed browser-id header n8n
// binds the session cookie to.
export const BROWSER_ID = 'n8n-e2e-browser';

export async function fetchWithTimeout(url, init = {}, timeoutMs = 30_000) {
	return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

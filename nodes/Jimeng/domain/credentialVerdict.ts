import { API_PATH, gatewayMessage, isEnvelope, parseBody } from './api';
import { NOT_SENT_CODES, UNRESOLVABLE_CODES } from './network';

export interface ProbeAnswer {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

export interface CredentialVerdict {
	status: 'OK' | 'Error';
	message: string;
}

function describeBody(body: unknown): string {
	if (body === undefined || body === null || body === '') return 'an empty body';
	if (typeof body === 'string')
		return /<html|<!doctype/i.test(body) ? 'an HTML page' : 'text that is not JSON';
	return 'JSON that is not a Jimeng API answer';
}

/** A gateway's own words, without the key should it echo it, and short enough for a notification. */
function quote(text: string | undefined, apiKey: string): string {
	if (!text) return '';
	const clean = apiKey ? text.split(apiKey).join('***') : text;
	return ` The gateway said: "${clean.slice(0, 200)}".`;
}

/**
 * What the credential test's answer proves. Any Jimeng envelope, whatever its HTTP status or
 * code (an unknown task may come back as status not_found, or as a 50404 envelope at 404 or 400),
 * shows that the key passed the gateway's authentication.
 */
export function verdictFromAnswer(
	baseUrl: string,
	answer: ProbeAnswer,
	apiKey = '',
): CredentialVerdict {
	const { statusCode } = answer;
	const body = parseBody(answer.body);
	if (statusCode === 401) {
		return {
			status: 'Error',
			message: `The gateway rejected the API key (HTTP 401). Check the key and that it is enabled.${quote(gatewayMessage(body), apiKey)}`,
		};
	}
	if (statusCode === 403) {
		return {
			status: 'Error',
			message: `The gateway refused the API key (HTTP 403): the key may lack access to Jimeng, or the account may have no balance.${quote(gatewayMessage(body), apiKey)}`,
		};
	}
	if (isEnvelope(body)) {
		return { status: 'OK', message: `Connection successful: ${baseUrl} accepted the key.` };
	}
	if (statusCode >= 300 && statusCode < 400) {
		const location = answer.headers?.location;
		return {
			status: 'Error',
			message: `${baseUrl}${API_PATH} redirects (HTTP ${statusCode})${typeof location === 'string' ? ` to ${location}` : ''}. Set Base URL to the address it redirects to.`,
		};
	}
	return {
		status: 'Error',
		message: `Nothing serves the Jimeng API at ${baseUrl}${API_PATH}: it answered HTTP ${statusCode} with ${describeBody(body)}. Check the Base URL.`,
	};
}

/** The request got no answer at all. */
export function verdictFromNetworkError(
	baseUrl: string,
	code: string | undefined,
	detail: string,
): CredentialVerdict {
	let host = baseUrl;
	try {
		host = new URL(baseUrl).host;
	} catch {
		// keep the Base URL as it is
	}
	if (code && UNRESOLVABLE_CODES.has(code)) {
		return {
			status: 'Error',
			message: `The host ${host} in the Base URL could not be resolved (${code}). Check the Base URL.`,
		};
	}
	if (code && NOT_SENT_CODES.has(code)) {
		return {
			status: 'Error',
			message: `Nothing accepted the connection at ${baseUrl} (${code}). Check the Base URL and that the gateway is running.`,
		};
	}
	if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT') {
		return {
			status: 'Error',
			message: `${baseUrl} did not answer in time (${code}). Check the Base URL and the network.`,
		};
	}
	return {
		status: 'Error',
		message: `Could not reach ${baseUrl}${code ? ` (${code})` : ''}: ${detail.slice(0, 200)}`,
	};
}

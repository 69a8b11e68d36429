import { API_PATH } from './api';
import type { GatewayAnswer, GatewayMeaning, GatewayReading } from './gatewayAnswers';
import { readGatewayAnswer } from './gatewayAnswers';
import { GATEWAY_REFUSALS, MEANINGS } from './gatewayMeanings';
import type { NetworkMeaning } from './network';
import { readNetworkError } from './network';

export type ProbeAnswer = GatewayAnswer;

export interface CredentialVerdict {
	status: 'OK' | 'Error';
	message: string;
}

/** Answers given only once the key passed the gateway's authentication (its middleware runs first). */
const AFTER_THE_KEY = new Set<GatewayMeaning>(['taskNotFound', 'noChannel']);

function describeBody(reading: GatewayReading, body: unknown): string {
	if (reading.json) return 'JSON that is not a Jimeng API answer';
	if (body === undefined || body === null || body === '') return 'an empty body';
	return /<html|<!doctype/i.test(String(body)) ? 'an HTML page' : 'text that is not JSON';
}

/** The gateway's own words (already without the key), short enough for a notification. */
function quote(said: string | undefined): string {
	return said ? ` The gateway said: "${said.slice(0, 200)}".` : '';
}

function capitalized(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What the credential test's answer proves. Any Jimeng envelope (an unknown task comes back as
 * status not_found, or as a 50404 envelope at 404 or 400), and the gateway's own answers that come
 * only after its key check (its unknown-task JSON, no channel for the model), show that the key was
 * accepted. The key's refusals (wrong, exhausted, the balance, a permission) fail, each named.
 */
export function verdictFromAnswer(
	baseUrl: string,
	answer: ProbeAnswer,
	apiKey = '',
): CredentialVerdict {
	const reading = readGatewayAnswer(answer, apiKey);
	const { meaning, statusCode, said } = reading;
	if (GATEWAY_REFUSALS.has(meaning)) {
		const { phrase, advice } = MEANINGS[meaning];
		return {
			status: 'Error',
			message: `${capitalized(phrase!)} (HTTP ${statusCode}). ${advice}${quote(said)}`,
		};
	}
	if (meaning === 'redirect') {
		const location = answer.headers?.location;
		return {
			status: 'Error',
			message: `${baseUrl}${API_PATH} redirects (HTTP ${statusCode})${typeof location === 'string' ? ` to ${location}` : ''}. Set Base URL to the address it redirects to.`,
		};
	}
	if (meaning === 'rateLimit' && !reading.envelope) {
		return {
			status: 'Error',
			message: `${baseUrl} is rate limiting requests (HTTP 429), so the key could not be checked. Wait a minute and test again.${quote(said)}`,
		};
	}
	if (reading.envelope || AFTER_THE_KEY.has(meaning)) {
		const note =
			meaning === 'noChannel'
				? ` Note: it has no channel for the model right now.${quote(said)}`
				: '';
		return { status: 'OK', message: `Connection successful: ${baseUrl} accepted the key.${note}` };
	}
	if (meaning === 'unavailable' && reading.json) {
		return {
			status: 'Error',
			message: `${baseUrl} failed (HTTP ${statusCode}) before the key could be checked. Try again later.${quote(said)}`,
		};
	}
	return {
		status: 'Error',
		message: `Nothing serves the Jimeng API at ${baseUrl}${API_PATH}: it answered HTTP ${statusCode} with ${describeBody(reading, answer.body)}. Check the Base URL.`,
	};
}

function hostOf(baseUrl: string): string {
	try {
		return new URL(baseUrl).host;
	} catch {
		return baseUrl;
	}
}

/** What the test says for each way a request gets no answer. */
const NETWORK_MESSAGES: Record<
	NetworkMeaning,
	(baseUrl: string, code: string | undefined, detail: string) => string
> = {
	unresolvable: (baseUrl, code) =>
		`The host ${hostOf(baseUrl)} in the Base URL could not be resolved (${code}). Check the Base URL.`,
	refused: (baseUrl, code) =>
		`Nothing accepted the connection at ${baseUrl} (${code}). Check the Base URL and that the gateway is running.`,
	timeout: (baseUrl, code) =>
		`${baseUrl} did not answer in time (${code}). Check the Base URL and the network.`,
	cut: (baseUrl, code, detail) => `Could not reach ${baseUrl} (${code}): ${detail.slice(0, 200)}`,
	unsent: (baseUrl, _code, detail) => `Could not reach ${baseUrl}: ${detail.slice(0, 200)}`,
};

/** The request got no answer at all; `detail` is its error message, the key already masked. */
export function verdictFromNetworkError(
	baseUrl: string,
	error: unknown,
	detail: string,
): CredentialVerdict {
	const { meaning, code } = readNetworkError(error);
	return { status: 'Error', message: NETWORK_MESSAGES[meaning](baseUrl, code, detail) };
}

import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import {
	API_PATH,
	API_VERSION,
	CREDENTIAL_TEST_TASK_ID,
	DEFAULT_REQ_KEY,
	isHttpUrl,
	QUERY_ACTION,
	queryReqJson,
	trimBaseUrl,
} from '../domain/api';
import type { ProbeAnswer } from '../domain/credentialVerdict';
import { verdictFromAnswer, verdictFromNetworkError } from '../domain/credentialVerdict';

const PROBE_TIMEOUT_MS = 20_000;

/** A response that older n8n lines attach to the error they throw for a non-2xx status. */
function answerFromError(error: unknown): ProbeAnswer | undefined {
	const e = error as {
		statusCode?: unknown;
		error?: unknown;
		response?: { status?: unknown; headers?: unknown; body?: unknown; data?: unknown };
	};
	const statusCode = Number(e?.statusCode ?? e?.response?.status);
	if (!Number.isInteger(statusCode) || statusCode <= 0) return undefined;
	return {
		statusCode,
		headers: (e.response?.headers ?? {}) as Record<string, unknown>,
		body: e.error ?? e.response?.body ?? e.response?.data,
	};
}

/**
 * The credential's Test button: queries a task ID that cannot exist, which proves the key without
 * creating a billed task. Programmatic because gateways answer an unknown task in different ways
 * (HTTP 200 with status not_found, a 50404 envelope at HTTP 404 or 400, or the gateway's own
 * task_not_exist JSON), which declarative rules cannot tell apart from a wrong Base URL.
 */
export async function jimengApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as IDataObject;
	const baseUrl = trimBaseUrl(data.baseUrl);
	const apiKey = String(data.apiKey ?? '');
	if (!isHttpUrl(baseUrl)) {
		return {
			status: 'Error',
			message: `The Base URL "${baseUrl}" is not an http(s) URL, e.g. https://zx1.deepwl.net.`,
		};
	}
	if (!apiKey.trim()) return { status: 'Error', message: 'The API key is empty.' };

	// Credential tests get only n8n's legacy `request` helper, on every line (n8n-io/n8n#25190).
	const { helpers } = this;
	let answer: ProbeAnswer;
	try {
		const response = (await helpers.request({
			method: 'POST',
			uri: `${baseUrl}${API_PATH}`,
			qs: { Action: QUERY_ACTION, Version: API_VERSION },
			headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' },
			body: {
				req_key: DEFAULT_REQ_KEY,
				task_id: CREDENTIAL_TEST_TASK_ID,
				req_json: queryReqJson(),
			},
			json: true,
			resolveWithFullResponse: true,
			simple: false,
			// A redirect would carry the key to another host.
			followRedirect: false,
			followAllRedirects: false,
			timeout: PROBE_TIMEOUT_MS,
		})) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
		answer = { statusCode: response.statusCode, headers: response.headers, body: response.body };
	} catch (error) {
		const fromError = answerFromError(error);
		if (!fromError) {
			const detail = String((error as Error)?.message ?? error)
				.split(apiKey)
				.join('***');
			return verdictFromNetworkError(baseUrl, error, detail);
		}
		answer = fromError;
	}
	return verdictFromAnswer(baseUrl, answer, apiKey);
}

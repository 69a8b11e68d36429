import type { IDataObject } from 'n8n-workflow';

/** The "Jimeng official format": every call is POST {Base URL}/jm?Action=…&Version=… */
export const API_PATH = '/jm';
export const API_VERSION = '2022-08-31';
export const SUBMIT_ACTION = 'CVSync2AsyncSubmitTask';
export const QUERY_ACTION = 'CVSync2AsyncGetResult';
export type JimengAction = typeof SUBMIT_ACTION | typeof QUERY_ACTION;

export const SUCCESS_CODE = 10000;
export const RATE_LIMIT_CODE = 50429;
export const CONCURRENCY_LIMIT_CODE = 50430;

export const DEFAULT_REQ_KEY = 'jimeng_t2i_v40';
export const DEFAULT_MODEL = 'jimeng-4.0';
export const DEFAULT_BASE_URL = 'https://zx1.deepwl.net';

/** Queried by the credential test: no task has it, so the query proves the key and bills nothing. */
export const CREDENTIAL_TEST_TASK_ID = 'n8n-credential-test';

/** The envelope every /jm answer uses, success or error. */
export interface JimengEnvelope {
	code?: number;
	data?: IDataObject | null;
	message?: string;
	request_id?: string;
	status?: number;
	time_elapsed?: string;
}

export function isEnvelope(body: unknown): body is JimengEnvelope {
	return (
		typeof body === 'object' && body !== null && typeof (body as JimengEnvelope).code === 'number'
	);
}

/** Bodies arrive parsed, or as text when the server did not say JSON. */
export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

export function trimBaseUrl(baseUrl: unknown): string {
	return String(baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
}

export function isHttpUrl(url: string): boolean {
	return /^https?:\/\/[^/]/i.test(url);
}

/** req_json of a query: a JSON string, always asking for URLs. */
export function queryReqJson(extra: IDataObject = {}): string {
	return JSON.stringify({ return_url: true, ...extra });
}

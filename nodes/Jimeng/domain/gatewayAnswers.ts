import type { IDataObject } from 'n8n-workflow';

import { INTERNAL_ERROR_CODES, PERMANENT_CODES, TASK_NOT_FOUND_CODE } from './advice';
import type { JimengEnvelope } from './api';
import { CONCURRENCY_LIMIT_CODE, parseBody, RATE_LIMIT_CODE, SUCCESS_CODE } from './api';

/**
 * What a gateway's answer means, whichever layer gave it: the gateway's own middleware (new-api:
 * key, wallet and quota, rate limits, channels, its task table) answers before the Jimeng layer.
 * The shapes and words are new-api's (test/fake-jimeng/README.md, "new-api mode", cites each).
 */
export type GatewayMeaning =
	| 'ok'
	| 'redirect'
	| 'capacity'
	| 'rateLimit'
	| 'exhaustedKey'
	| 'key'
	| 'balance'
	| 'permission'
	| 'noChannel'
	| 'taskNotFound'
	| 'refused'
	| 'unavailable'
	| 'missing'
	| 'apiError'
	| 'foreign';

export interface GatewayAnswer {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

/** What one answer says, read once for every rule. */
export interface AnswerFacts {
	statusCode: number;
	/** the body is a JSON object: a complete answer (not a page, text, or an empty or cut body) */
	json: boolean;
	/** a Jimeng code, given as a number or as a string of digits ("50412" is 50412) */
	code?: number;
	/** a named code: insufficient_user_quota, task_not_exist, model_not_found, … */
	name?: string;
	/** the gateway's own words (message, error.message, msg or error_msg), the API key masked */
	said?: string;
	/** data.task_id: the answer says a task exists */
	taskId?: string | number;
	/** the answer in the Jimeng envelope (its code made a number) */
	envelope?: JimengEnvelope;
	requestId?: string;
}

export interface GatewayReading extends AnswerFacts {
	meaning: GatewayMeaning;
}

/** Quota, balance, credit, pre-consumption: in English or Chinese (new-api answers mostly in Chinese). */
const QUOTA_WORDS =
	/quota|balance|credit|insufficient|pre[-_ ]?consum|top[- ]?up|billing|payment|额度|余额|餘額|額度|预扣|預扣|欠费|充值/i;
/** new-api's TokenAuth when the named codes are absent (its words for a wrong or expired key). */
const KEY_WORDS =
	/invalid token|invalid api[-_ ]?key|incorrect api key|token not provided|token has expired|token quota is exhausted|无效的令牌|未提供令牌|令牌已过期|令牌状态不可用|令牌.{0,30}额度已用尽/i;
const NO_CHANNEL_WORDS = /no available channel|可用渠道|無可用渠道|upstream channel/i;
/** Words that say a task ID is unknown: only with the word task, so "not found" alone (a 404) is not one. */
const TASK_NOT_FOUND_WORDS =
	/\btask[\s_-]?(id)?\b.{0,30}\b(not[\s_-]?(found|exists?)|does not exist|unknown)\b|任务.{0,10}(不存在|未找到)/i;

/** new-api's and OpenAI-style named codes, by meaning. */
const NAMED_CODES: Record<string, GatewayMeaning> = {
	invalid_api_key: 'key',
	insufficient_user_quota: 'balance',
	pre_consume_token_quota_failed: 'balance',
	quota_not_enough: 'balance',
	insufficient_quota: 'balance',
	model_not_found: 'noChannel',
	get_channel_failed: 'noChannel',
	channel_no_available_key: 'noChannel',
	'channel:no_available_key': 'noChannel',
	task_not_exist: 'taskNotFound',
	access_denied: 'permission',
	rate_limit_exceeded: 'rateLimit',
};

type Rule = [GatewayMeaning, (f: AnswerFacts) => boolean];

const status = (lo: number, hi: number) => (f: AnswerFacts) =>
	f.statusCode >= lo && f.statusCode <= hi;
const saying = (words: RegExp) => (f: AnswerFacts) => f.json && words.test(f.said ?? '');
const named = (meaning: GatewayMeaning) => (f: AnswerFacts) =>
	f.name !== undefined && NAMED_CODES[f.name] === meaning;

/**
 * The reading, in order: HTTP semantics first, then codes, then the gateway's words, then what is
 * left by status. The first rule that holds gives the meaning (gatewayAnswers.test.ts: one row per
 * status, body and call kind).
 */
export const RULES: readonly Rule[] = [
	['ok', (f) => status(200, 299)(f) && f.code === SUCCESS_CODE],
	['redirect', status(300, 399)],
	// A 429 is a refusal, whatever the body; 50430 keeps its own handling (our own tasks hold the slots).
	['capacity', (f) => f.code === CONCURRENCY_LIMIT_CODE],
	['rateLimit', status(429, 429)],
	['exhaustedKey', (f) => f.statusCode === 401 && QUOTA_WORDS.test(f.said ?? '')],
	['key', status(401, 401)],
	['balance', status(402, 402)],
	[
		'balance',
		(f) => f.statusCode === 403 && (named('balance')(f) || QUOTA_WORDS.test(f.said ?? '')),
	],
	['permission', status(403, 403)],
	[
		'noChannel',
		(f) => f.statusCode === 503 && (named('noChannel')(f) || saying(NO_CHANNEL_WORDS)(f)),
	],
	// codes
	['rateLimit', (f) => f.code === RATE_LIMIT_CODE],
	['taskNotFound', (f) => f.code === TASK_NOT_FOUND_CODE],
	['refused', (f) => f.code !== undefined && PERMANENT_CODES.has(f.code)],
	['unavailable', (f) => f.code !== undefined && INTERNAL_ERROR_CODES.has(f.code)],
	...[...new Set(Object.values(NAMED_CODES))].map((meaning): Rule => [meaning, named(meaning)]),
	// words
	['exhaustedKey', (f) => saying(KEY_WORDS)(f) && QUOTA_WORDS.test(f.said ?? '')],
	['key', saying(KEY_WORDS)],
	['taskNotFound', saying(TASK_NOT_FOUND_WORDS)],
	['noChannel', saying(NO_CHANNEL_WORDS)],
	// what is left, by status
	['unavailable', status(500, 599)],
	['missing', status(404, 404)],
	['apiError', (f) => f.json && (f.code !== undefined || f.name !== undefined || isErrorBody(f))],
	['foreign', () => true],
];

function isErrorBody(f: AnswerFacts): boolean {
	return f.statusCode >= 400 || f.said !== undefined;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The gateway's words: message, error.message (or an error string), msg, error_msg. */
function wordsOf(body: IDataObject): string | undefined {
	const error = body.error;
	const nested = typeof error === 'object' && error !== null ? (error as IDataObject) : {};
	return (
		text(body.message) ??
		text(nested.message) ??
		text(error) ??
		text(body.msg) ??
		text(body.error_msg) ??
		text(body.description)
	);
}

/** A code as the gateway gave it: digits are the Jimeng code, other text a named code. */
function splitCode(value: unknown): { code?: number; name?: string } {
	if (typeof value === 'number' && Number.isInteger(value)) return { code: value };
	const raw = text(value);
	if (raw === undefined) return {};
	return /^\d+$/.test(raw) ? { code: Number(raw) } : { name: raw };
}

/** An upstream answer passed through as the message text (new-api's fail_to_fetch_task). */
function innerAnswer(said: string | undefined): IDataObject | undefined {
	if (!said?.startsWith('{')) return undefined;
	const inner = parseBody(said);
	return typeof inner === 'object' && inner !== null ? (inner as IDataObject) : undefined;
}

function mask(said: string | undefined, secret: string | undefined): string | undefined {
	if (!said || !secret) return said;
	return said.split(secret).join('***');
}

/** Reads one answer's code, words and task ID, whatever the shape it came in. */
export function answerFacts(answer: GatewayAnswer, secret?: string): AnswerFacts {
	const body = parseBody(answer.body);
	const facts: AnswerFacts = { statusCode: answer.statusCode, json: false };
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return facts;
	const object = body as IDataObject;
	const error = typeof object.error === 'object' && object.error !== null ? object.error : {};
	const outer = splitCode(object.code ?? (error as IDataObject).code);
	// An upstream answer passed on as text (fail_to_fetch_task) speaks with its own code and words.
	const inner = outer.code === undefined ? innerAnswer(wordsOf(object)) : undefined;
	const passed = inner ? splitCode(inner.code) : {};
	const code = outer.code ?? passed.code;
	const said = (passed.code !== undefined && inner && wordsOf(inner)) || wordsOf(object);
	const data = object.data as IDataObject | null | undefined;
	const taskId = data && typeof data === 'object' ? data.task_id : undefined;
	return {
		...facts,
		json: true,
		code,
		name: outer.name,
		said: mask(said, secret),
		taskId: typeof taskId === 'string' || typeof taskId === 'number' ? taskId : undefined,
		envelope: code === undefined ? undefined : ({ ...object, code } as JimengEnvelope),
		requestId: text(object.request_id),
	};
}

/** The meaning of one answer to a /jm call, the upload link request or the credential Test. */
export function readGatewayAnswer(answer: GatewayAnswer, secret?: string): GatewayReading {
	const facts = answerFacts(answer, secret);
	const [meaning] = RULES.find(([, holds]) => holds(facts)) ?? ['foreign'];
	return { ...facts, meaning };
}

/**
 * Whether an answer proves that no task was created, so that a submit may be sent again: a 429
 * (a refusal), or a complete JSON error answer. An HTML page, an empty 5xx or a cut connection do
 * not prove it, and neither does any answer that names a task ID.
 */
export function provesNoTask(reading: AnswerFacts): boolean {
	if (reading.taskId !== undefined) return false;
	if (reading.statusCode === 429) return true;
	if (!reading.json) return false;
	return reading.statusCode >= 400 || (reading.code !== undefined && reading.code !== SUCCESS_CODE);
}

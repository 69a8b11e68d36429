import { adviceForCode } from '../domain/advice';
import type { ApiFailure } from '../domain/errors';
import { withTask } from '../domain/errors';
import type { GatewayReading } from '../domain/gatewayAnswers';
import { GATEWAY_REFUSALS, MEANINGS, SPENT } from '../domain/gatewayMeanings';
import type { NetworkMeaning } from '../domain/network';
import type { ClassifyContext, HttpAnswer } from './verdict';

/** What the call was doing, for messages: "Submitting the task failed: …". */
function what(ctx: ClassifyContext): string {
	if (ctx.kind === 'submit') return 'Submitting the task';
	if (ctx.kind === 'query') return withTask('Querying the task', ctx.taskId);
	if (ctx.kind === 'read') return ctx.subject ?? 'Calling the gateway';
	return ctx.subject ?? 'Uploading a reference image';
}

const isUpload = (ctx: ClassifyContext) => ctx.kind === 'uploadLink' || ctx.kind === 'uploadPut';

/** Said after every gateway failure of a call kind. */
function afterword(ctx: ClassifyContext, reading: GatewayReading): string {
	if (isUpload(ctx)) return ' Nothing was submitted for this item.';
	if (ctx.kind === 'submit' && SPENT.has(reading.meaning)) {
		return ' No task was created, and no further submits are sent in this execution.';
	}
	return '';
}

/** A Jimeng code: the message names it and the API's words; the advice is the code's. */
function codeFailure(reading: GatewayReading, ctx: ClassifyContext, retried: boolean): ApiFailure {
	const code = reading.code as number;
	const said = reading.said ?? '';
	return {
		message: withTask(`Jimeng API error ${code}: ${said || 'no message'}`, ctx.taskId),
		description:
			(retried ? `Still failing after ${ctx.attempt} retries. ` : '') + adviceForCode(code, said),
		httpCode: reading.statusCode,
		code,
		apiMessage: said,
		requestId: reading.requestId,
		taskId: ctx.taskId,
		meaning: reading.meaning,
	};
}

/** What happened, said by the meaning, or by the HTTP status when the meaning has no words. */
function happened(reading: GatewayReading, answer: HttpAnswer): string {
	const { statusCode, said } = reading;
	if (reading.meaning === 'redirect') {
		const location = answer.headers.location;
		return `the gateway answered HTTP ${statusCode} (a redirect to ${String(location ?? 'another address')})`;
	}
	const { phrase } = MEANINGS[reading.meaning];
	if (phrase) return `${phrase} (HTTP ${statusCode})${said ? `: "${said.slice(0, 300)}"` : ''}`;
	if (!reading.json) return `the gateway answered HTTP ${statusCode} with a non-JSON page`;
	return `the gateway answered HTTP ${statusCode}${said ? `: ${said.slice(0, 300)}` : ''}`;
}

function advice(reading: GatewayReading, answer: HttpAnswer, ctx: ClassifyContext): string {
	const rule = MEANINGS[reading.meaning];
	if (reading.meaning === 'redirect') {
		return `The gateway redirected to ${String(answer.headers.location ?? 'another address')} (not followed: it would carry the API key). Set Base URL in the credential to the final address.`;
	}
	if (rule.retry === 'never' || ctx.attempt === 0) return rule.advice ?? '';
	if (reading.meaning === 'unavailable') {
		return `The gateway kept failing after ${ctx.attempt} retries. ${rule.advice}`;
	}
	return `Still refused after ${ctx.attempt} retries. ${rule.advice}`;
}

/**
 * The failure for a gateway answer that ends the call. A Jimeng code speaks for itself, unless the
 * gateway's own layer refused first (the key, the balance, a permission: read by HTTP status).
 */
export function answerFailure(
	reading: GatewayReading,
	answer: HttpAnswer,
	ctx: ClassifyContext,
): ApiFailure {
	const rule = MEANINGS[reading.meaning];
	const retried = rule.retry !== 'never' && ctx.attempt > 0;
	if (reading.code !== undefined && !GATEWAY_REFUSALS.has(reading.meaning) && !isUpload(ctx)) {
		return codeFailure(reading, ctx, retried);
	}
	return {
		message: `${what(ctx)} failed: ${happened(reading, answer)}`,
		description: advice(reading, answer, ctx) + afterword(ctx, reading),
		httpCode: reading.statusCode,
		code: reading.code ?? reading.name,
		apiMessage: reading.said,
		requestId: reading.requestId,
		taskId: ctx.taskId,
		meaning: reading.meaning,
	};
}

/**
 * A submit that may have created a task (the answer does not prove otherwise): not retried, and
 * the user is told to check before running the item again.
 */
export function mayHaveCreated(
	cause: string,
	reason: string,
	extra: Pick<ApiFailure, 'code' | 'httpCode' | 'taskId'>,
): ApiFailure {
	return {
		message: `Submitting the task ${cause}: the task may have been created`,
		description: `${reason}, so it was not retried: a retry could bill a second task. Check the task list or billing on the gateway before running this item again.`,
		...extra,
	};
}

/** The failure for a call that got no HTTP answer. */
export function networkFailure(
	meaning: NetworkMeaning,
	code: string | undefined,
	error: unknown,
	ctx: ClassifyContext,
): ApiFailure {
	const { taskId } = ctx;
	if (meaning === 'unsent') {
		return {
			message: `${what(ctx)} failed: ${(error as Error)?.message ?? String(error)}`,
			description: 'n8n did not send the request. Check the credential and the instance settings.',
			taskId,
		};
	}
	if (meaning === 'unresolvable' && ctx.kind !== 'uploadPut') {
		return {
			message: `${what(ctx)} failed: the gateway host in Base URL could not be resolved`,
			description: `Check Base URL in the Jimeng API credential (${code}).`,
			code,
			taskId,
		};
	}
	const refused = meaning === 'refused' && ctx.kind !== 'uploadPut';
	return {
		message: `${what(ctx)} failed: ${ctx.kind === 'uploadPut' ? 'the upload host' : 'the gateway'} did not answer (${code})`,
		description: refused
			? `Nothing accepted the connection at ${ctx.baseUrl ?? 'the Base URL'}. Check Base URL in the credential and that the gateway is up.`
			: `The connection failed ${ctx.attempt + 1} times. ${
					isUpload(ctx)
						? 'Nothing was submitted for this item; run it again.'
						: `Check the network and the gateway, then run the node again${taskId ? ' (Get Task resumes this task)' : ''}.`
				}`,
		code,
		taskId,
	};
}

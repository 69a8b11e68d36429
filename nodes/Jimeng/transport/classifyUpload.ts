import { gatewayMessage, parseBody } from '../domain/api';
import type { ApiFailure } from '../domain/errors';
import { networkCode, NOT_SENT_CODES, UNRESOLVABLE_CODES } from '../domain/network';
import { parseUploadLink, UPLOAD_PATH } from '../domain/upload';
import type { CallOutcome, ClassifyContext, HttpAnswer, Verdict } from './classify';
import { retryDelay } from './retry';

const NO_UPLOAD_ENDPOINT =
	"Reference Images From Binary needs the gateway's file upload. Check Base URL in the credential, or put the images on a public host and pass their links as Reference Image URLs instead.";

const fail = (failure: ApiFailure): Verdict => ({ kind: 'fail', failure });

function retry(ctx: ClassifyContext, answer?: HttpAnswer): Verdict {
	const statusCode = answer?.statusCode;
	return {
		kind: 'retry',
		delayMs: retryDelay(ctx.attempt, answer?.headers['retry-after'], ctx.random),
		rateLimited: statusCode === 429,
	};
}

const subject = (ctx: ClassifyContext) => ctx.subject ?? 'Uploading a reference image';
const canRetry = (ctx: ClassifyContext) => ctx.attempt < ctx.maxRetries;
const transient = (statusCode: number) => statusCode === 429 || statusCode >= 500;

/**
 * No HTTP answer. Neither step creates a task, so any lost connection may be retried: a second
 * link request only makes a second link, a second PUT replaces the same file.
 */
function uploadError(error: unknown, ctx: ClassifyContext): Verdict {
	const code = networkCode(error);
	const reason = (error as Error)?.message ?? String(error);
	if (code === undefined) {
		return fail({
			message: `${subject(ctx)} failed: ${reason}`,
			description: 'n8n did not send the request. Check the credential and the instance settings.',
		});
	}
	if (ctx.kind === 'uploadLink' && UNRESOLVABLE_CODES.has(code)) {
		return fail({
			message: `${subject(ctx)} failed: the gateway host in Base URL could not be resolved`,
			description: `Check Base URL in the Jimeng API credential (${code}).`,
			code,
		});
	}
	if (canRetry(ctx)) return retry(ctx);
	const host = ctx.kind === 'uploadLink' ? 'the gateway' : 'the upload host';
	return fail({
		message: `${subject(ctx)} failed: ${host} did not answer (${code})`,
		description:
			NOT_SENT_CODES.has(code) && ctx.kind === 'uploadLink'
				? `Nothing accepted the connection at ${ctx.baseUrl ?? 'the Base URL'}. Check Base URL in the credential and that the gateway is up.`
				: `The connection failed ${ctx.attempt + 1} times. Nothing was submitted for this item; run it again.`,
		code,
	});
}

/** Step 1, the gateway's answer to PUT {Base URL}/v1/file/upload. */
function uploadLinkAnswer(answer: HttpAnswer, ctx: ClassifyContext): Verdict {
	const { statusCode } = answer;
	const body = parseBody(answer.body);
	const said = gatewayMessage(body);
	const isJson = typeof body === 'object' && body !== null;
	if (statusCode >= 200 && statusCode < 300) {
		const upload = parseUploadLink(body);
		if (upload) return { kind: 'ok', upload };
		return fail({
			message: `${subject(ctx)} failed: the gateway's answer to PUT ${UPLOAD_PATH} is not an upload link (no upload_url and download_url)`,
			description: `The gateway may not offer file uploads. ${NO_UPLOAD_ENDPOINT}`,
			httpCode: statusCode,
			apiMessage: said,
		});
	}
	if (statusCode === 401 || statusCode === 403) {
		return fail({
			message: `${subject(ctx)} failed: the gateway rejected the API key (HTTP ${statusCode})`,
			description: `Check the API key in the Jimeng API credential and that it may upload files. Gateway said: ${said ?? 'nothing'}.`,
			httpCode: statusCode,
			apiMessage: said,
		});
	}
	if (transient(statusCode) && canRetry(ctx)) return retry(ctx, answer);
	const redirect = statusCode >= 300 && statusCode < 400;
	if (
		statusCode === 404 ||
		statusCode === 405 ||
		(!isJson && !redirect && !transient(statusCode))
	) {
		return fail({
			message: `${subject(ctx)} failed: the gateway has no file upload endpoint (PUT ${UPLOAD_PATH} answered HTTP ${statusCode}${isJson ? '' : ' with a non-JSON page'})`,
			description: NO_UPLOAD_ENDPOINT,
			httpCode: statusCode,
			apiMessage: said,
		});
	}
	return fail({
		message: `${subject(ctx)} failed: the gateway answered HTTP ${statusCode}${said ? `: ${said}` : ''}`,
		description: redirect
			? `The gateway redirected to ${String(answer.headers.location ?? 'another address')} (not followed: it would carry the API key). Set Base URL in the credential to the final address.`
			: transient(statusCode)
				? `The gateway kept failing after ${ctx.attempt} retries. Nothing was submitted for this item; try again later.`
				: 'Nothing was submitted for this item. Check the image, or pass it as a Reference Image URL.',
		httpCode: statusCode,
		apiMessage: said,
	});
}

/** Step 2, the upload host's answer to the bytes. */
function uploadPutAnswer(answer: HttpAnswer, ctx: ClassifyContext): Verdict {
	const { statusCode } = answer;
	if (statusCode >= 200 && statusCode < 300) return { kind: 'ok' };
	if (transient(statusCode) && canRetry(ctx)) return retry(ctx, answer);
	const refused = statusCode === 400 || statusCode === 401 || statusCode === 403;
	return fail({
		message: `${subject(ctx)} failed: the upload host answered HTTP ${statusCode}${refused ? ': it refused the signed link (expired, or the request did not match its signature)' : ''}`,
		description: transient(statusCode)
			? `The upload host kept failing after ${ctx.attempt} retries. Nothing was submitted for this item; try again later.`
			: 'Nothing was submitted for this item. Run it again (a new link is requested), or pass the image as a Reference Image URL.',
		httpCode: statusCode,
	});
}

/** The two upload steps' rules; classify() hands them over by call kind. */
export function classifyUpload(outcome: CallOutcome, ctx: ClassifyContext): Verdict {
	if (outcome.error !== undefined || !outcome.answer) return uploadError(outcome.error, ctx);
	return ctx.kind === 'uploadLink'
		? uploadLinkAnswer(outcome.answer, ctx)
		: uploadPutAnswer(outcome.answer, ctx);
}

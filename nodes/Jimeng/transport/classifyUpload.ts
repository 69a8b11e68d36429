import type { ApiFailure } from '../domain/errors';
import { answerFacts } from '../domain/gatewayAnswers';
import { parseBody } from '../domain/api';
import { parseUploadLink, UPLOAD_PATH } from '../domain/upload';
import { retryDelay } from './retry';
import type { ClassifyContext, HttpAnswer, Verdict } from './verdict';

const NO_UPLOAD_ENDPOINT =
	"Reference Images From Binary needs the gateway's file upload. Check Base URL in the credential, or put the images on a public host and pass their links as Reference Image URLs instead.";

const fail = (failure: ApiFailure): Verdict => ({ kind: 'fail', failure });

const subject = (ctx: ClassifyContext) => ctx.subject ?? 'Uploading a reference image';
const transient = (statusCode: number) => statusCode === 429 || statusCode >= 500;

/**
 * Step 1, what only the upload link request answers: its link, or that the gateway has no upload
 * at all. Anything else (the key, the balance, a rate limit, a redirect, a failing gateway) is read
 * like every gateway answer, by classify(): undefined here.
 */
export function classifyUploadLink(answer: HttpAnswer, ctx: ClassifyContext): Verdict | undefined {
	const { statusCode } = answer;
	const { json: isJson, said } = answerFacts(answer, ctx.secret);
	if (statusCode >= 200 && statusCode < 300) {
		const upload = parseUploadLink(parseBody(answer.body));
		if (upload) return { kind: 'ok', upload };
		return fail({
			message: `${subject(ctx)} failed: the gateway's answer to PUT ${UPLOAD_PATH} is not an upload link (no upload_url and download_url)`,
			description: `The gateway may not offer file uploads. ${NO_UPLOAD_ENDPOINT}`,
			httpCode: statusCode,
			apiMessage: said,
		});
	}
	const redirect = statusCode >= 300 && statusCode < 400;
	const refusal = statusCode === 401 || statusCode === 402 || statusCode === 403;
	if (
		statusCode === 404 ||
		statusCode === 405 ||
		(!isJson && !redirect && !refusal && !transient(statusCode))
	) {
		return fail({
			message: `${subject(ctx)} failed: the gateway has no file upload endpoint (PUT ${UPLOAD_PATH} answered HTTP ${statusCode}${isJson ? '' : ' with a non-JSON page'})`,
			description: NO_UPLOAD_ENDPOINT,
			httpCode: statusCode,
			apiMessage: said,
		});
	}
	return undefined;
}

/** Step 2, the upload host's answer to the bytes (not the gateway: no key, its own rules). */
export function classifyUploadPut(answer: HttpAnswer, ctx: ClassifyContext): Verdict {
	const { statusCode } = answer;
	if (statusCode >= 200 && statusCode < 300) return { kind: 'ok' };
	if (transient(statusCode) && ctx.attempt < ctx.maxRetries) {
		return {
			kind: 'retry',
			delayMs: retryDelay(ctx.attempt, answer.headers['retry-after'], ctx.random),
			rateLimited: statusCode === 429,
		};
	}
	const refused = statusCode === 400 || statusCode === 401 || statusCode === 403;
	return fail({
		message: `${subject(ctx)} failed: the upload host answered HTTP ${statusCode}${refused ? ': it refused the signed link (expired, or the request did not match its signature)' : ''}`,
		description: transient(statusCode)
			? `The upload host kept failing after ${ctx.attempt} retries. Nothing was submitted for this item; try again later.`
			: 'Nothing was submitted for this item. Run it again (a new link is requested), or pass the image as a Reference Image URL.',
		httpCode: statusCode,
	});
}

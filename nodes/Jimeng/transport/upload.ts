import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { apiError } from '../domain/errors';
import type { UploadLink } from '../domain/upload';
import { UPLOAD_PATH, uploadLinkBody } from '../domain/upload';
import { classify } from './classify';
import { callGateway, gatewayRequest, gatewayTarget } from './request';
import { withRetries } from './retryLoop';
import type { CallOutcome, HttpAnswer } from './verdict';

export interface UploadCallOptions {
	itemIndex: number;
	maxRetries: number;
	timeoutMs: number;
	signal?: AbortSignal;
	/** what is uploaded, for messages: 'Uploading reference binary field "data"' */
	subject: string;
}

/** A body that can be sent once: a buffer, or a stream that a failed attempt must close. */
type UploadBody = Buffer | { destroy(): void };

/**
 * Step 1: PUT {Base URL}/v1/file/upload with the credential (the Bearer key goes to the Base URL
 * only; redirects are not followed, they would carry it elsewhere). Returns where to PUT the bytes.
 */
export async function requestUploadLink(
	ctx: IExecuteFunctions,
	contentType: string,
	expireSeconds: number,
	options: UploadCallOptions,
): Promise<UploadLink> {
	const node = ctx.getNode();
	const { baseUrl, secret } = await gatewayTarget(ctx, options.itemIndex);
	const body = uploadLinkBody(contentType, expireSeconds);
	const request = gatewayRequest('PUT', `${baseUrl}${UPLOAD_PATH}`, options.timeoutMs, body);
	const result = await withRetries({
		node,
		signal: options.signal,
		attempt: async () => await callGateway(ctx, request),
		judge: (outcome, attempt) =>
			classify(outcome, {
				kind: 'uploadLink',
				attempt,
				maxRetries: options.maxRetries,
				baseUrl,
				secret,
				subject: options.subject,
			}),
	});
	if (result.kind !== 'ok' || !result.upload) {
		const failure =
			result.kind === 'fail'
				? result.failure
				: { message: `${options.subject} failed: no upload link`, description: '' };
		throw apiError(node, failure, options.itemIndex);
	}
	return result.upload;
}

/**
 * Step 2: the bytes to the signed link with plain httpRequest (never the credential: the upload
 * host is not the gateway), the same Content-Type and an explicit Content-Length (presigned PUTs
 * refuse chunked bodies). `open` gives a fresh body per attempt, so a retry re-opens the stream.
 */
export async function putUpload(
	ctx: IExecuteFunctions,
	link: UploadLink,
	file: { contentType: string; byteSize: number; open: () => Promise<UploadBody> },
	options: UploadCallOptions,
): Promise<void> {
	const node = ctx.getNode();
	const result = await withRetries({
		node,
		signal: options.signal,
		attempt: async (): Promise<CallOutcome> => {
			let body: UploadBody | undefined;
			try {
				body = await file.open();
				const answer = (await ctx.helpers.httpRequest({
					method: link.method,
					url: link.uploadUrl,
					headers: {
						'Content-Type': file.contentType,
						'Content-Length': String(file.byteSize),
					},
					body: body as IHttpRequestOptions['body'],
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
					timeout: options.timeoutMs,
					abortSignal: ctx.getExecutionCancelSignal?.(),
				})) as HttpAnswer;
				return { answer };
			} catch (error) {
				return { error };
			} finally {
				if (body && !Buffer.isBuffer(body)) body.destroy();
			}
		},
		judge: (outcome, attempt) =>
			classify(outcome, {
				kind: 'uploadPut',
				attempt,
				maxRetries: options.maxRetries,
				subject: options.subject,
			}),
	});
	if (result.kind === 'fail') throw apiError(node, result.failure, options.itemIndex);
}

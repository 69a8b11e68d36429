import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { retryDelay } from '../transport/retry';
import { pause, throwIfAborted } from './pause';

export type DownloadOutcome =
	| { binary: IBinaryData; error?: undefined }
	| { binary?: undefined; error: { message: string; httpCode?: number } };

type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

const EXTENSIONS: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
};

/** Mime type from the image's first bytes, for hosts that send none or a generic one. */
export function sniffImageType(bytes: Buffer): string | undefined {
	if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'image/png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (bytes.length >= 12 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WEBP') {
		return 'image/webp';
	}
	if (bytes.length >= 6 && bytes.toString('ascii', 0, 4) === 'GIF8') return 'image/gif';
	return undefined;
}

/** The declared mime type when it is a real one; undefined when missing or generic. */
function declaredType(contentType: unknown): string | undefined {
	const declared = typeof contentType === 'string' ? contentType.split(';')[0].trim().toLowerCase() : '';
	if (!declared || declared === 'application/octet-stream' || declared === 'binary/octet-stream') return undefined;
	return declared;
}

function extensionOf(mimeType: string): string {
	return EXTENSIONS[mimeType] ?? mimeType.split('/')[1] ?? 'bin';
}

/** Stores bytes already in memory (base64 results, or a download that needed sniffing). */
export async function binaryFromBuffer(
	ctx: IExecuteFunctions,
	buffer: Buffer,
	fileBase: string,
	contentType?: unknown,
): Promise<IBinaryData> {
	const mimeType = declaredType(contentType) ?? sniffImageType(buffer) ?? 'application/octet-stream';
	return await ctx.helpers.prepareBinaryData(buffer, `${fileBase}.${extensionOf(mimeType)}`, mimeType);
}

interface DownloadOptions {
	timeoutMs: number;
	maxRetries: number;
	signal?: AbortSignal;
}

interface StreamResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

function discard(body: unknown): void {
	(body as { destroy?: () => void } | undefined)?.destroy?.();
}

/** Reads a whole response body stream; only used when the mime type must be sniffed. */
async function collect(body: unknown): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of body as AsyncIterable<Buffer | string>) {
		chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
	}
	return Buffer.concat(chunks);
}

/**
 * GETs one result image with plain httpRequest (no credentials) and stores it as n8n binary data.
 * The body is streamed into n8n's binary store, so a 25 MB image is never held whole in memory
 * (in filesystem mode). A failed download is an outcome, not an exception: the item keeps its
 * URL and the reason. Transient failures, including a body cut off half way, are retried.
 */
export async function downloadImage(
	ctx: IExecuteFunctions,
	url: string,
	fileBase: string,
	options: DownloadOptions,
): Promise<DownloadOutcome> {
	const node = ctx.getNode();
	let lastFailure = '';
	for (let attempt = 0; ; attempt++) {
		throwIfAborted(node, options.signal);
		const canRetry = attempt < options.maxRetries;
		try {
			const response = (await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: options.timeoutMs,
				abortSignal: ctx.getExecutionCancelSignal?.(),
			})) as StreamResponse;
			const { statusCode } = response;
			if (statusCode >= 200 && statusCode < 300) {
				const mimeType = declaredType(response.headers['content-type']);
				const binary = mimeType
					? await ctx.helpers.prepareBinaryData(
							response.body as BinarySource,
							`${fileBase}.${extensionOf(mimeType)}`,
							mimeType,
						)
					: await binaryFromBuffer(ctx, await collect(response.body), fileBase);
				return { binary };
			}
			discard(response.body);
			if ((statusCode === 429 || statusCode >= 500) && canRetry) {
				await pause(retryDelay(attempt, response.headers['retry-after']), options.signal);
				continue;
			}
			const expired = statusCode === 404 || statusCode === 403 || statusCode === 410;
			return {
				error: {
					message: expired
						? `The image host answered HTTP ${statusCode}: the URL may have expired (links last 24 hours)`
						: `The image host answered HTTP ${statusCode}`,
					httpCode: statusCode,
				},
			};
		} catch (error) {
			throwIfAborted(node, options.signal);
			lastFailure = (error as Error)?.message ?? String(error);
		}
		if (!canRetry) return { error: { message: `Downloading the image failed: ${lastFailure}` } };
		await pause(retryDelay(attempt), options.signal);
	}
}

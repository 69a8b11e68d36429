import type { IExecuteFunctions } from 'n8n-workflow';

import { retryDelay } from '../transport/retry';
import { pause, throwIfAborted } from './pause';

export interface DownloadedImage {
	buffer: Buffer;
	mimeType: string;
	extension: string;
}

export type DownloadOutcome =
	| { image: DownloadedImage; error?: undefined }
	| { image?: undefined; error: { message: string; httpCode?: number } };

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

export function describeImage(buffer: Buffer, contentType?: unknown): DownloadedImage {
	const declared = typeof contentType === 'string' ? contentType.split(';')[0].trim().toLowerCase() : '';
	const generic = !declared || declared === 'application/octet-stream' || declared === 'binary/octet-stream';
	const mimeType = (generic ? sniffImageType(buffer) : declared) ?? (declared || 'application/octet-stream');
	return { buffer, mimeType, extension: EXTENSIONS[mimeType] ?? mimeType.split('/')[1] ?? 'bin' };
}

interface DownloadOptions {
	timeoutMs: number;
	maxRetries: number;
	signal?: AbortSignal;
}

/**
 * GETs one result image with plain httpRequest (no credentials), retrying transient failures.
 * A failed download is an outcome, not an exception: the item keeps its URL and the reason.
 */
export async function downloadImage(
	ctx: IExecuteFunctions,
	url: string,
	options: DownloadOptions,
): Promise<DownloadOutcome> {
	const node = ctx.getNode();
	for (let attempt = 0; ; attempt++) {
		throwIfAborted(node, options.signal);
		const canRetry = attempt < options.maxRetries;
		let response: { statusCode: number; headers: Record<string, unknown>; body: unknown };
		try {
			response = await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: options.timeoutMs,
				abortSignal: ctx.getExecutionCancelSignal?.(),
			});
		} catch (error) {
			throwIfAborted(node, options.signal);
			if (canRetry) {
				await pause(retryDelay(attempt), options.signal);
				continue;
			}
			return { error: { message: `Downloading the image failed: ${(error as Error).message}` } };
		}
		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) {
			return { image: describeImage(Buffer.from(response.body as ArrayBuffer), response.headers['content-type']) };
		}
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
	}
}

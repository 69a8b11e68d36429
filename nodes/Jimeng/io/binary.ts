import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { DownloadBody } from '../domain/download';
import { notAnImage } from '../domain/download';
import { extensionOf, imageTypeOf, SNIFF_BYTES } from '../domain/imageHeader';

import { LIMITS } from '../domain/limits';
import { chunksOf, readHead, restream } from './streams';

/** Stores base64 result images: their type from their bytes. */
export async function binaryFromBuffer(
	ctx: IExecuteFunctions,
	buffer: Buffer,
	fileBase: string,
): Promise<IBinaryData> {
	const mimeType = imageTypeOf(buffer);
	if (!mimeType) return await ctx.helpers.prepareBinaryData(buffer, `${fileBase}.bin`);
	return await ctx.helpers.prepareBinaryData(
		buffer,
		`${fileBase}.${extensionOf(mimeType)}`,
		mimeType,
	);
}

/**
 * Stores a downloaded image. Its first bytes decide what it is, whatever the Content-Type says:
 * anything but PNG, JPEG or WebP is refused, and nothing is stored. A body up to
 * LIMITS.wholeBodyBytes is read whole and checked before it is stored; a larger one streams
 * into n8n's binary store after that peek (so a 25 MB image is never held whole), and a stream that
 * fails (too big, cut off, out of time) fails the store, which then keeps nothing (n8n ≥ 2.x's
 * byte store removes its temporary file).
 */
export async function storeImageStream(
	ctx: IExecuteFunctions,
	body: DownloadBody,
	fileBase: string,
): Promise<IBinaryData> {
	const { meter } = body;
	const chunks = chunksOf(body.stream, (chunk) => meter.add(chunk));
	const { head, ended } = await readHead(chunks, Math.max(LIMITS.wholeBodyBytes, SNIFF_BYTES));
	const mimeType = imageTypeOf(head);
	if (!mimeType) {
		await chunks.return?.();
		throw notAnImage(head, body.contentType);
	}
	const fileName = `${fileBase}.${extensionOf(mimeType)}`;
	if (ended) {
		meter.finish(mimeType, head);
		return await ctx.helpers.prepareBinaryData(head, fileName, mimeType);
	}
	const stream = restream(body.stream, head, chunks, () => meter.finish(mimeType, head));
	return await ctx.helpers.prepareBinaryData(stream, fileName, mimeType);
}

import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { declaredImageType, extensionOf, sniffImageType } from '../domain/images';

type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** Stores bytes already in memory (base64 results, or a download that needed sniffing). */
export async function binaryFromBuffer(
	ctx: IExecuteFunctions,
	buffer: Buffer,
	fileBase: string,
	contentType?: unknown,
): Promise<IBinaryData> {
	const mimeType =
		declaredImageType(contentType) ?? sniffImageType(buffer) ?? 'application/octet-stream';
	return await ctx.helpers.prepareBinaryData(
		buffer,
		`${fileBase}.${extensionOf(mimeType)}`,
		mimeType,
	);
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
 * Stores a downloaded image body. The stream goes straight into n8n's binary store (so in
 * filesystem mode a 25 MB image is never held whole); only a body without a real mime type is
 * read into memory, to sniff its type from the first bytes.
 */
export async function storeImageStream(
	ctx: IExecuteFunctions,
	body: unknown,
	contentType: unknown,
	fileBase: string,
): Promise<IBinaryData> {
	const mimeType = declaredImageType(contentType);
	if (!mimeType) return await binaryFromBuffer(ctx, await collect(body), fileBase);
	return await ctx.helpers.prepareBinaryData(
		body as BinarySource,
		`${fileBase}.${extensionOf(mimeType)}`,
		mimeType,
	);
}

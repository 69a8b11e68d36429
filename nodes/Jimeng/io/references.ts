import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';

import type { ImageHeader, ReferenceMimeType } from '../domain/imageHeader';
import { readImageHeader } from '../domain/imageHeader';
import { LIMITS } from '../domain/limits';
import { referenceProblem } from '../domain/references';
import { chunksOf, countBytes, readHead } from './streams';
import type { ParamSource } from './validation';
import { invalid } from './validation';

/** One Reference Images From Binary entry, checked: what the upload needs. */
export interface ReferenceBinary {
	field: string;
	/** from the bytes, not the item's mimeType */
	mimeType: ReferenceMimeType;
	byteSize: number;
	width: number;
	height: number;
	/** the item's binary entry: an `id` into n8n's binary store, or inline base64 `data` */
	binary: IBinaryData;
}

/** The upload body: the stored file as a stream, or the inline bytes. */
export type ReferenceBody =
	| Buffer
	| Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

/** The parameter as a list of field names: UI list, array from an expression, or comma-separated text. */
export function collectBinaryFields(raw: unknown): string[] {
	const values = Array.isArray(raw) ? raw : [raw];
	return values
		.flatMap((value) => (value === null || value === undefined ? [] : String(value).split(/[\n,]/)))
		.map((name) => name.trim())
		.filter(Boolean);
}

/** Opens the bytes of a reference: a fresh stream from the binary store each call, or the inline buffer. */
export async function openReferenceBody(
	ctx: IExecuteFunctions,
	binary: IBinaryData,
): Promise<ReferenceBody> {
	if (binary.id) return await ctx.helpers.getBinaryStream(binary.id);
	return Buffer.from(binary.data ?? '', BINARY_ENCODING);
}

/** Reads only as far as the header: a stream is left as soon as the size is known. */
async function readHeader(body: ReferenceBody) {
	if (Buffer.isBuffer(body)) return readImageHeader(body);
	try {
		const { head } = await readHead(
			chunksOf(body),
			LIMITS.referenceImage.maxBytes,
			(bytes) => readImageHeader(bytes).kind !== 'more',
		);
		return readImageHeader(head);
	} finally {
		body.destroy();
	}
}

async function byteSizeOf(ctx: IExecuteFunctions, binary: IBinaryData): Promise<number> {
	if (!binary.id) return Buffer.byteLength(binary.data ?? '', BINARY_ENCODING);
	const metadata = await ctx.helpers.getBinaryMetadata(binary.id);
	if (Number.isFinite(metadata?.fileSize)) return metadata.fileSize;
	// A store that keeps no size: count the bytes, holding none of them.
	return await countBytes(chunksOf(await ctx.helpers.getBinaryStream(binary.id)));
}

/**
 * Checks one binary field of the item as the API would, before anything is sent: it exists, it is
 * JPEG or PNG by its bytes, and its size, pixels and ratio are within the API's input rules.
 */
export async function readReferenceBinary(
	ctx: IExecuteFunctions,
	at: ParamSource,
	field: string,
): Promise<ReferenceBinary> {
	const name = `Reference binary field "${field}"`;
	let binary: IBinaryData;
	try {
		binary = ctx.helpers.assertBinaryData(at.itemIndex, field);
	} catch {
		throw invalid(
			at,
			`${name} does not exist on the item`,
			'Name a binary field of the input item (see its Binary tab), e.g. data, or remove it from Reference Images From Binary.',
		);
	}
	const byteSize = await byteSizeOf(ctx, binary);
	const result = await readHeader(await openReferenceBody(ctx, binary));
	if (result.kind !== 'header') {
		throw invalid(
			at,
			`${name} ${result.kind === 'more' ? 'ends before its image header: the file is empty or cut off' : `is ${result.reason}`}`,
			'Convert the image to JPEG or PNG first (e.g. with the Edit Image node), or pass it as a Reference Image URL.',
		);
	}
	const header: ImageHeader = result.header;
	const problem = referenceProblem(header, byteSize);
	if (problem) {
		throw invalid(
			at,
			`${name} ${problem}`,
			'Resize or compress the image first (e.g. with the Edit Image node): at most 15 MB, 4096 × 4096 pixels, a width/height ratio between 1:3 and 3:1.',
		);
	}
	return { field, ...header, byteSize, binary };
}

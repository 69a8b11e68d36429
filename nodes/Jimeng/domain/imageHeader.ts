/**
 * Reads what a file is from its bytes: the type and pixel size of a PNG or JPEG reference image
 * (checked before anything is uploaded or billed), the type of a downloaded result image (PNG,
 * JPEG or WebP), what a body that is no image is instead, and whether an image ends as its format
 * says; and what follows from the type: a result file's extension and name. Pure: bytes in, an
 * answer out.
 */

export type ReferenceMimeType = 'image/png' | 'image/jpeg';

/**
 * What the API returns (PNG or JPEG: Volcengine's Jimeng 4.0 doc,
 * https://www.volcengine.com/docs/85621/1817045), and WebP, which image CDNs convert to.
 */
export type ImageMimeType = ReferenceMimeType | 'image/webp';

export interface ImageHeader {
	mimeType: ReferenceMimeType;
	width: number;
	height: number;
}

/**
 * `header` when found; `more` when the bytes end before the size is known (read on and ask again);
 * `bad` when the bytes cannot be a PNG or JPEG the API takes.
 */
export type HeaderResult =
	| { kind: 'header'; header: ImageHeader }
	| { kind: 'more' }
	| { kind: 'bad'; reason: string };

/** Enough bytes to tell every type below apart. */
export const SNIFF_BYTES = 12;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const more: HeaderResult = { kind: 'more' };
const bad = (reason: string): HeaderResult => ({ kind: 'bad', reason });

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
	return prefix.every((value, i) => bytes[i] === value);
}

function u16(bytes: Uint8Array, at: number): number {
	return (bytes[at] << 8) | bytes[at + 1];
}

function u32(bytes: Uint8Array, at: number): number {
	return ((bytes[at] << 24) >>> 0) + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
}

/** PNG: the signature, then IHDR must be the first chunk (width, height as 4-byte big-endian). */
function readPng(bytes: Uint8Array): HeaderResult {
	if (bytes.length < 24) return more;
	if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR')
		return bad('a PNG whose first chunk is not IHDR');
	const width = u32(bytes, 16);
	const height = u32(bytes, 20);
	if (width === 0 || height === 0) return bad('a PNG with a zero width or height');
	return { kind: 'header', header: { mimeType: 'image/png', width, height } };
}

/** SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not. */
function isStartOfFrame(marker: number): boolean {
	return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers that stand alone, without a length: TEM, RSTn, SOI. */
function isStandalone(marker: number): boolean {
	return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
}

/**
 * JPEG: walks the segments after SOI (APPn such as EXIF and ICC profiles, DQT, DHT, …) to the first
 * SOFn (baseline SOF0, progressive SOF2, …), whose payload is precision, height, width.
 */
function readJpeg(bytes: Uint8Array): HeaderResult {
	let at = 2;
	for (;;) {
		if (at >= bytes.length) return more;
		if (bytes[at] !== 0xff) return bad('a JPEG whose segments are damaged');
		// Any number of 0xFF fill bytes may precede a marker.
		while (at < bytes.length && bytes[at] === 0xff) at++;
		if (at >= bytes.length) return more;
		const marker = bytes[at];
		at++;
		if (isStandalone(marker)) continue;
		if (marker === 0xd9 || marker === 0xda)
			return bad('a JPEG with no frame header before its data');
		if (at + 2 > bytes.length) return more;
		const length = u16(bytes, at);
		if (length < 2) return bad('a JPEG whose segments are damaged');
		if (isStartOfFrame(marker)) {
			if (at + 7 > bytes.length) return more;
			const height = u16(bytes, at + 3);
			const width = u16(bytes, at + 5);
			if (width === 0 || height === 0) return bad('a JPEG with a zero width or height');
			return { kind: 'header', header: { mimeType: 'image/jpeg', width, height } };
		}
		at += length;
	}
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
	return String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));
}

/** The image type by the first bytes (SNIFF_BYTES are enough), whatever a Content-Type says. */
export function imageTypeOf(bytes: Uint8Array): ImageMimeType | undefined {
	if (bytes.length >= PNG_SIGNATURE.length && startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
	if (bytes.length >= JPEG_SIGNATURE.length && startsWith(bytes, JPEG_SIGNATURE))
		return 'image/jpeg';
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
	return undefined;
}

const FILE_KINDS: Array<[RegExp, string]> = [
	[/^RIFF[\s\S]{4}WEBP/, 'a WebP image'],
	[/^GIF8/, 'a GIF image'],
	[/^BM/, 'a BMP image'],
	[/^[\s\S]{4}ftyp/, 'a HEIC/AVIF (ISO media) file'],
	[/^%PDF/, 'a PDF'],
];

/** Markup and documents, read after a byte-order mark and leading white space. */
const TEXT_KINDS: Array<[RegExp, string]> = [
	[/^(<!--[\s\S]*?-->\s*)*<(!doctype html|html|head|body)\b/i, 'an HTML page'],
	[/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg\b/i, 'an SVG image'],
	[/^<(\?xml|!|[a-z])/i, 'an XML document'],
	[/^[{[]/, 'a JSON document'],
];

/**
 * What bytes that are no PNG or JPEG are, when they are something known ('a GIF image', 'an HTML
 * page', 'a JSON document', 'an empty body', …); undefined for anything else.
 */
export function describeBytes(bytes: Uint8Array): string | undefined {
	if (bytes.length === 0) return 'an empty body';
	const head = ascii(bytes, 0, 512);
	const file = FILE_KINDS.find(([pattern]) => pattern.test(head));
	if (file) return file[1];
	const text = head.replace(/^\xef\xbb\xbf/, '').trimStart();
	return TEXT_KINDS.find(([pattern]) => pattern.test(text))?.[1];
}

/** What the bytes are, for the message when they are neither PNG nor JPEG. */
function describe(bytes: Uint8Array): string {
	return `${describeBytes(bytes) ?? 'not a PNG or JPEG by its bytes'}; the API takes JPEG or PNG only`;
}

const IEND_CHUNK = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

/** Bytes an image's end is judged by: the IEND chunk of a PNG, a JPEG's EOI marker and any padding after it. */
export const TAIL_BYTES = IEND_CHUNK.length;

/**
 * Why an image that arrived whole by HTTP's count is still cut short (a host that announced fewer
 * bytes than the file has), judged from its first bytes, its last TAIL_BYTES and its size; undefined
 * when it ends as its format says: a PNG with its IEND chunk, a JPEG with its EOI marker, a WebP
 * as long as its RIFF header says.
 */
export function truncation(
	mimeType: ImageMimeType,
	head: Uint8Array,
	tail: Uint8Array,
	size: number,
): string | undefined {
	if (mimeType === 'image/png')
		return tail.length === TAIL_BYTES && startsWith(tail, IEND_CHUNK)
			? undefined
			: 'a PNG without its IEND chunk';
	if (mimeType === 'image/jpeg') {
		for (let at = tail.length - 2; at >= 0; at--)
			if (tail[at] === 0xff && tail[at + 1] === 0xd9) return undefined;
		return 'a JPEG without its end marker (EOI)';
	}
	// RIFF's size field (little-endian) counts the bytes after its first 8.
	const riffSize =
		head.length >= 8 ? head[4] + (head[5] << 8) + (head[6] << 16) + head[7] * 2 ** 24 : 0;
	return size >= riffSize + 8 ? undefined : 'a WebP shorter than its RIFF header says';
}

/** The signatures of the formats the API takes, by their first byte. */
const REFERENCE_SIGNATURES: Record<number, number[]> = {
	[PNG_SIGNATURE[0]]: PNG_SIGNATURE,
	[JPEG_SIGNATURE[0]]: JPEG_SIGNATURE,
};

/**
 * Reads the header from the first bytes of a file; call again with more bytes on `more`. Its type
 * comes from imageTypeOf, the one reading of the magic bytes.
 */
export function readImageHeader(bytes: Uint8Array): HeaderResult {
	const type = imageTypeOf(bytes);
	if (type === 'image/png') return readPng(bytes);
	if (type === 'image/jpeg') return readJpeg(bytes);
	if (type) return bad(describe(bytes));
	const signature = REFERENCE_SIGNATURES[bytes[0]];
	if (!signature) return bytes.length < SNIFF_BYTES ? more : bad(describe(bytes));
	// The start of a PNG or JPEG signature: more bytes tell.
	const partial =
		bytes.length < signature.length && startsWith(bytes, signature.slice(0, bytes.length));
	return partial ? more : bad(describe(bytes));
}

// Names and types of result files.

const EXTENSIONS: Record<ImageMimeType, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
};

/** A Content-Type header without its parameters, lower case; undefined when missing or empty. */
export function mediaType(contentType: unknown): string | undefined {
	const value = Array.isArray(contentType) ? contentType[0] : contentType;
	const type = typeof value === 'string' ? value.split(';')[0].trim().toLowerCase() : '';
	return type || undefined;
}

export function extensionOf(mimeType: ImageMimeType): string {
	return EXTENSIONS[mimeType];
}

/** File names without extension: jimeng-<taskId>-<n>. */
export function imageFileBase(taskId: string, index: number): string {
	return `jimeng-${taskId}-${index}`;
}

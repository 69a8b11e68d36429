/**
 * Reads the type and pixel size of a PNG or JPEG from its first bytes, so a reference image is
 * checked before anything is uploaded or billed. Pure: bytes in, an answer out.
 */

export type ReferenceMimeType = 'image/png' | 'image/jpeg';

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

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
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

/** What the bytes are, for the message when they are neither PNG nor JPEG. */
function describe(bytes: Uint8Array): string {
	const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
	const what =
		bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP'
			? 'a WebP image'
			: bytes.length >= 4 && ascii(0, 4) === 'GIF8'
				? 'a GIF image'
				: bytes.length >= 2 && ascii(0, 2) === 'BM'
					? 'a BMP image'
					: bytes.length >= 12 && ascii(4, 8) === 'ftyp'
						? 'a HEIC/AVIF (ISO media) file'
						: bytes.length >= 4 && ascii(0, 4) === '%PDF'
							? 'a PDF'
							: 'not a PNG or JPEG by its bytes';
	return `${what}; the API takes JPEG or PNG only`;
}

/** Reads the header from the first bytes of a file; call again with more bytes on `more`. */
export function readImageHeader(bytes: Uint8Array): HeaderResult {
	if (bytes.length === 0) return more;
	if (bytes[0] === 0x89) {
		if (bytes.length < PNG_SIGNATURE.length)
			return startsWith(bytes, PNG_SIGNATURE.slice(0, bytes.length)) ? more : bad(describe(bytes));
		if (startsWith(bytes, PNG_SIGNATURE)) return readPng(bytes);
	}
	if (bytes[0] === 0xff) {
		if (bytes.length < 3)
			return bytes.length < 2 || bytes[1] === 0xd8 ? more : bad(describe(bytes));
		if (bytes[1] === 0xd8 && bytes[2] === 0xff) return readJpeg(bytes);
	}
	if (bytes.length < 12) return more;
	return bad(describe(bytes));
}

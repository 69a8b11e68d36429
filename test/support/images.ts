// Image files of any pixel size for reference-image tests: only their headers are real (the API's
// checks read those); the pixel data is a placeholder no decoder is asked to read.
import { crc32 } from 'node:zlib';

function pngChunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
	return Buffer.concat([head, data, crc]);
}

/** A PNG whose IHDR says width × height; `padBytes` adds an ancillary chunk of that size. */
export function pngOf(width: number, height: number, padBytes = 0): Buffer {
	// width, height, bit depth 8, colour type 2 (RGB)
	const ihdr = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0, 0, 0]);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		...(padBytes > 0 ? [pngChunk('tEXt', Buffer.alloc(padBytes, 0x61))] : []),
		pngChunk('IDAT', Buffer.from([0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff])),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

function segment(marker: number, data: Buffer): Buffer {
	const head = Buffer.from([0xff, marker, 0, 0]);
	head.writeUInt16BE(data.length + 2, 2);
	return Buffer.concat([head, data]);
}

export interface JpegShape {
	/** bytes of an EXIF APP1 segment before the frame header (split into 64 KB segments) */
	exifBytes?: number;
	/** an ICC profile APP2 segment of this size too */
	iccBytes?: number;
	/** SOF2 instead of SOF0 */
	progressive?: boolean;
	/** 0xFF fill bytes before the SOF marker */
	fillBytes?: number;
}

/** A JPEG whose SOFn says width × height, after JFIF, EXIF/ICC APPn, DQT and DHT segments. */
export function jpegOf(width: number, height: number, shape: JpegShape = {}): Buffer {
	const appn = (marker: number, tag: string, bytes: number): Buffer[] => {
		const parts: Buffer[] = [];
		for (let left = bytes; left > 0; left -= 60_000) {
			const size = Math.min(left, 60_000);
			parts.push(segment(marker, Buffer.concat([Buffer.from(tag, 'latin1'), Buffer.alloc(size)])));
		}
		return parts;
	};
	// 8-bit samples, height, width, 3 components
	const sof = Buffer.from([8, 0, 0, 0, 0, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
	sof.writeUInt16BE(height, 1);
	sof.writeUInt16BE(width, 3);
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
		...appn(0xe1, 'Exif\0\0', shape.exifBytes ?? 0),
		...appn(0xe2, 'ICC_PROFILE\0', shape.iccBytes ?? 0),
		segment(0xdb, Buffer.alloc(65, 1)),
		Buffer.alloc(shape.fillBytes ?? 0, 0xff),
		segment(shape.progressive ? 0xc2 : 0xc0, sof),
		segment(0xc4, Buffer.alloc(20, 0)),
		segment(0xda, Buffer.from([3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0])),
		Buffer.alloc(32, 0x55),
		Buffer.from([0xff, 0xd9]),
	]);
}

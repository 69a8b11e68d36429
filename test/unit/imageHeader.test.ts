import {
	describeBytes,
	imageTypeOf,
	readImageHeader,
	TAIL_BYTES,
	truncation,
} from '../../nodes/Jimeng/domain/imageHeader';
import { referenceProblem } from '../../nodes/Jimeng/domain/references';
import { jpegOf, pngOf } from '../support/images';

const header = (mimeType: string, width: number, height: number) => ({
	kind: 'header',
	header: { mimeType, width, height },
});
const bad = (reason: string) => ({ kind: 'bad', reason });
const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('readImageHeader: PNG', () => {
	test('reads width and height from IHDR', () => {
		expect(readImageHeader(pngOf(1920, 1080))).toEqual(header('image/png', 1920, 1080));
		expect(readImageHeader(pngOf(70000, 3))).toEqual(header('image/png', 70000, 3));
	});

	test('asks for more bytes (none yet, too) until IHDR is complete, then answers', () => {
		const png = pngOf(300, 200);
		for (let n = 0; n < 24; n++)
			expect(readImageHeader(png.subarray(0, n))).toEqual({ kind: 'more' });
		expect(readImageHeader(png.subarray(0, 24))).toEqual(header('image/png', 300, 200));
	});

	test('a PNG whose first chunk is not IHDR is refused', () => {
		const png = pngOf(10, 10);
		png.write('tEXt', 12, 'latin1');
		expect(readImageHeader(png)).toEqual(bad('a PNG whose first chunk is not IHDR'));
	});
});

describe('readImageHeader: JPEG', () => {
	test.each([
		['baseline SOF0 after JFIF, DQT', jpegOf(640, 480), 640, 480],
		['progressive SOF2', jpegOf(1200, 3600, { progressive: true }), 1200, 3600],
		[
			'EXIF and ICC APPn segments (over 64 KB in all) before the frame header are skipped',
			jpegOf(4000, 3000, { exifBytes: 130_000, iccBytes: 70_000 }),
			4000,
			3000,
		],
		['0xFF fill bytes before a marker are skipped', jpegOf(800, 600, { fillBytes: 5 }), 800, 600],
	])('%s', (name, jpeg, width, height) => {
		if (name.startsWith('EXIF')) expect(jpeg.length).toBeGreaterThan(200_000);
		expect(readImageHeader(jpeg)).toEqual(header('image/jpeg', width, height));
	});

	test('every prefix short of the SOF payload asks for more; the byte that completes it answers', () => {
		const jpeg = jpegOf(1024, 768, { exifBytes: 2000 });
		const sofAt = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
		const complete = sofAt + 2 + 2 + 5; // marker, length, precision, height, width
		for (let n = 0; n < complete; n++)
			expect(readImageHeader(jpeg.subarray(0, n))).toEqual({ kind: 'more' });
		expect(readImageHeader(jpeg.subarray(0, complete))).toEqual(header('image/jpeg', 1024, 768));
	});

	test('DHT (C4) is not taken for a frame header', () => {
		// A DHT segment before the SOF: its marker sits inside the SOFn range.
		const jpeg = jpegOf(320, 240);
		const sofAt = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
		const dht = Buffer.from([0xff, 0xc4, 0x00, 0x08, 9, 9, 9, 9, 9, 9]);
		const withDht = Buffer.concat([jpeg.subarray(0, sofAt), dht, jpeg.subarray(sofAt)]);
		expect(readImageHeader(withDht)).toEqual(header('image/jpeg', 320, 240));
	});

	test('scan data before any frame header is refused', () => {
		const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 1, 2, 3, 4, 5, 6]);
		expect(readImageHeader(jpeg)).toMatchObject({ kind: 'bad' });
	});

	test('a damaged segment chain is refused', () => {
		const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0, 0, 0x12, 0x34, 0, 0]);
		expect(readImageHeader(jpeg)).toEqual(bad('a JPEG whose segments are damaged'));
	});
});

describe('readImageHeader: other files', () => {
	test.each([
		['WebP', latin1('RIFF\x10\0\0\0WEBPVP8 '), 'a WebP image'],
		['GIF', latin1('GIF89a\x10\0\x10\0\0\0\0\0'), 'a GIF image'],
		['PDF', latin1('%PDF-1.7\n%abcdefgh'), 'a PDF'],
		['text', latin1('hello, this is not an image'), 'not a PNG or JPEG by its bytes'],
	])('%s is refused by its bytes (only the bytes count)', (_name, bytes, what) => {
		expect(readImageHeader(bytes)).toEqual(bad(`${what}; the API takes JPEG or PNG only`));
	});
});

describe('referenceProblem: the API input rules', () => {
	const png = (width: number, height: number) => ({
		mimeType: 'image/png' as const,
		width,
		height,
	});
	const MB = 1_000_000; // the doc's "15 MB", read strictly

	test.each([
		[png(4096, 4096), 15 * MB],
		[png(3000, 1000), 1000],
		[png(1000, 3000), 1000],
		[png(1, 1), 100],
	])('%j of %d bytes is accepted', (header, bytes) => {
		expect(referenceProblem(header, bytes)).toBeUndefined();
	});

	test.each([
		[
			png(100, 100),
			15 * MB + 1,
			'is 15.00 MB (15000001 bytes); the API takes at most 15.00 MB (15000000 bytes)',
		],
		[png(4097, 100), 1000, 'is 4097 × 100 pixels; the API takes at most 4096 × 4096'],
		[png(100, 4097), 1000, 'is 100 × 4097 pixels; the API takes at most 4096 × 4096'],
		[png(3001, 1000), 1000, 'a width/height ratio of 3.001'],
		[png(1000, 3001), 1000, 'a width/height ratio of 0.333'],
	])('%j of %d bytes is refused: %s', (header, bytes, text) => {
		expect(referenceProblem(header, bytes)).toContain(text);
	});
});

/** A WebP whose RIFF header announces `riffSize` bytes after the first 8, and `bytes` in all. */
function webpOf(riffSize: number, bytes: number): Buffer {
	const webp = Buffer.alloc(bytes);
	webp.write('RIFF\0\0\0\0WEBPVP8 ', 'latin1');
	webp.writeUInt32LE(riffSize, 4);
	return webp;
}

describe('imageTypeOf: a downloaded image by its first bytes', () => {
	test.each([
		['PNG', pngOf(16, 16), 'image/png'],
		['JPEG', jpegOf(16, 16), 'image/jpeg'],
		['WebP', webpOf(16, 24), 'image/webp'],
		['GIF', latin1('GIF89a\x10\0\x10\0\0\0'), undefined],
		['an HTML page', latin1('<!DOCTYPE html><html>'), undefined],
		['a PNG signature cut short', pngOf(16, 16).subarray(0, 7), undefined],
		['nothing', Buffer.alloc(0), undefined],
	])('%s', (_name, bytes, type) => {
		expect(imageTypeOf(bytes)).toBe(type);
	});
});

describe('describeBytes: what a body that is no image is', () => {
	test.each([
		['<!DOCTYPE html>\n<html><head><title>Sign in</title>', 'an HTML page'],
		['\xef\xbb\xbf\r\n  <html lang="en">', 'an HTML page'],
		['<!-- cdn edge 42 -->\n<!doctype HTML>', 'an HTML page'],
		['<body>Forbidden</body>', 'an HTML page'],
		['<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>', 'an XML document'],
		['<Error><Code>NoSuchKey</Code></Error>', 'an XML document'],
		['<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">', 'an SVG image'],
		['{"code":403,"message":"signature expired"}', 'a JSON document'],
		['  [1, 2, 3]', 'a JSON document'],
		['GIF89a\x10\0\x10\0', 'a GIF image'],
		['%PDF-1.7\n', 'a PDF'],
		['\0\0\0\x18ftypheic', 'a HEIC/AVIF (ISO media) file'],
		['', 'an empty body'],
		['Forbidden', undefined],
		['\x00\x01\x02\x03binary', undefined],
	])('%j → %s', (text, what) => {
		expect(describeBytes(latin1(text))).toBe(what);
	});
});

describe('truncation: an image that ends before its format says it does', () => {
	const tailOf = (bytes: Buffer) => bytes.subarray(-TAIL_BYTES);
	const judge = (type: 'image/png' | 'image/jpeg' | 'image/webp', bytes: Buffer) =>
		truncation(type, bytes.subarray(0, 64), tailOf(bytes), bytes.length);

	test('whole PNG, JPEG and WebP files end as their format says', () => {
		expect(judge('image/png', pngOf(300, 200, 5000))).toBeUndefined();
		expect(judge('image/jpeg', jpegOf(300, 200))).toBeUndefined();
		expect(judge('image/webp', webpOf(4000, 4008))).toBeUndefined();
		// A RIFF pad byte or padding after a JPEG's end marker is not a cut.
		expect(judge('image/webp', webpOf(4000, 4010))).toBeUndefined();
		expect(judge('image/jpeg', Buffer.concat([jpegOf(30, 20), Buffer.alloc(4)]))).toBeUndefined();
	});

	test.each([1, 12, 100])('each cut %i bytes short is found', (cut) => {
		const short = (bytes: Buffer) => bytes.subarray(0, bytes.length - cut);
		const jpeg = jpegOf(300, 200, { exifBytes: 2000 });
		expect(judge('image/png', short(pngOf(300, 200, 5000)))).toBe('a PNG without its IEND chunk');
		expect(judge('image/jpeg', short(jpeg))).toBe('a JPEG without its end marker (EOI)');
		expect(judge('image/webp', short(webpOf(4000, 4008)))).toBe(
			'a WebP shorter than its RIFF header says',
		);
	});
});

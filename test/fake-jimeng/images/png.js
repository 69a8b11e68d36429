'use strict';
// Valid 16x16 RGB PNG built with node:zlib. Stored (level 0) deflate keeps the
// size constant whatever the colour, so padding can hit an exact byte target.
const zlib = require('node:zlib');

const SIZE = 16;
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type, data) {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

function ihdr() {
	const d = Buffer.alloc(13);
	d.writeUInt32BE(SIZE, 0);
	d.writeUInt32BE(SIZE, 4);
	d[8] = 8; // bit depth
	d[9] = 2; // colour type RGB
	return chunk('IHDR', d); // compression, filter, interlace = 0
}

// Shared head: signature, IHDR and an optional private ancillary padding chunk
// ("fkPd": decoders skip it). Built once per padding size.
function pngHead(padDataBytes) {
	const parts = [SIGNATURE, ihdr()];
	if (padDataBytes >= 0) parts.push(chunk('fkPd', Buffer.alloc(padDataBytes, 0x20)));
	return Buffer.concat(parts);
}

// Per-image tail: IDAT with a 16x16 diagonal gradient of the given colour, IEND.
function pngTail([r, g, b]) {
	const row = 1 + SIZE * 3;
	const raw = Buffer.alloc(row * SIZE);
	for (let y = 0; y < SIZE; y++) {
		for (let x = 0; x < SIZE; x++) {
			const o = y * row + 1 + x * 3;
			const shade = (x + y) * 4;
			raw[o] = (r + shade) & 255;
			raw[o + 1] = (g + shade) & 255;
			raw[o + 2] = (b + shade) & 255;
		}
	}
	return Buffer.concat([
		chunk('IDAT', zlib.deflateSync(raw, { level: 0 })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

const HEAD_BYTES = pngHead(-1).length;
const TAIL_BYTES = pngTail([0, 0, 0]).length;

module.exports = { pngHead, pngTail, HEAD_BYTES, TAIL_BYTES };

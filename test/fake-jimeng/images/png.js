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

// SIZE x SIZE, bit depth 8, colour type 2 (RGB); compression, filter and interlace 0
const IHDR = chunk('IHDR', Buffer.from([0, 0, 0, SIZE, 0, 0, 0, SIZE, 8, 2, 0, 0, 0]));

// Shared head: signature, IHDR and an optional private ancillary padding chunk
// ("fkPd": decoders skip it). Built once per padding size.
function head(padDataBytes) {
	const parts = [SIGNATURE, IHDR];
	if (padDataBytes >= 0) parts.push(chunk('fkPd', Buffer.alloc(padDataBytes, 0x20)));
	return Buffer.concat(parts);
}

// Per-image tail: IDAT with a 16x16 diagonal gradient of the colour uniqueHex begins with, IEND.
function tail(uniqueHex) {
	const [r, g, b] = Buffer.from(uniqueHex, 'hex');
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

const HEAD_BYTES = head(-1).length;
const TAIL_BYTES = tail('000000').length;

module.exports = { head, tail, HEAD_BYTES, TAIL_BYTES };

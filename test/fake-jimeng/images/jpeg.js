'use strict';
// Valid 16x16 baseline JPEG (JFIF, 3 components 4:4:4, solid #3a7bd5). It was
// produced once by a small DC-only encoder and checked with djpeg. Uniqueness
// comes from a COM segment; size targets from shared COM padding after SOI.

const BASE = Buffer.from(
	'/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAARCAAQABADAREAAhEAAxEA/8QAMgAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoLEAACAAAAAAAAAAAAAAAAAAAAAf/aAAwDAQACAAMAAD8A8OP3APzAAAAAAAP/2Q==',
	'base64',
);
const SOI = BASE.subarray(0, 2);
const AFTER_SOI = BASE.subarray(2);
const MAX_SEGMENT = 65537; // marker (2) + length field (2) + 65533 data bytes

function com(data) {
	const head = Buffer.from([0xff, 0xfe, 0, 0]);
	head.writeUInt16BE(data.length + 2, 2);
	return Buffer.concat([head, data]);
}

// Shared head: SOI + COM segments adding exactly padBytes (or none if < 4).
function head(padBytes) {
	const parts = [SOI];
	let left = padBytes >= 4 ? padBytes : 0;
	while (left > 0) {
		let seg = Math.min(left, MAX_SEGMENT);
		if (left - seg > 0 && left - seg < 4) seg -= 4; // never leave a remainder too small for a segment
		parts.push(com(Buffer.alloc(seg - 4, 0x20)));
		left -= seg;
	}
	return Buffer.concat(parts);
}

// Per-image tail: a fixed-length COM naming the image, then the JPEG proper.
function tail(uniqueHex) {
	return Buffer.concat([com(Buffer.from(`fake-jimeng ${uniqueHex}`, 'latin1')), AFTER_SOI]);
}

const HEAD_BYTES = SOI.length;
const TAIL_BYTES = tail('0'.repeat(64)).length;

module.exports = { head, tail, HEAD_BYTES, TAIL_BYTES };

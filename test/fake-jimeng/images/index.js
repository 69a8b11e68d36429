'use strict';
// Served image bodies = a shared, cached head (carrying any size padding) plus a
// small per-image tail. A 25 MB image is built and hashed once; each image's
// sha256 continues from the cached head hash.
const crypto = require('node:crypto');
const png = require('./png');
const jpeg = require('./jpeg');

const FORMATS = {
	// overhead: what the padding costs beyond its bytes (a PNG chunk's length, type and CRC)
	png: { ext: 'png', contentType: 'image/png', lib: png, overhead: 12 },
	jpeg: { ext: 'jpg', contentType: 'image/jpeg', lib: jpeg, overhead: 0 },
};

const heads = new Map(); // `${format}:${bytes}` -> { buf, hash }
const MAX_CACHED = 4;

function headFor(format, targetBytes) {
	const f = FORMATS[format];
	const natural = f.lib.HEAD_BYTES + f.lib.TAIL_BYTES;
	const pad = targetBytes > natural + f.overhead ? targetBytes - natural - f.overhead : -1;
	const key = `${format}:${pad}`;
	let h = heads.get(key);
	if (!h) {
		const buf = f.lib.head(pad);
		h = { buf, hash: crypto.createHash('sha256').update(buf) };
		if (heads.size >= MAX_CACHED) heads.delete(heads.keys().next().value);
		heads.set(key, h);
	}
	return h;
}

// -> { parts: [head, tail], length, sha256, contentType, ext }
function imageFor(format, taskId, index, targetBytes) {
	const f = FORMATS[format];
	const hex = crypto.createHash('sha256').update(`${taskId}/${index}`).digest('hex');
	const tail = f.lib.tail(hex);
	const head = headFor(format, targetBytes || 0);
	const sha256 = head.hash.copy().update(tail).digest('hex');
	return {
		parts: [head.buf, tail],
		length: head.buf.length + tail.length,
		sha256,
		contentType: f.contentType,
		ext: f.ext,
	};
}

function extFor(format) {
	return FORMATS[format].ext;
}

module.exports = { imageFor, extFor };

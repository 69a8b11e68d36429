import type { ImageMimeType } from './imageHeader';

const EXTENSIONS: Record<ImageMimeType, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
};

/** A Content-Type header without its parameters, lower case; undefined when missing or empty. */
export function mediaType(contentType: unknown): string | undefined {
	const value = Array.isArray(contentType) ? contentType[0] : contentType;
	const type = typeof value === 'string' ? value.split(';')[0].trim().toLowerCase() : '';
	return type || undefined;
}

export function extensionOf(mimeType: ImageMimeType): string {
	return EXTENSIONS[mimeType];
}

/** File names without extension: jimeng-<taskId>-<n>. */
export function imageFileBase(taskId: string, index: number): string {
	return `jimeng-${taskId}-${index}`;
}

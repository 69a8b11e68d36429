const EXTENSIONS: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
};

/** Mime type from an image's first bytes, for hosts that send none or a generic one. */
export function sniffImageType(bytes: Buffer): string | undefined {
	if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'image/png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
		return 'image/jpeg';
	if (
		bytes.length >= 12 &&
		bytes.toString('ascii', 0, 4) === 'RIFF' &&
		bytes.toString('ascii', 8, 12) === 'WEBP'
	) {
		return 'image/webp';
	}
	if (bytes.length >= 6 && bytes.toString('ascii', 0, 4) === 'GIF8') return 'image/gif';
	return undefined;
}

/** The declared mime type when it is a real one; undefined when missing or generic. */
export function declaredImageType(contentType: unknown): string | undefined {
	const declared =
		typeof contentType === 'string' ? contentType.split(';')[0].trim().toLowerCase() : '';
	if (!declared || declared === 'application/octet-stream' || declared === 'binary/octet-stream')
		return undefined;
	return declared;
}

export function extensionOf(mimeType: string): string {
	return EXTENSIONS[mimeType] ?? mimeType.split('/')[1] ?? 'bin';
}

/** File names without extension: jimeng-<taskId>-<n>. */
export function imageFileBase(taskId: string, index: number): string {
	return `jimeng-${taskId}-${index}`;
}

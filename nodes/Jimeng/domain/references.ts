import type { ImageHeader } from './imageHeader';
import { LIMITS } from './limits';

const { maxBytes, maxSide, minRatio, maxRatio } = LIMITS.referenceImage;

function megabytes(bytes: number): string {
	return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

/** Why a reference image breaks the API's input rules (size, pixels, ratio), or undefined. */
export function referenceProblem(header: ImageHeader, byteSize: number): string | undefined {
	if (byteSize > maxBytes)
		return `is ${megabytes(byteSize)} (${byteSize} bytes); the API takes at most ${megabytes(maxBytes)} (${maxBytes} bytes)`;
	const { width, height } = header;
	if (width > maxSide || height > maxSide)
		return `is ${width} × ${height} pixels; the API takes at most ${maxSide} × ${maxSide}`;
	const ratio = width / height;
	if (ratio < minRatio - 1e-9 || ratio > maxRatio + 1e-9)
		return `is ${width} × ${height} pixels, a width/height ratio of ${ratio.toFixed(3)}; the API takes 1:3 to 3:1`;
	return undefined;
}

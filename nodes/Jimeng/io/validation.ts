import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LIMITS } from '../domain/limits';

const {
	minArea: MIN_AREA,
	maxArea: MAX_AREA,
	minSizeRatio: MIN_RATIO,
	maxSizeRatio: MAX_RATIO,
} = LIMITS;

/** Where a parameter came from, so its error names the item. */
export interface ParamSource {
	node: INode;
	itemIndex: number;
}

/** The error for a bad parameter: message says what is wrong, description how to fix it. */
export function invalid(at: ParamSource, message: string, description: string): NodeOperationError {
	return new NodeOperationError(at.node, `Item ${at.itemIndex + 1}: ${message}`, {
		description,
		itemIndex: at.itemIndex,
	});
}

/** Flattens the Reference Image URLs parameter: UI list, array from an expression, or a separated string. */
export function collectImageUrls(at: ParamSource, raw: unknown): string[] {
	const flat: string[] = [];
	const visit = (value: unknown): void => {
		if (value === null || value === undefined) return;
		if (Array.isArray(value)) return value.forEach(visit);
		if (typeof value === 'object') {
			// A fixedCollection-style entry such as { url: '…' }.
			const url = (value as { url?: unknown }).url;
			if (url !== undefined) return visit(url);
			throw invalid(
				at,
				'A Reference Image URL is an object, not a URL',
				'Give each reference as a URL string, or an expression that returns an array of URLs.',
			);
		}
		for (const part of String(value).split(/[\n,]/)) {
			const trimmed = part.trim();
			if (trimmed) flat.push(trimmed);
		}
	};
	visit(raw);
	return flat;
}

export function validateImageUrls(at: ParamSource, urls: string[]): void {
	if (urls.length > LIMITS.maxReferenceImages) {
		throw invalid(
			at,
			`${urls.length} reference images given; the API accepts at most ${LIMITS.maxReferenceImages}`,
			'Remove some Reference Image URLs (6 or fewer give the best reference quality).',
		);
	}
	for (const url of urls) {
		let parsed: URL | undefined;
		try {
			parsed = new URL(url);
		} catch {
			parsed = undefined;
		}
		if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
			throw invalid(
				at,
				`Reference image "${url.slice(0, 200)}" is not an http(s) URL`,
				'Reference images must be public http(s) URLs the API can download. Upload local files to an image host first.',
			);
		}
	}
}

export function validatePrompt(at: ParamSource, prompt: unknown): string {
	const text = typeof prompt === 'string' ? prompt.trim() : '';
	if (!text) {
		throw invalid(
			at,
			'The prompt is empty',
			'Enter a prompt, or check that the expression returns text.',
		);
	}
	return text;
}

export function validateCustomSize(
	at: ParamSource,
	width: unknown,
	height: unknown,
): { width: number; height: number } {
	const w = Number(width);
	const h = Number(height);
	if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0) {
		throw invalid(
			at,
			'Custom size needs a whole-number Width and Height',
			'Set both Width and Height, e.g. 2048 × 2048.',
		);
	}
	const area = w * h;
	if (area < MIN_AREA || area > MAX_AREA) {
		throw invalid(
			at,
			`Custom size ${w}×${h} has an area of ${area} pixels, outside 1024² to 4096² (${MIN_AREA}–${MAX_AREA})`,
			'Choose a width and height whose product is in range, e.g. 2048 × 2048, or pick a preset.',
		);
	}
	const ratio = w / h;
	if (ratio < MIN_RATIO - 1e-9 || ratio > MAX_RATIO + 1e-9) {
		throw invalid(
			at,
			`Custom size ${w}×${h} has a width/height ratio of ${ratio.toFixed(3)}, outside 1:3 to 3:1`,
			'Make the image less elongated, or pick a preset such as 21:9.',
		);
	}
	return { width: w, height: h };
}

export function validateNumberRange(
	at: ParamSource,
	name: string,
	value: unknown,
	min: number,
	max: number,
): number {
	const n = Number(value);
	if (!Number.isFinite(n) || n < min || n > max) {
		throw invalid(
			at,
			`${name} is ${String(value)}, outside ${min}–${max}`,
			`Set ${name} between ${min} and ${max}.`,
		);
	}
	return n;
}

/** A count: a whole number within [min, max]; "2.5" images cannot be submitted. */
export function validateWholeNumber(
	at: ParamSource,
	name: string,
	value: unknown,
	min: number,
	max: number,
): number {
	const n = validateNumberRange(at, name, value, min, max);
	if (!Number.isInteger(n)) {
		throw invalid(
			at,
			`${name} is ${String(value)}, not a whole number`,
			`Set ${name} to a whole number.`,
		);
	}
	return n;
}

/** Extra Body Fields: a JSON object, given as text or as an object from an expression. */
export function parseExtraBody(at: ParamSource, raw: unknown): Record<string, unknown> {
	if (raw === undefined || raw === null || raw === '') return {};
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw invalid(
				at,
				`Extra Body Fields is not valid JSON: ${(error as Error).message}`,
				'Enter a JSON object, e.g. {"seed": 42}.',
			);
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw invalid(
			at,
			'Extra Body Fields must be a JSON object',
			'Enter a JSON object, e.g. {"seed": 42}.',
		);
	}
	return value as Record<string, unknown>;
}

/** Timeout below Poll Interval: a submitted (billed) task would time out before its first status query. */
export function validateWaitWindow(
	at: ParamSource,
	pollIntervalMs: number,
	timeoutMs: number,
): void {
	if (timeoutMs >= pollIntervalMs) return;
	throw invalid(
		at,
		`Timeout (${timeoutMs / 1000} s) is shorter than Poll Interval (${pollIntervalMs / 1000} s): the task would time out before its first status query`,
		'Raise Timeout to at least Poll Interval (generations take 10–60 s), or lower Poll Interval.',
	);
}

function checkRatioWindow(at: ParamSource, body: Record<string, unknown>): void {
	const width = Number(body.width);
	const height = Number(body.height);
	if (!(width > 0 && height > 0)) return;
	const min = body.min_ratio !== undefined ? Number(body.min_ratio) : MIN_RATIO;
	const max = body.max_ratio !== undefined ? Number(body.max_ratio) : MAX_RATIO;
	const ratio = width / height;
	if (ratio < min - 1e-9 || ratio > max + 1e-9) {
		throw invalid(
			at,
			`Size ${width}×${height} has a width/height ratio of ${ratio.toFixed(3)}, outside Min Ratio ${Number(min.toFixed(4))} to Max Ratio ${Number(max.toFixed(4))}`,
			'The API only draws sizes whose ratio lies between Min Ratio and Max Ratio: widen them (Options) or pick another Size.',
		);
	}
}

/**
 * Checks the final submit body, after Extra Body Fields were merged, against the documented rules,
 * so that nothing the API must refuse is sent (and billed attempts are not wasted). `overridden`
 * names the fields Extra Body Fields set: only those are checked again here.
 */
export function validateSubmitBody(
	at: ParamSource,
	body: Record<string, unknown>,
	overridden: string[],
): void {
	const touched = new Set(overridden);
	const fromExtra = (field: string) => `Extra Body Fields sets ${field}`;
	if (touched.has('prompt') && (typeof body.prompt !== 'string' || !body.prompt.trim())) {
		throw invalid(
			at,
			`${fromExtra('prompt')} to an empty or non-text value`,
			'Remove prompt from Extra Body Fields and use the Prompt parameter.',
		);
	}
	if (touched.has('image_urls')) {
		if (!Array.isArray(body.image_urls) || body.image_urls.some((url) => typeof url !== 'string')) {
			throw invalid(
				at,
				`${fromExtra('image_urls')} to something other than a list of URLs`,
				'Use the Reference Image URLs parameter instead.',
			);
		}
		validateImageUrls(at, body.image_urls as string[]);
	}
	if (touched.has('width') || touched.has('height')) {
		if (body.width !== undefined && body.height !== undefined)
			validateCustomSize(at, body.width, body.height);
	}
	if (touched.has('scale'))
		validateNumberRange(
			at,
			'scale (Extra Body Fields)',
			body.scale,
			LIMITS.scale.min,
			LIMITS.scale.max,
		);
	for (const field of ['min_ratio', 'max_ratio']) {
		if (touched.has(field))
			validateNumberRange(
				at,
				`${field} (Extra Body Fields)`,
				body[field],
				LIMITS.ratioOption.min,
				LIMITS.ratioOption.max,
			);
	}
	if (touched.has('force_single') && typeof body.force_single !== 'boolean') {
		throw invalid(
			at,
			`${fromExtra('force_single')} to ${JSON.stringify(body.force_single)}, not true or false`,
			'Use the Generate a Single Image switch instead.',
		);
	}
	if (
		body.min_ratio !== undefined &&
		body.max_ratio !== undefined &&
		Number(body.min_ratio) >= Number(body.max_ratio)
	) {
		throw invalid(at, 'Min Ratio must be below Max Ratio', 'Lower Min Ratio or raise Max Ratio.');
	}
	checkRatioWindow(at, body);
}

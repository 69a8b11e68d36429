import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_MODEL } from '../../domain/api';
import { DEFAULTS, LIMITS } from '../../domain/limits';
import { CUSTOM_SIZE, DEFAULT_SIZE, resolveSizeChoice } from '../../domain/sizes';
import type { RequestedSize } from '../../domain/types';
import { paramSource, readCommonSettings } from '../../io/params';
import type { ReferenceBinary } from '../../io/references';
import { collectBinaryFields, readReferenceBinary } from '../../io/references';
import type { ParamSource } from '../../io/validation';
import {
	collectImageUrls,
	invalid,
	parseExtraBody,
	validateCustomSize,
	validateImageUrls,
	validateNumberRange,
	validatePrompt,
	validateSubmitBody,
	validateWholeNumber,
} from '../../io/validation';
import type { ItemSettings } from '../common/task';

/** Everything one Submit item needs, read and checked before any request is sent. */
export interface SubmitPlan extends ItemSettings {
	operation: 'submit';
	submitBody: IDataObject;
	prompt: string;
	size: RequestedSize;
	/** Number of Images: single-image tasks submitted for this item */
	numberOfImages: number;
	/** Reference Images From Binary, checked, in the order given: uploaded before the submit */
	references: ReferenceBinary[];
	/** lifetime asked for their upload links */
	referenceLinkSeconds: number;
}

function readSize(ctx: IExecuteFunctions, i: number): RequestedSize {
	const at = paramSource(ctx, i);
	const choice = String(ctx.getNodeParameter('size', i, DEFAULT_SIZE));
	if (choice === CUSTOM_SIZE) {
		return {
			choice,
			...validateCustomSize(
				at,
				ctx.getNodeParameter('width', i, undefined),
				ctx.getNodeParameter('height', i, undefined),
			),
		};
	}
	const size = resolveSizeChoice(choice);
	if (!size) throw invalid(at, `Unknown Size "${choice}"`, 'Pick a Size from the list.');
	return size;
}

/**
 * Number of Images: N single-image tasks. Refused with Generate a Single Image off (also when Extra
 * Body Fields turn force_single off): each task would bill a group of unknown size, up to 15 × N.
 */
function readNumberOfImages(ctx: IExecuteFunctions, i: number, body: IDataObject): number {
	const at = paramSource(ctx, i);
	const { min, max } = LIMITS.numberOfImages;
	const count = validateWholeNumber(
		at,
		'Number of Images',
		ctx.getNodeParameter('numberOfImages', i, DEFAULTS.numberOfImages),
		min,
		max,
	);
	if (count > 1 && body.force_single !== true) {
		throw invalid(
			at,
			`Number of Images is ${count} but Generate a Single Image is off`,
			`Number of Images submits that many single-image tasks. Turn Generate a Single Image on for exactly ${count} images, or set Number of Images to 1 to let the model choose a group.`,
		);
	}
	return count;
}

/** URL references and binaries together stay within the API's limit. */
function checkReferenceCount(at: ParamSource, urls: number, binaries: number): void {
	const { maxReferenceImages } = LIMITS;
	if (urls + binaries <= maxReferenceImages) return;
	throw invalid(
		at,
		`${urls + binaries} reference images given (${urls} URL(s), ${binaries} binary field(s)); the API accepts at most ${maxReferenceImages}`,
		'Remove some Reference Image URLs or Reference Images From Binary (6 or fewer give the best reference quality).',
	);
}

/** Reads each binary reference from n8n's binary store and checks it, one after the other. */
async function readReferences(
	ctx: IExecuteFunctions,
	at: ParamSource,
	fields: string[],
): Promise<ReferenceBinary[]> {
	const references: ReferenceBinary[] = [];
	for (const field of fields) references.push(await readReferenceBinary(ctx, at, field));
	return references;
}

/**
 * Reads one item's Submit parameters into the /jm body, checked as the API would check it; the
 * reference binaries last, once every cheaper check passed.
 */
export async function readSubmit(ctx: IExecuteFunctions, i: number): Promise<SubmitPlan> {
	const common = readCommonSettings(ctx, i);
	const at = paramSource(ctx, i);
	const { options } = common;
	const prompt = validatePrompt(at, ctx.getNodeParameter('prompt', i, ''));
	const imageUrls = collectImageUrls(at, ctx.getNodeParameter('imageUrls', i, []));
	validateImageUrls(at, imageUrls);
	const size = readSize(ctx, i);

	const body: IDataObject = {
		req_key: common.reqKey,
		model: String(options.model ?? DEFAULT_MODEL),
		prompt,
		force_single: ctx.getNodeParameter('forceSingle', i, DEFAULTS.forceSingle) as boolean,
	};
	if (imageUrls.length) body.image_urls = imageUrls;
	if (size.resolution) body.resolution = size.resolution;
	else {
		body.width = size.width;
		body.height = size.height;
	}
	const { scale, ratioOption } = LIMITS;
	if (options.scale !== undefined)
		body.scale = validateNumberRange(at, 'Text Influence', options.scale, scale.min, scale.max);
	const ratio = (name: string, value: unknown) =>
		validateNumberRange(at, name, value, ratioOption.min, ratioOption.max);
	if (options.minRatio !== undefined) body.min_ratio = ratio('Min Ratio', options.minRatio);
	if (options.maxRatio !== undefined) body.max_ratio = ratio('Max Ratio', options.maxRatio);
	const extra = parseExtraBody(at, options.extraBody);
	Object.assign(body, extra);
	validateSubmitBody(at, body, Object.keys(extra));
	const numberOfImages = readNumberOfImages(ctx, i, body);

	const fields = collectBinaryFields(ctx.getNodeParameter('binaryReferences', i, []));
	const urlCount = Array.isArray(body.image_urls) ? body.image_urls.length : 0;
	checkReferenceCount(at, urlCount, fields.length);
	const { referenceLinkLifetimeSeconds: lifetime } = LIMITS;
	const referenceLinkSeconds = Math.floor(
		validateNumberRange(
			at,
			'Reference Link Lifetime',
			options.referenceLinkLifetime ?? DEFAULTS.referenceLinkLifetimeSeconds,
			lifetime.min,
			lifetime.max,
		),
	);
	const references = await readReferences(ctx, at, fields);
	return {
		...common,
		operation: 'submit',
		itemIndex: i,
		submitBody: body,
		prompt,
		size,
		numberOfImages,
		references,
		referenceLinkSeconds,
	};
}

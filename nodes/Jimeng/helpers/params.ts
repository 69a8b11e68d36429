import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CUSTOM_SIZE, resolveSizeChoice } from './sizes';
import type { ItemPlan, Operation, OutputMode, RequestedSize } from './types';
import type { ParamSource } from './validation';
import {
	collectImageUrls,
	invalid,
	parseExtraBody,
	validateCustomSize,
	validateImageUrls,
	validateNumberRange,
	validatePrompt,
	validateSubmitBody,
	validateWaitWindow,
} from './validation';

const DEFAULT_REQ_KEY = 'jimeng_t2i_v40';

/**
 * As many tasks at once as a core-node workflow would send (HTTP Request fires every item together):
 * the gateway's own limit is learned from its 50430 answers (helpers/slots.ts), so a high ceiling is
 * safe, and concurrency costs nothing extra (billing is per image).
 */
export const DEFAULT_MAX_CONCURRENCY = 200;
export const MAX_CONCURRENCY = 1000;

interface FixedValues {
	values?: IDataObject;
}

/** req_json for the query: always return_url, plus the watermark and AIGC options. */
function buildReqJson(at: ParamSource, options: IDataObject): string {
	const reqJson: IDataObject = { return_url: true };
	const watermark = (options.watermark as FixedValues | undefined)?.values;
	if (watermark) {
		const logo: IDataObject = {
			add_logo: true,
			position: Number(watermark.position ?? 0),
			language: Number(watermark.language ?? 0),
			opacity: validateNumberRange(at, 'Watermark Opacity', watermark.opacity ?? 1, 0, 1),
		};
		if (typeof watermark.text === 'string' && watermark.text.trim()) logo.logo_text_content = watermark.text;
		reqJson.logo_info = logo;
	}
	const aigc = (options.aigcMeta as FixedValues | undefined)?.values;
	if (aigc) {
		if (typeof aigc.producerId !== 'string' || !aigc.producerId.trim()) {
			throw invalid(at, 'AIGC Metadata needs a Producer ID', 'Fill Producer ID or remove AIGC Metadata.');
		}
		const meta: IDataObject = { producer_id: aigc.producerId };
		if (aigc.contentProducer) meta.content_producer = aigc.contentProducer;
		if (aigc.contentPropagator) meta.content_propagator = aigc.contentPropagator;
		if (aigc.propagateId) meta.propagate_id = aigc.propagateId;
		reqJson.aigc_meta = meta;
	}
	return JSON.stringify(reqJson);
}

function positive(at: ParamSource, name: string, value: unknown): number {
	const n = Number(value);
	if (!Number.isFinite(n) || n <= 0) {
		throw invalid(at, `${name} is ${String(value)}; it must be a positive number`, `Set ${name} above 0.`);
	}
	return n;
}

function buildSubmitBody(
	ctx: IExecuteFunctions,
	at: ParamSource,
	i: number,
	options: IDataObject,
	reqKey: string,
): { body: IDataObject; prompt: string; size: RequestedSize } {
	const prompt = validatePrompt(at, ctx.getNodeParameter('prompt', i, ''));
	const imageUrls = collectImageUrls(at, ctx.getNodeParameter('imageUrls', i, []));
	validateImageUrls(at, imageUrls);
	const choice = String(ctx.getNodeParameter('size', i));
	let size: RequestedSize | undefined;
	if (choice === CUSTOM_SIZE) {
		size = {
			choice,
			...validateCustomSize(
				at,
				ctx.getNodeParameter('width', i, undefined), ctx.getNodeParameter('height', i, undefined)),
		};
	} else {
		size = resolveSizeChoice(choice);
	}
	if (!size) {
		throw invalid(at, `Unknown Size "${choice}"`, 'Pick a Size from the list.');
	}

	const body: IDataObject = {
		req_key: reqKey,
		model: String(options.model ?? 'jimeng-4.0'),
		prompt,
		force_single: ctx.getNodeParameter('forceSingle', i, true) as boolean,
	};
	if (imageUrls.length) body.image_urls = imageUrls;
	if (size.resolution) body.resolution = size.resolution;
	else {
		body.width = size.width;
		body.height = size.height;
	}
	if (options.scale !== undefined) body.scale = validateNumberRange(at, 'Text Influence', options.scale, 0, 1);
	if (options.minRatio !== undefined) body.min_ratio = validateNumberRange(at, 'Min Ratio', options.minRatio, 1 / 16, 16);
	if (options.maxRatio !== undefined) body.max_ratio = validateNumberRange(at, 'Max Ratio', options.maxRatio, 1 / 16, 16);
	const extra = parseExtraBody(at, options.extraBody);
	Object.assign(body, extra);
	validateSubmitBody(at, body, Object.keys(extra));
	return { body, prompt, size };
}

/** Reads and checks one item's parameters. Throws NodeOperationError naming the item; sends nothing. */
export function readItemPlan(ctx: IExecuteFunctions, i: number): ItemPlan {
	const at: ParamSource = { node: ctx.getNode(), itemIndex: i };
	const operation = ctx.getNodeParameter('operation', i) as Operation;
	if (operation !== 'submit' && operation !== 'getTask') {
		// n8n adds a "Custom API Call" entry to nodes whose credential authenticates generically.
		throw invalid(
			at,
			`"${String(operation)}" is not an operation of the Jimeng node`,
			'Choose Submit or Get Task. For another endpoint, use an HTTP Request node with the Jimeng API credential (Predefined Credential Type).',
		);
	}
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const reqKey = String(options.reqKey ?? DEFAULT_REQ_KEY).trim() || DEFAULT_REQ_KEY;
	const waitEnabled = ctx.getNodeParameter('waitForCompletion', i, true) as boolean;
	const binaryProperty = String(options.binaryPropertyName ?? 'data').trim();
	if (!binaryProperty) {
		throw invalid(at, 'Put Output in Field is empty', 'Name the binary field, e.g. data.');
	}
	const pollIntervalMs = waitEnabled ? positive(at, 'Poll Interval', ctx.getNodeParameter('pollInterval', i, 3)) * 1000 : 0;
	const timeoutMs = waitEnabled ? positive(at, 'Timeout', ctx.getNodeParameter('timeout', i, 600)) * 1000 : 0;
	if (waitEnabled) validateWaitWindow(at, pollIntervalMs, timeoutMs);
	const plan: ItemPlan = {
		itemIndex: i,
		operation,
		reqKey,
		reqJson: buildReqJson(at, options),
		wait: {
			enabled: waitEnabled,
			pollIntervalMs,
			timeoutMs,
		},
		output: {
			download: options.downloadImages !== false,
			binaryProperty,
			mode: (options.outputMode as OutputMode | undefined) ?? 'image',
		},
		maxRetries: Math.floor(validateNumberRange(at, 'Max Retries', options.maxRetries ?? 3, 0, 10)),
		requestTimeoutMs: positive(at, 'Request Timeout', options.requestTimeout ?? 60) * 1000,
	};
	if (operation === 'submit') {
		const { body, prompt, size } = buildSubmitBody(ctx, at, i, options, reqKey);
		plan.submitBody = body;
		plan.prompt = prompt;
		plan.size = size;
	} else {
		const taskId = String(ctx.getNodeParameter('taskId', i, '') ?? '').trim();
		if (!taskId) throw invalid(at, 'The Task ID is empty', 'Map the taskId field from a Submit output.');
		plan.taskId = taskId;
	}
	return plan;
}

/** Node-wide setting read from the first item: how many items run at once. */
export function readConcurrency(ctx: IExecuteFunctions): number {
	const at: ParamSource = { node: ctx.getNode(), itemIndex: 0 };
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return Math.floor(validateNumberRange(at, 'Max Concurrent Tasks', options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY, 1, MAX_CONCURRENCY));
}

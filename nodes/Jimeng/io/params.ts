import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_REQ_KEY, queryReqJson } from '../domain/api';
import { DEFAULTS, LIMITS } from '../domain/limits';
import type { PollingMode } from '../runtime/pollSchedule';
import type { ParamSource } from './validation';
import { invalid, validateNumberRange, validateWaitWindow } from './validation';

export type OutputMode = 'image' | 'task';

export interface WaitSettings {
	enabled: boolean;
	pollIntervalMs: number;
	timeoutMs: number;
}

export interface OutputSettings {
	download: boolean;
	binaryProperty: string;
	mode: OutputMode;
}

/** What every operation reads the same way: options, waiting, output, retries. */
export interface CommonSettings {
	options: IDataObject;
	reqKey: string;
	/** req_json of the status queries: return_url plus the watermark and AIGC options */
	reqJson: string;
	wait: WaitSettings;
	output: OutputSettings;
	maxRetries: number;
	requestTimeoutMs: number;
	/** Max Image Size, in bytes */
	maxImageBytes: number;
}

interface FixedValues {
	values?: IDataObject;
}

export function paramSource(ctx: IExecuteFunctions, itemIndex: number): ParamSource {
	return { node: ctx.getNode(), itemIndex };
}

function positive(at: ParamSource, name: string, value: unknown): number {
	const n = Number(value);
	if (!Number.isFinite(n) || n <= 0) {
		throw invalid(
			at,
			`${name} is ${String(value)}; it must be a positive number`,
			`Set ${name} above 0.`,
		);
	}
	return n;
}

function atLeast(at: ParamSource, name: string, value: unknown, min: number): number {
	const n = Number(value);
	if (!Number.isFinite(n) || n < min) {
		throw invalid(
			at,
			`${name} is ${String(value)}; it must be at least ${min}`,
			`Set ${name} to ${min} or more.`,
		);
	}
	return n;
}

function buildReqJson(at: ParamSource, options: IDataObject): string {
	const extra: IDataObject = {};
	const watermark = (options.watermark as FixedValues | undefined)?.values;
	if (watermark) {
		const logo: IDataObject = {
			add_logo: true,
			position: Number(watermark.position ?? 0),
			language: Number(watermark.language ?? 0),
			opacity: validateNumberRange(
				at,
				'Watermark Opacity',
				watermark.opacity ?? DEFAULTS.watermarkOpacity,
				LIMITS.opacity.min,
				LIMITS.opacity.max,
			),
		};
		if (typeof watermark.text === 'string' && watermark.text.trim())
			logo.logo_text_content = watermark.text;
		extra.logo_info = logo;
	}
	const aigc = (options.aigcMeta as FixedValues | undefined)?.values;
	if (aigc) {
		if (typeof aigc.producerId !== 'string' || !aigc.producerId.trim()) {
			throw invalid(
				at,
				'AIGC Metadata needs a Producer ID',
				'Fill Producer ID or remove AIGC Metadata.',
			);
		}
		const meta: IDataObject = { producer_id: aigc.producerId };
		if (aigc.contentProducer) meta.content_producer = aigc.contentProducer;
		if (aigc.contentPropagator) meta.content_propagator = aigc.contentPropagator;
		if (aigc.propagateId) meta.propagate_id = aigc.propagateId;
		extra.aigc_meta = meta;
	}
	return queryReqJson(extra);
}

function readWait(ctx: IExecuteFunctions, at: ParamSource, i: number): WaitSettings {
	const enabled = ctx.getNodeParameter(
		'waitForCompletion',
		i,
		DEFAULTS.waitForCompletion,
	) as boolean;
	if (!enabled) return { enabled, pollIntervalMs: 0, timeoutMs: 0 };
	const pollIntervalMs =
		positive(
			at,
			'Poll Interval',
			ctx.getNodeParameter('pollInterval', i, DEFAULTS.pollIntervalSeconds),
		) * 1000;
	const timeoutMs =
		positive(at, 'Timeout', ctx.getNodeParameter('timeout', i, DEFAULTS.timeoutSeconds)) * 1000;
	validateWaitWindow(at, pollIntervalMs, timeoutMs);
	return { enabled, pollIntervalMs, timeoutMs };
}

/** Reads and checks the settings every operation shares. Throws NodeOperationError naming the item. */
export function readCommonSettings(ctx: IExecuteFunctions, i: number): CommonSettings {
	const at = paramSource(ctx, i);
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const reqKey = String(options.reqKey ?? DEFAULT_REQ_KEY).trim() || DEFAULT_REQ_KEY;
	const binaryProperty = String(options.binaryPropertyName ?? DEFAULTS.binaryProperty).trim();
	if (!binaryProperty) {
		throw invalid(at, 'Put Output in Field is empty', 'Name the binary field, e.g. data.');
	}
	return {
		options,
		reqKey,
		reqJson: buildReqJson(at, options),
		wait: readWait(ctx, at, i),
		output: {
			download:
				options.downloadImages === undefined
					? DEFAULTS.downloadImages
					: options.downloadImages !== false,
			binaryProperty,
			mode: (options.outputMode as OutputMode | undefined) ?? DEFAULTS.outputMode,
		},
		maxRetries: Math.floor(
			validateNumberRange(
				at,
				'Max Retries',
				options.maxRetries ?? DEFAULTS.maxRetries,
				LIMITS.maxRetries.min,
				LIMITS.maxRetries.max,
			),
		),
		requestTimeoutMs:
			positive(at, 'Request Timeout', options.requestTimeout ?? DEFAULTS.requestTimeoutSeconds) *
			1000,
		maxImageBytes: Math.round(
			atLeast(
				at,
				'Max Image Size',
				options.maxImageSize ?? DEFAULTS.maxImageSizeMb,
				LIMITS.maxImageSizeMb.min,
			) * 1_000_000,
		),
	};
}

/** Node-wide setting read from the first item: how waiting tasks are queried. */
export function readPolling(ctx: IExecuteFunctions): PollingMode {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const polling = options.polling ?? DEFAULTS.polling;
	if (polling !== 'adaptive' && polling !== 'fixed') {
		throw invalid(
			paramSource(ctx, 0),
			`Polling is "${String(polling)}"`,
			'Choose Adaptive or Fixed Interval.',
		);
	}
	return polling;
}

/** Node-wide setting read from the first item: how many items run at once. */
export function readConcurrency(ctx: IExecuteFunctions): number {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return Math.floor(
		validateNumberRange(
			paramSource(ctx, 0),
			'Max Concurrent Tasks',
			options.maxConcurrency ?? DEFAULTS.maxConcurrency,
			LIMITS.maxConcurrency.min,
			LIMITS.maxConcurrency.max,
		),
	);
}

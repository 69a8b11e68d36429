import type { IDataObject } from 'n8n-workflow';

import type { JimengEnvelope } from './api';
import type { TaskState } from './types';

/** deepwl's and upstream Volcengine's vocabularies, plus common synonyms. */
const PENDING = new Set([
	'submitted',
	'in_queue',
	'queued',
	'pending',
	'generating',
	'processing',
	'running',
]);
const SUCCESS = new Set(['success', 'succeeded', 'done', 'completed']);

function strings(value: unknown): string[] {
	if (!Array.isArray(value)) return [];
	return value.filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '');
}

/** The API's own words for a failure, wherever the gateway put them. */
function apiReason(envelope: JimengEnvelope, data: IDataObject): string | undefined {
	for (const candidate of [data.message, data.fail_reason, data.error, envelope.message]) {
		if (
			typeof candidate === 'string' &&
			candidate.trim() &&
			candidate.trim().toLowerCase() !== 'success'
		) {
			return candidate.trim();
		}
	}
	return undefined;
}

/** Reduces a successful (code 10000) query answer to a phase the node can act on. */
export function readTaskState(envelope: JimengEnvelope): TaskState {
	const data = (envelope.data ?? {}) as IDataObject;
	const status = String(data.status ?? '').toLowerCase();
	const imageUrls = strings(data.image_urls);
	const base64Images = strings(data.binary_data_base64);
	const hasImages = imageUrls.length > 0 || base64Images.length > 0;
	const base = { status, imageUrls, base64Images, requestId: envelope.request_id };
	const reason = apiReason(envelope, data);

	if (PENDING.has(status) && !hasImages) return { ...base, phase: 'pending' };
	if (hasImages && (SUCCESS.has(status) || !PENDING.has(status)))
		return { ...base, phase: 'success' };
	if (SUCCESS.has(status)) {
		return { ...base, phase: 'failed', message: reason ?? 'the task finished without any image' };
	}
	if (status === 'not_found') {
		return {
			...base,
			phase: 'failed',
			message: reason ?? 'the task was not found (task IDs expire after about 12 hours)',
		};
	}
	if (status === 'expired')
		return { ...base, phase: 'failed', message: reason ?? 'the task expired' };
	if (
		status === 'failed' ||
		status === 'error' ||
		status === 'cancelled' ||
		status === 'canceled'
	) {
		return { ...base, phase: 'failed', message: reason ?? 'generation failed' };
	}
	// An unknown status without images: keep polling; the timeout bounds it.
	return { ...base, phase: 'pending' };
}

import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ItemPlan, TaskState } from './types';

/** One result image: downloaded, failed to download, or not downloaded by choice. */
export interface ImageResult {
	index: number;
	url: string | null;
	binary?: IBinaryData;
	error?: { message: string; httpCode?: number };
}

export interface TaskResult {
	taskId: string;
	state: TaskState;
	requestId?: string;
	elapsedMs: number;
	images: ImageResult[];
}

/** File names without extension: jimeng-<taskId>-<n>. */
export function fileBase(taskId: string, index: number): string {
	return `jimeng-${taskId}-${index}`;
}

function binaryKey(base: string, position: number): string {
	return position === 0 ? base : `${base}_${position}`;
}

function taskFields(plan: ItemPlan, result: TaskResult): IDataObject {
	const fields: IDataObject = {
		taskId: result.taskId,
		status: 'success',
		imageCount: result.images.length,
		imageUrls: result.images.map((image) => image.url),
	};
	if (plan.prompt !== undefined) fields.prompt = plan.prompt;
	if (plan.size) fields.size = { ...plan.size };
	fields.requestId = result.requestId;
	fields.elapsedMs = result.elapsedMs;
	return fields;
}

/** Items for a finished task, in the layout the Output option asks for. */
export function buildSuccessItems(plan: ItemPlan, result: TaskResult): INodeExecutionData[] {
	const pairedItem = { item: plan.itemIndex };
	const base = taskFields(plan, result);
	const { binaryProperty } = plan.output;

	if (plan.output.mode === 'task') {
		const binary: Record<string, IBinaryData> = {};
		const downloadErrors: IDataObject[] = [];
		for (const [position, image] of result.images.entries()) {
			if (image.binary) binary[binaryKey(binaryProperty, position)] = image.binary;
			if (image.error) downloadErrors.push({ imageIndex: image.index, imageUrl: image.url, ...image.error });
		}
		const json: IDataObject = { ...base };
		if (downloadErrors.length) json.downloadErrors = downloadErrors;
		return [{ json, ...(Object.keys(binary).length ? { binary } : {}), pairedItem }];
	}

	const items: INodeExecutionData[] = [];
	for (const image of result.images) {
		const json: IDataObject = { ...base, imageIndex: image.index, imageUrl: image.url };
		if (image.error) json.downloadError = { ...image.error };
		items.push({ json, ...(image.binary ? { binary: { [binaryProperty]: image.binary } } : {}), pairedItem });
	}
	return items;
}

/** The compact answer an AI Agent gets: URLs and ids, no binary. */
export function buildToolItem(plan: ItemPlan, result: TaskResult): INodeExecutionData {
	const { requestId, elapsedMs, ...json } = taskFields(plan, result);
	return { json, pairedItem: { item: plan.itemIndex } };
}

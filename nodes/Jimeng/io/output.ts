import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { RequestedSize, TaskState } from '../domain/types';
import type { OutputSettings } from './params';

/** One result image: downloaded, failed to download, or not downloaded by choice. */
export interface ImageResult {
	index: number;
	url: string | null;
	binary?: IBinaryData;
	error?: { message: string; httpCode?: number };
}

export interface FinishedTask {
	taskId: string;
	state: TaskState;
	requestId?: string;
	elapsedMs: number;
	images: ImageResult[];
}

/** What an output item says about the input it came from. */
export interface ItemContext {
	itemIndex: number;
	prompt?: string;
	size?: RequestedSize;
	output: OutputSettings;
}

function binaryKey(base: string, position: number): string {
	return position === 0 ? base : `${base}_${position}`;
}

function taskFields(item: ItemContext, result: FinishedTask): IDataObject {
	const fields: IDataObject = {
		taskId: result.taskId,
		status: 'success',
		imageCount: result.images.length,
		imageUrls: result.images.map((image) => image.url),
	};
	if (item.prompt !== undefined) fields.prompt = item.prompt;
	if (item.size) fields.size = { ...item.size };
	fields.requestId = result.requestId;
	fields.elapsedMs = result.elapsedMs;
	return fields;
}

/** Items for a finished task, in the layout the Output option asks for. */
export function buildSuccessItems(item: ItemContext, result: FinishedTask): INodeExecutionData[] {
	const pairedItem = { item: item.itemIndex };
	const base = taskFields(item, result);
	const { binaryProperty } = item.output;

	if (item.output.mode === 'task') {
		const binary: Record<string, IBinaryData> = {};
		const downloadErrors: IDataObject[] = [];
		for (const [position, image] of result.images.entries()) {
			if (image.binary) binary[binaryKey(binaryProperty, position)] = image.binary;
			if (image.error)
				downloadErrors.push({ imageIndex: image.index, imageUrl: image.url, ...image.error });
		}
		const json: IDataObject = { ...base };
		if (downloadErrors.length) json.downloadErrors = downloadErrors;
		return [{ json, ...(Object.keys(binary).length ? { binary } : {}), pairedItem }];
	}

	return result.images.map((image) => {
		const json: IDataObject = { ...base, imageIndex: image.index, imageUrl: image.url };
		if (image.error) json.downloadError = { ...image.error };
		return {
			json,
			...(image.binary ? { binary: { [binaryProperty]: image.binary } } : {}),
			pairedItem,
		};
	});
}

/** The compact answer an AI Agent gets: URLs and ids, no binary, no timings. */
export function buildToolItem(item: ItemContext, result: FinishedTask): INodeExecutionData {
	const json = taskFields(item, result);
	delete json.requestId;
	delete json.elapsedMs;
	return { json, pairedItem: { item: item.itemIndex } };
}

/** Submit without waiting: the task ID, ready for Get Task. */
export function buildSubmittedItem(
	item: ItemContext,
	taskId: string,
	requestId?: string,
): INodeExecutionData {
	const json: IDataObject = { taskId, status: 'submitted', requestId, prompt: item.prompt };
	if (item.size) json.size = { ...item.size };
	return { json, pairedItem: { item: item.itemIndex } };
}

/** Get Task without waiting, on a task still in progress. */
export function buildPendingItem(
	item: ItemContext,
	taskId: string,
	state: TaskState,
): INodeExecutionData {
	return {
		json: { taskId, status: state.status, requestId: state.requestId },
		pairedItem: { item: item.itemIndex },
	};
}

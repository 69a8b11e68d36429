import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { DownloadedImage } from './download';
import type { ItemPlan, TaskState } from './types';

/** One result image: downloaded, failed to download, or not downloaded by choice. */
export interface ImageResult {
	index: number;
	url: string | null;
	image?: DownloadedImage;
	error?: { message: string; httpCode?: number };
}

export interface TaskResult {
	taskId: string;
	state: TaskState;
	requestId?: string;
	elapsedMs: number;
	images: ImageResult[];
}

function fileName(taskId: string, image: ImageResult): string {
	return `jimeng-${taskId}-${image.index}.${image.image?.extension ?? 'png'}`;
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

async function toBinary(ctx: IExecuteFunctions, taskId: string, image: ImageResult): Promise<IBinaryData | undefined> {
	if (!image.image) return undefined;
	return await ctx.helpers.prepareBinaryData(image.image.buffer, fileName(taskId, image), image.image.mimeType);
}

/** Items for a finished task, in the layout the Output option asks for. */
export async function buildSuccessItems(
	ctx: IExecuteFunctions,
	plan: ItemPlan,
	result: TaskResult,
): Promise<INodeExecutionData[]> {
	const pairedItem = { item: plan.itemIndex };
	const base = taskFields(plan, result);
	const { binaryProperty } = plan.output;

	if (plan.output.mode === 'task') {
		const binary: Record<string, IBinaryData> = {};
		const downloadErrors: IDataObject[] = [];
		for (const [position, image] of result.images.entries()) {
			const data = await toBinary(ctx, result.taskId, image);
			if (data) binary[binaryKey(binaryProperty, position)] = data;
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
		const data = await toBinary(ctx, result.taskId, image);
		items.push({ json, ...(data ? { binary: { [binaryProperty]: data } } : {}), pairedItem });
	}
	return items;
}

/** The compact answer an AI Agent gets: URLs and ids, no binary. */
export function buildToolItem(plan: ItemPlan, result: TaskResult): INodeExecutionData {
	const { requestId, elapsedMs, ...json } = taskFields(plan, result);
	return { json, pairedItem: { item: plan.itemIndex } };
}

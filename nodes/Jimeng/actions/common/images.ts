import type { IExecuteFunctions } from 'n8n-workflow';

import { imageFileBase } from '../../domain/images';
import { DEFAULTS } from '../../domain/limits';
import type { TaskState } from '../../domain/types';
import { binaryFromBuffer, storeImageStream } from '../../io/binary';
import type { ImageResult } from '../../io/output';
import type { Services } from '../../runtime/operation';
import { downloadImage } from '../../transport';
import type { CommonSettings } from '../../io/params';

/**
 * A finished task's images: their URLs, and with Download Images (not as an AI tool) their bytes,
 * each downloaded without the key (transport/download.ts) into n8n's binary store (io/binary.ts). A
 * download that fails is kept as the image's error, not thrown.
 */
export async function fetchImages(
	ctx: IExecuteFunctions,
	plan: CommonSettings,
	taskId: string,
	state: TaskState,
	services: Services,
): Promise<ImageResult[]> {
	const sources: Array<{ url: string | null; base64?: string }> = state.imageUrls.length
		? state.imageUrls.map((url) => ({ url }))
		: state.base64Images.map((base64) => ({ url: null, base64 }));
	const download = plan.output.download && !services.asTool;
	return await Promise.all(
		sources.map(async (source, position): Promise<ImageResult> => {
			const result: ImageResult = { index: position + 1, url: source.url };
			const fileBase = imageFileBase(taskId, result.index);
			if (!download) return result;
			if (source.base64 !== undefined) {
				result.binary = await binaryFromBuffer(ctx, Buffer.from(source.base64, 'base64'), fileBase);
				return result;
			}
			if (!source.url) return result;
			const outcome = await downloadImage(
				ctx,
				source.url,
				async (body) => await storeImageStream(ctx, body, fileBase),
				{
					timeoutMs: plan.requestTimeoutMs,
					// Without waiting there is no Timeout on the item: its default bounds the retries.
					budgetMs: plan.wait.timeoutMs || DEFAULTS.timeoutSeconds * 1000,
					maxBytes: plan.maxImageBytes,
					maxRetries: plan.maxRetries,
					signal: services.signal,
					queue: services.downloads,
				},
			);
			if (outcome.error) result.error = outcome.error;
			else result.binary = outcome.value;
			return result;
		}),
	);
}

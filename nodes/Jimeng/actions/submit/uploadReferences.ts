import type { IExecuteFunctions } from 'n8n-workflow';

import { openReferenceBody } from '../../io/references';
import { putUpload, requestUploadLink } from '../../transport/upload';
import type { Services } from '../../runtime/operation';
import type { SubmitPlan } from './submit.plan';

/**
 * Uploads the item's reference binaries through the gateway's presigned upload, one after the
 * other, and returns their download links in the order given. Runs once per item before its
 * submit: a failed upload stops the item with nothing billed, and a retried upload cannot lead to
 * a second submit.
 */
export async function uploadReferences(
	ctx: IExecuteFunctions,
	plan: SubmitPlan,
	services: Services,
): Promise<string[]> {
	const links: string[] = [];
	for (const reference of plan.references) {
		// An upload is for a submit: none once the balance refused one.
		services.balance.check(ctx.getNode(), plan.itemIndex);
		const options = {
			itemIndex: plan.itemIndex,
			maxRetries: plan.maxRetries,
			timeoutMs: plan.requestTimeoutMs,
			signal: services.signal,
			subject: `Uploading reference binary field "${reference.field}"`,
		};
		const link = await requestUploadLink(
			ctx,
			reference.mimeType,
			plan.referenceLinkSeconds,
			options,
		);
		await putUpload(
			ctx,
			link,
			{
				contentType: reference.mimeType,
				byteSize: reference.byteSize,
				open: async () => await openReferenceBody(ctx, reference.binary),
			},
			options,
		);
		links.push(link.downloadUrl);
	}
	return links;
}

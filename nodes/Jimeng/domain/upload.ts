import type { IDataObject } from 'n8n-workflow';

import { isHttpUrl } from './api';

/**
 * The gateway's presigned upload (deepwl's doc page /zh/uploads/image-upload on doc.deepwl.cn, read
 * second-hand through public notes that cite it): PUT this path with the Bearer key and the file's
 * content type; the answer names where to PUT the bytes (no key) and the public link to pass on.
 */
export const UPLOAD_PATH = '/v1/file/upload';

export interface UploadLink {
	uploadUrl: string;
	downloadUrl: string;
	/** PUT unless the gateway says otherwise */
	method: 'PUT' | 'POST';
	/** seconds the links last, as the gateway answered */
	expire?: number;
}

/**
 * The link request. Where the lifetime goes is not documented: it is sent as top-level `expire`,
 * the name the answer uses (an assumption to check against the real gateway).
 */
export function uploadLinkBody(contentType: string, expireSeconds: number): IDataObject {
	return { headers: { 'Content-Type': contentType }, params: {}, expire: expireSeconds };
}

/** The documented answer, also when nested under `data`; undefined when it is not that shape. */
export function parseUploadLink(body: unknown): UploadLink | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const top = body as IDataObject;
	const nested = top.data;
	const fields =
		typeof top.upload_url !== 'string' && typeof nested === 'object' && nested !== null
			? (nested as IDataObject)
			: top;
	const { upload_url: uploadUrl, download_url: downloadUrl } = fields;
	if (typeof uploadUrl !== 'string' || !isHttpUrl(uploadUrl)) return undefined;
	if (typeof downloadUrl !== 'string' || !isHttpUrl(downloadUrl)) return undefined;
	const method = fields.method === undefined ? 'PUT' : String(fields.method).toUpperCase();
	if (method !== 'PUT' && method !== 'POST') return undefined;
	const expire = Number(fields.expire);
	return {
		uploadUrl,
		downloadUrl,
		method,
		...(Number.isFinite(expire) && expire > 0 ? { expire } : {}),
	};
}

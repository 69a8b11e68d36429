import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { errorDetails } from '../domain/errors';

/** The Continue On Fail item: one per failed input item, with what is known about the failure. */
export function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	const { description, httpCode } = error as {
		description?: string | null;
		httpCode?: string | null;
	};
	if (description) json.description = description;
	Object.assign(json, errorDetails(error));
	if (httpCode) json.httpCode = httpCode;
	return { json, pairedItem: { item: itemIndex } };
}

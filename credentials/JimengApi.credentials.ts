import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../nodes/Jimeng/domain/api';

export class JimengApi implements ICredentialType {
	name = 'jimengApi';

	displayName = 'Jimeng API';

	icon = { light: 'file:jimeng.svg', dark: 'file:jimeng.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-jimeng/n8n-nodes-jimeng#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The bearer token issued by the gateway (deepwl or another gateway of the same format)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			placeholder: 'e.g. https://zx1.deepwl.net',
			description:
				'Root URL of the gateway that serves the Jimeng official format at /jm. The API key is sent only here.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// Tested by the Jimeng node's jimengApiTest (nodes/Jimeng/methods/jimengApiTest.ts).
}

import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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
			description: 'The bearer token issued by the gateway (deepwl or another gateway of the same format)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://zx1.deepwl.net',
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

	// Querying a task id that cannot exist proves the key without creating a billed task.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/jm',
			method: 'POST',
			qs: { Action: 'CVSync2AsyncGetResult', Version: '2022-08-31' },
			body: {
				req_key: 'jimeng_t2i_v40',
				task_id: 'n8n-credential-test',
				req_json: '{"return_url":true}',
			},
			json: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The gateway rejected the API key (HTTP 401). Check the key and that it is enabled.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The gateway refused the API key (HTTP 403): the key may lack access to Jimeng or the account may have no balance.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Nothing answers at {Base URL}/jm (HTTP 404). Check the Base URL.',
				},
			},
		],
	};
}

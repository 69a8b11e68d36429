// A tiny throwaway community package (plain JS, no build) to prove n8n's community-package path
// independently of the real node: `n8n-nodes-e2e-probe` with a node `e2eProbe` (usableAsTool, so n8n
// also registers `e2eProbeTool`) and a credential `e2eProbeApi` whose test calls GET {baseUrl}/check
// with `Authorization: Bearer <apiKey>`.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packPackage } from '../../scripts/n8n/lib.mjs';

export const PROBE_PACKAGE = 'n8n-nodes-e2e-probe';

const NODE_JS = `'use strict';
class E2eProbe {
	constructor() {
		this.description = {
			displayName: 'E2E Probe', name: 'e2eProbe', icon: 'file:probe.svg', group: ['transform'],
			version: 1, subtitle: 'probe', description: 'Throwaway node proving the community-package path',
			defaults: { name: 'E2E Probe' }, inputs: ['main'], outputs: ['main'], usableAsTool: true,
			credentials: [{ name: 'e2eProbeApi', required: false }],
			properties: [
				{ displayName: 'Value', name: 'value', type: 'string', default: 'probe' },
				{ displayName: 'Call API', name: 'callApi', type: 'boolean', default: false },
			],
		};
	}
	async execute() {
		const out = [];
		for (let i = 0; i < this.getInputData().length; i++) {
			const json = { probe: true, value: this.getNodeParameter('value', i) };
			if (this.getNodeParameter('callApi', i)) {
				const { baseUrl } = await this.getCredentials('e2eProbeApi');
				const request = { method: 'GET', url: baseUrl + '/check', json: true };
				json.api = await this.helpers.httpRequestWithAuthentication.call(this, 'e2eProbeApi', request);
			}
			out.push({ json, pairedItem: { item: i } });
		}
		return [out];
	}
}
module.exports = { E2eProbe };
`;

const CRED_JS = `'use strict';
class E2eProbeApi {
	constructor() {
		this.name = 'e2eProbeApi';
		this.displayName = 'E2E Probe API';
		this.documentationUrl = 'https://example.invalid/e2e-probe';
		this.properties = [
			{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		];
		this.authenticate = { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } } };
		this.test = { request: { baseURL: '={{$credentials.baseUrl}}', url: '/check', method: 'GET' } };
	}
}
module.exports = { E2eProbeApi };
`;

const SVG =
	'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" fill="#888"/></svg>\n';

const PACKAGE_JSON = {
	name: PROBE_PACKAGE,
	version: '0.0.1',
	description: 'Throwaway package for the n8n e2e smoke test',
	license: 'MIT',
	keywords: ['n8n-community-node-package'],
	files: ['dist'],
	n8n: {
		n8nNodesApiVersion: 1,
		credentials: ['dist/credentials/E2eProbeApi.credentials.js'],
		nodes: ['dist/nodes/E2eProbe/E2eProbe.node.js'],
	},
	peerDependencies: { 'n8n-workflow': '*' },
};

/** The probe package `npm pack`ed into `<temp folder>/.pack/`: its path (rm -rf `path/../..` after). */
export async function makeProbePackage() {
	const dir = await mkdtemp(path.join(tmpdir(), 'n8n-e2e-probe-src-'));
	const files = {
		'package.json': JSON.stringify(PACKAGE_JSON, null, 2),
		'dist/nodes/E2eProbe/E2eProbe.node.js': NODE_JS,
		'dist/nodes/E2eProbe/probe.svg': SVG,
		'dist/credentials/E2eProbeApi.credentials.js': CRED_JS,
	};
	for (const [file, text] of Object.entries(files)) {
		await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
		await writeFile(path.join(dir, file), text);
	}
	return await packPackage(dir, { destination: path.join(dir, '.pack') });
}

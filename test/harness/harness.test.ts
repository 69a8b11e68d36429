import type { IncomingMessage, ServerResponse } from 'node:http';

import { startLoopbackServer } from '../support/loopback';
import {
	getBinaryBuffer,
	runNode,
	setupHarness,
	teardownHarness,
	type BinaryDataMode,
	type RunNodeOptions,
} from '../harness';
import { FixtureApi } from './fixtures/FixtureApi.credentials';
import { FixtureNode } from './fixtures/FixtureNode.node';

const PNG = Buffer.from([
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3, 250, 251, 252, 253,
]);

let server: Awaited<ReturnType<typeof startLoopbackServer>>;
const seen: Array<{ url: string; headers: IncomingMessage['headers']; body: string }> = [];

/** POST /generate answers an id and the image's URL (a 500 for the prompt 'server-error'). */
function handle(req: IncomingMessage, res: ServerResponse, body: string) {
	seen.push({ url: req.url ?? '', headers: req.headers, body });
	const json = (status: number, value: object) =>
		res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
	if (req.method === 'POST' && req.url === '/generate') {
		const { prompt } = JSON.parse(body) as { prompt: string };
		if (prompt === 'server-error') json(500, { code: 50000, message: 'Internal failure' });
		else json(200, { id: `gen-${prompt}`, url: `${server.url}/image.png` });
	} else if (req.method === 'GET' && req.url === '/image.png') {
		res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG);
	} else res.writeHead(404).end();
}

beforeAll(async () => {
	const t0 = Date.now();
	const state = await setupHarness();
	console.info(`n8n-core loaded in ${state.loadMs} ms; harness set up in ${Date.now() - t0} ms`);
	server = await startLoopbackServer(handle);
});

afterAll(async () => {
	await server.close();
	await teardownHarness();
});

beforeEach(() => {
	seen.length = 0;
});

const run = (options: Partial<RunNodeOptions>) =>
	runNode({
		nodeType: new FixtureNode(),
		credentialTypes: [new FixtureApi()],
		credentials: { fixtureApi: { apiKey: 'secret-key', baseUrl: server.url } },
		...options,
	});
const requestsTo = (url: string) => seen.filter((request) => request.url === url);

describe.each<BinaryDataMode>(['default', 'filesystem'])(
	'harness in %s binary mode',
	(binaryDataMode) => {
		it('runs execute() with auth, expressions and binary output', async () => {
			const result = await run({
				binaryDataMode,
				parameters: { prompt: '={{ $json.subject }} at dawn' },
				inputItems: [{ json: { subject: 'a cat' } }, { json: { subject: 'a dog' } }],
			});

			expect(result.error).toBeUndefined();
			expect(result.status).toBe('success');
			expect(result.items).toHaveLength(2);
			expect(result.items.map((i) => i.json)).toEqual([
				{ prompt: 'a cat at dawn', id: 'gen-a cat at dawn' },
				{ prompt: 'a dog at dawn', id: 'gen-a dog at dawn' },
			]);

			// the credential type's generic authenticate block, incl. a default-valued field
			const generateCalls = requestsTo('/generate');
			expect(generateCalls).toHaveLength(2);
			for (const call of generateCalls) {
				expect(call.headers.authorization).toBe('Bearer secret-key');
				expect(call.headers['x-tenant']).toBe('default-tenant');
			}
			expect(JSON.parse(generateCalls[0].body)).toEqual({ prompt: 'a cat at dawn' });
			// plain httpRequest is not authenticated
			const downloads = requestsTo('/image.png');
			expect(downloads).toHaveLength(2);
			expect(downloads[0].headers.authorization).toBeUndefined();

			// binary through the real BinaryDataService
			const binary = result.items[0].binary!.data;
			expect(binary).toMatchObject({
				mimeType: 'image/png',
				fileName: 'x.png',
				fileExtension: 'png',
				bytes: PNG.length,
			});
			if (binaryDataMode === 'filesystem') {
				expect(binary.id).toMatch(/^filesystem-v2:/);
				expect(binary.data).toBe('filesystem-v2');
			} else {
				expect(binary.id).toBeUndefined();
				expect(binary.data).toBe(PNG.toString('base64'));
			}
			expect(await getBinaryBuffer(result.items[1])).toEqual(PNG);

			// pairedItem as the node itself set it (before core's guessing)
			expect(result.rawOutput?.[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(result.durationMs).toBeLessThan(5000);
		});

		it('feeds binary input items stored in the current mode', async () => {
			const photo = { data: Buffer.from('12345'), mimeType: 'image/jpeg', fileName: 'in.jpg' };
			const result = await run({
				binaryDataMode,
				parameters: { prompt: 'with input', inputBinaryField: 'photo', binaryPropertyName: 'out' },
				inputItems: [{ json: {}, binary: { photo } }],
			});
			expect(result.error).toBeUndefined();
			expect(result.items[0].json.inputBytes).toBe(5);
			expect(await getBinaryBuffer(result.items[0], 'out')).toEqual(PNG);
			const input = result.runData['Harness Start'][0].data!.main[0]![0].binary!.photo;
			expect(Boolean(input.id)).toBe(binaryDataMode === 'filesystem');
		});

		it('fails the run with a serialised NodeOperationError carrying the item index', async () => {
			const result = await run({
				binaryDataMode,
				parameters: { prompt: '={{ $json.p }}' },
				inputItems: [{ json: { p: 'fine' } }, { json: { p: 'bad' } }],
			});
			expect(result.status).toBe('error');
			expect(result.items).toEqual([]);
			expect(result.error).toMatchObject({
				name: 'NodeOperationError',
				message: 'Prompt "bad" is not allowed',
				description: 'Use a different prompt',
				itemIndex: 1,
				nodeName: 'Harness Fixture',
			});
		});

		it('honours continueOnFail with an error item paired to its input', async () => {
			const result = await run({
				binaryDataMode,
				continueOnFail: true,
				parameters: { prompt: '={{ $json.p }}' },
				inputItems: [{ json: { p: 'fine' } }, { json: { p: 'bad' } }, { json: { p: 'also fine' } }],
			});
			expect(result.status).toBe('success');
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json)).toEqual([
				{ prompt: 'fine', id: 'gen-fine' },
				{ error: 'Prompt "bad" is not allowed' },
				{ prompt: 'also fine', id: 'gen-also fine' },
			]);
			expect(result.items[1].pairedItem).toEqual({ item: 1 });
			expect(result.rawOutput?.[0][1].pairedItem).toEqual({ item: 1 });
			expect(result.items[1].binary).toBeUndefined();
		});

		it('turns an HTTP 500 from httpRequestWithAuthentication into a NodeApiError', async () => {
			const result = await run({ binaryDataMode, parameters: { prompt: 'server-error' } });
			expect(result.status).toBe('error');
			expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '500' });
			expect(JSON.stringify(result.error)).toContain('Internal failure');
		});

		it('cancels a waiting node quickly', async () => {
			const parameters = { prompt: 'slow', waitMs: 10000 };
			const result = await run({ binaryDataMode, parameters, cancelAfterMs: 100 });
			expect(result.status).toBe('canceled');
			expect(result.durationMs).toBeLessThan(3000);
			expect(result.items).toEqual([]);
			expect(seen).toHaveLength(0);
		});
	},
);

describe('harness edge cases', () => {
	it('reports missing required parameters as n8n does (workflow issues)', async () => {
		const result = await run({ parameters: {} });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/issues/i);
	});

	it('reports a missing credential', async () => {
		const result = await run({ credentials: {}, parameters: { prompt: 'x' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/credentials/i);
	});

	it('accepts classes and an explicit typeVersion', async () => {
		const result = await run({
			nodeType: FixtureNode,
			credentialTypes: [FixtureApi],
			credentials: { fixtureApi: { apiKey: 'k2', baseUrl: server.url, tenant: 'acme' } },
			parameters: { prompt: 'v1' },
			typeVersion: 1,
		});
		expect(result.status).toBe('success');
		expect(result.runData['Harness Fixture'][0].executionStatus).toBe('success');
		expect(requestsTo('/generate')[0]?.headers).toMatchObject({
			authorization: 'Bearer k2',
			'x-tenant': 'acme',
		});
	});
});

import type { IncomingMessage, ServerResponse } from 'node:http';

import { startLoopbackServer } from '../support/loopback';
import { expectSuccess } from '../support/results';
import type { BinaryDataMode, RunNodeOptions } from '../harness';
import { getBinaryBuffer, runNode, setupHarness, teardownHarness } from '../harness';
import { FixtureApi } from './fixtures/FixtureApi.credentials';
import { FixtureNode } from './fixtures/FixtureNode.node';

/** A PNG signature and 8 more bytes. */
const PNG = Buffer.from('89504e470d0a1a0a00010203fafbfcfd', 'hex');

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

const MODES: BinaryDataMode[] = ['default', 'filesystem'];

describe.each(MODES)('harness in %s binary mode', (binaryDataMode) => {
	const runIn = (options: Partial<RunNodeOptions>) => run({ binaryDataMode, ...options });

	it('runs execute() with auth, expressions and binary output', async () => {
		const result = await runIn({
			parameters: { prompt: '={{ $json.subject }} at dawn' },
			inputItems: [{ json: { subject: 'a cat' } }, { json: { subject: 'a dog' } }],
		});

		expectSuccess(result);
		expect(result.items).toHaveLength(2);
		expect(result.items.map((i) => i.json)).toEqual([
			{ prompt: 'a cat at dawn', id: 'gen-a cat at dawn' },
			{ prompt: 'a dog at dawn', id: 'gen-a dog at dawn' },
		]);

		// the credential type's generic authenticate block, incl. a default-valued field
		const generateCalls = requestsTo('/generate');
		expect(generateCalls).toHaveLength(2);
		const headers = { authorization: 'Bearer secret-key', 'x-tenant': 'default-tenant' };
		for (const call of generateCalls) expect(call.headers).toMatchObject(headers);
		expect(JSON.parse(generateCalls[0].body)).toEqual({ prompt: 'a cat at dawn' });
		// plain httpRequest is not authenticated
		const downloads = requestsTo('/image.png');
		expect(downloads).toHaveLength(2);
		expect(downloads[0].headers.authorization).toBeUndefined();

		// binary through the real BinaryDataService
		const binary = result.items[0].binary!.data;
		const png = { mimeType: 'image/png', fileName: 'x.png', fileExtension: 'png' };
		expect(binary).toMatchObject({ ...png, bytes: PNG.length });
		const stored = binaryDataMode === 'filesystem';
		expect(binary.id).toEqual(stored ? expect.stringMatching(/^filesystem-v2:/) : undefined);
		expect(binary.data).toBe(stored ? 'filesystem-v2' : PNG.toString('base64'));
		expect(await getBinaryBuffer(result.items[1])).toEqual(PNG);

		// pairedItem as the node itself set it (before core's guessing)
		expect(result.rawOutput?.[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.durationMs).toBeLessThan(5000);
	});

	it('feeds binary input items stored in the current mode', async () => {
		const photo = { data: Buffer.from('12345'), mimeType: 'image/jpeg', fileName: 'in.jpg' };
		const result = await runIn({
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
		const result = await runIn({
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
		const result = await runIn({
			continueOnFail: true,
			parameters: { prompt: '={{ $json.p }}' },
			inputItems: [{ json: { p: 'fine' } }, { json: { p: 'bad' } }, { json: { p: 'also fine' } }],
		});
		expectSuccess(result);
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
		const result = await runIn({ parameters: { prompt: 'server-error' } });
		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '500' });
		expect(JSON.stringify(result.error)).toContain('Internal failure');
	});

	it('cancels a waiting node quickly', async () => {
		const parameters = { prompt: 'slow', waitMs: 10000 };
		const result = await runIn({ parameters, cancelAfterMs: 100 });
		expect(result.status).toBe('canceled');
		expect(result.durationMs).toBeLessThan(3000);
		expect(result.items).toEqual([]);
		expect(seen).toHaveLength(0);
	});
});

describe('harness edge cases', () => {
	it.each<[string, Partial<RunNodeOptions>, RegExp]>([
		['missing required parameters as n8n does (workflow issues)', { parameters: {} }, /issues/i],
		['a missing credential', { credentials: {}, parameters: { prompt: 'x' } }, /credentials/i],
	])('reports %s', async (_what, options, message) => {
		const result = await run(options);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(message);
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

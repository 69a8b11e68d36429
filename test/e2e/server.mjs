// The e2e suite's server checks: what n8n serves (node, tool, description, codex, credential type),
// the credential's Test (credential-test.mjs), stored credential and executions, an image served.
import { fetchBinaryFromServer } from '../../scripts/n8n/binary.mjs';
import { CREDENTIAL } from '../../scripts/n8n/sandbox.mjs';
import { secs } from '../../scripts/support/report.mjs';
import { verdict } from '../../scripts/support/scenarios.mjs';
import { json, lists, same } from './assertions.mjs';
import { credentialTestEntries } from './credential-test.mjs';

/** The node's operations as n8n serves them, sorted, and their names (a new one: in both). */
const OPERATIONS = ['getBalance', 'getTask', 'submit'];
const OPERATION_NAMES = 'Submit, Get Task and Get Balance';
const SIZE_OPTION_COUNT = 23;
const NODE = 'n8n-nodes-jimeng.jimeng';
const TOOL = 'n8n-nodes-jimeng.jimengTool';
// n8n itself appends "Custom API Call" (__CUSTOM_API_CALL__) to the operations of every node whose
// credential has a generic `authenticate` (LoadNodesAndCredentials.injectCustomApiCallOptions).
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

const prop = (desc, name) => desc?.properties?.find((p) => p.name === name);
const named = (list, name) => list.find((x) => x.name === name);
const optionValues = (p) => (p?.options ?? []).map((o) => o.value);
const pick = (p, ...keys) => p && Object.fromEntries(keys.map((k) => [k, p[k]]));
const optionNames = (d) => (prop(d, 'options')?.options ?? []).map((o) => o.name);

/** The Jimeng node's description as n8n serves it: one check per row. */
const DESCRIPTION = [
	same(
		`description: Operation with ${OPERATION_NAMES} (default Submit)`,
		(d) => [
			optionValues(prop(d, 'operation'))
				.filter((v) => v !== CUSTOM_API_CALL)
				.sort(),
			prop(d, 'operation')?.default,
		],
		[OPERATIONS, 'submit'],
	),
	same(
		'description: Prompt (string, required, on Submit)',
		(d) => pick(prop(d, 'prompt'), 'displayName', 'type', 'required'),
		{ displayName: 'Prompt', type: 'string', required: true },
	),
	{
		name: `description: Size with its ${SIZE_OPTION_COUNT} options`,
		ok: (d) => {
			const size = prop(d, 'size');
			const values = optionValues(size);
			return (
				size?.type === 'options' &&
				values.length === SIZE_OPTION_COUNT &&
				['1k-1:1', '2k-16:9', '4k-9:21', 'auto-2k', 'custom'].every((x) => values.includes(x)) &&
				values.includes(size.default)
			);
		},
		evidence: (d) =>
			`${optionValues(prop(d, 'size')).length} options, default ${prop(d, 'size')?.default}`,
	},
	same(
		'description: Wait for Completion (boolean, default on)',
		(d) => pick(prop(d, 'waitForCompletion'), 'displayName', 'type', 'default'),
		{ displayName: 'Wait for Completion', type: 'boolean', default: true },
	),
	{
		name: 'description: Options collection (Download Images, Max Concurrent Tasks, Output, …)',
		ok: (d) =>
			prop(d, 'options')?.type === 'collection' &&
			['downloadImages', 'maxConcurrency', 'maxRetries'].every((n) => optionNames(d).includes(n)),
		evidence: (d) => `${optionNames(d).length} options: ${optionNames(d).join(', ')}`,
	},
	{
		name: 'description: credential jimengApi, usable as a tool',
		ok: (d) => d.credentials?.some((c) => c.name === 'jimengApi') && d.usableAsTool === true,
	},
	// n8n 2.41's node panel leaves AI-category nodes that are not root nodes out of search and out of
	// "Action in an app" (filterOutAiNodes, subcategorizeItems); the Tool variant is n8n's own (AI: Tools).
	same(
		'description: codex categories ["Marketing & Content"], no AI category, no subcategories',
		({ codex = {} }) => [codex.categories, !codex.subcategories],
		[['Marketing & Content'], true],
	),
	{
		name: 'description: codex aliases Seedream, Volcengine, image, text to image',
		ok: ({ codex = {} }) =>
			['Seedream', 'Volcengine', 'image', 'text to image'].every((a) => codex.alias?.includes(a)),
		evidence: ({ codex = {} }) => json(codex.alias),
	},
];

/** `n8n execute` runs so far, a repeat after a crash at exit counted: each stores an execution. */
const cliRuns = (ctx) => ctx.executions.reduce((n, { res }) => n + (res.exitCrash ? 2 : 1), 0);

/** The server table of one line; `ctx.instance` is stopped after it by the caller. */
export const SERVER = [
	{
		name: 'server: n8n start, ready',
		gate: true,
		act: ({ instance }) => instance.start(),
		assert: (_, { instance }) =>
			verdict(
				instance.running,
				`readiness ${secs(instance.readyMs)}, fully up ${secs(instance.startMs)}`,
			),
	},
	{
		name: 'server: owner set up, session cookie',
		gate: true,
		act: ({ instance }) => instance.setupOwner(),
		assert: (_, { instance }) => verdict(!!instance.owner?.cookie, ''),
	},
	{
		name: '/types/nodes.json',
		act: ({ instance }) => instance.nodeTypes(),
		assert: [
			lists(`server: /types/nodes.json lists ${NODE}`, NODE, 'node types'),
			lists(`server: /types/nodes.json lists ${TOOL} (AI tool variant)`, TOOL, 'node types'),
			// The editor's Tool Description (Set Automatically by default) starts from the node description.
			{
				name: 'server: the Jimeng Tool description n8n offers says each call is billed and what it returns',
				ok: (nodes) => {
					const tool = named(nodes, TOOL);
					const text = prop(tool, 'toolDescription')?.default ?? '';
					return (
						prop(tool, 'descriptionType')?.default === 'auto' &&
						/billed/.test(text) &&
						/task ID, the image URLs .* and the size/.test(text)
					);
				},
				evidence: (nodes) => json(prop(named(nodes, TOOL), 'toolDescription')?.default),
			},
			lists('server: the jimeng description is served', NODE, 'node types'),
			{ each: (nodes) => [named(nodes, NODE)].filter(Boolean), assert: DESCRIPTION },
		],
	},
	{
		name: '/types/credentials.json',
		act: ({ instance }) => instance.credentialTypes(),
		assert: [
			lists('server: /types/credentials.json lists jimengApi', 'jimengApi', 'credential types'),
			{
				name: 'server: jimengApi API Key is a password field',
				ok: (types) => prop(named(types, 'jimengApi'), 'apiKey')?.typeOptions?.password === true,
			},
		],
	},
	...credentialTestEntries,
	// What the editor sends for a saved, unchanged credential: the redacted data GET returns.
	{
		name: 'stored credential',
		async act({ instance }) {
			const stored = await instance.rest('GET', `/credentials/${CREDENTIAL.id}?includeData=true`);
			const credential = { ...CREDENTIAL, type: 'jimengApi', data: stored.data?.data };
			return { stored, tested: await instance.testCredential(credential) };
		},
		assert: [
			{
				name: 'server: GET credential does not return the key',
				ok: ({ stored }, { apiKey }) =>
					stored.status === 200 && !json(stored.body).includes(apiKey),
				evidence: ({ stored }) => `HTTP ${stored.status}`,
			},
			{
				name: 'server: credential test with the stored (redacted) data → OK (decrypted server-side)',
				ok: ({ tested }) => tested?.status === 'OK',
				evidence: ({ tested }, ctx) => ctx.redact(json(tested)),
			},
		],
	},
	{
		name: 'stored executions',
		async act({ instance, apiKey }) {
			const list = await instance.listExecutions({ limit: 100 });
			let leaks = 0;
			for (const e of list) if (json(await instance.getExecution(e.id)).includes(apiKey)) leaks++;
			return { list, leaks };
		},
		assert: [
			{
				// A run repeated after n8n crashed at exit (instance.execute) was stored twice.
				name: (o, ctx) => `server: the ${cliRuns(ctx)} CLI executions are stored`,
				ok: ({ list }, ctx) => list.length === cliRuns(ctx),
				evidence: ({ list }) =>
					`${list.length} stored, statuses ${[...new Set(list.map((e) => e.status))].join('/')}`,
			},
			{
				name: 'server: API key in no stored execution (GET /rest/executions/:id)',
				ok: ({ leaks }) => leaks === 0,
				evidence: ({ list }) => `${list.length} checked`,
			},
		],
	},
	{
		// Only where binaries are stored (filesystem mode); memory mode keeps them inline.
		name: 'server: n8n serves the text-to-image result through /rest/binary-data, same bytes',
		when: (ctx) => !!ctx.textToImageBinary?.bin?.id,
		act: ({ instance, textToImageBinary }) =>
			fetchBinaryFromServer(instance, textToImageBinary.bin),
		assert: (served, { textToImageBinary }) =>
			verdict(
				served.bytes.equals(textToImageBinary.bytes) &&
					/^image\/png/.test(served.contentType ?? ''),
				`${served.bytes.length} B, ${served.contentType}`,
			),
	},
	{
		name: 'server: the fake saw no problem besides the credential tests (wrong key)',
		act: ({ fake, credentialEntries = [] }) =>
			fake.log.filter((e) => e.problem && !credentialEntries.includes(e)).map((e) => e.problem),
		assert: (problems) => verdict(problems.length === 0, problems.join('; ')),
	},
];

// A real n8n with this package installed as a community package, the fake Jimeng gateway (or the
// real one), a Jimeng API credential, an OpenAI credential pointing at the fake chat model (for the
// AI Agent example) and the example workflows imported. Used by `npm start`, `npm run demo`, the
// end-to-end suite, the browser test and the benchmark.
import { readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import { buildAndPackRepo, createInstance, REPO_ROOT } from './lib.mjs';

const require = createRequire(import.meta.url);
const { startFakeJimeng } = require('../../test/fake-jimeng');
const { startFakeOpenAi } = require('../../test/fake-openai');

export const CREDENTIAL = { id: 'jimengCredentia1', name: 'Jimeng API' };
/** The OpenAI credential examples/ai-agent-tool.json names; its Base URL is the fake chat model. */
export const OPENAI_CREDENTIAL = { id: 'openAiCredentia1', name: 'OpenAI account' };
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
const REAL_GATEWAY = 'https://zx1.deepwl.net';

/** The real gateway when JIMENG_API_KEY is set ({ apiKey, baseUrl: JIMENG_BASE_URL or REAL_GATEWAY }), else null. */
export function realGatewayFromEnv(env = process.env) {
	const apiKey = env.JIMENG_API_KEY?.trim();
	return apiKey ? { apiKey, baseUrl: env.JIMENG_BASE_URL?.trim() || REAL_GATEWAY } : null;
}

/** Where examples download a sample reference image from (examples/binary-reference.json). */
const SAMPLE_IMAGES = 'https://images.example.com/samples/';

/**
 * Example workflows with stable 16-character ids derived from their file names. With `imageHost`
 * (the fake's image host), sample image downloads point at its /samples/ instead.
 */
export async function loadExamples({ imageHost } = {}) {
	const files = (await readdir(EXAMPLES_DIR)).filter((file) => file.endsWith('.json')).sort();
	return await Promise.all(
		files.map(async (file) => {
			let text = await readFile(path.join(EXAMPLES_DIR, file), 'utf8');
			if (imageHost) text = text.replaceAll(SAMPLE_IMAGES, `${imageHost}/samples/`);
			const workflow = JSON.parse(text);
			const slug = file.replace(/\.json$/, '');
			const id = `ex${slug.replace(/[^a-zA-Z0-9]/g, '')}`.padEnd(16, '0').slice(0, 16);
			return { file, slug, workflow: { ...workflow, id, active: false } };
		}),
	);
}

/**
 * Whether an example needs a chat model (an AI Agent): only sandboxes have the OpenAI credential
 * and the fake chat server, so the queue drivers leave these out.
 */
export function isAgentExample(example) {
	return example.workflow.nodes.some((node) => node.type.startsWith('@n8n/n8n-nodes-langchain.'));
}

/**
 * A sandbox: `{ instance, fake, chat, tarball, credentialData, examples, example(slug), dispose() }`.
 * options: version, port, env, echo (as createInstance); fakeOptions (for the fake gateway); apiKey
 * and baseUrl (a real key: the credential points at the real gateway, no fake); tarball (default:
 * build and pack the repo); importCredential (default true: the Jimeng API credential and the OpenAI
 * one on the fake chat model, `chat`); importExamples (default true); moreWorkflows(examples) →
 * workflows imported with the examples (same CLI call).
 */
export async function prepareSandbox(options = {}) {
	// A build made here is ours to delete; a tarball passed in belongs to the caller.
	const build = options.tarball ? null : await buildAndPackRepo();
	const tarball = options.tarball ?? build.tarball;
	const fake = options.apiKey
		? null
		: await startFakeJimeng({ latencyMs: 1500, ...options.fakeOptions });
	const credentialData = options.apiKey
		? { apiKey: options.apiKey, baseUrl: options.baseUrl ?? REAL_GATEWAY }
		: { apiKey: fake.apiKey, baseUrl: fake.url };
	let instance;
	let chat = null;
	const dispose = async () => {
		await instance?.dispose();
		await fake?.close();
		await chat?.close();
		if (build) await rm(build.dir, { recursive: true, force: true });
	};
	try {
		// The chat model is always the fake: nothing here holds an OpenAI key.
		if (options.importCredential !== false) chat = await startFakeOpenAi();
		instance = await createInstance({
			version: options.version,
			packageTarball: tarball,
			port: options.port,
			env: options.env,
			echo: options.echo,
		});
		// A new user's instance has neither: the browser walk creates its own credential and workflow.
		if (options.importCredential !== false)
			await instance.importCredentials([
				{ ...CREDENTIAL, type: 'jimengApi', data: credentialData },
				{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: chat.apiKey, url: chat.url } },
			]);
		const examples =
			options.importExamples === false ? [] : await loadExamples({ imageHost: fake?.imageUrl });
		const workflows = [
			...examples.map((example) => example.workflow),
			...(options.moreWorkflows?.(examples) ?? []),
		];
		if (workflows.length) await instance.importWorkflows(workflows);
		const example = (slug) => {
			const found = examples.find((e) => e.slug === slug);
			if (!found) throw new Error(`no example ${slug}`);
			return found;
		};
		return { instance, fake, chat, tarball, credentialData, examples, example, dispose };
	} catch (error) {
		await dispose();
		throw error;
	}
}

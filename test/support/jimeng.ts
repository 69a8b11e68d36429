// The node under test (and its AI-tool variant) against the fake gateway, through n8n-core
// (test/harness/): one fake per test file, reset before each test; the parameters most tests share.
import type { INodeParameters } from 'n8n-workflow';

import { JimengApi } from '../../credentials/JimengApi.credentials';
import { Jimeng } from '../../nodes/Jimeng/Jimeng.node';
import { DEFAULTS, startFakeJimeng } from '../fake-jimeng';
import type { FakeJimeng, FakeJimengOptions, LogEntry } from '../fake-jimeng';
import { runNode, setupHarness, teardownHarness } from '../harness';
import type { HarnessInputItem, RunNodeOptions, RunNodeResult } from '../harness';

export type { FakeJimeng, LogEntry, RunNodeResult };

/** Fast defaults for tests: the fake's latency is 50 ms, so poll every 50 ms. */
const FAST: INodeParameters = { pollInterval: 0.05, timeout: 20 };

/** Submit, the prompt taken from each input item's `prompt` field. */
export const fromItem: INodeParameters = { operation: 'submit', prompt: '={{ $json.prompt }}' };

/** Submit without waiting for the task (no query, no download). */
export const noWait: INodeParameters = { operation: 'submit', waitForCompletion: false };

/** Submit one prompt for a group of images (Generate a Single Image off), with these Options. */
export function aGroup(prompt: string, options?: INodeParameters): INodeParameters {
	return { operation: 'submit', prompt, forceSingle: false, ...(options && { options }) };
}

type RunOptions = 'inputItems' | 'continueOnFail' | 'binaryDataMode' | 'cancelAfterMs';
export interface RunJimengOptions extends Pick<RunNodeOptions, RunOptions> {
	parameters: INodeParameters;
	apiKey?: string;
	baseUrl?: string;
	nodeType?: 'jimeng' | 'jimengTool';
}

/** Starts the fake gateway and the harness once per test file; resets the fake before each test. */
export function useFakeJimeng(options: FakeJimengOptions = {}) {
	let fake: FakeJimeng | undefined;
	beforeAll(async () => {
		await setupHarness();
		fake = await startFakeJimeng(options);
	});
	beforeEach(() => {
		fake?.reset();
		// Back to the file's options, whatever the previous test changed.
		const { port, imagePort, ...defaults } = DEFAULTS;
		fake?.setOptions({ ...defaults, ...options });
	});
	afterAll(async () => {
		await fake?.close();
		await teardownHarness();
	});
	const current = (): FakeJimeng => {
		if (!fake) throw new Error('fake Jimeng server not started');
		return fake;
	};
	/** run: runJimeng against this file's fake */
	return { fake: current, run: async (run: RunJimengOptions) => await runJimeng(current(), run) };
}

/** A Jimeng node as n8n registers its AI-tool variant: same class, type name ending in Tool. */
class JimengTool extends Jimeng {
	constructor() {
		super();
		this.description = { ...this.description, name: 'jimengTool', displayName: 'Jimeng Tool' };
	}
}

export async function runJimeng(
	fake: FakeJimeng,
	options: RunJimengOptions,
): Promise<RunNodeResult> {
	const { parameters, apiKey = fake.apiKey, baseUrl = fake.url, nodeType, ...run } = options;
	return await runNode({
		...run,
		nodeType: nodeType === 'jimengTool' ? new JimengTool() : new Jimeng(),
		credentialTypes: [new JimengApi()],
		credentials: { jimengApi: { apiKey, baseUrl } },
		parameters: { ...FAST, ...parameters },
	});
}

export const prompts = (...texts: string[]): HarnessInputItem[] =>
	texts.map((prompt) => ({ json: { prompt } }));

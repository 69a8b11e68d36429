import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { JimengApi } from '../../credentials/JimengApi.credentials';
import { Jimeng } from '../../nodes/Jimeng/Jimeng.node';
import {
	DEFAULTS,
	startFakeJimeng,
	type FakeJimeng,
	type FakeJimengOptions,
	type FakeTask,
	type LogEntry,
} from '../fake-jimeng';
import {
	getBinaryBuffer,
	runNode,
	setupHarness,
	teardownHarness,
	type BinaryDataMode,
	type HarnessInputItem,
	type RunNodeResult,
} from '../harness';

export { getBinaryBuffer };
export type { FakeJimeng, LogEntry, RunNodeResult };

/** Fast defaults for tests: the fake's latency is 50 ms, so poll every 50 ms. */
export const FAST: INodeParameters = { pollInterval: 0.05, timeout: 20 };

/** Submit, the prompt taken from each input item's `prompt` field. */
export const fromItem: INodeParameters = { operation: 'submit', prompt: '={{ $json.prompt }}' };

/** Submit without waiting for the task (no query, no download). */
export const noWait: INodeParameters = { operation: 'submit', waitForCompletion: false };

export interface RunJimengOptions {
	parameters: INodeParameters;
	inputItems?: HarnessInputItem[];
	continueOnFail?: boolean;
	binaryDataMode?: BinaryDataMode;
	cancelAfterMs?: number;
	apiKey?: string;
	baseUrl?: string;
	nodeType?: 'jimeng' | 'jimengTool';
}

/** Starts the fake gateway and the harness once per test file; resets the fake before each test. */
export function useFakeJimeng(options: FakeJimengOptions = {}): { fake: () => FakeJimeng } {
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
	return {
		fake: () => {
			if (!fake) throw new Error('fake Jimeng server not started');
			return fake;
		},
	};
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
	return await runNode({
		nodeType: options.nodeType === 'jimengTool' ? new JimengTool() : new Jimeng(),
		credentialTypes: [new JimengApi()],
		credentials: {
			jimengApi: { apiKey: options.apiKey ?? fake.apiKey, baseUrl: options.baseUrl ?? fake.url },
		},
		parameters: { ...FAST, ...options.parameters },
		inputItems: options.inputItems,
		continueOnFail: options.continueOnFail,
		binaryDataMode: options.binaryDataMode,
		cancelAfterMs: options.cancelAfterMs,
	});
}

export function submits(fake: FakeJimeng): LogEntry[] {
	return fake.log.filter((entry) => entry.kind === 'submit');
}

export function queries(fake: FakeJimeng): LogEntry[] {
	return fake.log.filter((entry) => entry.kind === 'query');
}

export function imageRequests(fake: FakeJimeng): LogEntry[] {
	return fake.log.filter((entry) => entry.kind === 'image');
}

export function bodyOf(entry: LogEntry): IDataObject {
	return entry.body as IDataObject;
}

export function prompts(...texts: string[]): HarnessInputItem[] {
	return texts.map((prompt) => ({ json: { prompt } }));
}

/** Output json fields, in order, for compact assertions. */
export function jsonOf(items: INodeExecutionData[]): IDataObject[] {
	return items.map((item) => item.json);
}

/** Fails the test when the run did not succeed, printing the node's error. */
export function expectSuccess(result: RunNodeResult): void {
	if (result.status !== 'success' || result.error) {
		throw new Error(
			`expected success, got ${result.status}: ${JSON.stringify(result.error, null, 2)}`,
		);
	}
}

/** Fails the test unless the run ended in an error; returns that error for assertions on its fields. */
export function expectFailure(result: RunNodeResult): NonNullable<RunNodeResult['error']> {
	expect(result.status).toBe('error');
	expect(result.error).toBeDefined();
	return result.error!;
}

/** The one task the fake created in this test (fails if there is not exactly one). */
export function onlyTask(fake: FakeJimeng): FakeTask {
	const tasks = [...fake.tasks.values()];
	expect(tasks).toHaveLength(1);
	return tasks[0];
}

/** pairedItem of each item execute() returned, before n8n-core filled in any missing one. */
export function pairedItems(result: RunNodeResult): unknown[] {
	return result.rawOutput![0].map((item) => item.pairedItem);
}

export function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

// The node against this file's fake (test/support/jimeng.ts), with shortcuts that assert how the run
// ended, so a test states its parameters and what it checks.
import type { INodeParameters } from 'n8n-workflow';

import { API_MESSAGES } from '../fake-jimeng';
import type { FakeJimeng, FakeJimengOptions, LogEntry, ScriptedResponse } from '../fake-jimeng';
import { useFakeJimeng, type RunJimengOptions } from '../support/jimeng';
import { expectFailure, expectSuccess } from '../support/results';

export function useNode(options?: FakeJimengOptions) {
	const { fake, run } = useFakeJimeng(options);
	return {
		fake,
		run,
		/** runs the node and fails the test unless it succeeded */
		ok: async (runOptions: RunJimengOptions) => {
			const result = await run(runOptions);
			expectSuccess(result);
			return result;
		},
		/** runs the node and fails the test unless it failed; the error */
		fail: async (runOptions: RunJimengOptions) => expectFailure(await run(runOptions)),
	};
}

/** Submit `prompt`, with more parameters. */
export const submit = (prompt: string, more: INodeParameters = {}): INodeParameters => ({
	operation: 'submit',
	prompt,
	...more,
});

/** The API requests, in the order they reached the fake. */
export const apiCalls = (fake: FakeJimeng): LogEntry[] =>
	fake.log.filter((entry) => entry.server === 'api');

/** A scripted API error as the API sends it (no task id), answered with `retryAfter` seconds. */
export const apiError = (status: number, code: number, retryAfter = '0'): ScriptedResponse => ({
	status,
	body: { code, data: null, message: API_MESSAGES[code], request_id: `req-${code}`, status: code },
	headers: { 'retry-after': retryAfter },
});

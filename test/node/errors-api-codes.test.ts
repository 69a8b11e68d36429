// Errors the API answers with: its codes (on submit and on query) and the task statuses that end a task
// without images. Each names the code or status, the task, the advice and the request id.
import { API_MESSAGES } from '../fake-jimeng';
import { onlyTask, queries, submits } from '../support/fakeLog';
import { noWait } from '../support/jimeng';
import { expectFailure } from '../support/results';
import { submit, useNode } from './_support-run';

const { fake, run, fail } = useNode();

/** A distinctive part of the node's advice for each code (domain/advice.ts). */
const ADVICE: Record<number, RegExp> = {
	50215: /rejected the request parameters/,
	50411: /reference image failed content moderation/,
	50412: /prompt failed content moderation\. Rephrase the prompt/,
	50413: /sensitive or copyrighted words/,
	50511: /generated image failed content moderation\. Submitting again may succeed/,
	50512: /generated text failed content moderation/,
	50518: /reference image was flagged as copyrighted/,
	50519: /generated image was flagged as copyrighted\. Submitting again may succeed/,
	50520: /moderation service failed/,
	50521: /copyright-word service failed/,
	50522: /copyright-image service failed/,
};

const REQUEST_ID = /Request ID: ([0-9a-f-]{36})\.$/;

describe('API error codes', () => {
	test.each([50411, 50412, 50413, 50518, 50520, 50521, 50522, 50215])(
		'a submit answered with code %i says the code, the API message, the advice and the request id',
		async (code) => {
			const error = await fail({
				parameters: { ...noWait, prompt: `refused [submit-code:${code}]` },
			});
			expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '400', itemIndex: 0 });
			expect(error.message).toBe(`Jimeng API error ${code}: ${API_MESSAGES[code]}`);
			expect(error.description).toMatch(ADVICE[code]);
			expect(error.description).toMatch(REQUEST_ID);
			// A refused submit creates nothing and is not retried.
			expect(submits(fake())).toHaveLength(1);
			expect(fake().stats().tasksCreated).toBe(0);
		},
	);

	test.each([50511, 50512, 50519])(
		'a query answered with code %i after generation names the task',
		async (code) => {
			const error = await fail({ parameters: submit(`made [query-code:${code}]`) });
			const taskId = onlyTask(fake()).id;
			expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '400' });
			expect(error.message).toBe(
				`Jimeng API error ${code}: ${API_MESSAGES[code]} (task ${taskId})`,
			);
			expect(error.description).toMatch(ADVICE[code]);
			expect(error.description).toMatch(REQUEST_ID);
			// The moderation answer is final: asked once, not retried.
			expect(queries(fake()).filter((entry) => entry.statusCode === 400)).toHaveLength(1);
			expect(submits(fake())).toHaveLength(1);
		},
	);

	test('HTTP 401 says the API key was rejected, without a retry storm', async () => {
		const submit = await run({
			apiKey: 'not-the-key',
			parameters: { ...noWait, prompt: 'wrong key' },
		});
		const error = expectFailure(submit);
		expect(error.message).toMatch(/rejected the API key \(HTTP 401\)/);
		expect(error.description).toMatch(/Check the API key in the Jimeng API credential/);
		expect(error.httpCode).toBe('401');
		expect(fake().log).toHaveLength(1);

		fake().reset();
		const getTask = await run({
			apiKey: 'not-the-key',
			parameters: { operation: 'getTask', taskId: 'some-task' },
		});
		expect(expectFailure(getTask).message).toMatch(/rejected the API key \(HTTP 401\)/);
		expect(fake().log).toHaveLength(1);
	});

	test.each([200, 404])(
		'a non-JSON HTML answer with HTTP %i is reported as such',
		async (status) => {
			fake().enqueue('submit', {
				status,
				body: `<html><body><h1>${status} from some proxy</h1></body></html>`,
				headers: { 'content-type': 'text/html' },
			});
			const error = await fail({ parameters: { ...noWait, prompt: 'html' } });
			expect(error.message).toMatch(new RegExp(`HTTP ${status} with a non-JSON page`));
			expect(error.httpCode).toBe(String(status));
			expect(submits(fake())).toHaveLength(1);
		},
	);
});

describe.each(['deepwl', 'upstream'] as const)('failure statuses (%s vocabulary)', (vocabulary) => {
	const deepwl = vocabulary === 'deepwl';
	const cases = {
		'[fail]': {
			status: deepwl ? 'failed' : 'done',
			reason: deepwl ? /Image generation failed: \[fail\] directive/ : /Generation failed/,
			advice: deepwl ? /The message above is the API's reason/ : /returned no image/,
		},
		'[not_found]': {
			status: 'not_found',
			reason: /not found/,
			advice: /unknown to the gateway, or older than about 12 hours/,
		},
		'[expired]': {
			status: 'expired',
			reason: /expired/,
			advice: /too old to fetch\. Submit the prompt again/,
		},
		'[done-empty]': {
			status: deepwl ? 'success' : 'done',
			reason: /without any image/,
			advice: /returned no image/,
		},
	};
	test.each(Object.entries(cases))(
		'%s ends as an API error with the task id, the status and advice',
		async (directive, { status, reason, advice }) => {
			fake().setOptions({ vocabulary });
			const error = await fail({ parameters: submit(`doomed ${directive}`) });
			const taskId = onlyTask(fake()).id;
			expect(error).toMatchObject({ name: 'NodeApiError', itemIndex: 0 });
			expect(error.message).toContain(`status "${status}"`);
			expect(error.message).toContain(`(task ${taskId})`);
			expect(error.message).toMatch(reason);
			expect(error.description).toMatch(advice);
			expect(queries(fake()).at(-1)!.taskStatus).toBe(status);
		},
	);
});

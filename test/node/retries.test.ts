import * as pauseModule from '../../nodes/Jimeng/runtime/pause';
import { API_MESSAGES, startFakeJimeng, type ScriptedResponse } from '../fake-jimeng';
import { imageRequests, onlyTask, queries, submits } from '../support/fakeLog';
import { noWait } from '../support/jimeng';
import { closedPort } from '../support/loopback';
import { expectSuccess } from '../support/results';
import { apiError, submit, useNode } from './_support-run';

const { fake, run, ok, fail } = useNode();

const now = { 'retry-after': '0' };
const html502 = {
	status: 502,
	body: '<html><head><title>502</title></head><body><center><h1>502</h1></center></body></html>',
	headers: { ...now, 'content-type': 'text/html' },
};
const NOT_RETRIED = /was not retried: a retry could bill a second task/;

/**
 * The waits the node asked for (the retry loop's pauses, in ms), still really waited: the delays
 * are asserted instead of wall-clock gaps, which a loaded machine stretches.
 */
function recordPauses({ wait }: { wait: boolean }): number[] {
	const asked: number[] = [];
	const real = pauseModule.pause;
	jest.spyOn(pauseModule, 'pause').mockImplementation(async (ms, signal) => {
		// The poller's own idle steps (at most 250 ms, here the 50 ms Poll Interval) are not retries.
		if (ms <= 250) return await real(ms, signal);
		asked.push(ms);
		// Skipping the wait keeps the suite fast; a test that needs time to pass waits for real.
		if (wait) await real(ms, signal);
	});
	return asked;
}

afterEach(() => jest.restoreAllMocks());

describe('queries are retried on transient failures', () => {
	test.each<[string, ScriptedResponse]>([
		['429 + 50429', apiError(429, 50429)],
		['429 + 50430', apiError(429, 50430)],
		['500 + 50500', apiError(500, 50500)],
		['502 HTML page', html502],
		[
			'503 JSON',
			{ status: 503, body: { error: { message: 'Service Unavailable' } }, headers: now },
		],
	])('%s twice, then the task succeeds', async (_name, script) => {
		fake().enqueue('query', script);
		fake().enqueue('query', script);
		const result = await ok({ parameters: submit('retry me') });
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.status).toBe('success');
		expect(result.items[0].binary?.data).toBeDefined();
		const sent = queries(fake());
		expect(sent.slice(0, 2).map((entry) => entry.statusCode)).toEqual([
			script.status,
			script.status,
		]);
		expect(sent.length).toBeGreaterThanOrEqual(3);
		expect(sent.at(-1)!.taskStatus).toBe('success');
		expect(submits(fake())).toHaveLength(1);
	});

	test('a reset connection is retried after a backoff (no Retry-After)', async () => {
		const asked = recordPauses({ wait: false });
		fake().enqueue('query', { reset: true });
		await ok({ parameters: submit('reset query') });
		const [reset, next] = queries(fake());
		expect([reset.fault, next.statusCode]).toEqual(['reset', 200]);
		// attempt 0 backs off 0.5–1 s, and the second query came no sooner
		expect(asked).toHaveLength(1);
		expect(asked[0]).toBeGreaterThanOrEqual(500);
		expect(asked[0]).toBeLessThanOrEqual(1000);
	});

	test('Retry-After is honoured', async () => {
		const asked = recordPauses({ wait: false });
		fake().enqueue('query', apiError(429, 50429, '2'));
		await ok({ parameters: submit('slow down') });
		const [throttled, next] = queries(fake());
		expect(throttled.statusCode).toBe(429);
		// Longer than any first backoff (at most 1 s): the header decided the wait.
		expect(asked).toEqual([2000]);
		expect(next.t).toBeGreaterThan(throttled.t);
	});

	test.each([0, 1, 2])('Max Retries %i bounds the attempts and the error says so', async (n) => {
		for (let k = 0; k < 4; k++) fake().enqueue('query', apiError(429, 50429));
		const error = await fail({
			parameters: submit('always throttled', { options: { maxRetries: n } }),
		});
		const task = onlyTask(fake());
		expect(error.message).toBe(`Jimeng API error 50429: ${API_MESSAGES[50429]} (task ${task.id})`);
		expect(error.httpCode).toBe('429');
		expect(error.description).toMatch(/rate limit was reached and the retries ran out/);
		if (n > 0)
			expect(error.description).toMatch(new RegExp(`^Still failing after ${n} retries\\.`));
		expect(queries(fake())).toHaveLength(n + 1);
	});
});

describe('submits are retried only when no task was created', () => {
	test.each([
		['429 + 50430', 429, 50430],
		['500 + 50500', 500, 50500],
	])('a JSON %s answer is retried and creates one task', async (_name, status, code) => {
		fake().enqueue('submit', apiError(status, code));
		const result = await ok({ parameters: { ...noWait, prompt: 'submit again' } });
		expect(submits(fake()).map((entry) => entry.statusCode)).toEqual([status, 200]);
		expect(fake().stats().tasksCreated).toBe(1);
		expect(result.items[0].json.taskId).toBe([...fake().tasks.keys()][0]);
	});

	test.each([
		['the [reset-submit] directive', 'created then reset [reset-submit]', false],
		['a scripted reset after creating the task', 'created then reset (scripted)', true],
	])('a reset after the task was created is not retried (%s)', async (_name, prompt, scripted) => {
		if (scripted) fake().enqueue('submit', { reset: true, createTask: true });
		const error = await fail({ parameters: { ...noWait, prompt } });
		expect(submits(fake())).toHaveLength(1);
		expect(fake().stats().tasksCreated).toBe(1);
		expect(error.description).toMatch(NOT_RETRIED);
		expect(error.message).toMatch(/the task may have been created/);
	});

	test('a submit that times out waiting for the answer is not retried', async () => {
		// The gateway takes the request and answers only long after (5×) the node's Request Timeout.
		fake().enqueue('submit', { delayMs: 1500 });
		const error = await fail({
			parameters: { ...noWait, prompt: 'slow gateway', options: { requestTimeout: 0.3 } },
		});
		// The node gave up before the gateway created the task...
		expect(fake().stats().tasksCreated).toBe(0);
		// ...which it then did: retrying would have made two.
		const until = Date.now() + 10000;
		while (fake().stats().tasksCreated === 0 && Date.now() < until)
			await new Promise((r) => setTimeout(r, 20));
		expect(fake().stats().tasksCreated).toBe(1);
		expect(submits(fake())).toHaveLength(1);
		expect(error.description).toMatch(NOT_RETRIED);
		expect(error.message).toMatch(/the task may have been created/);
	});

	test('a 502 HTML page on submit is ambiguous: not retried', async () => {
		fake().enqueue('submit', { ...html502, createTask: true });
		const error = await fail({ parameters: { ...noWait, prompt: 'gateway broke' } });
		expect(submits(fake())).toHaveLength(1);
		expect(error.message).toBe(
			'Submitting the task got HTTP 502 with a non-JSON page from the gateway: the task may have been created',
		);
		expect(error.description).toMatch(/not retried/);
		expect(error.httpCode).toBe('502');
	});

	test('a refused connection is retried: the gateway that comes up gets exactly one submit', async () => {
		const asked = recordPauses({ wait: true });
		const port = await closedPort();
		const starting = new Promise((resolve) => setTimeout(resolve, 150)).then(() =>
			startFakeJimeng({ port, apiKey: fake().apiKey }),
		);
		try {
			const result = await run({
				baseUrl: `http://127.0.0.1:${port}`,
				parameters: { ...noWait, prompt: 'knock knock' },
			});
			const late = await starting;
			expectSuccess(result);
			expect(submits(late)).toHaveLength(1);
			expect(late.stats().tasksCreated).toBe(1);
			expect(result.items[0].json.taskId).toBe([...late.tasks.keys()][0]);
			// The first attempt was refused before the server started; the retry came after a backoff.
			expect(asked.length).toBeGreaterThanOrEqual(1);
			expect(asked[0]).toBeGreaterThanOrEqual(500);
		} finally {
			await (await starting).close();
		}
	});

	test('a connection that stays refused reports that the gateway did not answer', async () => {
		const asked = recordPauses({ wait: false });
		const baseUrl = `http://127.0.0.1:${await closedPort()}`;
		const error = await fail({
			baseUrl,
			parameters: { ...noWait, prompt: 'nobody home', options: { maxRetries: 1 } },
		});
		expect(error.description).toBe(
			`Nothing accepted the connection at ${baseUrl}. Check Base URL in the credential and that the gateway is up.`,
		);
		expect(error.message).toMatch(/the gateway did not answer \(ECONNREFUSED\)/);
		// One backoff (0.5–1 s) between the two attempts.
		expect(asked).toHaveLength(1);
		expect(asked[0]).toBeGreaterThanOrEqual(500);
		expect(fake().log).toEqual([]);
	});
});

describe('image downloads', () => {
	test('a 503 from the image host is retried, then the image arrives', async () => {
		fake().enqueue('image', { status: 503, body: 'Service Temporarily Unavailable', headers: now });
		const result = await ok({ parameters: submit('cdn hiccup') });
		const fetched = imageRequests(fake());
		expect(fetched.map((entry) => entry.statusCode)).toEqual([503, 200]);
		expect(fetched[0].url).toBe(fetched[1].url);
		expect(result.items[0].binary?.data.mimeType).toBe('image/png');
		expect(result.items[0].json).not.toHaveProperty('downloadError');
	});

	test('an image that answers 404 keeps its item with the URL and the download error', async () => {
		const result = await ok({ parameters: submit('lost image [image404]') });
		expect(result.items).toHaveLength(1);
		const task = onlyTask(fake());
		const { json, binary } = result.items[0];
		expect(binary).toBeUndefined();
		expect(json.imageUrl).toBe(`${fake().imageUrl}/images/${task.id}/0.png`);
		expect(json.downloadError).toEqual({
			message: expect.stringMatching(/HTTP 404/),
			httpCode: 404,
		});
		expect(json.taskId).toBe(task.id);
		expect(result.rawOutput![0][0].pairedItem).toEqual({ item: 0 });
		// 404 is final: not retried.
		expect(imageRequests(fake())).toHaveLength(1);
	});
});

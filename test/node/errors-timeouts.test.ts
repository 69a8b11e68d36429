// Timeouts and the stop button: the node gives up or stops promptly, and says where the task is.
import { onlyTask, queries } from '../support/fakeLog';
import { expectFailure } from '../support/results';
import { apiError, submit, useNode } from './_support-run';

const { fake, run } = useNode();

describe('timeouts and cancellation', () => {
	test('the timeout message carries the task id and points to Get Task', async () => {
		const result = await run({ parameters: submit('too slow [latency:5000]', { timeout: 0.3 }) });
		const error = expectFailure(result);
		const taskId = onlyTask(fake()).id;
		expect(error.message).toMatch(/Timed out/);
		expect(error.message).toContain(taskId);
		expect(error.message).toContain('last status: generating');
		expect(error.description).toContain('Get Task');
		expect(error.description).toContain(taskId);
		// It gave up at its 0.3 s Timeout (about 6 queries at 50 ms), not at the task's 5 s (about 100).
		expect(queries(fake()).length).toBeLessThanOrEqual(12);
		expect(result.durationMs).toBeLessThan(4500);
	});

	test('stopping the execution ends the wait promptly and stops polling', async () => {
		const result = await run({ parameters: submit('endless [latency:10000]'), cancelAfterMs: 300 });
		expect(result.status).toBe('canceled');
		// Stopped long before the task's 10 s: the wait did not run on.
		expect(result.durationMs).toBeGreaterThanOrEqual(290);
		expect(result.durationMs).toBeLessThan(8000);
		const seen = fake().log.length;
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(fake().log.length).toBe(seen);
	});

	test.each(['submit', 'query'] as const)(
		'stopping during a %s retry backoff ends promptly',
		async (action) => {
			fake().enqueue(action, apiError(429, 50429, '20'));
			const result = await run({ parameters: submit(`backing off ${action}`), cancelAfterMs: 300 });
			expect(result.status).toBe('canceled');
			// Stopped long before the 20 s Retry-After ran out.
			expect(result.durationMs).toBeLessThan(15000);
			const scripted = fake().log.filter((entry) => entry.scripted);
			expect(scripted).toHaveLength(1);
			expect(scripted[0].statusCode).toBe(429);
			// Nothing was sent after the throttled call: the node was sleeping, then stopped.
			const seen = fake().log.length;
			expect(fake().log.at(-1)).toBe(scripted[0]);
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect(fake().log.length).toBe(seen);
		},
	);
});

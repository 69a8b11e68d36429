import { queries } from '../support/fakeLog';
import { fromItem, prompts, type LogEntry } from '../support/jimeng';
import { apiError, submit, useNode } from './_support-run';

const { fake, ok, fail } = useNode();

// 4.5 s tasks polled every 3 s: Adaptive's scout looks again about once a second (4.02 s, 5.04 s)
// and the others are queried at the age it found.
const texts = ['first [latency:4500]', 'second [latency:4500]', 'third [latency:4500]'];
// Fixed Interval has no clock of its own: the same rounds at half the scale (2.25 s tasks polled every
// 1.5 s) are seen at 1.5 s (generating) and 3 s (success).
const fixedTexts = ['first [latency:2250]', 'second [latency:2250]', 'third [latency:2250]'];

function statusesByTask(sent: LogEntry[]): string[][] {
	const byTask = new Map<string, string[]>();
	for (const entry of [...sent].sort((a, b) => a.t - b.t)) {
		byTask.set(entry.taskId!, [...(byTask.get(entry.taskId!) ?? []), entry.taskStatus!]);
	}
	return [...byTask.values()];
}

describe('Polling option', () => {
	test('Fixed Interval keeps the rounds: each task queried once per interval, all together', async () => {
		const result = await ok({
			parameters: { ...fromItem, pollInterval: 1.5, options: { polling: 'fixed' } },
			inputItems: prompts(...fixedTexts),
		});
		expect(result.items.map((item) => item.json.prompt)).toEqual(fixedTexts);
		const sent = queries(fake());
		expect(statusesByTask(sent)).toEqual(fixedTexts.map(() => ['generating', 'success']));
		// Two rounds of three: every pending answer precedes every success.
		const order = [...sent].sort((a, b) => a.t - b.t).map((entry) => entry.taskStatus);
		expect(order.join(' ')).toBe('generating generating generating success success success');
	});

	test('Adaptive is the default: one scout looks again before the round, the others are queried when it finds its task done', async () => {
		const result = await ok({
			parameters: { ...fromItem, pollInterval: 3 },
			inputItems: prompts(...texts),
		});
		expect(result.items.map((item) => item.json.prompt)).toEqual(texts);
		const sent = queries(fake());
		const perTask = statusesByTask(sent).map((list) => list.join(' → '));
		expect(perTask.sort()).toEqual(
			['generating → generating → success', 'generating → success', 'generating → success'].sort(),
		);
		const order = [...sent].sort((a, b) => a.t - b.t).map((entry) => entry.taskStatus);
		// The first round, then the scout's extra look (still generating), then every task done.
		expect(order.join(' ')).toBe(
			'generating generating generating generating success success success',
		);
		// The scout's task is the first one seen done; the others are asked only after it.
		const firstSuccess = sent.find((entry) => entry.taskStatus === 'success')!;
		const scoutTask = sent
			.filter((entry) => entry.taskStatus === 'generating')
			.map((entry) => entry.taskId);
		expect(scoutTask.filter((id) => id === firstSuccess.taskId)).toHaveLength(2);
	});

	test('Adaptive: a 50429 on one query holds back every query for its Retry-After, then no extra queries', async () => {
		fake().enqueue('query', apiError(429, 50429, '2'));
		await ok({ parameters: { ...fromItem, pollInterval: 3 }, inputItems: prompts(...texts) });
		const sent = [...queries(fake())].sort((a, b) => a.t - b.t);
		const throttled = sent.find((entry) => entry.statusCode === 429)!;
		expect(throttled).toBeDefined();
		// Queries already on their way arrive within a few ms; nothing else is sent during the Retry-After.
		const later = sent.filter((entry) => entry.t > throttled.t + 200);
		for (const entry of later) expect(entry.t - throttled.t).toBeGreaterThanOrEqual(1950);
		// After it, no extra look: each task is asked again only when due by Poll Interval (or the
		// Retry-After), and by then (5 s and later) every 4.5 s task is done.
		expect(later.length).toBeGreaterThanOrEqual(2);
		expect(later.map((entry) => entry.taskStatus)).toEqual(later.map(() => 'success'));
		expect(sent.length).toBeLessThanOrEqual(3 + 1 + 2);
	});

	test('an unknown Polling value is refused before any request', async () => {
		const error = await fail({
			parameters: { ...fromItem, options: { polling: 'sometimes' } },
			inputItems: prompts('x'),
		});
		expect(error.message).toMatch(/Polling is "sometimes"/);
		expect(fake().log).toHaveLength(0);
	});
});

describe.each(['deepwl', 'upstream'] as const)('the %s status vocabulary', (vocabulary) => {
	test('queued and generating are waited through; success gives the images', async () => {
		// Queued for 0.4 s, then generating for 0.6 s: each seen by the 50 ms polls even on a busy machine.
		fake().setOptions({ vocabulary, queueMs: 400, latencyMs: 1000 });
		const result = await ok({ parameters: submit(`vocab ${vocabulary}`) });
		const statuses = queries(fake()).map((entry) => entry.taskStatus);
		const expected =
			vocabulary === 'deepwl'
				? ['submitted', 'generating', 'success']
				: ['in_queue', 'generating', 'done'];
		expect(statuses[0]).toBe(expected[0]);
		expect(statuses).toContain(expected[1]);
		expect(statuses[statuses.length - 1]).toBe(expected[2]);
		expect(result.items[0].json.status).toBe('success');
		expect(result.items[0].binary?.data.mimeType).toBe('image/png');
	});
});

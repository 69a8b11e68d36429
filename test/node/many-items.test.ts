import { queries, submits } from '../support/fakeLog';
import { fromItem, prompts, type LogEntry } from '../support/jimeng';
import { pairedItems } from '../support/results';
import { submit, useNode } from './_support-run';

const { fake, ok, fail } = useNode();

/** Groups log entries whose times lie within `windowMs` of the group's first entry. */
function rounds(entries: LogEntry[], windowMs: number): LogEntry[][] {
	const groups: LogEntry[][] = [];
	for (const entry of [...entries].sort((a, b) => a.t - b.t)) {
		const current = groups.at(-1);
		if (current && entry.t - current[0].t <= windowMs) current.push(entry);
		else groups.push([entry]);
	}
	return groups;
}

describe('many items at once', () => {
	test('20 items with Max Concurrent Tasks 5 keep input order and run 5 at a time', async () => {
		// Latencies from 100 to 460 ms, shuffled so that tasks finish out of input order.
		const latencies = Array.from({ length: 20 }, (_, i) => 100 + ((i * 7) % 10) * 40);
		const texts = latencies.map((latency, i) => `item ${i} [latency:${latency}]`);
		const result = await ok({
			parameters: { ...fromItem, options: { maxConcurrency: 5 } },
			inputItems: prompts(...texts),
		});

		expect(result.items).toHaveLength(20);
		const tasks = [...fake().tasks.values()];
		const byPrompt = new Map(tasks.map((task) => [task.prompt, task]));
		result.items.forEach((item, i) => {
			expect(item.json.prompt).toBe(texts[i]);
			expect(item.json.taskId).toBe(byPrompt.get(texts[i])!.id);
			expect(item.binary?.data).toBeDefined();
		});
		expect(pairedItems(result)).toEqual(texts.map((_, item) => ({ item })));

		// They really finished out of order, so the order above is the node's doing.
		const finishOrder = [...tasks]
			.sort((a, b) => a.finishedAt! - b.finishedAt!)
			.map((task) => task.prompt);
		expect(finishOrder).not.toEqual(texts);

		const stats = fake().stats();
		expect(stats.tasksCreated).toBe(20);
		expect(submits(fake())).toHaveLength(20);
		// At most 5, and overlapping (what makes it faster than one after another; counted, not timed).
		expect(stats.maxActiveTasks).toBe(5);
	});

	test('with Polling = Fixed Interval, pending tasks are polled together, in shared rounds, once per interval', async () => {
		const texts = Array.from({ length: 10 }, (_, i) => `round ${i} [latency:600]`);
		const result = await ok({
			// Adaptive (the default) sends each query when due instead: test/node/polling.test.ts.
			parameters: {
				...fromItem,
				pollInterval: 0.4,
				options: { maxConcurrency: 10, polling: 'fixed' },
			},
			inputItems: prompts(...texts),
		});
		expect(result.items).toHaveLength(10);

		const sent = queries(fake());
		const perTask = new Map<string, number>();
		for (const entry of sent) perTask.set(entry.taskId!, (perTask.get(entry.taskId!) ?? 0) + 1);
		expect(perTask.size).toBe(10);
		// 600 ms of generation at a 400 ms interval: two queries each, three at most.
		expect(Math.max(...perTask.values())).toBeLessThanOrEqual(3);

		// A round's queries arrive together, well within the 400 ms between rounds.
		const grouped = rounds(sent, 200);
		expect(grouped.length).toBeLessThanOrEqual(sent.length / 3);
		// Every task was queried in the same rounds as the others: as many rounds as one task has queries.
		expect(grouped.length).toBeLessThanOrEqual(Math.max(...perTask.values()) + 1);
	});

	test('a 1 s Poll Interval (the UI minimum) is honoured: no query comes early', async () => {
		await ok({ parameters: submit('patient [latency:1300]', { pollInterval: 1 }) });
		const [submitted] = submits(fake());
		const sent = queries(fake());
		expect(sent.length).toBeGreaterThanOrEqual(2);
		const times = [submitted, ...sent].map((entry) => entry.t);
		const gaps = times.slice(1).map((t, i) => Math.round(t - times[i]));
		expect(gaps.filter((ms) => ms < 950)).toEqual([]);
	});

	test('by default every item is in progress at once, as a core-node workflow would send them', async () => {
		const texts = Array.from({ length: 30 }, (_, i) => `default ${i} [latency:300]`);
		const result = await ok({ parameters: fromItem, inputItems: prompts(...texts) });
		expect(result.items.map((item) => item.json.prompt)).toEqual(texts);
		expect(fake().stats().maxActiveTasks).toBe(30);
	});

	test('Max Concurrent Tasks accepts up to 1000 and refuses more before any request', async () => {
		const error = await fail({
			parameters: { ...fromItem, options: { maxConcurrency: 1001 } },
			inputItems: prompts('x'),
		});
		expect(error.message).toMatch(/Max Concurrent Tasks is 1001, outside 1–1000/);
		expect(fake().log).toHaveLength(0);
	});
});

describe('a gateway with its own concurrency limit', () => {
	test('items refused with 50430 while others run wait for a slot: all succeed, the limit is learned', async () => {
		fake().setOptions({ maxActiveTasks: 3, latencyMs: 150 });
		const texts = Array.from({ length: 12 }, (_, i) => `limited ${i}`);
		// No retries: a refusal may only ever make an item wait, never count as a failure.
		const result = await ok({
			parameters: { ...fromItem, options: { maxConcurrency: 8, maxRetries: 0 } },
			inputItems: prompts(...texts),
		});
		expect(result.items.map((item) => item.json.prompt)).toEqual(texts);
		expect(result.items.every((item) => item.binary?.data)).toBe(true);
		const stats = fake().stats();
		expect(stats.tasksCreated).toBe(12);
		expect(stats.maxActiveTasks).toBeLessThanOrEqual(3);
		const refused = submits(fake()).filter((entry) => entry.fault === 'max-active');
		// The gateway did refuse (8 > 3) until the node learned its limit; after that only one probe
		// for a free slot per window of 3 accepted submits.
		expect(refused.length).toBeGreaterThanOrEqual(1);
		expect(refused.length).toBeLessThanOrEqual(8 - 3 + Math.ceil(12 / 3));
		expect(submits(fake())).toHaveLength(12 + refused.length);
		expect(Object.values(stats.tasksPerPrompt).every((count) => count === 1)).toBe(true);
	});

	test('a 50430 while another execution holds the gateway waits past Max Retries until a slot frees: no error, one task', async () => {
		fake().setOptions({ maxActiveTasks: 1, activeUntil: 'generated' });
		// Another execution (another worker, another workflow) holds the only slot for about 2 s.
		const outside = await fetch(
			`${fake().url}/jm?Action=CVSync2AsyncSubmitTask&Version=2022-08-31`,
			{
				method: 'POST',
				headers: { authorization: `Bearer ${fake().apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					req_key: 'jimeng_t2i_v40',
					model: 'jimeng-4.0',
					prompt: 'outside [latency:2000]',
					width: 2048,
					height: 2048,
				}),
			},
		);
		expect(outside.status).toBe(200);
		const result = await ok({
			parameters: { ...fromItem, options: { maxRetries: 0 } },
			inputItems: prompts('patient'),
		});
		expect(result.items[0].binary?.data).toBeDefined();
		const ours = submits(fake()).filter((entry) => entry.prompt === 'patient');
		expect(ours.length).toBeGreaterThanOrEqual(2);
		expect(ours.slice(0, -1).every((entry) => entry.statusCode === 429)).toBe(true);
		expect(fake().stats().tasksPerPrompt).toMatchObject({ patient: 1 });
	});

	test('a 50430 with none of our tasks running is reported once the Timeout is used up', async () => {
		fake().setOptions({ maxActiveTasks: 0 });
		const error = await fail({
			parameters: { ...fromItem, timeout: 1.5, options: { maxRetries: 1 } },
			inputItems: prompts('alone'),
		});
		expect(error.message).toContain('Jimeng API error 50430');
		expect(submits(fake()).length).toBeGreaterThanOrEqual(2);
		expect(fake().stats().tasksCreated).toBe(0);
	});
});

import {
	BUDGET_WINDOW_MS,
	SCOUT_GAP_MS,
	PollSchedule,
	RATE_LIMIT_CALM_MS,
	ROUND_WINDOW_MS,
	type PollingMode,
	type ScheduledTask,
} from '../../nodes/Jimeng/runtime/pollSchedule';

/** A schedule on a clock the test moves by hand, and add() with a long Timeout. */
function scheduleOn(mode: PollingMode, start = 0, intervalMs = 3000) {
	let now = start;
	const clock = {
		now: () => now,
		set: (t: number) => (now = t),
		advance: (ms: number) => (now += ms),
	};
	const schedule = new PollSchedule(mode, clock.now);
	const add = (timeoutMs = 600_000) => schedule.add({ intervalMs, timeoutMs });
	return { clock, schedule, add };
}

/**
 * Runs the schedule as helpers/poller.ts does: take() what is due, sleep waitMs(), and answer every
 * query `rttMs` after it was sent (done once the task's latency has passed at the send time).
 * Gives each task's send times (from the start of the simulation) and the age at which it was seen
 * done (from its own submit), and the due age the schedule learned.
 */
function simulate(
	mode: PollingMode,
	tasks: Array<{ latencyMs: number; submitAtMs?: number }>,
	{ intervalMs = 3000, rttMs = 20, untilMs = 120_000 } = {},
) {
	const { clock, schedule, add } = scheduleOn(mode, 0, intervalMs);
	const handles: Array<ScheduledTask | undefined> = tasks.map(() => undefined);
	const sends: number[][] = tasks.map(() => []);
	const seenDoneAge: number[] = tasks.map(() => NaN);
	let answers: Array<{ at: number; index: number; done: boolean }> = [];
	const submitsAhead = () =>
		tasks.flatMap((task, i) => (handles[i] ? [] : [(task.submitAtMs ?? 0) - clock.now()]));
	while (clock.now() <= untilMs) {
		tasks.forEach((task, i) => {
			if (!handles[i] && (task.submitAtMs ?? 0) <= clock.now()) handles[i] = add();
		});
		for (const { index, done } of answers.filter((a) => a.at <= clock.now())) {
			const handle = handles[index]!;
			if (done) seenDoneAge[index] = handle.lastSentAt! - handle.startedAt;
			schedule.answered(handle, done ? 'done' : 'pending');
		}
		answers = answers.filter((a) => a.at > clock.now());
		for (const handle of schedule.take()) {
			const index = handles.indexOf(handle);
			sends[index].push(clock.now());
			const age = clock.now() - handle.startedAt;
			answers.push({ at: clock.now() + rttMs, index, done: age >= tasks[index].latencyMs });
		}
		if (!seenDoneAge.some(Number.isNaN)) break;
		const answersAhead = answers.map((a) => a.at - clock.now());
		clock.advance(Math.max(1, Math.min(schedule.waitMs(), ...answersAhead, ...submitsAhead())));
	}
	const startedAt = handles.map((handle) => handle!.startedAt);
	return { sends, seenDoneAge, dueAge: learnedDueAge(schedule), startedAt };
}

/**
 * The due age the schedule learned, read from its behaviour: when it first queries a task added
 * now whose Poll Interval is far away (undefined: at that interval, nothing was learned).
 */
function learnedDueAge(schedule: PollSchedule): number | undefined {
	const probe = schedule.add({ intervalMs: 600_000, timeoutMs: 600_001 });
	schedule.remove(probe);
	const firstAt = probe.nextAt - probe.startedAt;
	return firstAt < 600_000 ? firstAt : undefined;
}

/** Most queries in any window of `windowMs`. */
function busiest(times: number[], windowMs = 1000): number {
	const sorted = [...times].sort((a, b) => a - b);
	const windowFrom = (i: number) => sorted.slice(i).filter((t) => t - sorted[i] < windowMs).length;
	return Math.max(0, ...sorted.map((_, i) => windowFrom(i)));
}

const total = (sends: number[][]) => sends.flat().length;
const longestGap = (times: number[]) => Math.max(...times.slice(1).map((t, k) => t - times[k]));
const batch = (count: number, latencyMs: number) =>
	Array.from({ length: count }, () => ({ latencyMs }));

describe('PollSchedule, Fixed Interval (the behaviour before the Polling option)', () => {
	test('one query per interval, the first one interval after the submit, in shared rounds', () => {
		const { clock, schedule, add } = scheduleOn('fixed', 1_000_000);
		const a = add();
		clock.advance(200);
		const b = add();
		clock.advance(2799);
		expect(schedule.take()).toEqual([]);
		expect(schedule.waitMs()).toBe(1);
		clock.advance(1);
		// b is due 200 ms after a: within the round window, so it joins a's round.
		expect(schedule.take()).toEqual([a, b]);
		for (const handle of [a, b]) schedule.answered(handle, 'pending');
		expect([a.nextAt, b.nextAt].map((at) => at - clock.now())).toEqual([3000, 3000]);
		// It sleeps in steps of at most 250 ms, as before.
		expect(schedule.waitMs()).toBe(250);
	});

	test('a task due later than the round window waits for its own round; the deadline caps the last query', () => {
		const { clock, schedule, add } = scheduleOn('fixed', 1_000_000);
		const a = add(4000);
		clock.advance(ROUND_WINDOW_MS + 1);
		const b = add();
		clock.set(a.nextAt);
		expect(schedule.take()).toEqual([a]);
		schedule.answered(a, 'pending');
		expect(a.nextAt).toBe(a.deadline);
		clock.set(b.nextAt);
		expect(schedule.take()).toEqual([b]);
	});

	test('learns nothing: a batch of 5 s tasks takes two queries each, seen at the 6 s round', () => {
		const { sends, seenDoneAge } = simulate('fixed', batch(10, 5000));
		expect(sends.map((list) => list.length)).toEqual(Array(10).fill(2));
		expect(seenDoneAge).toEqual(Array(10).fill(6000));
	});

	test('a rate-limit answer changes nothing in Fixed Interval', () => {
		const { clock, schedule, add } = scheduleOn('fixed', 1_000_000);
		const a = add();
		schedule.rateLimited(10_000);
		clock.set(a.nextAt);
		expect(schedule.take()).toEqual([a]);
	});
});

describe('PollSchedule, Adaptive', () => {
	test('one 5 s task: at most 6 queries, seen within 0.2 s, never two queries within a second', () => {
		const { sends, seenDoneAge } = simulate('adaptive', batch(1, 5000));
		expect(sends[0].length).toBeLessThanOrEqual(6);
		expect(sends[0][0]).toBe(3000);
		expect(seenDoneAge[0]).toBeGreaterThanOrEqual(5000);
		expect(seenDoneAge[0]).toBeLessThanOrEqual(5200);
		expect(busiest(sends[0], BUDGET_WINDOW_MS)).toBe(1);
	});

	test('a batch of 200 tasks of 5 s: at most 2.5 queries per task, every task seen within 0.3 s of ready', () => {
		// Submits spread over 0.6 s, as n8n sends them.
		const tasks = Array.from({ length: 200 }, (_, i) => ({ latencyMs: 5000, submitAtMs: i * 3 }));
		const { sends, seenDoneAge } = simulate('adaptive', tasks);
		expect(total(sends) / 200).toBeLessThanOrEqual(2.5);
		expect(Math.min(...seenDoneAge)).toBeGreaterThanOrEqual(5000);
		expect(Math.max(...seenDoneAge)).toBeLessThanOrEqual(5300);
		const fixed = simulate('fixed', tasks);
		expect(busiest(sends.flat())).toBeLessThanOrEqual(busiest(fixed.sends.flat()));
	});

	test('ten tasks of 5 s: the scouts teach the rest, which are queried twice', () => {
		const { sends, seenDoneAge, dueAge } = simulate('adaptive', batch(10, 5000));
		const counts = sends.map((list) => list.length);
		// Tasks 0, 3, 6 and 9 scout; the others are queried at 3 s and at the learned due age.
		expect(counts.filter((_, i) => i % 3 !== 0)).toEqual(Array(6).fill(2));
		expect(total(sends) / 10).toBeLessThanOrEqual(2.5);
		expect(Math.max(...seenDoneAge)).toBeLessThanOrEqual(5000 + SCOUT_GAP_MS / 2);
		expect(busiest(sends.flat())).toBeLessThanOrEqual(10);
		expect(dueAge).toBeGreaterThanOrEqual(5000);
	});

	test('waves on a limited gateway: later waves are queried twice, at 3 s and at the learned age', () => {
		// Ten at a time; each wave starts when the previous one is seen done (as slots free up).
		const { clock, schedule, add } = scheduleOn('adaptive');
		const waveEnds: number[] = [];
		let waveStart = 0;
		for (let wave = 0; wave < 5; wave++) {
			const handles = Array.from({ length: 10 }, () => add());
			let left = handles.length;
			while (left > 0) {
				for (const handle of schedule.take()) {
					const done = clock.now() - handle.startedAt >= 5000;
					schedule.answered(handle, done ? 'done' : 'pending');
					if (done) left--;
				}
				if (left > 0) clock.advance(schedule.waitMs());
			}
			waveEnds.push(clock.now() - waveStart);
			waveStart = clock.now();
		}
		// The first wave's scouts (looking at 3, 4.02, 5.04 s) learn the age within one scout gap; every
		// later wave takes exactly that age.
		const dueAge = learnedDueAge(schedule);
		expect(dueAge).toBe(3000 + 2 * SCOUT_GAP_MS);
		for (const ms of waveEnds.slice(1)) expect(ms).toBe(Math.ceil(dueAge!));
	});

	test('Poll Interval stays the longest gap, from the submit on, whatever the latencies', () => {
		const latencies = Array.from({ length: 40 }, (_, i) => 1000 + ((i * 7919) % 40) * 1000);
		const tasks = latencies.map((latencyMs, i) => ({ latencyMs, submitAtMs: i * 50 }));
		const { sends, startedAt } = simulate('adaptive', tasks);
		const gaps = sends.map((list, i) => longestGap([startedAt[i], ...list]));
		for (const gap of gaps) expect(gap).toBeLessThanOrEqual(3000);
	});

	test('latencies spread 3–15 s: once tasks finish, the others are queried every 0.8 s; no second is busier than a fixed round', () => {
		const latencies = Array.from({ length: 40 }, (_, i) => 3000 + ((i * 17) % 40) * 300);
		const tasks = latencies.map((latencyMs, i) => ({ latencyMs, submitAtMs: i * 2 }));
		const [adaptive, fixed] = [simulate('adaptive', tasks), simulate('fixed', tasks)];
		const late = (ages: number[]) => ages.map((age, i) => age - latencies[i]);
		expect(Math.min(...late(adaptive.seenDoneAge))).toBeGreaterThanOrEqual(0);
		expect(Math.max(...late(adaptive.seenDoneAge))).toBeLessThanOrEqual(1100);
		expect(busiest(adaptive.sends.flat())).toBeLessThanOrEqual(busiest(fixed.sends.flat()));
		// Fixed Interval sees them up to 3 s late.
		expect(Math.max(...late(fixed.seenDoneAge))).toBeGreaterThan(2000);
	});

	test('a rate-limit answer holds every query back for its delay, then only Poll Interval queries for a while', () => {
		const { clock, schedule, add } = scheduleOn('adaptive');
		const handles = Array.from({ length: 3 }, () => add());
		clock.set(3000);
		expect(schedule.take()).toHaveLength(3);
		for (const handle of handles) schedule.answered(handle, 'pending');
		// The scout (task 0) wants another look within a second or so.
		expect(handles[0].nextAt).toBeLessThan(6000);
		clock.set(3100);
		schedule.rateLimited(5000);
		for (const t of [3200, 5000, 8099]) {
			clock.set(t);
			expect(schedule.take()).toEqual([]);
		}
		clock.set(8100);
		expect(schedule.take()).toHaveLength(3);
		for (const handle of handles) schedule.answered(handle, 'pending');
		// Calm: no extra queries, one per Poll Interval.
		expect(handles.map((handle) => handle.nextAt)).toEqual([11_100, 11_100, 11_100]);
		// After the calm, scouts look often again (task 3 is the next scout).
		clock.set(3100 + 5000 + RATE_LIMIT_CALM_MS);
		const later = [add(), add()];
		clock.advance(3000);
		expect(schedule.take()).toEqual(expect.arrayContaining(later));
		for (const handle of later) schedule.answered(handle, 'pending');
		expect(later[1].scout).toBe(false);
		expect(later[0].scout).toBe(true);
		expect(later[0].nextAt).toBeLessThan(clock.now() + 3000);
	});

	test('Get Task looks at once, teaches no due age, and is not a scout', () => {
		const { schedule } = scheduleOn('adaptive');
		const resumed = schedule.add({ intervalMs: 3000, timeoutMs: 600_000, firstPollNow: true });
		expect(resumed.scout).toBe(false);
		expect(schedule.take()).toEqual([resumed]);
		schedule.answered(resumed, 'done');
		expect(learnedDueAge(schedule)).toBeUndefined();
	});

	test('a failed or timed-out task teaches nothing', () => {
		const { clock, schedule, add } = scheduleOn('adaptive');
		const [a, b] = [add(), add()];
		clock.set(3000);
		expect(schedule.take()).toEqual([a, b]);
		schedule.answered(a, 'other');
		schedule.failed(b);
		// Neither is queried again, however long the schedule runs on.
		clock.set(10_000_000);
		expect(schedule.take()).toEqual([]);
		expect(learnedDueAge(schedule)).toBeUndefined();
	});

	test('with a Poll Interval shorter than the dense gap it is the Fixed Interval schedule plus the learned age', () => {
		const { sends } = simulate('adaptive', batch(5, 300), { intervalMs: 50, rttMs: 2 });
		for (const list of sends) expect(longestGap(list)).toBeLessThanOrEqual(50);
	});
});

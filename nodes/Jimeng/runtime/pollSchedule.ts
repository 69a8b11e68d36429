/**
 * When each waiting task is queried next, from what the execution has learned so far. Pure: no I/O,
 * no timers; the clock is injected, so the rules are testable with the clock controlled.
 *
 * Fixed Interval (the node's behaviour before the Polling option): one query per task per Poll
 * Interval, in shared rounds.
 *
 * Adaptive: Poll Interval stays the longest gap between two queries of a task (the first counts from
 * the submit), and queries are added where they pay:
 * - until a task of the execution has finished, every third task is a scout, queried about once a
 *   second (every eighth of its age once that is longer). All scouts look at the same ages, so when
 *   one finds its task done the others are due at that moment anyway (staggered scouts would learn
 *   the age more closely, but the ones seen pending just before would need a second query within
 *   the same second, which the per-second cap then delays);
 * - the youngest age at which a task was seen done is the batch's due age: every other task is queried
 *   when it reaches it;
 * - a task still pending past the due age (latencies vary) is queried every DENSE_GAP_MS while tasks
 *   of the execution keep finishing, otherwise every eighth of its age, up to Poll Interval;
 * - queries beyond those Poll Interval requires are capped at as many per second as tasks have been
 *   waited on at once, so no second is busier than a Fixed Interval round;
 * - a rate-limit answer (50429 / HTTP 429) holds every query back for its Retry-After (or backoff) and
 *   turns the extra queries off for RATE_LIMIT_CALM_MS.
 */

export type PollingMode = 'adaptive' | 'fixed';

/** Fixed: tasks due within this window of the earliest are queried in the same round. */
export const ROUND_WINDOW_MS = 250;
const FIXED_IDLE_STEP_MS = 250;
/** Adaptive: how often the loop looks again when nothing is due (answers change the plan). */
const ADAPTIVE_IDLE_STEP_MS = 50;
/** Adaptive: the gap between two queries of a task past the due age while others keep finishing. */
export const DENSE_GAP_MS = 800;
/** Adaptive: the shortest gap before a task's query at the due age. */
export const MIN_GAP_MS = 100;
/** Adaptive: one task in this many is a scout until the first task finishes. */
export const SCOUT_EVERY = 3;
/** Adaptive: a task is queried again after at most 1/AGE_FRACTION of its age when not due. */
export const AGE_FRACTION = 8;
/** Adaptive: the window of the per-second cap on queries (a little over a second, for clock jitter). */
export const BUDGET_WINDOW_MS = 1020;
/**
 * Adaptive: a scout's gap. At least the cap's window, so a scout never sends two queries in one
 * second: when it finds the batch done and the others are queried at once, that second holds no more
 * queries than tasks.
 */
export const SCOUT_GAP_MS = BUDGET_WINDOW_MS;
/** Adaptive: after a rate-limit answer, only the queries Poll Interval requires, for this long. */
export const RATE_LIMIT_CALM_MS = 30_000;

export interface PollTaskOptions {
	intervalMs: number;
	timeoutMs: number;
	/** Get Task looks at once, and its age is unknown (submitted earlier, elsewhere). */
	firstPollNow?: boolean;
}

export interface ScheduledTask {
	readonly startedAt: number;
	readonly intervalMs: number;
	readonly deadline: number;
	/** When the next query is wanted. */
	nextAt: number;
	/** When the next query is required (Poll Interval); never held back by the per-second cap. */
	requiredAt: number;
	lastSentAt?: number;
	inFlight: boolean;
	/** Adaptive: the per-second cap's window this task's query holds. */
	window?: QueryWindow;
	queries: number;
	readonly resumed: boolean;
	readonly scout: boolean;
}

export type Answer = 'pending' | 'done' | 'other';

/**
 * One query's place under the per-second cap: held while the query is in flight and for the window
 * after its answer. The gateway receives a query no later than it answers it, so two queries that
 * share a place reach the gateway at least a window apart, however long n8n takes to send them.
 */
interface QueryWindow {
	until: number;
}

export class PollSchedule {
	private readonly tasks = new Set<ScheduledTask>();

	private registered = 0;

	private peakWaiting = 0;

	private windows: QueryWindow[] = [];

	/** Youngest age (at send) at which a task was seen done. */
	private dueAge?: number;

	private lastFinishAt = -Infinity;

	private heldUntil = -Infinity;

	private calmUntil = -Infinity;

	constructor(
		readonly mode: PollingMode,
		private readonly now: () => number = () => Date.now(),
	) {}

	add(options: PollTaskOptions): ScheduledTask {
		const now = this.now();
		const first = options.firstPollNow
			? now
			: now + Math.min(options.intervalMs, options.timeoutMs);
		const resumed = options.firstPollNow === true;
		const scout = this.mode === 'adaptive' && !resumed && this.registered % SCOUT_EVERY === 0;
		const task: ScheduledTask = {
			startedAt: now,
			intervalMs: options.intervalMs,
			deadline: now + options.timeoutMs,
			nextAt: first,
			requiredAt: first,
			inFlight: false,
			queries: 0,
			resumed,
			scout,
		};
		if (!resumed) this.registered++;
		this.tasks.add(task);
		this.peakWaiting = Math.max(this.peakWaiting, this.tasks.size);
		if (this.mode === 'adaptive' && !resumed && this.dueAge !== undefined)
			this.reschedule(task, now);
		return task;
	}

	remove(task: ScheduledTask): void {
		this.tasks.delete(task);
	}

	/** The tasks to query now; each is marked in flight with its send time. */
	take(): ScheduledTask[] {
		const now = this.now();
		const chosen = this.mode === 'fixed' ? this.fixedRound(now) : this.adaptiveBatch(now);
		for (const task of chosen) {
			task.inFlight = true;
			task.lastSentAt = now;
			task.queries++;
			if (this.mode === 'adaptive') {
				task.window = { until: Infinity };
				this.windows.push(task.window);
			}
		}
		return chosen;
	}

	/** How long the loop may sleep before calling take() again. */
	waitMs(): number {
		const now = this.now();
		const idle = this.mode === 'fixed' ? FIXED_IDLE_STEP_MS : ADAPTIVE_IDLE_STEP_MS;
		// A task due but held back by the per-second cap: until a window ends (or the next answer).
		const roomAt = Math.min(...this.windows.map((window) => window.until), now + idle);
		let earliest = Infinity;
		for (const task of this.tasks) {
			if (task.inFlight) continue;
			const capped = this.mode === 'adaptive' && task.nextAt <= now && task.requiredAt > now;
			earliest = Math.min(earliest, capped ? Math.min(task.requiredAt, roomAt) : task.nextAt);
		}
		if (this.mode === 'adaptive') earliest = Math.max(earliest, this.heldUntil);
		return Math.max(1, Math.min(earliest - now, idle));
	}

	/** A query sent at task.lastSentAt was answered. 'other': terminal but says nothing about timing. */
	answered(task: ScheduledTask, answer: Answer): void {
		this.release(task);
		const sentAt = task.lastSentAt ?? this.now();
		if (answer !== 'pending') {
			this.remove(task);
			if (answer === 'done' && this.mode === 'adaptive') this.learnDone(task, sentAt);
			return;
		}
		if (this.mode === 'fixed') {
			task.nextAt = Math.min(sentAt + task.intervalMs, task.deadline);
			task.requiredAt = task.nextAt;
			return;
		}
		this.reschedule(task, this.now());
	}

	/** A query failed: the task leaves the schedule (its item fails). */
	failed(task: ScheduledTask): void {
		this.release(task);
		this.remove(task);
	}

	private release(task: ScheduledTask): void {
		task.inFlight = false;
		if (task.window) task.window.until = this.now() + BUDGET_WINDOW_MS;
		task.window = undefined;
	}

	/** The gateway answered 50429 / HTTP 429 and the call will be retried after `delayMs`. */
	rateLimited(delayMs: number): void {
		if (this.mode !== 'adaptive') return;
		const now = this.now();
		this.heldUntil = Math.max(this.heldUntil, now + delayMs);
		this.calmUntil = Math.max(this.calmUntil, now + delayMs + RATE_LIMIT_CALM_MS);
		for (const task of this.tasks) {
			if (task.inFlight) continue;
			this.reschedule(task, now);
			task.nextAt = Math.max(task.nextAt, this.heldUntil);
			task.requiredAt = Math.max(task.requiredAt, this.heldUntil);
		}
	}

	private fixedRound(now: number): ScheduledTask[] {
		const waiting = [...this.tasks].filter((task) => !task.inFlight);
		if (waiting.length === 0) return [];
		const earliest = Math.min(...waiting.map((task) => task.nextAt));
		if (earliest > now) return [];
		return waiting.filter((task) => task.nextAt <= earliest + ROUND_WINDOW_MS);
	}

	private adaptiveBatch(now: number): ScheduledTask[] {
		if (now < this.heldUntil) return [];
		const due = [...this.tasks]
			.filter((task) => !task.inFlight && task.nextAt <= now)
			.sort((a, b) => a.nextAt - b.nextAt);
		if (due.length === 0) return [];
		this.windows = this.windows.filter((window) => window.until > now);
		let room = Math.max(1, this.peakWaiting) - this.windows.length;
		const chosen: ScheduledTask[] = [];
		for (const task of due) {
			if (task.requiredAt <= now) chosen.push(task);
			else if (room > 0) {
				chosen.push(task);
				room--;
			}
		}
		return chosen;
	}

	private learnDone(task: ScheduledTask, sentAt: number): void {
		const now = this.now();
		this.lastFinishAt = now;
		if (!task.resumed) {
			const age = sentAt - task.startedAt;
			if (this.dueAge === undefined || age < this.dueAge) this.dueAge = age;
		}
		// What was learned may make others due earlier (or later, for scouts): plan every waiting task again.
		for (const other of this.tasks)
			if (!other.inFlight && other.lastSentAt !== undefined) this.reschedule(other, now);
		for (const other of this.tasks)
			if (!other.inFlight && other.lastSentAt === undefined) this.reschedule(other, now);
	}

	/** Sets nextAt / requiredAt of a task that is not in flight (adaptive). */
	private reschedule(task: ScheduledTask, now: number): void {
		const from = task.lastSentAt;
		const required =
			from === undefined ? task.requiredAt : Math.min(from + task.intervalMs, task.deadline);
		task.requiredAt = required;
		const wanted = this.calmUntil > now ? undefined : this.wantedAt(task, now);
		task.nextAt = wanted === undefined ? required : Math.min(required, wanted);
	}

	/** When an extra (earlier than required) query would pay off, or undefined. */
	private wantedAt(task: ScheduledTask, now: number): number | undefined {
		const from = task.lastSentAt;
		if (from === undefined && task.resumed) return undefined; // asked at once already
		const earliest = from === undefined ? task.startedAt : from + MIN_GAP_MS;
		const age = (at: number) => at - task.startedAt;
		if (this.dueAge !== undefined && !task.resumed) {
			const dueAt = task.startedAt + this.dueAge;
			if (dueAt >= earliest) return dueAt;
		}
		if (this.dueAge !== undefined) {
			// Past the batch's due age and still pending (or resumed): often while tasks keep finishing.
			if (from === undefined) return undefined;
			const active = now - this.lastFinishAt < task.intervalMs;
			return from + (active ? DENSE_GAP_MS : Math.max(DENSE_GAP_MS, age(from) / AGE_FRACTION));
		}
		if (!task.scout || from === undefined) return undefined;
		return from + Math.max(SCOUT_GAP_MS, age(from) / AGE_FRACTION);
	}
}

import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CANCELLED_MESSAGE, pause } from './pause';
import type { PollingMode, ScheduledTask } from './pollSchedule';
import { PollSchedule } from './pollSchedule';
import type { TaskState } from '../domain/types';

export interface WaitOptions {
	intervalMs: number;
	timeoutMs: number;
	/** Get Task looks at once; a fresh submit cannot be done before one interval. */
	firstPollNow?: boolean;
	/** One status query; it tells `onRateLimited` when the gateway slows it down (50429, HTTP 429). */
	query: (onRateLimited: RateLimitListener) => Promise<TaskState>;
	timeoutError: (lastStatus: string) => Error;
}

/** Told that a rate-limit answer is retried after `delayMs`: every query of the execution waits too. */
export type RateLimitListener = (delayMs: number) => void;

interface Waiter extends WaitOptions {
	task: ScheduledTask;
	lastStatus: string;
	resolve: (state: TaskState) => void;
	reject: (error: unknown) => void;
}

/**
 * Polls every waiting task from one loop: one timer for all items. When each task is queried is
 * decided by PollSchedule (runtime/pollSchedule.ts); this loop only sends, sleeps and hands answers
 * back. Fixed Interval waits for each round; Adaptive sends each query when due and never waits for
 * the others' answers.
 */
export class Poller {
	private readonly waiters = new Map<ScheduledTask, Waiter>();

	private readonly schedule: PollSchedule;

	private running = false;

	private readonly onRateLimited: RateLimitListener = (delayMs) =>
		this.schedule.rateLimited(delayMs);

	constructor(
		private readonly node: INode,
		private readonly signal?: AbortSignal,
		mode: PollingMode = 'fixed',
	) {
		this.schedule = new PollSchedule(mode);
	}

	/** Resolves with the first terminal state; rejects on a query error, the deadline or cancellation. */
	async waitFor(options: WaitOptions): Promise<TaskState> {
		return await new Promise<TaskState>((resolve, reject) => {
			const task = this.schedule.add(options);
			this.waiters.set(task, { ...options, task, lastStatus: 'submitted', resolve, reject });
			if (!this.running) void this.loop();
		});
	}

	private async loop(): Promise<void> {
		this.running = true;
		try {
			while (this.waiters.size > 0) {
				if (this.signal?.aborted) throw new NodeOperationError(this.node, CANCELLED_MESSAGE);
				const batch = this.schedule.take().map((task) => this.pollOne(this.waiters.get(task)!));
				if (batch.length === 0) {
					await pause(this.schedule.waitMs(), this.signal);
				} else if (this.schedule.mode === 'fixed') {
					await Promise.all(batch);
				} else {
					void Promise.all(batch); // each answer is handled in pollOne, which never throws
				}
			}
		} catch (error) {
			for (const waiter of this.waiters.values()) waiter.reject(error);
			for (const task of this.waiters.keys()) this.schedule.remove(task);
			this.waiters.clear();
		} finally {
			this.running = false;
		}
	}

	private async pollOne(waiter: Waiter): Promise<void> {
		const { task } = waiter;
		let state: TaskState;
		try {
			state = await waiter.query(this.onRateLimited);
		} catch (error) {
			this.finish(waiter);
			this.schedule.failed(task);
			waiter.reject(error);
			return;
		}
		if (!this.waiters.has(task)) return; // the loop gave up on it (cancellation)
		waiter.lastStatus = state.status || waiter.lastStatus;
		if (state.phase !== 'pending') {
			this.finish(waiter);
			this.schedule.answered(task, state.phase === 'success' ? 'done' : 'other');
			waiter.resolve(state);
		} else if (Date.now() >= task.deadline) {
			this.finish(waiter);
			this.schedule.answered(task, 'other');
			waiter.reject(waiter.timeoutError(waiter.lastStatus));
		} else {
			this.schedule.answered(task, 'pending');
		}
	}

	private finish(waiter: Waiter): void {
		this.waiters.delete(waiter.task);
	}
}

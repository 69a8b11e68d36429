import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CANCELLED_MESSAGE, pause } from './pause';
import type { TaskState } from '../domain/types';

/** Tasks due within this window of each other are queried in the same round. */
const ROUND_WINDOW_MS = 250;
const IDLE_STEP_MS = 250;

export interface WaitOptions {
	intervalMs: number;
	timeoutMs: number;
	/** Get Task looks at once; a fresh submit cannot be done before one interval. */
	firstPollNow?: boolean;
	query: () => Promise<TaskState>;
	timeoutError: (lastStatus: string) => Error;
}

interface Waiter extends WaitOptions {
	nextAt: number;
	deadline: number;
	lastStatus: string;
	resolve: (state: TaskState) => void;
	reject: (error: unknown) => void;
}

/**
 * Polls every waiting task in shared rounds: one timer for all items and one query per task
 * per interval, instead of a sleeping loop per item.
 */
export class TaskPoller {
	private readonly waiters = new Set<Waiter>();

	private running = false;

	constructor(
		private readonly node: INode,
		private readonly signal?: AbortSignal,
	) {}

	/** Resolves with the first terminal state; rejects on a query error, the deadline or cancellation. */
	async waitFor(options: WaitOptions): Promise<TaskState> {
		const now = Date.now();
		return await new Promise<TaskState>((resolve, reject) => {
			this.waiters.add({
				...options,
				deadline: now + options.timeoutMs,
				nextAt: options.firstPollNow ? now : now + Math.min(options.intervalMs, options.timeoutMs),
				lastStatus: 'submitted',
				resolve,
				reject,
			});
			if (!this.running) void this.loop();
		});
	}

	private async loop(): Promise<void> {
		this.running = true;
		try {
			while (this.waiters.size > 0) {
				if (this.signal?.aborted) throw new NodeOperationError(this.node, CANCELLED_MESSAGE);
				const now = Date.now();
				const waiting = [...this.waiters];
				const earliest = Math.min(...waiting.map((w) => w.nextAt));
				if (earliest > now) {
					await pause(Math.min(earliest - now, IDLE_STEP_MS), this.signal);
					continue;
				}
				// Whoever is due within the window of the earliest joins its round; nobody is early by more.
				const due = waiting.filter((w) => w.nextAt <= earliest + ROUND_WINDOW_MS);
				const roundStart = Date.now();
				await Promise.all(due.map(async (waiter) => await this.pollOne(waiter, roundStart)));
			}
		} catch (error) {
			for (const waiter of this.waiters) waiter.reject(error);
			this.waiters.clear();
		} finally {
			this.running = false;
		}
	}

	private async pollOne(waiter: Waiter, roundStart: number): Promise<void> {
		let state: TaskState;
		try {
			state = await waiter.query();
		} catch (error) {
			this.waiters.delete(waiter);
			waiter.reject(error);
			return;
		}
		waiter.lastStatus = state.status || waiter.lastStatus;
		if (state.phase !== 'pending') {
			this.waiters.delete(waiter);
			waiter.resolve(state);
		} else if (Date.now() >= waiter.deadline) {
			this.waiters.delete(waiter);
			waiter.reject(waiter.timeoutError(waiter.lastStatus));
		} else {
			waiter.nextAt = Math.min(roundStart + waiter.intervalMs, waiter.deadline);
		}
	}
}

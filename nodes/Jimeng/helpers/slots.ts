/**
 * Slots for items in progress: at most Max Concurrent Tasks, and no more than the gateway has
 * shown it allows. A 50430 answer to a submit while others run tells the node the gateway's
 * concurrency limit; the refused item then waits for a slot instead of failing.
 */
export class TaskSlots {
	private inUse = 0;

	private limit: number;

	private readonly waiting: Array<() => void> = [];

	constructor(
		readonly max: number,
		private readonly signal?: AbortSignal,
	) {
		this.limit = max;
		signal?.addEventListener('abort', () => this.wakeAll(), { once: true });
	}

	get running(): number {
		return this.inUse;
	}

	get currentLimit(): number {
		return this.limit;
	}

	/** Resolves when a slot is free (or the signal aborted: callers check it). `first` jumps the queue. */
	async acquire(first = false): Promise<void> {
		while (this.inUse >= this.limit && !this.signal?.aborted) {
			await new Promise<void>((resolve) => (first ? this.waiting.unshift(resolve) : this.waiting.push(resolve)));
		}
		this.inUse++;
	}

	release(): void {
		this.inUse = Math.max(0, this.inUse - 1);
		this.waiting.shift()?.();
	}

	/** The gateway refused one more task while `othersRunning` of ours were in progress. */
	learnLimit(othersRunning: number): void {
		this.limit = Math.max(1, Math.min(this.limit, othersRunning));
	}

	private wakeAll(): void {
		for (const wake of this.waiting.splice(0)) wake();
	}
}

/**
 * Slots for items in progress: at most Max Concurrent Tasks, and no more than the gateway has
 * shown it allows. A 50430 answer to a submit while others run tells the node the gateway's
 * concurrency limit; the refused item then waits for a slot instead of failing. The limit grows
 * back by one after each `limit` accepted submits, so a passing 50430 (other work on the same key)
 * does not slow the rest of the execution down.
 */
export class TaskSlots {
	private inUse = 0;

	private limit: number;

	private readonly waiting: Array<() => void> = [];

	private acceptedSinceChange = 0;

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
		this.acceptedSinceChange = 0;
	}

	/** The gateway accepted a submit: after a full window of them, try one slot more. */
	accepted(): void {
		if (this.limit >= this.max) return;
		this.acceptedSinceChange++;
		if (this.acceptedSinceChange < this.limit) return;
		this.limit++;
		this.acceptedSinceChange = 0;
		this.waiting.shift()?.();
	}

	private wakeAll(): void {
		for (const wake of this.waiting.splice(0)) wake();
	}
}

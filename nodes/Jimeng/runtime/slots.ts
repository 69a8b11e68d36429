/**
 * Slots for items in progress: at most Max Concurrent Tasks, and no more than the gateway has
 * shown it allows. It owns the 50430 protocol: a submit refused while others of this execution
 * run tells the slots the gateway's concurrency limit, and the refused item gives up its slot and
 * waits, first in line, for the next free one instead of failing. The limit grows back by one after
 * each `limit` accepted submits, so a passing 50430 (other work on the same key) does not slow the
 * rest of the execution down.
 */
export class Slots {
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

	/** Runs `work` holding a slot, released when it settles (or the signal aborted: callers check it). */
	async hold<T>(work: (slot: Slot) => Promise<T>): Promise<T> {
		await this.take(false);
		const slot = new Slot(this);
		try {
			return await work(slot);
		} finally {
			slot.release();
		}
	}

	/** @internal for Slot */
	async take(first: boolean): Promise<void> {
		while (this.inUse >= this.limit && !this.signal?.aborted) {
			await new Promise<void>((resolve) =>
				first ? this.waiting.unshift(resolve) : this.waiting.push(resolve),
			);
		}
		this.inUse++;
	}

	/** @internal for Slot */
	give(): void {
		this.inUse = Math.max(0, this.inUse - 1);
		this.waiting.shift()?.();
	}

	/** @internal for Slot: the gateway refused one more task while `othersRunning` of ours were in progress. */
	learnLimit(othersRunning: number): void {
		this.limit = Math.max(1, Math.min(this.limit, othersRunning));
		this.acceptedSinceChange = 0;
	}

	/** @internal for Slot: after a full window of accepted submits, try one slot more. */
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

/** One item's place among the tasks in progress. */
export class Slot {
	private held = true;

	constructor(private readonly slots: Slots) {}

	/** Whether other items of this execution hold slots, so a 50430 means our own tasks fill the gateway. */
	othersRunning(): boolean {
		return this.held && this.slots.running > 1;
	}

	/** The gateway accepted this item's submit. */
	accepted(): void {
		this.slots.accepted();
	}

	/** The gateway refused this item's submit (50430) while others ran: learn its limit, wait for the next free slot. */
	async refused(): Promise<void> {
		this.slots.learnLimit(this.slots.running - 1);
		this.release();
		await this.slots.take(true);
		this.held = true;
	}

	release(): void {
		if (!this.held) return;
		this.held = false;
		this.slots.give();
	}
}

import { pause } from './pause';

/** How often a watch looks at the clock: the precision of a deadline. */
const TICK_MS = 250;

/**
 * A point in time that stands still while held: a download's time limits do not run while it
 * waits for the execution's download budget (the node holds the body back, not the host).
 */
export class Deadline {
	private heldSince: number | undefined;

	constructor(private endsAt: number) {}

	/** Milliseconds left; Infinity while held. */
	get remainingMs(): number {
		return this.heldSince === undefined ? this.endsAt - Date.now() : Infinity;
	}

	/** Stops the clock; the function returned starts it again, the time held added on. */
	hold(): () => void {
		const since = Date.now();
		this.heldSince = since;
		return () => {
			if (this.heldSince !== since) return;
			this.endsAt += Date.now() - since;
			this.heldSince = undefined;
		};
	}
}

/**
 * Calls `expired` with the first of `deadlines` to pass, unless `stop` aborts first. Built on n8n's
 * `sleep` (nodes may not use timers), so it looks every TICK_MS: a stalled socket that delivers
 * nothing at all is cut as surely as a slow one.
 */
export async function watchDeadlines(
	deadlines: Deadline[],
	expired: (deadline: Deadline) => void,
	stop: AbortSignal,
): Promise<void> {
	while (!stop.aborted) {
		const first = deadlines.reduce((a, b) => (b.remainingMs < a.remainingMs ? b : a));
		const left = first.remainingMs;
		if (left <= 0) {
			expired(first);
			return;
		}
		await pause(Math.min(left, TICK_MS), stop);
	}
}

/** At most `limit` jobs at once, in the order they asked; used to bound the image downloads of an execution. */
export class Limiter {
	private active = 0;

	private peakActive = 0;

	private readonly queue: Array<() => void> = [];

	constructor(readonly limit: number) {}

	/** The most jobs that ran at once so far. */
	get peak(): number {
		return this.peakActive;
	}

	async run<T>(job: () => Promise<T>): Promise<T> {
		if (this.active < this.limit) this.active++;
		// A finishing job hands its place over directly, so nobody can slip in between.
		else await new Promise<void>((resolve) => this.queue.push(resolve));
		this.peakActive = Math.max(this.peakActive, this.active);
		try {
			return await job();
		} finally {
			const next = this.queue.shift();
			if (next) next();
			else this.active--;
		}
	}
}

/**
 * A budget shared by jobs of different weights (here: bytes of the image downloads of one
 * execution): jobs run while their weights fit, in the order they asked. A job heavier than the
 * whole budget runs alone, so nothing waits forever.
 */
export class Limiter {
	private active = 0;

	private readonly queue: Array<{ weight: number; start: () => void }> = [];

	constructor(readonly budget: number) {}

	async run<T>(job: () => Promise<T>, weight = 1): Promise<T> {
		if (this.queue.length === 0 && this.fits(weight)) this.active += weight;
		// First come, first served: a waiting heavy job is not overtaken by lighter ones.
		else await new Promise<void>((start) => this.queue.push({ weight, start }));
		try {
			return await job();
		} finally {
			this.active -= weight;
			this.admit();
		}
	}

	private fits(weight: number): boolean {
		return this.active === 0 || this.active + weight <= this.budget;
	}

	private admit(): void {
		while (this.queue.length > 0 && this.fits(this.queue[0].weight)) {
			const next = this.queue.shift()!;
			this.active += next.weight;
			next.start();
		}
	}
}

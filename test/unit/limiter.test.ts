import { Limiter } from '../../nodes/Jimeng/runtime/limiter';

const tick = async () => await new Promise<void>((resolve) => setImmediate(resolve));

/** The weight running now, and the most that ran at once: measured by the jobs themselves. */
const load = { running: 0, peak: 0 };

/** Starts a job of `weight` that runs until its gate is opened. */
function job(limiter: Limiter, started: string[], name: string, weight: number) {
	let open!: () => void;
	const gate = new Promise<void>((resolve) => (open = resolve));
	const done = limiter.run(async () => {
		started.push(name);
		load.running += weight;
		load.peak = Math.max(load.peak, load.running);
		await gate;
		load.running -= weight;
		return name;
	}, weight);
	return { open, done };
}

beforeEach(() => Object.assign(load, { running: 0, peak: 0 }));

describe('Limiter: a weighted budget (bytes of downloads streaming at once)', () => {
	test('light jobs run together; heavy ones only while they fit; first come, first served', async () => {
		const limiter = new Limiter(64);
		const started: string[] = [];
		const a = job(limiter, started, 'a 25', 25);
		const b = job(limiter, started, 'b 25', 25);
		const c = job(limiter, started, 'c 25', 25); // 75 > 64: waits
		const d = job(limiter, started, 'd 1', 1); // fits, but c asked first: waits behind it
		await tick();
		expect(started).toEqual(['a 25', 'b 25']);
		a.open();
		await a.done;
		await tick();
		expect(started).toEqual(['a 25', 'b 25', 'c 25', 'd 1']);
		for (const j of [b, c, d]) j.open();
		expect(await Promise.all([b.done, c.done, d.done])).toEqual(['b 25', 'c 25', 'd 1']);
		expect(load.peak).toBe(51);
	});

	test('many small jobs are not held back', async () => {
		const limiter = new Limiter(64 * 1024 * 1024);
		const started: string[] = [];
		const jobs = Array.from({ length: 50 }, (_, n) => job(limiter, started, `${n}`, 852));
		await tick();
		expect(started).toHaveLength(50);
		jobs.forEach((j) => j.open());
		await Promise.all(jobs.map((j) => j.done));
	});

	test('a job heavier than the whole budget runs alone rather than never', async () => {
		const limiter = new Limiter(10);
		const started: string[] = [];
		const small = job(limiter, started, 'small', 5);
		const huge = job(limiter, started, 'huge', 50);
		await tick();
		expect(started).toEqual(['small']);
		small.open();
		await small.done;
		await tick();
		expect(started).toEqual(['small', 'huge']);
		huge.open();
		await huge.done;
	});

	test('a failing job frees its weight', async () => {
		const limiter = new Limiter(1);
		await expect(
			limiter.run(async () => await Promise.reject(new Error('boom')), 1),
		).rejects.toThrow('boom');
		expect(await limiter.run(async () => 'next', 1)).toBe('next');
	});
});

import { Limiter } from '../../nodes/Jimeng/runtime/limiter';

const tick = async () => await new Promise<void>((resolve) => setImmediate(resolve));

describe('Limiter', () => {
	test('runs at most `limit` jobs at once, in the order they asked, and reports its peak', async () => {
		const limiter = new Limiter(2);
		const started: number[] = [];
		const gates: Array<() => void> = [];
		const jobs = [0, 1, 2, 3, 4].map((n) =>
			limiter.run(async () => {
				started.push(n);
				await new Promise<void>((resolve) => gates.push(resolve));
				return n;
			}),
		);
		await tick();
		expect(started).toEqual([0, 1]);
		gates.shift()!();
		await tick();
		expect(started).toEqual([0, 1, 2]);
		// A newcomer cannot slip in while a finished job hands its place over.
		const late = limiter.run(async () => 'late');
		gates.shift()!();
		await tick();
		expect(started).toEqual([0, 1, 2, 3]);
		while (gates.length) {
			gates.shift()!();
			await tick();
		}
		expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4]);
		expect(await late).toBe('late');
		expect(limiter.peak).toBe(2);
	});

	test('a failing job frees its place', async () => {
		const limiter = new Limiter(1);
		await expect(limiter.run(async () => await Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(await limiter.run(async () => 'next')).toBe('next');
	});
});

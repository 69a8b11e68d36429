import { Slots, type Slot } from '../../nodes/Jimeng/runtime/slots';

/** Holds a slot once let in, until `release()` is called; `done` resolves when it has left. */
function holder(slots: Slots) {
	let release!: () => void;
	let slot: Slot | undefined;
	const gate = new Promise<void>((resolve) => (release = resolve));
	const done = slots.hold(async (s) => {
		slot = s;
		await gate;
	});
	return { release, done, isInside: () => slot !== undefined, slot: () => slot! };
}

async function releaseAll(...holders: Array<ReturnType<typeof holder>>) {
	for (const h of holders) h.release();
	await Promise.all(holders.map((h) => h.done));
}

const tick = async () => await new Promise<void>((resolve) => setImmediate(resolve));

describe('Slots and the 50430 protocol', () => {
	test('at most max slots are held; a released slot lets the next waiter in, in order', async () => {
		const slots = new Slots(2);
		const [a, b, c] = [holder(slots), holder(slots), holder(slots)];
		await tick();
		expect([a.isInside(), b.isInside(), c.isInside()]).toEqual([true, true, false]);
		await releaseAll(a);
		await tick();
		expect(c.isInside()).toBe(true);
		await releaseAll(b, c);
		expect(slots.running).toBe(0);
	});

	test('othersRunning is true only while other items hold slots', async () => {
		const slots = new Slots(5);
		const a = holder(slots);
		await tick();
		expect(a.slot().othersRunning()).toBe(false);
		const b = holder(slots);
		await tick();
		expect(a.slot().othersRunning()).toBe(true);
		await releaseAll(b);
		expect(a.slot().othersRunning()).toBe(false);
		await releaseAll(a);
	});

	test('a refusal lowers the limit to the others running and waits first in line for the next free slot', async () => {
		const slots = new Slots(4);
		const [a, b, c] = [holder(slots), holder(slots), holder(slots)];
		await tick();
		const waiting = holder(slots);
		await tick();
		expect(waiting.isInside()).toBe(true); // 4 of 4
		const d = holder(slots); // queued: the fifth
		// c is refused by the gateway while a, b and `waiting` run: the gateway takes 3.
		let readmitted = false;
		const refusal = c
			.slot()
			.refused()
			.then(() => (readmitted = true));
		await tick();
		// The limit is 3 now: three run, and d waits although 4 are allowed.
		expect(slots.running).toBe(3);
		expect(d.isInside()).toBe(false);
		expect(readmitted).toBe(false);
		await releaseAll(a);
		await refusal;
		// c was waiting first in line: it gets a's slot, not d.
		expect(readmitted).toBe(true);
		expect(d.isInside()).toBe(false);
		await releaseAll(b, c, waiting, d);
		expect(slots.running).toBe(0);
	});

	test('accepted submits raise the limit back one window at a time, never above max', async () => {
		const slots = new Slots(10);
		const [a, b] = [holder(slots), holder(slots)];
		await tick();
		await Promise.race([b.slot().refused(), tick()]); // learn 1: b gives its slot up and waits
		const waiters = Array.from({ length: 8 }, () => holder(slots));
		await tick();
		// With waiters enough, the slots in use are the limit.
		expect(slots.running).toBe(1);
		a.slot().accepted();
		await tick();
		expect(slots.running).toBe(2);
		for (let i = 0; i < 2; i++) a.slot().accepted();
		await tick();
		expect(slots.running).toBe(3);
		for (let i = 0; i < 200; i++) a.slot().accepted();
		await tick();
		expect(slots.running).toBe(10);
		await releaseAll(a, b, ...waiters);
		expect(slots.running).toBe(0);
	});

	test('the limit never drops below one, and releasing twice frees one slot only', async () => {
		const slots = new Slots(3);
		const a = holder(slots);
		await tick();
		const refusal = a.slot().refused(); // no others: limit 1, a waits for its own released slot
		await refusal; // a limit of 0 would never let it back in
		expect(slots.running).toBe(1);
		a.slot().release();
		a.slot().release();
		expect(slots.running).toBe(0);
		await releaseAll(a);
		expect(slots.running).toBe(0);
	});

	test('an aborted signal wakes every waiter', async () => {
		const controller = new AbortController();
		const slots = new Slots(1, controller.signal);
		const [a, b] = [holder(slots), holder(slots)];
		await tick();
		expect(b.isInside()).toBe(false);
		controller.abort();
		await tick();
		expect(b.isInside()).toBe(true);
		await releaseAll(a, b);
	});
});

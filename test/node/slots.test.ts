import { TaskSlots } from '../../nodes/Jimeng/helpers/slots';

describe('TaskSlots', () => {
	test('a refusal lowers the limit to what was running; accepted submits raise it back one window at a time', () => {
		const slots = new TaskSlots(10);
		slots.learnLimit(7);
		expect(slots.currentLimit).toBe(7);
		for (let i = 0; i < 6; i++) slots.accepted();
		expect(slots.currentLimit).toBe(7);
		slots.accepted();
		expect(slots.currentLimit).toBe(8);
		for (let i = 0; i < 8 + 9; i++) slots.accepted();
		expect(slots.currentLimit).toBe(10);
		for (let i = 0; i < 50; i++) slots.accepted();
		expect(slots.currentLimit).toBe(10);
	});

	test('a refusal resets the window, and the limit never drops below one', () => {
		const slots = new TaskSlots(4);
		slots.learnLimit(2);
		slots.accepted();
		slots.learnLimit(2);
		slots.accepted();
		expect(slots.currentLimit).toBe(2);
		slots.learnLimit(0);
		expect(slots.currentLimit).toBe(1);
	});

	test('a raised limit lets a waiting item in at once', async () => {
		const slots = new TaskSlots(2);
		await slots.acquire();
		slots.learnLimit(1);
		let admitted = false;
		const waiter = slots.acquire().then(() => (admitted = true));
		await Promise.resolve();
		expect(admitted).toBe(false);
		slots.accepted();
		await waiter;
		expect(admitted).toBe(true);
		expect(slots.running).toBe(2);
	});
});

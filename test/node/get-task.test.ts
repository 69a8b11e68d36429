// Get Task: resuming a task submitted earlier (waiting or not), and a task ID the gateway does not know.
import { UNKNOWN_TASK_MODES, type UnknownTaskMode } from '../fake-jimeng';
import { queries, submits } from '../support/fakeLog';
import { noWait } from '../support/jimeng';
import { getBinaryBuffer, sha256 as sha } from '../support/results';
import { useNode } from './_support-run';

const { fake, ok, fail } = useNode();

const NOT_FOUND = /task ID is unknown to the gateway, or older than about 12 hours/;
const MODERATION = /moderation|copyright/i;

/** Submits `prompt` without waiting; the task ID. */
async function submitted(prompt: string): Promise<string> {
	const result = await ok({ parameters: { ...noWait, prompt } });
	return result.items[0].json.taskId as string;
}
/** Get Task of `taskId`, not waiting. */
const peek = (taskId: string) => ({
	parameters: { operation: 'getTask', taskId, waitForCompletion: false },
});

describe('Get Task', () => {
	test('resumes a task submitted earlier and returns its images', async () => {
		const taskId = await submitted('later [latency:300]');
		const result = await ok({
			parameters: { operation: 'getTask', taskId: '={{ $json.taskId }}' },
			inputItems: [{ json: { taskId } }],
		});
		expect(result.items[0].json).toMatchObject({ taskId, status: 'success', imageIndex: 1 });
		expect(result.items[0].json).not.toHaveProperty('prompt');
		expect(sha(await getBinaryBuffer(result.items[0]))).toBe(fake().imageSha256For(taskId, 0));
		expect(submits(fake())).toHaveLength(1);
	});

	test('without waiting, an unfinished task returns its current status', async () => {
		const taskId = await submitted('slow [latency:5000]');
		const result = await ok(peek(taskId));
		expect(result.items).toEqual([
			expect.objectContaining({ json: expect.objectContaining({ taskId, status: 'generating' }) }),
		]);
		expect(queries(fake())).toHaveLength(1);
	});

	test('without waiting, a finished task returns its images', async () => {
		const taskId = await submitted('quick');
		await new Promise((resolve) => setTimeout(resolve, 120));
		const result = await ok(peek(taskId));
		expect(result.items[0].json).toMatchObject({ taskId, status: 'success' });
		expect(result.items[0].binary?.data).toBeDefined();
	});
});

describe('Get Task on an unknown task ID, in every way a gateway answers it', () => {
	test.each(Object.keys(UNKNOWN_TASK_MODES) as UnknownTaskMode[])(
		'%s: the error says the ID is unknown or older than 12 hours',
		async (mode) => {
			fake().setOptions({ unknownTask: mode });
			const error = await fail(peek('no-such-task'));
			expect(error.name).toBe('NodeApiError');
			expect(error.message).toContain('no-such-task');
			expect(error.description).toMatch(NOT_FOUND);
			expect(error.description).not.toMatch(MODERATION);
			expect(submits(fake())).toHaveLength(0);
		},
	);
});

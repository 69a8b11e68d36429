// Get Task: resuming a task submitted earlier (waiting or not), and a task ID the gateway does not know.
import { UNKNOWN_TASK_MODES, type UnknownTaskMode } from '../fake-jimeng';
import { queries, submits } from '../support/fakeLog';
import { noWait } from '../support/jimeng';
import { expectSuccess, getBinaryBuffer, sha256 as sha } from '../support/results';
import { useNode } from './_support-run';

const { fake, run, ok } = useNode();

const NOT_FOUND = /task ID is unknown to the gateway, or older than about 12 hours/;
const MODERATION = /moderation|copyright/i;

describe('Get Task', () => {
	test('resumes a task submitted earlier and returns its images', async () => {
		const submitted = await run({ parameters: { ...noWait, prompt: 'later [latency:300]' } });
		expectSuccess(submitted);
		const taskId = submitted.items[0].json.taskId as string;
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
		const submitted = await run({ parameters: { ...noWait, prompt: 'slow [latency:5000]' } });
		const taskId = submitted.items[0].json.taskId as string;
		const result = await ok({
			parameters: { operation: 'getTask', taskId, waitForCompletion: false },
		});
		expect(result.items).toEqual([
			expect.objectContaining({ json: expect.objectContaining({ taskId, status: 'generating' }) }),
		]);
		expect(queries(fake())).toHaveLength(1);
	});

	test('without waiting, a finished task returns its images', async () => {
		const submitted = await run({ parameters: { ...noWait, prompt: 'quick' } });
		const taskId = submitted.items[0].json.taskId as string;
		await new Promise((resolve) => setTimeout(resolve, 120));
		const result = await ok({
			parameters: { operation: 'getTask', taskId, waitForCompletion: false },
		});
		expect(result.items[0].json).toMatchObject({ taskId, status: 'success' });
		expect(result.items[0].binary?.data).toBeDefined();
	});
});

describe('Get Task on an unknown task ID, in every way a gateway answers it', () => {
	test.each(Object.keys(UNKNOWN_TASK_MODES) as UnknownTaskMode[])(
		'%s: the error says the ID is unknown or older than 12 hours',
		async (mode) => {
			fake().setOptions({ unknownTask: mode });
			const result = await run({
				parameters: { operation: 'getTask', taskId: 'no-such-task', waitForCompletion: false },
			});
			expect(result.status).toBe('error');
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toContain('no-such-task');
			expect(result.error?.description).toMatch(NOT_FOUND);
			expect(result.error?.description).not.toMatch(MODERATION);
			expect(submits(fake())).toHaveLength(0);
		},
	);
});

import type { IDataObject } from 'n8n-workflow';

import type { JimengEnvelope } from '../../nodes/Jimeng/domain/api';
import { readTaskState } from '../../nodes/Jimeng/domain/status';

const answer = (data: IDataObject | null, message = 'Success'): JimengEnvelope => ({
	code: 10000,
	data,
	message,
	request_id: 'r',
});

describe('task status, in both vocabularies (deepwl and upstream Volcengine)', () => {
	const pending = 'submitted in_queue queued pending generating processing running GENERATING';
	test.each([...pending.split(' '), 'something-new'])('%s without images is pending', (status) => {
		expect(readTaskState(answer({ status, image_urls: null })).phase).toBe('pending');
	});

	const imageUrls = ['https://a/1.png', 'https://a/2.png'];
	test.each(['success', 'done', 'succeeded', 'completed'])(
		'%s with images is a success, URLs kept in order',
		(status) => {
			const state = readTaskState(answer({ status, image_urls: imageUrls }));
			expect(state).toMatchObject({ phase: 'success', status, imageUrls, requestId: 'r' });
		},
	);

	test('base64 images count as images when there are no URLs', () => {
		const state = readTaskState(
			answer({ status: 'done', image_urls: null, binary_data_base64: ['aGk='] }),
		);
		expect(state).toMatchObject({ phase: 'success', base64Images: ['aGk='] });
	});

	test.each([
		[{ status: 'done', image_urls: [] }, /without any image/],
		[{ status: 'not_found' }, /not found/],
		[{ status: 'expired' }, /expired/],
		[{ status: 'failed', fail_reason: 'Post Img Risk Not Pass' }, /^Post Img Risk Not Pass$/],
		[{ status: 'failed' }, /generation failed/],
		[{ status: 'canceled' }, /generation failed/],
	])('%j is a failure with a reason', (data, reason) => {
		const state = readTaskState(answer(data));
		expect(state.phase).toBe('failed');
		expect(state.message).toMatch(reason);
	});

	test("the API's own words win, wherever the gateway put them, but never 'Success'", () => {
		const reason = (data: IDataObject, message: string) => readTaskState(answer(data, message));
		expect(reason({ status: 'failed' }, 'task not found').message).toBe('task not found');
		expect(reason({ status: 'failed', message: 'inner' }, 'outer').message).toBe('inner');
		expect(reason({ status: 'failed' }, 'Success').message).toBe('generation failed');
	});

	test('a data field of null reads as pending, not as a crash', () => {
		expect(readTaskState({ code: 10000, data: null }).phase).toBe('pending');
	});
});

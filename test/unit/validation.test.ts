import type { INode } from 'n8n-workflow';

import {
	collectImageUrls,
	parseExtraBody,
	validateCustomSize,
	validateImageUrls,
	validatePrompt,
	validateSubmitBody,
	validateWaitWindow,
} from '../../nodes/Jimeng/io/validation';

const at = { node: { name: 'Jimeng', type: 'n8n-nodes-jimeng.jimeng' } as INode, itemIndex: 2 };
const refs = (n: number) => Array.from({ length: n }, (_, i) => `https://img.test/${i}.png`);

describe('parameter validation (io/validation)', () => {
	test('errors name the item and carry advice', () => {
		expect(() => validatePrompt(at, '   ')).toThrow(
			expect.objectContaining({
				message: 'Item 3: The prompt is empty',
				description: expect.stringMatching(/Enter a prompt/),
				context: expect.objectContaining({ itemIndex: 2 }),
			}),
		);
	});

	test('reference URLs come from a list, an array, a separated string or { url } entries', () => {
		const urls = collectImageUrls(at, ['a', ['b', { url: 'c' }], 'd,e\nf', '', null]);
		expect(urls).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
		expect(() => collectImageUrls(at, [{ href: 'x' }])).toThrow(/is an object, not a URL/);
	});

	test('at most 10 references, each http(s)', () => {
		expect(() => validateImageUrls(at, refs(10))).not.toThrow();
		expect(() => validateImageUrls(at, refs(11))).toThrow(/11 reference images given/);
		expect(() => validateImageUrls(at, ['data:image/png;base64,AAA'])).toThrow(
			/not an http\(s\) URL/,
		);
	});

	test('custom sizes: whole numbers, area 1024²–4096², ratio 1:3–3:1', () => {
		expect(validateCustomSize(at, 2048, 2048)).toEqual({ width: 2048, height: 2048 });
		expect(validateCustomSize(at, 4096, 4096)).toEqual({ width: 4096, height: 4096 });
		expect(() => validateCustomSize(at, 1023, 1024)).toThrow(/area/);
		expect(() => validateCustomSize(at, 2048.5, 2048)).toThrow(/whole-number/);
		expect(() => validateCustomSize(at, 3600, 1100)).toThrow(/ratio/);
	});

	test('Extra Body Fields: an object, as JSON text or from an expression', () => {
		expect(parseExtraBody(at, '{"seed": 1}')).toEqual({ seed: 1 });
		expect(parseExtraBody(at, { seed: 2 })).toEqual({ seed: 2 });
		expect(parseExtraBody(at, '')).toEqual({});
		expect(() => parseExtraBody(at, '[]')).toThrow(/must be a JSON object/);
	});

	test('Timeout at least the Poll Interval', () => {
		expect(() => validateWaitWindow(at, 3000, 3000)).not.toThrow();
		expect(() => validateWaitWindow(at, 3000, 2999)).toThrow(/shorter than Poll Interval/);
	});

	test('the final body is checked only for fields Extra Body Fields overrode, and always for the ratio window', () => {
		const submitting = (body: Record<string, unknown>, overridden: string[] = []) => {
			return () => validateSubmitBody(at, body, overridden);
		};
		expect(submitting({ prompt: '', width: 2048, height: 2048 })).not.toThrow();
		expect(submitting({ prompt: '' }, ['prompt'])).toThrow(/sets prompt/);
		expect(submitting({ width: 3024, height: 1296, max_ratio: 2 })).toThrow(/outside Min Ratio/);
		expect(submitting({ width: 1296, height: 3024, min_ratio: 0.1 })).not.toThrow();
	});
});

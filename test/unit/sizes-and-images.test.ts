import { extensionOf, imageFileBase, mediaType } from '../../nodes/Jimeng/domain/imageHeader';
import {
	AUTO_RESOLUTIONS,
	resolveSizeChoice,
	SIZE_OPTIONS,
	SIZE_PRESETS,
} from '../../nodes/Jimeng/domain/sizes';
import { LIMITS } from '../../nodes/Jimeng/domain/limits';

describe('sizes', () => {
	test('the official presets: 1 at 1K, 9 each at 2K and 4K, portraits the landscapes swapped', () => {
		expect(SIZE_PRESETS).toHaveLength(19);
		const byValue = Object.fromEntries(SIZE_PRESETS.map((p) => [p.value, [p.width, p.height]]));
		expect(byValue['1k-1:1']).toEqual([1024, 1024]);
		expect(byValue['2k-16:9']).toEqual([2560, 1440]);
		expect(byValue['2k-9:16']).toEqual([1440, 2560]);
		expect(byValue['4k-21:9']).toEqual([6198, 2656]);
		expect(byValue['4k-9:21']).toEqual([2656, 6198]);
	});

	test('every preset is inside the documented ratio window (1:3 to 3:1)', () => {
		for (const preset of SIZE_PRESETS) {
			const ratio = preset.width / preset.height;
			expect(ratio).toBeGreaterThanOrEqual(LIMITS.minSizeRatio);
			expect(ratio).toBeLessThanOrEqual(LIMITS.maxSizeRatio);
		}
	});

	test('choices resolve to body fields; unknown choices to nothing', () => {
		expect(resolveSizeChoice('2k-4:3')).toEqual({ choice: '2k-4:3', width: 2304, height: 1728 });
		for (const r of AUTO_RESOLUTIONS)
			expect(resolveSizeChoice(`auto-${r}`)).toEqual({ choice: `auto-${r}`, resolution: r });
		expect(resolveSizeChoice('8k-1:1')).toBeUndefined();
		expect(SIZE_OPTIONS.map((o) => o.value)).toContain('custom');
	});
});

describe('image files', () => {
	test('file names: jimeng-<taskId>-<n>.<ext>', () => {
		expect(`${imageFileBase('t-1', 2)}.${extensionOf('image/jpeg')}`).toBe('jimeng-t-1-2.jpg');
		expect(extensionOf('image/png')).toBe('png');
		expect(extensionOf('image/webp')).toBe('webp');
	});

	test('a Content-Type is read without its parameters (for messages: the bytes decide the type)', () => {
		expect(mediaType('Text/HTML; charset=utf-8')).toBe('text/html');
		expect(mediaType(['image/png'])).toBe('image/png');
		expect(mediaType(undefined)).toBeUndefined();
		expect(mediaType(' ')).toBeUndefined();
	});
});

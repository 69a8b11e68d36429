import type { INodePropertyOptions } from 'n8n-workflow';

import type { RequestedSize } from './types';

/** The official presets (landscape); portrait versions swap width and height. */
const LANDSCAPE: Record<string, Array<[ratio: string, width: number, height: number]>> = {
	'1K': [['1:1', 1024, 1024]],
	'2K': [
		['1:1', 2048, 2048],
		['4:3', 2304, 1728],
		['3:2', 2496, 1664],
		['16:9', 2560, 1440],
		['21:9', 3024, 1296],
	],
	'4K': [
		['1:1', 4096, 4096],
		['4:3', 4694, 3520],
		['3:2', 4992, 3328],
		['16:9', 5404, 3040],
		['21:9', 6198, 2656],
	],
};

export interface SizePreset {
	value: string;
	name: string;
	width: number;
	height: number;
}

function buildPresets(): SizePreset[] {
	const presets: SizePreset[] = [];
	for (const [tier, sizes] of Object.entries(LANDSCAPE)) {
		const portraits: SizePreset[] = [];
		for (const [ratio, width, height] of sizes) {
			const shape = width === height ? 'Square' : 'Landscape';
			presets.push({
				value: `${tier.toLowerCase()}-${ratio}`,
				name: `${tier} ${shape} ${ratio} (${width}×${height})`,
				width,
				height,
			});
			if (width !== height) {
				const [a, b] = ratio.split(':');
				portraits.push({
					value: `${tier.toLowerCase()}-${b}:${a}`,
					name: `${tier} Portrait ${b}:${a} (${height}×${width})`,
					width: height,
					height: width,
				});
			}
		}
		presets.push(...portraits);
	}
	return presets;
}

export const SIZE_PRESETS = buildPresets();

export const AUTO_RESOLUTIONS = ['1k', '2k', '4k'];

export const DEFAULT_SIZE = '2k-1:1';

export const CUSTOM_SIZE = 'custom';

/** Options for the Size parameter, in the order of the official table (not alphabetical: 16:9 before 21:9 reads better). */
export const SIZE_OPTIONS: INodePropertyOptions[] = [
	...SIZE_PRESETS.map((preset) => ({
		name: preset.name,
		value: preset.value,
		description: `Sends width ${preset.width} and height ${preset.height}`,
	})),
	...AUTO_RESOLUTIONS.map((resolution) => ({
		name: `Auto Ratio at ${resolution.toUpperCase()}`,
		value: `auto-${resolution}`,
		description: `Sends resolution "${resolution}": the model takes the ratio from the prompt and references`,
	})),
	{
		name: 'Custom Width and Height',
		value: CUSTOM_SIZE,
		description:
			'Any width and height with an area from 1024² to 4096² and a ratio from 1:3 to 3:1',
	},
];

/** Maps a Size choice onto the body fields it sends; undefined for an unknown choice. */
export function resolveSizeChoice(choice: string): RequestedSize | undefined {
	const preset = SIZE_PRESETS.find((p) => p.value === choice);
	if (preset) return { choice, width: preset.width, height: preset.height };
	const auto = /^auto-(1k|2k|4k)$/.exec(choice);
	if (auto) return { choice, resolution: auto[1] };
	return undefined;
}

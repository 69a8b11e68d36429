import type { INodeProperties } from 'n8n-workflow';

import { Jimeng } from '../../nodes/Jimeng/Jimeng.node';
import { DEFAULT_MODEL, DEFAULT_REQ_KEY } from '../../nodes/Jimeng/domain/api';
import { DEFAULTS, LIMITS } from '../../nodes/Jimeng/domain/limits';
import { OPERATIONS } from '../../nodes/Jimeng/actions/operations';

const properties = new Jimeng().description.properties;
const options = (properties.find((p) => p.name === 'options')?.options ?? []) as INodeProperties[];
const param = (name: string) =>
	properties.find((p) => p.name === name) ?? options.find((p) => p.name === name);
/** Parameters whose default is the DEFAULTS entry of the same name. */
const sameName = (...names: Array<keyof typeof DEFAULTS>) =>
	names.map((name): [string, unknown] => [name, DEFAULTS[name]]);

describe('the node shows the defaults and limits the node enforces (domain/limits.ts)', () => {
	test.each([
		...sameName('waitForCompletion', 'forceSingle', 'numberOfImages', 'maxConcurrency'),
		...sameName('maxRetries', 'outputMode', 'downloadImages', 'scale', 'extraBody'),
		...sameName('minRatio', 'maxRatio'),
		['pollInterval', DEFAULTS.pollIntervalSeconds],
		['timeout', DEFAULTS.timeoutSeconds],
		['requestTimeout', DEFAULTS.requestTimeoutSeconds],
		['maxImageSize', DEFAULTS.maxImageSizeMb],
		['binaryPropertyName', DEFAULTS.binaryProperty],
		['model', DEFAULT_MODEL],
		['reqKey', DEFAULT_REQ_KEY],
	])('%s defaults to %p', (name, value) => {
		expect(param(name)?.default).toBe(value);
	});

	test.each([
		['maxConcurrency', LIMITS.maxConcurrency],
		['numberOfImages', LIMITS.numberOfImages],
		['maxRetries', LIMITS.maxRetries],
		['scale', LIMITS.scale],
		['minRatio', LIMITS.ratioOption],
		['maxRatio', LIMITS.ratioOption],
	])('%s is bounded as the validation bounds it', (name, range) => {
		expect(param(name)?.typeOptions).toMatchObject({ minValue: range.min, maxValue: range.max });
	});

	test('Number of Images is shown only with Generate a Single Image on (group mode lets the model choose)', () => {
		expect(param('numberOfImages')?.displayOptions).toEqual({
			show: { operation: ['submit'], forceSingle: [true] },
		});
	});

	test('the Operation list is the operation modules, and every parameter name is unique', () => {
		const operation = param('operation');
		expect(operation?.options).toEqual(OPERATIONS.map((op) => op.option));
		const top = properties.map((p) => p.name);
		expect(new Set(top).size).toBe(top.length);
	});
});

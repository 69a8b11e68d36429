import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { DEFAULTS, LIMITS } from '../../domain/limits';
import { TASK_OPERATIONS } from './taskOperations';

// Identifiers, not member expressions: n8n's lint reads a parameter's default only in those forms.
const { pollIntervalSeconds, timeoutSeconds } = DEFAULTS;

const properties: INodeProperties[] = [
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true, // a literal, as n8n's lint requires for booleans; properties.test.ts holds it to DEFAULTS
		description:
			'Whether to poll until the images are ready and return them. When off, Submit returns the task ID at once for a later Get Task.',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: LIMITS.pollIntervalSeconds.min },
		default: pollIntervalSeconds,
		description:
			'The longest wait between two status queries of a task. With Polling = Fixed Interval (Options), the wait between every two.',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: LIMITS.timeoutSeconds.min },
		default: timeoutSeconds,
		description:
			"How long to wait for a task before giving up; at least the Poll Interval. The error names the task ID so Get Task can resume it. Each image's download, retries included, gets this long again.",
		displayOptions: { show: { waitForCompletion: [true] } },
	},
];

/** Waiting, for the task operations (Submit, Get Task). */
export const waitProperties = updateDisplayOptions(
	{ show: { operation: TASK_OPERATIONS } },
	properties,
);

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { DEFAULTS, LIMITS } from '../../domain/limits';
import { CUSTOM_SIZE, DEFAULT_SIZE, SIZE_OPTIONS } from '../../domain/sizes';
import type { TaskOutcome } from '../../io/layout';
import { buildFailedTasksItem, buildItemOutput } from '../../io/layout';
import type { Place, Services, TaskOperation } from '../../runtime/operation';
import type { Slot } from '../../runtime/slots';
import type { Described } from '../common/described';
import { finishTask, waitForTask } from '../common/task';
import type { SubmitPlan } from './submit.plan';
import { readSubmit } from './submit.plan';
import { submitTask } from './submitTask';
import { uploadReferences } from './uploadReferences';

// Submit: a prompt (and reference images) to one task per image, waited for, its images downloaded.

// An identifier, not a member expression: n8n's lint reads a parameter's default only in those forms.
const { numberOfImages } = DEFAULTS;

const properties: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. A lighthouse on a cliff at dusk, oil painting texture',
		description:
			'What to draw, in Chinese or English. You may state the aspect ratio here when Size is an Auto Ratio choice.',
		hint: `Keep it under ${LIMITS.promptSoftLength} characters: the API says longer prompts may misbehave`,
	},
	{
		displayName: 'Reference Image URLs',
		name: 'imageUrls',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Reference Image URL' },
		default: [],
		placeholder: 'e.g. https://example.com/reference.png',
		description: `Up to ${LIMITS.maxReferenceImages} public http(s) URLs of JPEG or PNG images for image-to-image (sent as image_urls). An expression may return an array or a comma- or newline-separated list.`,
	},
	{
		displayName: 'Reference Images From Binary',
		name: 'binaryReferences',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Binary Field' },
		default: [],
		placeholder: 'e.g. data',
		description: `Binary fields of the input item holding JPEG or PNG images (at most 15 MB, 4096 × 4096, ratio 1:3 to 3:1), e.g. a form upload or an HTTP download. Each is uploaded through the gateway's file upload and sent as a link after the Reference Image URLs, in this order; ${LIMITS.maxReferenceImages} references in all. An expression may return an array or a comma-separated list.`,
	},
	{
		displayName: 'Size',
		name: 'size',
		type: 'options',
		options: SIZE_OPTIONS,
		default: DEFAULT_SIZE,
		description:
			'Output size. Presets send width and height; Auto Ratio sends resolution only; Custom sends the width and height below.',
	},
	{
		displayName: 'Width',
		name: 'width',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 2048,
		description:
			'Output width in pixels. Width × height must be between 1024² and 4096², ratio between 1:3 and 3:1.',
		displayOptions: { show: { size: [CUSTOM_SIZE] } },
	},
	{
		displayName: 'Height',
		name: 'height',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 2048,
		description: 'Output height in pixels',
		displayOptions: { show: { size: [CUSTOM_SIZE] } },
	},
	{
		displayName: 'Generate a Single Image',
		name: 'forceSingle',
		type: 'boolean',
		default: true, // a literal, as n8n's lint requires for booleans; properties.test.ts holds it to DEFAULTS
		description:
			'Whether to ask for exactly one image (force_single). Billing is per output image; when off the model may return a group of up to 15 minus the number of reference images.',
	},
	{
		displayName: 'Number of Images',
		name: 'numberOfImages',
		type: 'number',
		typeOptions: {
			minValue: LIMITS.numberOfImages.min,
			maxValue: LIMITS.numberOfImages.max,
			numberPrecision: 0,
		},
		default: numberOfImages,
		description:
			'How many images to generate for each input item, each as its own single-image task (billed per image). The tasks share Max Concurrent Tasks with the other items.',
		displayOptions: { show: { forceSingle: [true] } },
	},
];

const description = updateDisplayOptions({ show: { operation: ['submit'] } }, properties);

/** Once per item, whatever its Number of Images: uploads the binary references, after the URL ones. */
async function prepare(
	ctx: IExecuteFunctions,
	plan: SubmitPlan,
	services: Services,
): Promise<SubmitPlan> {
	if (!plan.references.length) return plan;
	const links = await uploadReferences(ctx, plan, services);
	const urls = Array.isArray(plan.submitBody.image_urls) ? plan.submitBody.image_urls : [];
	return { ...plan, submitBody: { ...plan.submitBody, image_urls: [...urls, ...links] } };
}

/** One task: submit (holding its slot), then wait for it and download its images. */
async function runTask(
	ctx: IExecuteFunctions,
	plan: SubmitPlan,
	services: Services,
	slot: Slot,
	place: Place,
): Promise<TaskOutcome> {
	const started = Date.now();
	const { taskId, requestId } = await submitTask(ctx, plan, services, slot, place);
	if (!plan.wait.enabled) return { kind: 'submitted', taskId, requestId };
	const state = await waitForTask(ctx, plan, taskId, services, false);
	return await finishTask(ctx, plan, taskId, state, services, {
		started,
		submitRequestId: requestId,
	});
}

export const submitOperation: Described<TaskOperation<SubmitPlan, TaskOutcome>> = {
	kind: 'tasks',
	option: {
		name: 'Submit',
		value: 'submit',
		description: 'Generate images from a prompt and optional reference images',
		action: 'Generate an image',
	},
	properties: description,
	read: readSubmit,
	hint: (plans) => {
		const long = plans.filter((plan) => plan.prompt.length > LIMITS.promptSoftLength).length;
		if (!long) return undefined;
		return `${long} prompt(s) are longer than ${LIMITS.promptSoftLength} characters; the API says long prompts may misbehave.`;
	},
	// Number of Images: one single-image task per image, each holding its own slot.
	taskCount: (plan) => plan.numberOfImages,
	prepare,
	runTask,
	output: (plan, outcomes, asTool) => {
		const { itemIndex, prompt, size, output } = plan;
		return buildItemOutput({ itemIndex, prompt, size, output }, outcomes, asTool);
	},
	failedTasks: (plan, outcomes, failures) =>
		buildFailedTasksItem(plan.itemIndex, outcomes, failures),
};

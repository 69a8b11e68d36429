// The benchmark's runs, one function per section; bench/run.mjs lists the sections it runs. A run:
// { key, section, impl: 'node' | 'core', n, fake (gateway options), allowed (its concurrency),
//   settings (what the table says), parameters? (the Jimeng node's), submitSettings? (core submit's),
//   memory?, size?, images?, imageBytes?, prompts?, isDefault? }.
import { jimengWorkflow, workflowId } from '../scripts/support/workflows.mjs';
import {
	BIG_IMAGE_BYTES,
	EARLIER_DEFAULT,
	GATEWAY_LIMIT,
	MEMORY_IMAGES,
	nodeLimits,
	UNLIMITED_GATEWAY,
	GATEWAY_10,
} from './config.mjs';
import { coreWorkflow } from './workflows.mjs';

const scale = { section: 'scale', impl: 'node', fake: UNLIMITED_GATEWAY, allowed: Infinity };
const atMax = (max) => ({ parameters: { options: { maxConcurrency: max } } });

/** Unlimited gateway: the node beside the core-node workflow at growing N. */
export function scaleRuns({ quick }) {
	const scaleNs = quick ? [1, 10] : [1, 10, 50, 200];
	const runs = scaleNs.flatMap((n) => [
		{ ...scale, key: `core-n${n}`, impl: 'core', n, settings: 'Wait 3 s loop' },
		{ ...scale, key: `node-n${n}`, n, settings: 'defaults', isDefault: true },
	]);
	// When the default runs fewer items at once than a list holds, the same list at the option's maximum.
	const { defaultConcurrency, cap } = nodeLimits;
	for (const n of scaleNs.filter((x) => x > defaultConcurrency && x > 1)) {
		const settings = `Max Concurrent Tasks ${cap} (the option's maximum)`;
		runs.push({ ...scale, key: `node-max${cap}-n${n}`, n, settings, ...atMax(cap) });
	}
	// What the earlier default (5 at a time) costs on the same list.
	if (!quick && defaultConcurrency !== EARLIER_DEFAULT) {
		runs.push({
			...scale,
			key: `node-max${EARLIER_DEFAULT}-n50`,
			n: 50,
			settings: `Max Concurrent Tasks ${EARLIER_DEFAULT}, the default before 0d7e74f`,
			...atMax(EARLIER_DEFAULT),
		});
	}
	return runs;
}

/** A gateway allowing 10 tasks at once (429 + 50430 beyond). */
export function gatewayRuns({ quick }) {
	const n = quick ? 20 : 50;
	const gw = { section: 'gateway', impl: 'node', n, fake: GATEWAY_10, allowed: GATEWAY_LIMIT };
	const core = { ...gw, impl: 'core', settings: 'Wait 3 s loop' };
	const runs = [
		{ ...core, key: `gw-core-n${n}` },
		// What a user tries next: n8n's Retry On Fail on the submit node (it re-runs the node for every item).
		{
			...core,
			key: `gw-core-retry-n${n}`,
			settings: 'Wait 3 s loop; Submit with Retry On Fail (3 tries, 5 s apart)',
			submitSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 5000 },
		},
		{ ...gw, key: `gw-node-n${n}`, settings: 'defaults', isDefault: true },
	];
	const maxes = [GATEWAY_LIMIT, EARLIER_DEFAULT];
	// The default stays under the gateway's limit: also a setting above it, where the node must learn the limit.
	if (nodeLimits.defaultConcurrency <= GATEWAY_LIMIT)
		maxes.push(Math.min(nodeLimits.cap, 5 * GATEWAY_LIMIT));
	for (const max of new Set(maxes.filter((m) => m !== nodeLimits.defaultConcurrency))) {
		const earlier = max === EARLIER_DEFAULT ? ', the default before 0d7e74f' : '';
		runs.push({
			...gw,
			key: `gw-node-max${max}-n${n}`,
			settings: `Max Concurrent Tasks ${max}${earlier}`,
			...atMax(max),
		});
	}
	return runs;
}

/** Diagnosis (full run only): a 50430 the gateway answers once in a while, not a real limit. */
export function diagnosisRuns({ quick }) {
	const runs = [];
	if (!quick) {
		for (const [key, faults] of [
			['diag-n40-max10', null],
			['diag-n40-max10-50430', { rate: 0.15, on: ['submit'], kinds: ['429-50430'], seed: 3 }],
		]) {
			runs.push({
				key,
				section: 'diagnosis',
				impl: 'node',
				n: 40,
				fake: { ...UNLIMITED_GATEWAY, faults },
				allowed: Infinity,
				settings: `Max Concurrent Tasks 10${faults ? '; 15 % of submits answered 429 + 50430 at random' : ''}`,
				...atMax(10),
			});
		}
	}
	return runs;
}

/**
 * Memory: the same download job with small and with 25 MiB images; n8n's own HTTP Request node
 * (response format File) beside it, and the same job from a host that sends no Content-Type.
 */
export function memoryRuns({ quick, reps: repsArg }) {
	const runs = [];
	const reps = repsArg ?? (quick ? 1 : 2);
	const I = MEMORY_IMAGES;
	const jobs = [
		{
			group: 'node-20',
			impl: 'node',
			label: `Jimeng node, 1 task of ${I} images (Generate a Single Image off, [images:${I}])`,
		},
		{
			group: 'core-20',
			impl: 'core',
			label: `core nodes, ${I} items, HTTP Request download as File`,
		},
		{
			group: 'node-20-items',
			impl: 'node',
			asItems: true,
			reps: 1,
			...atMax(5),
			label: `Jimeng node, ${I} items of 1 image at Max Concurrent Tasks 5 (5 downloads at a time)`,
		},
		{ group: 'node-1', impl: 'node', images: 1, reps: 1, label: 'Jimeng node, 1 image' },
		{ group: 'core-1', impl: 'core', images: 1, reps: 1, label: 'core nodes, 1 image' },
		{
			group: 'node-20-no-type',
			impl: 'node',
			sizes: ['25MiB'],
			label: `Jimeng node, ${I} images, image host sends no Content-Type (the node reads the first bytes for the type, then streams)`,
			fake: { imageContentType: false },
		},
	].map((job) => ({ images: I, reps, ...job }));
	for (const m of jobs) {
		if (quick && m.group !== 'node-20') continue;
		for (const size of m.sizes ?? ['small', '25MiB']) {
			for (let rep = 1; rep <= m.reps; rep++) {
				const key = `mem-${m.group}-${size}${m.reps > 1 ? `-r${rep}` : ''}`;
				const bytes = size === 'small' ? null : BIG_IMAGE_BYTES;
				const oneTask = m.impl === 'node' && m.images > 1 && !m.asItems;
				runs.push({
					key,
					section: 'memory',
					memory: m,
					size,
					impl: m.impl,
					n: oneTask ? 1 : m.images,
					images: m.images,
					fake: { ...UNLIMITED_GATEWAY, imageContentType: true, ...m.fake, imageBytes: bytes },
					allowed: Infinity,
					settings: m.label,
					imageBytes: bytes,
					parameters: oneTask ? { forceSingle: false } : m.parameters,
					prompts: oneTask ? [`bench ${key} [images:${m.images}]`] : undefined,
				});
			}
		}
	}
	return runs;
}

export function promptsFor(run) {
	return run.prompts ?? Array.from({ length: run.n }, (_, i) => `bench ${run.key} #${i + 1}`);
}

export function workflowFor(run, i, baseUrl) {
	const id = workflowId('bench', `${i}${run.key.replace(/[^a-z0-9]/gi, '')}`.slice(0, 11));
	const name = `bench: ${run.key}`;
	const prompts = promptsFor(run);
	return run.impl === 'core'
		? coreWorkflow({ id, name, prompts, baseUrl, submitSettings: run.submitSettings })
		: jimengWorkflow({ id, name, prompts, parameters: run.parameters });
}

// The e2e suite's CLI checks, one scenario entry per example workflow: `n8n execute` of the
// example, then assertions on the Jimeng nodes' output in the run data (items, statuses, pairing,
// error items, binary mime type, file name and bytes against what the fake served) and on what the
// fake received. An example added to examples/ needs an entry here ("every example ran" says so).
import { createHash } from 'node:crypto';

import { readBinary } from '../../scripts/n8n/binary.mjs';
import { verdict } from '../../scripts/support/scenarios.mjs';
import { agentEntries } from './agent.mjs';
import { json, same } from './assertions.mjs';
import { executeExample, ran } from './runs.mjs';

/** The example's Set node JSON (prompts, references) as its jsonOutput says. */
const setNodeJson = (workflow, nodeName) =>
	JSON.parse(workflow.nodes.find((n) => n.name === nodeName).parameters.jsonOutput);

/**
 * The images of a node's items (`slug` or `slug item N`, the index among its task's images), read
 * from n8n's storage beside the sha256 the fake served: + { bin, bytes | readError, want, got }.
 */
async function readImages(ctx, slug, items) {
	const out = [];
	for (const [i, item] of items.entries()) {
		const taskId = item?.json?.taskId;
		if (!taskId) continue;
		const index = items.slice(0, i).filter((x) => x.json?.taskId === taskId).length;
		const bin = item.binary?.data;
		const label = items.length === 1 ? slug : `${slug} item ${i + 1}`;
		const image = { label, item, taskId, index, bin, want: ctx.fake.imageSha256For(taskId, index) };
		if (bin) {
			try {
				image.bytes = await readBinary(ctx.instance, bin);
				image.got = createHash('sha256').update(image.bytes).digest('hex');
			} catch (err) {
				image.readError = err.message;
			}
		}
		out.push(image);
	}
	return out;
}

/** Each image read: binary `data`, image/png, file name, bytes = what the fake served. */
const IMAGES = {
	each: (r) => r.images,
	assert: [
		{
			name: (i) => `${i.label}: binary 'data' present`,
			ok: (i) => !!i.bin,
			evidence: (i) =>
				i.bin ? '' : `binary keys: ${Object.keys(i.item?.binary ?? {}).join(', ') || 'none'}`,
		},
		{
			when: (i) => !!i.bin,
			name: (i) => `${i.label}: mime type image/png`,
			ok: (i) => i.bin.mimeType === 'image/png',
			evidence: (i) => i.bin.mimeType,
		},
		{
			when: (i) => !!i.bin,
			name: (i) => `${i.label}: file name jimeng-<taskId>-${i.index + 1}.png`,
			ok: (i) => i.bin.fileName === `jimeng-${i.taskId}-${i.index + 1}.png`,
			evidence: (i) => i.bin.fileName,
		},
		{
			when: (i) => !!i.readError,
			name: (i) => `${i.label}: bytes readable from n8n's storage`,
			ok: () => false,
			evidence: (i) => i.readError,
		},
		{
			when: (i) => !!i.bytes,
			name: (i) => `${i.label}: bytes equal what the fake served (sha256)`,
			ok: (i) => !!i.want && i.got === i.want,
			evidence: (i) =>
				`${i.bytes.length} B, ${i.bin.id ? i.bin.id.split(':')[0] : 'inline base64'}, ${i.got.slice(0, 12)}…${i.want && i.got !== i.want ? ` ≠ ${i.want.slice(0, 12)}…` : ''}`,
		},
	],
};

/**
 * An example's entry: execute it, `read(r, ctx)` what its assertions `own` look at, read the images
 * of node `imagesFrom`; `keep`: the first image is what server mode serves back later.
 */
const example = (slug, read, own, { imagesFrom = 'Jimeng', keep } = {}) => ({
	name: slug,
	async act(ctx) {
		const r = await executeExample(ctx, slug);
		r.jimeng = r.items('Jimeng');
		Object.assign(r, read?.(r, ctx));
		r.images = await readImages(ctx, slug, r.items(imagesFrom));
		const img = r.images[0];
		if (keep && img?.bytes) ctx.textToImageBinary = { bin: img.bin, bytes: img.bytes };
		return r;
	},
	assert: [...ran(slug), ...own, IMAGES],
});

const oneSuccess = (slug) =>
	same(`${slug}: 1 item, status success`, (r) => r.jimeng.map((i) => i.json.status), ['success']);
const count = (name, key, n) => same(name, (r) => r[key].length, n);
const oneSubmit = (slug, name = `${slug}: 1 submit`) => count(name, 'submits', 1);
const ofKind = (entries, kind) => entries.filter((e) => e.kind === kind);
const range = (n) => Array.from({ length: n }, (_, i) => i + 1);

/** 100,000 quota units per task the fake created (test/fake-jimeng/new-api.js usageAnswer). */
const FAKE_UNITS_PER_TASK = 100_000;
const billed = (entries) => entries.filter((e) => e.kind === 'submit' || e.kind === 'query');

/** Every example, in order; then the checks over all of them. */
export const EXAMPLES = [
	example('text-to-image', null, [oneSuccess('text-to-image'), oneSubmit('text-to-image')], {
		keep: true,
	}),
	example(
		'image-to-image',
		(r) => ({
			references: setNodeJson(r.ex.workflow, 'References').references,
			body: r.submits[0]?.body ?? {},
		}),
		[
			oneSubmit('image-to-image'),
			same(
				"image-to-image: submit carries the example's two image_urls",
				({ body }) => body.image_urls,
				({ references }) => (references.length === 2 ? references : 'two references'),
			),
			same(
				"image-to-image: submit carries resolution '2k' (Auto Ratio at 2K) and no width/height",
				({ body: { resolution, width, height } }) => ({ resolution, width, height }),
				{ resolution: '2k' },
			),
			same(
				'image-to-image: submit carries scale 0.6 (Options → Text Influence)',
				({ body }) => body.scale,
				0.6,
			),
			oneSuccess('image-to-image'),
		],
	),
	example(
		'binary-reference',
		(r, ctx) => ({
			downloads: ofKind(r.entries, 'sample').filter((e) => e.statusCode === 200),
			links: ofKind(r.entries, 'upload'),
			puts: ofKind(r.entries, 'upload-put'),
			// The only example with binary references: the one upload the fake holds.
			upload: ctx.fake.stats().uploads.find((u) => u.uploaded),
			keyed: r.entries.filter((e) => e.server === 'image' && json(e.headers).includes(ctx.apiKey)),
		}),
		[
			count(
				'binary-reference: the HTTP Request node downloaded the sample from the fake',
				'downloads',
				1,
			),
			{
				name: 'binary-reference: one upload link asked of the gateway with the key, for image/png, lifetime 3600 s as top-level expire',
				ok: ({ links }, { apiKey }) =>
					links.length === 1 &&
					links[0].headers.authorization === `Bearer ${apiKey}` &&
					links[0].body?.headers?.['Content-Type'] === 'image/png' &&
					links[0].body?.expire === 3600,
				evidence: ({ links }, ctx) =>
					`${links.length} link request(s), body ${ctx.redact(json(links[0]?.body ?? null))}`,
			},
			same(
				'binary-reference: one PUT of the bytes, accepted, with Content-Type image/png and a Content-Length',
				({ puts, upload }) => ({
					puts: puts.map((e) => e.statusCode),
					type: upload?.putContentType,
					length: upload?.putContentLength,
				}),
				({ upload }) => ({ puts: [200], type: 'image/png', length: upload?.bytes }),
			),
			same(
				'binary-reference: the uploaded bytes equal the downloaded file (sha256)',
				({ upload }) => [!!upload, upload?.sha256],
				({ downloads }) => [true, downloads[0]?.sha256],
			),
			{
				name: 'binary-reference: the key reached no request to the upload host (no Authorization, no key anywhere in the headers)',
				ok: ({ keyed, puts }) => keyed.length === 0 && puts.every((e) => !e.headers.authorization),
				evidence: ({ keyed }) => `${keyed.length} request(s) with the key`,
			},
			same(
				"binary-reference: one submit whose image_urls is the upload's download_url",
				({ submits }) => submits.map((e) => e.body?.image_urls),
				({ upload }) => [[upload?.downloadUrl]],
			),
			oneSuccess('binary-reference'),
		],
	),
	example(
		'submit-then-get-task',
		(r) => {
			const submitted = r.items('Jimeng Submit');
			const taskId = submitted[0]?.json?.taskId;
			return {
				submitted,
				got: r.items('Jimeng Get Task'),
				taskId,
				queries: ofKind(r.entries, 'query'),
			};
		},
		[
			same(
				'submit-then-get-task: Submit gives 1 item with status submitted and a taskId',
				({ submitted }) => submitted.map((i) => [i.json.status, !!i.json.taskId]),
				[['submitted', true]],
			),
			{
				name: 'submit-then-get-task: Submit output carries no binary',
				ok: ({ submitted }) => !submitted[0]?.binary,
			},
			same(
				'submit-then-get-task: Get Task returns 1 image item for the same task id, status success',
				({ got }) => got.map((i) => [i.json.taskId, i.json.status]),
				({ taskId }) => [[taskId, 'success']],
			),
			oneSubmit('submit-then-get-task', 'submit-then-get-task: exactly one submit'),
			{
				name: 'submit-then-get-task: Get Task queried that task',
				ok: ({ queries, taskId }) =>
					queries.length >= 1 && queries.every((e) => e.taskId === taskId),
				evidence: ({ queries }) => `${queries.length} quer(ies)`,
			},
		],
		{ imagesFrom: 'Jimeng Get Task' },
	),
	example('group-of-images', (r, ctx) => ({ groupSize: ctx.fake.options.groupSize }), [
		same(
			'group-of-images: 1 submit with force_single: false',
			({ submits }) => submits.map((e) => e.body?.force_single),
			[false],
		),
		same(
			(r) => `group-of-images: ${r.groupSize} items (the fake's groupSize), one task`,
			({ jimeng }) => jimeng.map((i) => [i.json.taskId, i.json.imageCount]),
			({ jimeng, groupSize }) => range(groupSize).map(() => [jimeng[0]?.json?.taskId, groupSize]),
		),
		same(
			(r) => `group-of-images: imageIndex 1..${r.groupSize} in order`,
			({ jimeng }) => jimeng.map((i) => i.json.imageIndex),
			({ groupSize }) => range(groupSize),
		),
		{
			name: 'group-of-images: every item paired with input item 0',
			ok: ({ jimeng }) => jimeng.every((i) => i.pairedItem?.item === 0 || i.pairedItem === 0),
		},
	]),
	example('many-prompts', (r) => ({ prompts: setNodeJson(r.ex.workflow, 'Prompts').prompts }), [
		count(
			(r) => `many-prompts: ${r.prompts.length} items`,
			'jimeng',
			(r) => r.prompts.length,
		),
		same(
			'many-prompts: input order kept (item i has prompt i, pairedItem i)',
			({ jimeng }) => jimeng.map((i) => [i.json.prompt, i.pairedItem?.item]),
			({ prompts }) => prompts.map((p, i) => [p, i]),
		),
		same(
			(r) => `many-prompts: ${r.prompts.length} submits, one per prompt`,
			({ submits, prompts }) => [
				submits.length,
				prompts.map((p) => submits.filter((s) => s.prompt === p).length),
			],
			({ prompts }) => [prompts.length, prompts.map(() => 1)],
		),
		same(
			'many-prompts: one distinct task per item',
			({ jimeng }) => new Set(jimeng.map((i) => i.json.taskId)).size,
			({ prompts }) => prompts.length,
		),
		{
			each: ({ jimeng, prompts }, { fake }) =>
				jimeng.map(({ json: j }, i) => ({ task: fake.tasks.get(j.taskId), i, prompt: prompts[i] })),
			assert: [
				{
					name: ({ i }) => `many-prompts item ${i + 1}: task created from prompt ${i + 1}`,
					ok: ({ task, prompt }) => task?.prompt === prompt,
				},
			],
		},
	]),
	example('continue-on-fail', (r) => ({ prompts: setNodeJson(r.ex.workflow, 'Prompts').prompts }), [
		count('continue-on-fail: 3 items', 'jimeng', 3),
		same(
			'continue-on-fail: items 1 and 3 are images for prompts 1 and 3',
			({ jimeng: [a, , c] }) => [a, c].map((i) => [i?.json?.status, i?.json?.prompt]),
			({ prompts }) => [
				['success', prompts[0]],
				['success', prompts[2]],
			],
		),
		{
			name: 'continue-on-fail: item 2 is an error item saying the prompt is empty, paired with input item 1',
			ok: ({ jimeng: [, bad] }) =>
				typeof bad?.json?.error === 'string' &&
				/prompt is empty/i.test(bad.json.error) &&
				bad.pairedItem?.item === 1 &&
				!bad.binary,
			evidence: ({ jimeng: [, bad] }) =>
				`error ${json(bad?.json?.error)}, pairedItem ${json(bad?.pairedItem)}`,
		},
		{
			name: 'continue-on-fail: the error item has a description',
			ok: ({ jimeng: [, bad] }) =>
				typeof bad?.json?.description === 'string' && bad.json.description.length > 0,
			evidence: ({ jimeng: [, bad] }) => json(bad?.json?.description),
		},
		same(
			'continue-on-fail: paired items 0, 1, 2',
			({ jimeng }) => jimeng.map((i) => i.pairedItem?.item),
			[0, 1, 2],
		),
		count('continue-on-fail: exactly 2 submits (none for the empty prompt)', 'submits', 2),
	]),
	example(
		'check-balance',
		(r, ctx) => ({
			balance: r.items('Jimeng Balance'),
			reads: ofKind(r.entries, 'balance'),
			tasksCreated: ctx.fake.stats().tasksCreated,
		}),
		[
			same(
				"check-balance: Get Balance gives 1 item with the key's name, its quota as numbers, unlimited and expiresAt",
				({ balance }) =>
					balance.map(({ json: b }) => ({
						...{ keyName: b.keyName, unlimited: b.unlimited, used: b.used },
						...{ granted: typeof b.granted, available: typeof b.available, expiresAt: b.expiresAt },
					})),
				({ tasksCreated }) => [
					{
						...{ keyName: 'n8n', unlimited: true, used: tasksCreated * FAKE_UNITS_PER_TASK },
						...{ granted: 'number', available: 'number', expiresAt: 0 },
					},
				],
			),
			{
				name: 'check-balance: one GET /api/usage/token/ with the key, and nothing billed (no submit, no query)',
				ok: ({ reads, entries }, { apiKey }) =>
					reads.length === 1 &&
					reads[0].method === 'GET' &&
					reads[0].headers.authorization === `Bearer ${apiKey}` &&
					billed(entries).length === 0,
				evidence: ({ reads, entries }) =>
					`${reads.length} read(s), ${billed(entries).length} submit(s)/quer(ies)`,
			},
		],
	),
	...agentEntries,
	{
		name: 'every example ran (no example left untested)',
		act: ({ examples, executions }) =>
			examples.filter((e) => !executions.some((x) => x.slug === e.slug)).map((e) => e.slug),
		assert: (missing) => verdict(missing.length === 0, missing.join(', ')),
	},
	{
		name: 'API key in no execution stdout, stderr or run data',
		act: ({ executions, apiKey }) =>
			executions
				.filter(({ res }) => `${res.stdout}\n${res.stderr}\n${json(res.json)}`.includes(apiKey))
				.map((x) => x.slug),
		assert: (leaked) => verdict(leaked.length === 0, leaked.join(', ')),
	},
];

// The e2e suite's CLI checks, one scenario entry per example workflow: `n8n execute` of the
// example, then assertions on the Jimeng nodes' output in the run data (items, statuses, pairing,
// error items, binary mime type, file name and bytes against what the fake served) and on what the
// fake received. An example added to examples/ needs an entry here ("every example ran" says so).
import { createHash } from 'node:crypto';

import { readBinary } from '../../scripts/n8n/binary.mjs';
import { verdict } from '../../scripts/support/scenarios.mjs';
import { agentEntries } from './agent.mjs';
import { executeExample, ran } from './runs.mjs';

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** The example's Set node JSON (prompts, references) as its jsonOutput says. */
const setNodeJson = (workflow, nodeName) =>
	JSON.parse(workflow.nodes.find((n) => n.name === nodeName).parameters.jsonOutput);

/**
 * Read each wanted image ({ label, item, taskId, index }) from n8n's storage, beside the sha256 of
 * what the fake served for it. Returns the list with { bin, bytes | readError, want, got }.
 */
async function readImages(ctx, wanted) {
	const out = [];
	for (const w of wanted.filter((x) => x.taskId)) {
		const bin = w.item?.binary?.data;
		const image = { ...w, bin, want: ctx.fake.imageSha256For(w.taskId, w.index) };
		if (bin) {
			try {
				image.bytes = await readBinary(ctx.instance, bin);
				image.got = sha256(image.bytes);
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
 * An example's entry: execute it, let `read(r, ctx)` add what its assertions look at (and
 * `images`, the items whose image to read), then the checks every run gets, its own, its images.
 */
const example = (slug, read, own) => ({
	name: slug,
	async act(ctx) {
		const r = await executeExample(ctx, slug);
		Object.assign(r, read(r, ctx));
		r.images = await readImages(ctx, r.images ?? []);
		return r;
	},
	assert: [...ran(slug), ...own, IMAGES],
});

/** The first Jimeng item's image, labelled `label`. */
const firstImage = (label, item) => [{ label, item, taskId: item?.json?.taskId, index: 0 }];

const oneSuccess = (
	slug,
	evidence = (r) => `${r.jimeng.length} item(s), status ${r.jimeng[0]?.json?.status}`,
) => ({
	name: `${slug}: 1 item, status success`,
	ok: (r) => r.jimeng.length === 1 && r.jimeng[0].json.status === 'success',
	evidence,
});
/** `r[key]` has `n` entries (`n` a number or a function of r). */
const count = (name, key, n) => ({
	name,
	ok: (r) => r[key].length === (typeof n === 'function' ? n(r) : n),
	evidence: (r) => `${r[key].length}`,
});
const oneSubmit = (slug, name = `${slug}: 1 submit`) => count(name, 'submits', 1);

const TEXT_TO_IMAGE = example(
	'text-to-image',
	(r) => {
		const jimeng = r.items('Jimeng');
		return { jimeng, images: firstImage('text-to-image', jimeng[0]) };
	},
	[oneSuccess('text-to-image'), oneSubmit('text-to-image')],
);
// What server mode serves back through /rest/binary-data.
const keepFirstImage = (entry) => ({
	...entry,
	async act(ctx) {
		const r = await entry.act(ctx);
		const img = r.images[0];
		if (img?.bytes) ctx.textToImageBinary = { bin: img.bin, bytes: img.bytes, taskId: img.taskId };
		return r;
	},
});

const IMAGE_TO_IMAGE = example(
	'image-to-image',
	(r) => {
		const jimeng = r.items('Jimeng');
		return {
			jimeng,
			references: setNodeJson(r.ex.workflow, 'References').references,
			body: r.submits[0]?.body ?? {},
			images: firstImage('image-to-image', jimeng[0]),
		};
	},
	[
		oneSubmit('image-to-image'),
		{
			name: "image-to-image: submit carries the example's two image_urls",
			ok: ({ references, body }) =>
				references.length === 2 && JSON.stringify(body.image_urls) === JSON.stringify(references),
			evidence: ({ body }) => JSON.stringify(body.image_urls),
		},
		{
			name: "image-to-image: submit carries resolution '2k' (Auto Ratio at 2K) and no width/height",
			ok: ({ body }) =>
				body.resolution === '2k' && body.width === undefined && body.height === undefined,
			evidence: ({ body }) =>
				`resolution ${JSON.stringify(body.resolution)}, width ${body.width}, height ${body.height}`,
		},
		{
			name: 'image-to-image: submit carries scale 0.6 (Options → Text Influence)',
			ok: ({ body }) => body.scale === 0.6,
			evidence: ({ body }) => `scale ${body.scale}`,
		},
		oneSuccess('image-to-image', (r) => `${r.jimeng.length} item(s)`),
	],
);

const BINARY_REFERENCE = example(
	'binary-reference',
	(r, ctx) => {
		const jimeng = r.items('Jimeng');
		return {
			jimeng,
			downloads: r.entries.filter((e) => e.kind === 'sample' && e.statusCode === 200),
			links: r.entries.filter((e) => e.kind === 'upload'),
			puts: r.entries.filter((e) => e.kind === 'upload-put'),
			// The only example with binary references: the one upload the fake holds.
			upload: ctx.fake.stats().uploads.find((u) => u.uploaded),
			keyed: r.entries.filter(
				(e) => e.server === 'image' && JSON.stringify(e.headers).includes(ctx.apiKey),
			),
			images: firstImage('binary-reference', jimeng[0]),
		};
	},
	[
		{
			name: 'binary-reference: the HTTP Request node downloaded the sample from the fake',
			ok: (r) => r.downloads.length === 1,
			evidence: (r) => `${r.downloads.length} download(s)`,
		},
		{
			name: 'binary-reference: one upload link asked of the gateway with the key, for image/png, lifetime 3600 s as top-level expire',
			ok: ({ links }, { apiKey }) =>
				links.length === 1 &&
				links[0].headers.authorization === `Bearer ${apiKey}` &&
				links[0].body?.headers?.['Content-Type'] === 'image/png' &&
				links[0].body?.expire === 3600,
			evidence: ({ links }, ctx) =>
				`${links.length} link request(s), body ${ctx.redact(JSON.stringify(links[0]?.body ?? null))}`,
		},
		{
			name: 'binary-reference: one PUT of the bytes, accepted, with Content-Type image/png and a Content-Length',
			ok: ({ puts, upload }) =>
				puts.length === 1 &&
				puts[0].statusCode === 200 &&
				upload?.putContentType === 'image/png' &&
				upload?.putContentLength === upload?.bytes,
			evidence: ({ puts, upload }) =>
				`${puts.length} PUT(s), HTTP ${puts[0]?.statusCode}, ${upload?.putContentType} ${upload?.putContentLength}/${upload?.bytes} B`,
		},
		{
			name: 'binary-reference: the uploaded bytes equal the downloaded file (sha256)',
			ok: ({ upload, downloads }) => !!upload && upload.sha256 === downloads[0]?.sha256,
			evidence: ({ upload, downloads }) =>
				`${upload?.sha256?.slice(0, 12)}… vs ${downloads[0]?.sha256?.slice(0, 12)}…`,
		},
		{
			name: 'binary-reference: the key reached no request to the upload host (no Authorization, no key anywhere in the headers)',
			ok: ({ keyed, puts }) => keyed.length === 0 && puts.every((e) => !e.headers.authorization),
			evidence: ({ keyed }) => `${keyed.length} request(s) with the key`,
		},
		{
			name: "binary-reference: one submit whose image_urls is the upload's download_url",
			ok: ({ submits, upload }) =>
				submits.length === 1 &&
				JSON.stringify(submits[0].body?.image_urls) === JSON.stringify([upload?.downloadUrl]),
			evidence: ({ submits }) =>
				`${submits.length} submit(s), image_urls ${JSON.stringify(submits[0]?.body?.image_urls)}`,
		},
		oneSuccess('binary-reference'),
	],
);

const SUBMIT_THEN_GET_TASK = example(
	'submit-then-get-task',
	(r) => {
		const submitted = r.items('Jimeng Submit');
		const got = r.items('Jimeng Get Task');
		const taskId = submitted[0]?.json?.taskId;
		return {
			submitted,
			got,
			taskId,
			queries: r.entries.filter((e) => e.kind === 'query'),
			images: got[0] ? [{ label: 'submit-then-get-task', item: got[0], taskId, index: 0 }] : [],
		};
	},
	[
		{
			name: 'submit-then-get-task: Submit gives 1 item with status submitted and a taskId',
			ok: ({ submitted, taskId }) =>
				submitted.length === 1 && submitted[0].json.status === 'submitted' && !!taskId,
			evidence: ({ submitted }) =>
				`${submitted.length} item(s), ${JSON.stringify(submitted[0]?.json ?? {}).slice(0, 200)}`,
		},
		{
			name: 'submit-then-get-task: Submit output carries no binary',
			ok: ({ submitted }) => !submitted[0]?.binary,
		},
		{
			name: 'submit-then-get-task: Get Task returns 1 image item for the same task id, status success',
			ok: ({ got, taskId }) =>
				got.length === 1 && got[0].json.taskId === taskId && got[0].json.status === 'success',
			evidence: ({ got, taskId }) =>
				`${got.length} item(s), taskId ${got[0]?.json?.taskId === taskId ? 'same' : got[0]?.json?.taskId}, status ${got[0]?.json?.status}`,
		},
		oneSubmit('submit-then-get-task', 'submit-then-get-task: exactly one submit'),
		{
			name: 'submit-then-get-task: Get Task queried that task',
			ok: ({ queries, taskId }) => queries.length >= 1 && queries.every((e) => e.taskId === taskId),
			evidence: ({ queries }) => `${queries.length} quer(ies)`,
		},
	],
);

const GROUP_OF_IMAGES = example(
	'group-of-images',
	(r, ctx) => {
		const jimeng = r.items('Jimeng');
		const taskId = jimeng[0]?.json?.taskId;
		return {
			jimeng,
			taskId,
			groupSize: ctx.fake.options.groupSize,
			images: jimeng.map((item, i) => ({
				label: `group-of-images item ${i + 1}`,
				item,
				taskId,
				index: i,
			})),
		};
	},
	[
		{
			name: 'group-of-images: 1 submit with force_single: false',
			ok: ({ submits }) => submits.length === 1 && submits[0].body?.force_single === false,
			evidence: ({ submits }) =>
				`${submits.length} submit(s), force_single ${JSON.stringify(submits[0]?.body?.force_single)}`,
		},
		{
			name: (r) => `group-of-images: ${r.groupSize} items (the fake's groupSize), one task`,
			ok: ({ jimeng, taskId, groupSize }) =>
				jimeng.length === groupSize &&
				jimeng.every((i) => i.json.taskId === taskId && i.json.imageCount === groupSize),
			evidence: ({ jimeng }) =>
				`${jimeng.length} item(s), imageCount ${jimeng[0]?.json?.imageCount}`,
		},
		{
			name: (r) => `group-of-images: imageIndex 1..${r.groupSize} in order`,
			ok: ({ jimeng, groupSize }) =>
				JSON.stringify(jimeng.map((i) => i.json.imageIndex)) ===
				JSON.stringify(Array.from({ length: groupSize }, (_, i) => i + 1)),
			evidence: ({ jimeng }) => JSON.stringify(jimeng.map((i) => i.json.imageIndex)),
		},
		{
			name: 'group-of-images: every item paired with input item 0',
			ok: ({ jimeng }) => jimeng.every((i) => i.pairedItem?.item === 0 || i.pairedItem === 0),
		},
	],
);

const MANY_PROMPTS = example(
	'many-prompts',
	(r, ctx) => {
		const { prompts } = setNodeJson(r.ex.workflow, 'Prompts');
		const jimeng = r.items('Jimeng');
		return {
			prompts,
			jimeng,
			order: jimeng.map((it, i) => it.json.prompt === prompts[i] && it.pairedItem?.item === i),
			perPrompt: prompts.map((p) => r.submits.filter((s) => s.prompt === p).length),
			tasks: jimeng.map((item) => ctx.fake.tasks.get(item.json.taskId)),
			images: jimeng.map((item, i) => ({
				label: `many-prompts item ${i + 1}`,
				item,
				taskId: item.json.taskId,
				index: 0,
			})),
		};
	},
	[
		count(
			(r) => `many-prompts: ${r.prompts.length} items`,
			'jimeng',
			(r) => r.prompts.length,
		),
		{
			name: 'many-prompts: input order kept (item i has prompt i, pairedItem i)',
			ok: ({ order, prompts }) => order.length === prompts.length && order.every(Boolean),
			evidence: ({ order, jimeng }) =>
				order
					.map(
						(o, i) =>
							`${i}:${o ? 'ok' : `${JSON.stringify(jimeng[i]?.json?.prompt)?.slice(0, 30)}/${jimeng[i]?.pairedItem?.item}`}`,
					)
					.join(' '),
		},
		{
			name: (r) => `many-prompts: ${r.prompts.length} submits, one per prompt`,
			ok: ({ submits, prompts, perPrompt }) =>
				submits.length === prompts.length && perPrompt.every((n) => n === 1),
			evidence: ({ submits, perPrompt }) =>
				`${submits.length} submits, per prompt ${perPrompt.join(',')}`,
		},
		{
			name: 'many-prompts: one distinct task per item',
			ok: ({ jimeng, prompts }) =>
				new Set(jimeng.map((i) => i.json.taskId)).size === prompts.length,
			evidence: ({ jimeng }) => `${new Set(jimeng.map((i) => i.json.taskId)).size} task id(s)`,
		},
		{
			each: (r) => r.tasks.map((task, i) => ({ task, i, prompt: r.prompts[i] })),
			assert: [
				{
					name: ({ i }) => `many-prompts item ${i + 1}: task created from prompt ${i + 1}`,
					ok: ({ task, prompt }) => task?.prompt === prompt,
				},
			],
		},
	],
);

const CONTINUE_ON_FAIL = example(
	'continue-on-fail',
	(r) => {
		const jimeng = r.items('Jimeng');
		const [a, bad, c] = jimeng;
		return {
			jimeng,
			a,
			bad,
			c,
			prompts: setNodeJson(r.ex.workflow, 'Prompts').prompts,
			images: [
				...firstImage('continue-on-fail item 1', a),
				...firstImage('continue-on-fail item 3', c),
			],
		};
	},
	[
		count('continue-on-fail: 3 items', 'jimeng', 3),
		{
			name: 'continue-on-fail: items 1 and 3 are images for prompts 1 and 3',
			ok: ({ a, c, prompts }) =>
				a?.json?.status === 'success' &&
				a.json.prompt === prompts[0] &&
				c?.json?.status === 'success' &&
				c.json.prompt === prompts[2],
			evidence: ({ a, c }) => `${a?.json?.status}/${c?.json?.status}`,
		},
		{
			name: 'continue-on-fail: item 2 is an error item saying the prompt is empty, paired with input item 1',
			ok: ({ bad }) =>
				typeof bad?.json?.error === 'string' &&
				/prompt is empty/i.test(bad.json.error) &&
				bad.pairedItem?.item === 1 &&
				!bad.binary,
			evidence: ({ bad }) =>
				`error ${JSON.stringify(bad?.json?.error)}, pairedItem ${JSON.stringify(bad?.pairedItem)}`,
		},
		{
			name: 'continue-on-fail: the error item has a description',
			ok: ({ bad }) =>
				typeof bad?.json?.description === 'string' && bad.json.description.length > 0,
			evidence: ({ bad }) => JSON.stringify(bad?.json?.description),
		},
		{
			name: 'continue-on-fail: paired items 0, 1, 2',
			ok: ({ jimeng }) => jimeng.map((i) => i.pairedItem?.item).join(',') === '0,1,2',
		},
		count('continue-on-fail: exactly 2 submits (none for the empty prompt)', 'submits', 2),
	],
);

/** 100,000 quota units per task the fake created (test/fake-jimeng/new-api.js usageAnswer). */
const FAKE_UNITS_PER_TASK = 100_000;

const CHECK_BALANCE = example(
	'check-balance',
	(r, ctx) => ({
		balance: r.items('Jimeng Balance'),
		reads: r.entries.filter((e) => e.kind === 'balance'),
		tasksCreated: ctx.fake.stats().tasksCreated,
	}),
	[
		{
			name: "check-balance: Get Balance gives 1 item with the key's name, its quota as numbers, unlimited and expiresAt",
			ok: ({ balance, tasksCreated }) => {
				const json = balance[0]?.json ?? {};
				return (
					balance.length === 1 &&
					json.keyName === 'n8n' &&
					json.unlimited === true &&
					json.used === tasksCreated * FAKE_UNITS_PER_TASK &&
					typeof json.granted === 'number' &&
					typeof json.available === 'number' &&
					json.expiresAt === 0
				);
			},
			evidence: ({ balance, tasksCreated }) =>
				`${balance.length} item(s), ${JSON.stringify(balance[0]?.json ?? {})}; the fake created ${tasksCreated} task(s)`,
		},
		{
			name: 'check-balance: one GET /api/usage/token/ with the key, and nothing billed (no submit, no query)',
			ok: ({ reads, entries }, { apiKey }) =>
				reads.length === 1 &&
				reads[0].method === 'GET' &&
				reads[0].headers.authorization === `Bearer ${apiKey}` &&
				!entries.some((e) => e.kind === 'submit' || e.kind === 'query'),
			evidence: ({ reads, entries }) =>
				`${reads.length} read(s), ${entries.filter((e) => e.kind === 'submit' || e.kind === 'query').length} submit(s)/quer(ies)`,
		},
	],
);

/** Every example, in order; then the checks over all of them. */
export const EXAMPLES = [
	keepFirstImage(TEXT_TO_IMAGE),
	IMAGE_TO_IMAGE,
	BINARY_REFERENCE,
	SUBMIT_THEN_GET_TASK,
	GROUP_OF_IMAGES,
	MANY_PROMPTS,
	CONTINUE_ON_FAIL,
	CHECK_BALANCE,
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
				.filter(({ res }) =>
					`${res.stdout}\n${res.stderr}\n${JSON.stringify(res.json)}`.includes(apiKey),
				)
				.map((x) => x.slug),
		assert: (leaked) => verdict(leaked.length === 0, leaked.join(', ')),
	},
];

// Runs h and i of the fault suite: Reference Images From Binary with faults on both upload steps
// (the link request to the gateway, the PUT to the signed link). Every item carries its own image
// (PNG or JPEG, distinct bytes), so each PUT attempt the fake records names its item by sha256.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

import { binaryReferenceWorkflow, workflowId } from '../../scripts/support/workflows.mjs';
import { carriesKey, entriesOf, executeRun, executes, faultsText, runRow } from './execute.mjs';
import { countBy, countsText, ownItems } from './outcomes.mjs';
import { uploadRuns } from './scenarios.mjs';

const require = createRequire(import.meta.url);
const { imageFor } = require('../fake-jimeng/images');
const { htmlPage } = require('../fake-jimeng/envelope');

const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');

/** Item k's reference: odd items PNG, even items JPEG, each image distinct. */
function referenceFile(prompt, k) {
	const img = imageFor(k % 2 === 0 ? 'png' : 'jpeg', prompt, 0, null);
	const bytes = Buffer.concat(img.parts);
	const fileName = `reference-${k + 1}.${img.ext}`;
	return { prompt, bytes, sha256: sha256(bytes), mimeType: img.contentType, fileName };
}

/** A reference as the workflow's input item carries it: prompt, mimeType, fileName, base64. */
const inputFile = ({ bytes, sha256: _, ...file }) => ({
	...file,
	base64: bytes.toString('base64'),
});

export const uploadWorkflows = (args) =>
	uploadRuns(args).map((run) => {
		const files = run.prompts.map(referenceFile);
		const workflow = binaryReferenceWorkflow({
			id: workflowId('faults', `upload${run.key}`),
			name: `faults: ${run.title}`,
			files: files.map(inputFile),
			parameters: run.parameters,
			onError: 'continueRegularOutput',
		});
		return { run, files, workflow };
	});

/** One scripted answer of the fake to an upload step ('ok' falls through to the normal answer). */
function script(kind) {
	if (kind === 'ok') return {};
	if (kind === 'reset') return { reset: true };
	const status = Number(/^(\d{3})-html$/.exec(kind)[1]);
	return { status, body: htmlPage(status), headers: { 'Content-Type': 'text/html' } };
}

/** Run h's queues: per item, in order, its faults and then the normal answer unless that step fails. */
function enqueueScripted(fake, scripted) {
	for (const want of scripted) {
		for (const kind of want.link) fake.enqueue('upload', script(kind));
		if (want.fails === 'link') continue;
		fake.enqueue('upload', script('ok'));
		for (const kind of want.put) fake.enqueue('put', script(kind));
		if (want.fails !== 'put') fake.enqueue('put', script('ok'));
	}
}

/** What one input item came to, and what the fake saw of its upload and its submits. */
function readItem({ prompt, k, file, items, log, uploads }) {
	// Its links: those whose PUT attempts carried its bytes.
	const links = uploads.filter((u) => u.attempts.some((a) => a.sha256 === file.sha256));
	const puts = links.reduce((n, u) => n + u.attempts.length, 0);
	return { ...ownItems(items, k, prompt, log), links, puts };
}

const imagesOut = (p, images) => p.images.length === images && p.errors.length === 0;

/** Did item p come out as one error item naming the field (the upload failed)? */
const uploadErrorOut = (p) =>
	p.own.length === 1 &&
	p.errors.length === 1 &&
	/^Uploading reference binary field "data" failed/.test(String(p.errors[0].json.error)) &&
	/Nothing was submitted for this item/.test(String(p.errors[0].json.description ?? ''));

/** Was item p uploaded once, its exact bytes with its Content-Type, and named by every submit? */
function uploadedOnce(p, file, fake) {
	const [link] = p.links;
	return (
		p.links.length === 1 &&
		link.uploaded &&
		link.sha256 === file.sha256 &&
		!!fake.uploadedBytes(link.downloadUrl)?.equals(file.bytes) &&
		link.contentType === file.mimeType &&
		link.attempts.every((a) => a.contentType === file.mimeType) &&
		p.submits.every(
			(e) => JSON.stringify(e.body?.image_urls ?? null) === JSON.stringify([link.downloadUrl]),
		)
	);
}

const describe = (p) =>
	`${p.prompt}: ${p.images.length} images, ${p.errors.length} error items${p.errors[0] ? ` ("${String(p.errors[0].json.error).slice(0, 110)}")` : ''}, ${p.links.length} link(s), ${p.puts} PUT(s), ${p.submits.length} submit(s)`;

async function actUpload(ctx, { run, workflow, files }) {
	const o = await executeRun(ctx, workflow, {
		faults: run.faults,
		before: (fake) => run.scripted && enqueueScripted(fake, run.scripted),
	});
	const { stats, log } = o;
	const per = run.prompts.map((prompt, k) =>
		readItem({ prompt, k, file: files[k], items: o.items, log, uploads: stats.uploads }),
	);
	const ok = per.map((p) => imagesOut(p, run.images));
	const failed = per.map((p) => !ok[p.k] && uploadErrorOut(p));
	for (const p of per) if (!ok[p.k]) console.log(`        · ${describe(p)}`);
	const puts = log.filter((e) => e.kind === 'upload-put');
	const linkRequests = log.filter((e) => e.kind === 'upload');
	const faulted = (requests) => requests.filter((e) => e.statusCode !== 200).length;
	const obs = {
		...{ ...o, run, files, fake: ctx.fake, per, ok, failed, puts, linkRequests },
		...{ failedItems: per.filter((p) => failed[p.k]), linkFaults: faulted(linkRequests) },
		putFaults: faulted(puts),
	};
	ctx.rows.push(uploadRow(obs));
	return obs;
}

function uploadRow(o) {
	const { run, stats, per, failedItems } = o;
	const most = (of) => Math.max(0, ...per.map(of));
	const reasons = countBy(
		failedItems.map((p) => String(p.errors[0].json.error).replace(/^.*failed: /, '')),
	);
	return runRow(run, o, {
		injected: run.scripted
			? `scripted: link requests ${countsText(run.scripted.flatMap((w) => w.link))}; PUTs ${countsText(run.scripted.flatMap((w) => w.put))}`
			: `${o.linkFaults} on link requests, ${o.putFaults} on PUTs (${faultsText(stats)})`,
		calls: `${o.linkRequests.length} link requests, ${o.puts.length} PUTs, ${stats.submits} submits, ${stats.queries} queries, ${stats.images} downloads`,
		succeeded: `${per.reduce((n, p) => n + p.images.length, 0)}/${per.length * run.images} images`,
		failed: failedItems.length
			? `${failedItems.length} × upload failed (${[...reasons].map(([m, v]) => `${v} × ${m}`).join('; ')})`
			: '–',
		duplicates: `max submits/item ${most((p) => p.submits.length)} of ${run.images}, max links/item ${most((p) => p.links.length)}`,
		leaks: o.keyInData || o.puts.some((e) => e.headers.authorization) ? 'LEAK' : 'none',
	});
}

const callsText = (o) =>
	`${o.linkRequests.length} link requests (${o.linkFaults} failed), ${o.puts.length} PUTs (${o.putFaults} failed)`;

/** Run h: each scripted item's outcome and PUTs, and every scripted answer played. */
const SCRIPTED = [
	{
		each: (o) => (o.run.scripted ?? []).map((want, k) => ({ o, want, k, p: o.per[k] })),
		assert: [
			{
				name: ({ o, want }) =>
					`${o.run.key}: ${want.label} → ${want.fails ? 'one error item naming the field, no submit' : `${o.run.images} images, ${o.run.images} submits`}, ${expectedPuts(want)} PUT(s)`,
				ok: ({ o, want, k, p }) =>
					(want.fails
						? o.failed[k] && want.error.test(String(p.errors[0].json.error))
						: o.ok[k] && uploadedOnce(p, o.files[k], o.fake)) && p.puts === expectedPuts(want),
				evidence: ({ p }) => describe(p),
			},
		],
	},
	{
		when: (o) => !!o.run.scripted,
		name: (o) =>
			`${o.run.key}: every scripted answer was played: ${expectedLinks(o.run.scripted)} link requests, each failed one retried until Max Retries`,
		ok: (o) => o.linkRequests.length === expectedLinks(o.run.scripted),
		evidence: callsText,
	},
];
const expectedPuts = (want) => (want.fails === 'link' ? 0 : want.put.length + (want.fails ? 0 : 1));
const expectedLinks = (scripted) =>
	scripted.reduce((n, w) => n + w.link.length + (w.fails === 'link' ? 0 : 1), 0);

/** Run i: links handed out = items past the link step; a link-step failure took 4 failed requests. */
const RANDOM = {
	when: (o) => !o.run.scripted,
	name: (o) =>
		`${o.run.key}: failed upload calls were retried (an item failed only after 4 failed attempts on one step)`,
	ok: (o) => {
		const linkFailed = o.failedItems.filter((p) => p.links.length === 0).length;
		return (
			o.stats.uploads.length === o.run.prompts.length - linkFailed &&
			o.linkFaults >= 4 * linkFailed &&
			o.linkRequests.length === o.stats.uploads.length + o.linkFaults
		);
	},
	evidence: (o) => `${callsText(o)}; ${o.failedItems.length} items failed`,
};

const uploadAssertions = (key, images) => [
	executes(key),
	{
		name: `${key}: every item is its ${images} image(s) or one error item naming the binary field`,
		ok: (o) => neither(o).length === 0,
		evidence: (o) =>
			neither(o).map(describe).join('; ') ||
			`${o.per.length - o.failedItems.length} with images, ${o.failedItems.length} upload errors`,
	},
	{
		name: `${key}: one submit per task, however often the upload was retried; none for an item whose upload failed`,
		ok: (o) =>
			o.per.every(
				(p) =>
					p.submits.length === (o.failed[p.k] ? 0 : images) &&
					(o.stats.tasksPerPrompt[p.prompt] ?? 0) === p.submits.length,
			),
		evidence: (o) =>
			`submits per item: ${[...countBy(o.per.map((p) => p.submits.length))].map(([n, v]) => `${n} for ${v} items`).join(', ')}`,
	},
	{
		name: `${key}: every item with images was uploaded once (retried PUTs to its one link): its exact bytes, its Content-Type, named by each of its submits`,
		ok: (o) => notOnce(o).length === 0,
		evidence: (o) =>
			notOnce(o).map(describe).join('; ') || `${o.per.length - o.failedItems.length} items`,
	},
	{
		name: `${key}: every link the gateway handed out belongs to one item; an item whose PUT failed made 4 attempts (Max Retries 3) on its one link`,
		ok: (o) =>
			owners(o).every((n) => n === 1) &&
			o.failedItems.every((p) => p.links.length === 0 || (p.links.length === 1 && p.puts === 4)),
		evidence: (o) =>
			`${o.stats.uploads.length} links (owners per link: ${[...new Set(owners(o))].join('/') || '–'}); PUTs per failed item: ${o.failedItems.map((p) => p.puts).join(', ') || 'none failed'}`,
	},
	{
		name: `${key}: no request to the upload host carried Authorization or the key; link requests went with the key to the gateway only`,
		ok: (o, { apiKey }) =>
			!o.puts.some((e) => carriesKey(e, apiKey)) &&
			o.stats.uploads.every((u) => !u.authorizationSeen) &&
			o.linkRequests.every(
				(e) => e.server === 'api' && e.headers.authorization === `Bearer ${apiKey}`,
			),
		evidence: (o) => `${o.puts.length} PUTs, ${o.linkRequests.length} link requests`,
	},
	{
		name: `${key}: the API key is not in the execution data; the fake saw no protocol problem`,
		ok: (o) => !o.keyInRun && o.stats.problems === 0,
		evidence: (o) => o.problems,
	},
	...SCRIPTED,
	RANDOM,
];
const neither = (o) => o.per.filter((p) => !o.ok[p.k] && !o.failed[p.k]);
const notOnce = (o) => o.per.filter((p) => o.ok[p.k] && !uploadedOnce(p, o.files[p.k], o.fake));
const owners = (o) => o.stats.uploads.map((u) => o.per.filter((p) => p.links.includes(u)).length);

export const uploadEntries = (uploaded) =>
	entriesOf(uploaded, actUpload, (run) => uploadAssertions(run.key, run.images));

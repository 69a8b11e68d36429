// Runs h and i of the fault suite: Reference Images From Binary with faults on both upload steps
// (the link request to the gateway, the PUT to the signed link). Every item carries its own image
// (PNG or JPEG, distinct bytes), so each PUT attempt the fake records names its item by sha256.
// What must hold for every input item: either its images, from submits (exactly one per task,
// however often its upload was retried) whose image_urls is the download link of the item's one
// upload, which got the item's exact bytes, with its Content-Type and no Authorization; or, when a
// step failed past Max Retries, one error item naming the binary field, and no submit at all.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

import { hasImage, nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { binaryReferenceWorkflow, workflowId } from '../../scripts/support/workflows.mjs';
import { containsKey, countBy } from './outcomes.mjs';
import { LATENCY_MS, uploadRuns } from './scenarios.mjs';

const require = createRequire(import.meta.url);
const { imageFor } = require('../fake-jimeng/images');
const { htmlPage } = require('../fake-jimeng/envelope');

const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');

/** Item k's reference: odd items PNG, even items JPEG, each image distinct. */
function referenceFile(prompt, k) {
	const format = k % 2 === 0 ? 'png' : 'jpeg';
	const img = imageFor(format, prompt, 0, null);
	const bytes = Buffer.concat(img.parts);
	return { bytes, sha256: sha256(bytes), mimeType: img.contentType, ext: img.ext };
}

/** The workflows of runs h and i (to import with the others), and each item's reference. */
export function uploadWorkflows({ N, SEED }) {
	return uploadRuns({ N, SEED }).map((run) => {
		const files = run.prompts.map(referenceFile);
		return {
			run,
			files,
			workflow: binaryReferenceWorkflow({
				id: workflowId('faults', `upload${run.key}`),
				name: `faults: ${run.title}`,
				files: run.prompts.map((prompt, k) => ({
					prompt,
					mimeType: files[k].mimeType,
					fileName: `reference-${k + 1}.${files[k].ext}`,
					base64: files[k].bytes.toString('base64'),
				})),
				parameters: run.parameters,
				onError: 'continueRegularOutput',
			}),
		};
	});
}

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
	const own = items.filter((item) => {
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
		return (typeof paired === 'number' ? paired : paired?.item) === k;
	});
	// Its links: those whose PUT attempts carried its bytes.
	const links = uploads.filter((u) => u.attempts.some((a) => a.sha256 === file.sha256));
	const submits = log.filter((e) => e.kind === 'submit' && e.prompt === prompt);
	return {
		prompt,
		k,
		own,
		images: own.filter((item) => hasImage(item)),
		errors: own.filter((item) => item.json?.error),
		links,
		puts: links.reduce((n, u) => n + u.attempts.length, 0),
		submits,
	};
}

/** Did item p come out as its images, with no error item? */
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

const kindsText = (kinds) =>
	[...countBy(kinds)].map(([kind, v]) => `${v} ${kind}`).join(', ') || 'none';

const describe = (p) =>
	`${p.prompt}: ${p.images.length} images, ${p.errors.length} error items${p.errors[0] ? ` ("${String(p.errors[0].json.error).slice(0, 110)}")` : ''}, ${p.links.length} link(s), ${p.puts} PUT(s), ${p.submits.length} submit(s)`;

/** Runs h and i; returns their table rows and everything n8n printed (for the suite's leak check). */
export async function runUploadScenarios({ instance, fake, check, apiKey, timeoutMs, entries }) {
	const rows = [];
	const outputs = [];
	for (const { run, workflow, files } of entries) {
		console.log(`\n${run.title}`);
		fake.reset();
		fake.setOptions({ latencyMs: LATENCY_MS, faults: run.faults });
		if (run.scripted) enqueueScripted(fake, run.scripted);
		const started = Date.now();
		const res = await instance.execute(workflow.id, { timeoutMs });
		const ms = Date.now() - started;
		outputs.push(res.stdout, res.stderr, JSON.stringify(res.json ?? null));
		const log = [...fake.log];
		const stats = fake.stats();
		const items = nodeOutputItems(res.json, 'Jimeng');
		check(`${run.key}: n8n execute succeeds`, res.code === 0 && !!res.json, `exit ${res.code}`);
		const per = run.prompts.map((prompt, k) =>
			readItem({ prompt, k, file: files[k], items, log, uploads: stats.uploads }),
		);
		const ok = per.map((p) => imagesOut(p, run.images));
		const failed = per.map((p) => !ok[p.k] && uploadErrorOut(p));
		const failedItems = per.filter((p) => failed[p.k]);
		for (const p of per) if (!ok[p.k]) console.log(`        · ${describe(p)}`);

		check(
			`${run.key}: every item is its ${run.images} image(s) or one error item naming the binary field`,
			per.every((p) => ok[p.k] || failed[p.k]),
			per
				.filter((p) => !ok[p.k] && !failed[p.k])
				.map(describe)
				.join('; ') ||
				`${per.length - failedItems.length} with images, ${failedItems.length} upload errors`,
		);
		check(
			`${run.key}: one submit per task, however often the upload was retried; none for an item whose upload failed`,
			per.every(
				(p) =>
					p.submits.length === (failed[p.k] ? 0 : run.images) &&
					(stats.tasksPerPrompt[p.prompt] ?? 0) === p.submits.length,
			),
			`submits per item: ${[...countBy(per.map((p) => p.submits.length))].map(([n, v]) => `${n} for ${v} items`).join(', ')}`,
		);
		const notOnce = per.filter((p) => ok[p.k] && !uploadedOnce(p, files[p.k], fake));
		check(
			`${run.key}: every item with images was uploaded once (retried PUTs to its one link): its exact bytes, its Content-Type, named by each of its submits`,
			notOnce.length === 0,
			notOnce.map(describe).join('; ') || `${per.length - failedItems.length} items`,
		);
		const owners = stats.uploads.map((u) => per.filter((p) => p.links.includes(u)).length);
		check(
			`${run.key}: every link the gateway handed out belongs to one item; an item whose PUT failed made 4 attempts (Max Retries 3) on its one link`,
			owners.every((n) => n === 1) &&
				failedItems.every((p) => p.links.length === 0 || (p.links.length === 1 && p.puts === 4)),
			`${stats.uploads.length} links (owners per link: ${[...new Set(owners)].join('/') || '–'}); PUTs per failed item: ${failedItems.map((p) => p.puts).join(', ') || 'none failed'}`,
		);
		const puts = log.filter((e) => e.kind === 'upload-put');
		const linkRequests = log.filter((e) => e.kind === 'upload');
		check(
			`${run.key}: no request to the upload host carried Authorization or the key; link requests went with the key to the gateway only`,
			puts.every(
				(e) =>
					!e.headers.authorization &&
					!containsKey(e.headers, apiKey) &&
					!String(e.url).includes(apiKey),
			) &&
				stats.uploads.every((u) => !u.authorizationSeen) &&
				linkRequests.every(
					(e) => e.server === 'api' && e.headers.authorization === `Bearer ${apiKey}`,
				),
			`${puts.length} PUTs, ${linkRequests.length} link requests`,
		);
		check(
			`${run.key}: the API key is not in the execution data; the fake saw no protocol problem`,
			!containsKey(res.json, apiKey) &&
				!res.stdout.includes(apiKey) &&
				!res.stderr.includes(apiKey) &&
				stats.problems === 0,
			log
				.filter((e) => e.problem)
				.map((e) => e.problem)
				.slice(0, 3)
				.join('; '),
		);
		const linkFaults = linkRequests.filter((e) => e.statusCode !== 200).length;
		const putFaults = puts.filter((e) => e.statusCode !== 200).length;
		if (run.scripted) {
			for (const [k, want] of run.scripted.entries()) {
				const p = per[k];
				const expectPuts = want.fails === 'link' ? 0 : want.put.length + (want.fails ? 0 : 1);
				const outcome = want.fails
					? failed[k] && want.error.test(String(p.errors[0].json.error))
					: ok[k] && uploadedOnce(p, files[k], fake);
				check(
					`${run.key}: ${want.label} → ${want.fails ? 'one error item naming the field, no submit' : `${run.images} images, ${run.images} submits`}, ${expectPuts} PUT(s)`,
					outcome && p.puts === expectPuts,
					describe(p),
				);
			}
			const expectLinks = run.scripted.reduce(
				(n, w) => n + w.link.length + (w.fails === 'link' ? 0 : 1),
				0,
			);
			check(
				`${run.key}: every scripted answer was played: ${expectLinks} link requests, each failed one retried until Max Retries`,
				linkRequests.length === expectLinks,
				`${linkRequests.length} link requests (${linkFaults} failed), ${puts.length} PUTs (${putFaults} failed)`,
			);
		} else {
			// Links handed out = items that got past the link step; a link-step failure took 4 failed requests.
			const linkFailed = failedItems.filter((p) => p.links.length === 0).length;
			check(
				`${run.key}: failed upload calls were retried (an item failed only after 4 failed attempts on one step)`,
				stats.uploads.length === run.prompts.length - linkFailed &&
					linkFaults >= 4 * linkFailed &&
					linkRequests.length === stats.uploads.length + linkFaults,
				`${linkRequests.length} link requests (${linkFaults} failed), ${puts.length} PUTs (${putFaults} failed); ${failedItems.length} items failed`,
			);
		}

		const images = per.reduce((n, p) => n + p.images.length, 0);
		rows.push({
			run: run.title,
			load: run.load,
			injected: run.scripted
				? `scripted: link requests ${kindsText(run.scripted.flatMap((w) => w.link))}; PUTs ${kindsText(run.scripted.flatMap((w) => w.put))}`
				: `${linkFaults} on link requests, ${putFaults} on PUTs (${Object.entries(stats.faults)
						.filter(([kind]) => kind !== 'max-active')
						.map(([kind, v]) => `${v} ${kind}`)
						.join(', ')})`,
			calls: `${linkRequests.length} link requests, ${puts.length} PUTs, ${stats.submits} submits, ${stats.queries} queries, ${stats.images} downloads`,
			succeeded: `${images}/${per.length * run.images} images`,
			failed:
				failedItems.length > 0
					? `${failedItems.length} × upload failed (${[...countBy(failedItems.map((p) => String(p.errors[0].json.error).replace(/^.*failed: /, '')))].map(([m, v]) => `${v} × ${m}`).join('; ')})`
					: '–',
			duplicates: `max submits/item ${Math.max(0, ...per.map((p) => p.submits.length))} of ${run.images}, max links/item ${Math.max(0, ...per.map((p) => p.links.length))}`,
			leaks:
				containsKey(res.json, apiKey) || puts.some((e) => e.headers.authorization)
					? 'LEAK'
					: 'none',
			ms,
		});
	}
	return { rows, outputs };
}

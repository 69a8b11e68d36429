// Runs f and g of the fault suite: Number of Images under submit faults. What must hold for every
// input item of N single-image tasks: the gateway created at most N tasks for it (a submit is retried
// only after a complete refusal, which creates none), every imageIndex 1…N is either an image or a
// line of the item's one error item (none lost, none twice), and every submit cut off after its task
// was created is reported as "may have been created".
import { hasImage, nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { jimengWorkflow, workflowId } from '../../scripts/support/workflows.mjs';
import { containsKey, submitKind } from './outcomes.mjs';
import { AMBIGUOUS, COUNT_IMAGES, countRuns, LATENCY_MS } from './scenarios.mjs';

const range = (n) => Array.from({ length: n }, (_, i) => i + 1);

/** The workflows of runs f and g, to import with the others. */
export function countWorkflows({ N, SEED }) {
	return countRuns({ N, SEED }).map((run) => ({
		run,
		workflow: jimengWorkflow({
			id: workflowId('faults', `count${run.key}`),
			name: `faults: ${run.title}`,
			prompts: run.prompts,
			parameters: run.parameters,
			onError: 'continueRegularOutput',
		}),
	}));
}

/** What one input item came to: its images, its error item, and what the fake did for its prompt. */
function readItem(prompt, k, items, log, stats) {
	const own = items.filter((item) => {
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
		return (typeof paired === 'number' ? paired : paired?.item) === k;
	});
	const images = own.filter((item) => hasImage(item));
	const errors = own.filter((item) => item.json?.error);
	const failed = errors.flatMap((item) => item.json.failedTasks ?? []);
	const submits = log.filter((e) => e.kind === 'submit' && e.prompt === prompt);
	return {
		prompt,
		own,
		images,
		errors,
		failed,
		indexes: [...images.map((item) => item.json.imageIndex), ...failed.map((f) => f.imageIndex)],
		submits,
		accepted: submits.filter((e) => !e.fault && e.statusCode === 200).length,
		ambiguous: submits.filter((e) => AMBIGUOUS.has(submitKind(e))).length,
		tasks: stats.tasksPerPrompt[prompt] ?? 0,
	};
}

/** Runs f and g; returns their table rows and everything n8n printed (for the suite's leak check). */
export async function runCountScenarios({ instance, fake, check, apiKey, timeoutMs, entries }) {
	const rows = [];
	const outputs = [];
	for (const { run, workflow } of entries) {
		console.log(`\n${run.title}`);
		fake.reset();
		fake.setOptions({ latencyMs: LATENCY_MS, faults: run.faults });
		const started = Date.now();
		const res = await instance.execute(workflow.id, { timeoutMs });
		const ms = Date.now() - started;
		outputs.push(res.stdout, res.stderr, JSON.stringify(res.json ?? null));
		const log = [...fake.log];
		const stats = fake.stats();
		const items = nodeOutputItems(res.json, 'Jimeng');
		check(`${run.key}: n8n execute succeeds`, res.code === 0 && !!res.json, `exit ${res.code}`);
		const per = run.prompts.map((prompt, k) => readItem(prompt, k, items, log, stats));
		const all = range(COUNT_IMAGES).join(',');

		check(
			`${run.key}: no item created more than ${COUNT_IMAGES} tasks`,
			per.every((p) => p.tasks <= COUNT_IMAGES),
			`tasks per item ${per.map((p) => p.tasks).join(', ')}; submits per item ${per.map((p) => p.submits.length).join(', ')}`,
		);
		check(
			`${run.key}: every task the gateway created was answered to the node or reported as maybe created`,
			per.every((p) => p.tasks === p.accepted + p.ambiguous),
			per.map((p) => `${p.tasks} = ${p.accepted} accepted + ${p.ambiguous} cut off`).join('; '),
		);
		check(
			`${run.key}: every imageIndex 1…${COUNT_IMAGES} of every item is an image or a failed task, none twice`,
			per.every((p) => [...p.indexes].sort((a, b) => a - b).join(',') === all),
			per
				.filter((p) => [...p.indexes].sort((a, b) => a - b).join(',') !== all)
				.map((p) => `${p.prompt}: ${p.indexes.join(',')}`)
				.join('; ') || `${per.length} items complete`,
		);
		check(
			`${run.key}: an item with failed tasks has exactly one error item, after its images`,
			per.every(
				(p) =>
					p.errors.length === (p.failed.length ? 1 : 0) &&
					(!p.errors.length || p.own.at(-1) === p.errors[0]),
			),
			per.map((p) => `${p.images.length} images + ${p.errors.length} error item`).join('; '),
		);
		check(
			`${run.key}: every submit cut off after its task was created is a failed task saying it may have been created`,
			per.every(
				(p) =>
					p.failed.filter((f) => /may have been created/.test(f.message)).length === p.ambiguous,
			),
			`${per.reduce((n, p) => n + p.ambiguous, 0)} cut off`,
		);
		check(
			`${run.key}: the API key is not in the execution data, nor sent to the image host`,
			!containsKey(res.json, apiKey) &&
				!res.stdout.includes(apiKey) &&
				!log.some(
					(e) =>
						e.server === 'image' && (e.headers.authorization || containsKey(e.headers, apiKey)),
				),
		);
		if (run.scripted) {
			for (const [k, want] of run.scripted.entries()) {
				const p = per[k];
				check(
					`${run.key}: ${want.label} → ${want.images} images${want.failed.length ? ' and an error item naming the failed task' : ''}, ${COUNT_IMAGES} tasks, ${want.submits} submits`,
					p.images.length === want.images &&
						p.failed.length === want.failed.length &&
						want.failed.every((re, i) => re.test(String(p.failed[i]?.message))) &&
						p.tasks === COUNT_IMAGES &&
						p.submits.length === want.submits,
					`${p.images.length} images, failed: ${p.failed.map((f) => `#${f.imageIndex} ${String(f.message).slice(0, 90)}`).join('; ') || 'none'}; ${p.tasks} tasks, ${p.submits.length} submits`,
				);
			}
		}
		const images = per.reduce((n, p) => n + p.images.length, 0);
		rows.push({
			run: run.title,
			load: run.load,
			injected:
				Object.entries(stats.faults)
					.filter(([kind]) => kind !== 'max-active')
					.map(([kind, v]) => `${v} ${kind}`)
					.join(', ') || (run.faults ? 'none drawn' : 'none (directives)'),
			calls: `${stats.submits} submits, ${stats.queries} queries, ${stats.images} downloads`,
			succeeded: `${images}/${per.length * COUNT_IMAGES} images`,
			failed:
				per
					.flatMap((p) =>
						p.failed.map((f) =>
							/may have been created/.test(f.message) ? 'cut off' : f.message.slice(0, 40),
						),
					)
					.join('; ') || '–',
			duplicates: `max tasks/item ${Math.max(0, ...per.map((p) => p.tasks))} of ${COUNT_IMAGES} (max submits/item ${Math.max(0, ...per.map((p) => p.submits.length))})`,
			leaks: containsKey(res.json, apiKey) ? 'LEAK' : 'none',
			ms,
		});
	}
	return { rows, outputs };
}

// What every fault run shares: one `n8n execute` of its workflow against the fake with the run's
// faults, what the fake saw, and the readers of its items and of the fake's counts.
import { exitText, nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { jimengWorkflow, workflowId } from '../../scripts/support/workflows.mjs';
import { containsKey } from './outcomes.mjs';
import { LATENCY_MS } from './scenarios.mjs';

/** A run and its workflow, to import with the others. */
export const runWorkflow = (run, id) => ({
	run,
	workflow: jimengWorkflow({
		id: workflowId('faults', id),
		name: `faults: ${run.title}`,
		prompts: run.prompts,
		parameters: run.parameters,
		onError: run.continueOnFail ? 'continueRegularOutput' : undefined,
	}),
});

/**
 * The act of a fault entry: reset the fake, set the run's faults (and `fakeOptions`), let `before`
 * script it, execute the workflow. Keeps what n8n printed in ctx.outputs for the suite's leak check.
 * @returns {{ res, ms, log, stats, items, keyInData, keyInRun, imageKeyHits, problems }} items: the
 *   Jimeng node's output; keyInRun: the API key in the execution data or n8n's output; imageKeyHits:
 *   requests to the image host that carried the key or an Authorization header
 */
export async function executeRun(ctx, workflow, { faults = null, fakeOptions, before } = {}) {
	const { instance, fake, apiKey } = ctx;
	let started;
	const res = await instance.execute(workflow.id, {
		timeoutMs: ctx.timeoutMs,
		beforeAttempt: async () => {
			fake.reset();
			fake.setOptions({ latencyMs: LATENCY_MS, faults, ...fakeOptions });
			await before?.(fake);
			started = Date.now();
		},
	});
	const ms = Date.now() - started;
	ctx.outputs.push(res.stdout, res.stderr, JSON.stringify(res.json ?? null));
	const log = [...fake.log];
	const keyInData = containsKey(res.json, apiKey);
	return {
		...{ res, ms, log, stats: fake.stats(), items: nodeOutputItems(res.json, 'Jimeng') },
		keyInData,
		keyInRun: keyInData || res.stdout.includes(apiKey) || res.stderr.includes(apiKey),
		imageKeyHits: log.filter((e) => e.server === 'image' && carriesKey(e, apiKey)),
		problems: problemsText(log),
	};
}

export const executes = (key, evidence = (o) => exitText(o.res)) => ({
	name: `${key}: n8n execute succeeds`,
	ok: (o) => o.res.code === 0 && !!o.res.json,
	evidence,
});

export const entriesOf = (list, act, assertions) =>
	list.map((entry) => ({
		name: entry.run.title,
		act: (ctx) => act(ctx, entry),
		assert: assertions(entry.run),
	}));

/** A run's line of the suite's table: faults the fake drew (or why none), calls, and `cells`. */
export const runRow = (run, { stats, ms }, cells) => ({
	run: run.title,
	load: run.load,
	injected: faultsText(stats) || (run.faults ? 'none drawn' : 'none (directives)'),
	calls: `${stats.submits} submits, ${stats.queries} queries, ${stats.images} downloads`,
	...cells,
	ms,
});

export const faultsText = (stats) =>
	Object.entries(stats.faults)
		.filter(([kind]) => kind !== 'max-active')
		.map(([kind, v]) => `${v} ${kind}`)
		.join(', ');

/** Did a request carry an Authorization header, or the key in another header or its URL? */
export const carriesKey = (e, apiKey) =>
	!!e.headers.authorization || containsKey(e.headers, apiKey) || String(e.url).includes(apiKey);

/** The fake's first protocol problems. */
const problemsText = (log) =>
	log
		.filter((e) => e.problem)
		.map((e) => e.problem)
		.slice(0, 3)
		.join('; ');

// What every fault run shares: one `n8n execute` of its workflow against the fake with the run's
// faults, what the fake saw, and the readers of its items and of the fake's counts.
import { nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { containsKey } from './outcomes.mjs';

export { itemsOf } from './outcomes.mjs';
import { LATENCY_MS } from './scenarios.mjs';

/**
 * The act of a fault entry: reset the fake, set the run's faults (and `fakeOptions`), let `before`
 * script it, execute the workflow. Keeps what n8n printed in ctx.outputs for the suite's leak check.
 * @returns {{ res, ms, log, stats, items }} items: the Jimeng node's output
 */
export async function executeRun(ctx, workflow, { faults = null, fakeOptions, before } = {}) {
	const { instance, fake } = ctx;
	fake.reset();
	fake.setOptions({ latencyMs: LATENCY_MS, faults, ...fakeOptions });
	await before?.(fake);
	const started = Date.now();
	const res = await instance.execute(workflow.id, { timeoutMs: ctx.timeoutMs });
	const ms = Date.now() - started;
	ctx.outputs.push(res.stdout, res.stderr, JSON.stringify(res.json ?? null));
	return {
		res,
		ms,
		log: [...fake.log],
		stats: fake.stats(),
		items: nodeOutputItems(res.json, 'Jimeng'),
	};
}

/** The assertion every run starts with. */
export const executes = (key, evidence = (o) => `exit ${o.res.code}`) => ({
	name: `${key}: n8n execute succeeds`,
	ok: (o) => o.res.code === 0 && !!o.res.json,
	evidence,
});

/** The table's "faults injected" cell: what the fake drew, or why it drew nothing. */
export const injectedText = (stats, run) =>
	Object.entries(stats.faults)
		.filter(([kind]) => kind !== 'max-active')
		.map(([kind, v]) => `${v} ${kind}`)
		.join(', ') || (run.faults ? 'none drawn' : 'none (directives)');

/** The key in the run data or in what n8n printed. */
export const keyInRun = (res, apiKey) =>
	containsKey(res.json, apiKey) || res.stdout.includes(apiKey) || res.stderr.includes(apiKey);

/** The problems the fake saw, the first three. */
export const problemsText = (log) =>
	log
		.filter((e) => e.problem)
		.map((e) => e.problem)
		.slice(0, 3)
		.join('; ');

// One `n8n execute` of an e2e workflow and the checks every run gets (examples.mjs, agent.mjs).
import { secs } from '../../scripts/support/report.mjs';
import { exitText, nodeOutputItems, runErrorText } from '../../scripts/support/run-data.mjs';

const EXECUTE_TIMEOUT_MS = 120_000;

/**
 * Execute an imported workflow (the example `slug` unless given): { slug, ex, res, entries (the
 * fake's log of this run), submits, items(node), marks }. `mark()` notes what the caller counts
 * from, before each attempt (instance.execute runs again after a crash at exit). Every run is
 * kept in ctx.executions.
 */
export async function executeExample(ctx, slug, workflow, mark = () => ({})) {
	const ex = workflow ? undefined : ctx.sb.example(slug);
	let from, marks;
	const res = await ctx.instance.execute((workflow ?? ex.workflow).id, {
		timeoutMs: EXECUTE_TIMEOUT_MS,
		beforeAttempt: () => {
			from = ctx.fake.log.length;
			marks = mark();
		},
	});
	ctx.executions.push({ slug, res });
	const entries = ctx.fake.log.slice(from);
	const submits = entries.filter((e) => e.kind === 'submit');
	const items = (node) => nodeOutputItems(res.json, node);
	return { slug, ex, res, entries, submits, items, marks };
}

/** The checks every run gets. */
export const ran = (slug) => [
	{
		name: `${slug}: n8n execute exits 0`,
		ok: ({ res }) => res.code === 0 && res.json,
		evidence: ({ res }, ctx) =>
			`${exitText(res)}, ${secs(res.ms)}` +
			(res.code === 0
				? ''
				: `; ${ctx.redact(runErrorText(res.json) || (res.stderr || res.stdout).slice(-1500))}`),
	},
	{
		name: `${slug}: the fake saw no protocol problem`,
		ok: (r) => !r.entries.some((e) => e.problem),
		evidence: (r) => r.entries.flatMap((e) => e.problem || []).join('; '),
	},
	{
		name: `${slug}: no request to the image host carries Authorization`,
		ok: (r) => !r.entries.some((e) => e.server === 'image' && e.headers.authorization),
		evidence: (r) => `${r.entries.filter((e) => e.server === 'image').length} image request(s)`,
	},
];

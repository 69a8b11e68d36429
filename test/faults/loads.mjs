// Runs a–d of the fault suite as scenario entries: N prompts under faults the fake injects (or task
// directives in the prompts). Every run asserts `common`; b and c add `cutOffAssertions`; each its OWN.
import { secs } from '../../scripts/support/report.mjs';
import { exitText, failureOf, hasImage } from '../../scripts/support/run-data.mjs';
import { entriesOf, executeRun, executes, runRow, runWorkflow } from './execute.mjs';
import { containsKey, countBy, countsText, perInput, reasonOf, submitKind } from './outcomes.mjs';
import { AMBIGUOUS, COMPLETE_REFUSALS, loadRuns, SCRIPTED_B, SCRIPTED_D } from './scenarios.mjs';

const CUT = 'submit cut off: task may have been created';
const ADVICE = /Check the task list or billing on the gateway/;
const max = (list) => Math.max(0, ...list);
const inBodyOrUrl = (e, apiKey) => containsKey(e.body, apiKey) || String(e.url).includes(apiKey);

export const loadWorkflows = (args) =>
	loadRuns(args).map((run, i) => runWorkflow(run, `${i}${run.key}`));

/** Runs b and c: the items whose last submit was cut off, the others that failed, the refusals. */
function cutOffs(o) {
	const { run, per, log, submitsOf } = o;
	const cutOff = [];
	const unexpected = [];
	for (const [k, prompt] of run.prompts.entries()) {
		const last = submitsOf(prompt).at(-1);
		const item = per.byInput[k][0];
		if (last && AMBIGUOUS.has(submitKind(last)))
			cutOff.push({ prompt, outcome: per.outcome[k], item, fault: submitKind(last) });
		else if (per.outcome[k] !== 'image') unexpected.push({ prompt, outcome: per.outcome[k], item });
	}
	const refusals = log.filter(
		(e) => e.kind === 'submit' && (COMPLETE_REFUSALS.has(e.fault) || submitKind(e) === 'refused'),
	);
	const later = (e) => log.some((x) => x.kind === 'submit' && x.prompt === e.prompt && x.t > e.t);
	return {
		cutOff,
		unexpected,
		cutOffOk: cutOff.filter((c) => c.outcome === CUT),
		refusals,
		retried: refusals.filter(later),
		// A refusal not followed by another submit is fine only once the retries ran out (Max Retries 3: 4 submits).
		gaveUpEarly: refusals.filter((e) => !later(e) && submitsOf(e.prompt).length < 4),
	};
}

function printFailures({ run, per, log }, redact) {
	for (const [k, outcome] of per.outcome.entries()) {
		if (outcome === 'image' || run.key === 'd') continue;
		const item = per.byInput[k][0];
		const faults = log
			.filter((e) => e.prompt === run.prompts[k] && (e.fault || e.scripted))
			.map((e) => `${e.kind}:${e.fault ?? 'slow (scripted)'}`);
		console.log(
			`        · ${run.prompts[k]} → ${outcome}${faults.length ? ` [faults on its calls: ${faults.join(', ')}]` : ''}: ${redact(String(item?.json?.error ?? item?.json?.downloadError?.message ?? '')).slice(0, 180)}`,
		);
	}
}

async function actLoad(ctx, { run, workflow }) {
	const o = await executeRun(ctx, workflow, {
		faults: run.faults,
		before: (fake) => run.firstSubmitMs && fake.enqueue('submit', { delayMs: run.firstSubmitMs }),
	});
	const { log, stats } = o;
	const per = perInput(o.items, run.prompts);
	const submitsOf = (prompt) => log.filter((e) => e.kind === 'submit' && e.prompt === prompt);
	const tasksPerPrompt = run.prompts.map((p) => stats.tasksPerPrompt[p] ?? 0);
	ctx.allTasksPerPrompt.push(...tasksPerPrompt);
	ctx.imageHostKeyHits.push(...o.imageKeyHits);
	const outcomes = countBy(per.outcome);
	const obs = {
		...{ ...o, run, per, submitsOf, tasksPerPrompt },
		submitsPerPrompt: run.prompts.map((p) => stats.submitsPerPrompt[p] ?? 0),
		apiKeyOutsideHeader: log.filter((e) => e.server === 'api' && inBodyOrUrl(e, ctx.apiKey)),
		succeeded: outcomes.get('image') ?? 0,
		failedReasons: [...outcomes].filter(([k]) => k !== 'image').map(([k, v]) => `${v} × ${k}`),
	};
	printFailures(obs, ctx.redact);
	if (run.key === 'b' || run.key === 'c') Object.assign(obs, cutOffs(obs));
	ctx.rows.push(loadRow(obs));
	return obs;
}

function loadRow(o) {
	const { run, per } = o;
	const leaks = o.imageKeyHits.length + o.apiKeyOutsideHeader.length + (o.keyInData ? 1 : 0);
	return runRow(run, o, {
		succeeded: `${o.succeeded}/${run.prompts.length}`,
		failed: o.failedReasons.join('; ') || '–',
		duplicates: `${per.duplicated.length} duplicated, ${per.lost.length} lost; max tasks/prompt ${max(o.tasksPerPrompt)} (max submits/prompt ${max(o.submitsPerPrompt)})`,
		leaks: leaks ? 'LEAK' : 'none',
	});
}

const common = (key) => [
	executes(key, (o) => {
		const failure = failureOf(o.res);
		return `${exitText(o.res)}, ${secs(o.ms)}${failure ? `; ${failure.message}` : ''}`;
	}),
	{
		name: `${key}: no prompt created two tasks (tasks per prompt ≤ 1)`,
		ok: (o) => o.tasksPerPrompt.every((t) => t <= 1),
		evidence: (o) => {
			const twice = o.run.prompts.filter((p, k) => o.tasksPerPrompt[k] > 1);
			return `max tasks per prompt ${max(o.tasksPerPrompt)}, max submits per prompt ${max(o.submitsPerPrompt)}${twice.length ? `; twice: ${twice.join(', ')}` : ''}`;
		},
	},
	{
		name: `${key}: every input item ends as exactly one output item (pairedItem)`,
		ok: ({ per }) => !per.lost.length && !per.duplicated.length && !per.unpaired.length,
		evidence: ({ per, items, run }) =>
			`${items.length} output items for ${run.prompts.length} inputs; lost ${per.lost.length}, duplicated ${per.duplicated.length}, unpaired ${per.unpaired.length}`,
	},
	{
		name: `${key}: the API key went only in the Authorization header to the API host`,
		ok: (o) => o.imageKeyHits.length === 0 && o.apiKeyOutsideHeader.length === 0,
		evidence: (o) => `${o.log.filter((e) => e.server === 'image').length} image-host requests`,
	},
	{
		name: `${key}: the API key is not in the execution data`,
		ok: (o) => !o.keyInRun,
	},
	{
		name: `${key}: the fake saw no protocol problem`,
		ok: (o) => o.stats.problems === 0,
		evidence: (o) => o.problems,
	},
];

/** Runs b and c: cut-off submits are reported with advice; complete refusals are retried. */
const cutOffAssertions = (key) => [
	{
		name: `${key}: every item whose submit was cut off (reset, slower than the timeout, HTML page) is an error item saying the task may have been created`,
		ok: (o) => o.cutOffOk.length === o.cutOff.length,
		evidence: ({ cutOff, cutOffOk }) => {
			const otherwise = cutOff.filter((c) => !cutOffOk.includes(c));
			const ended = otherwise.map((c) => `${c.prompt} → ${c.outcome}`).join('; ');
			return `${cutOff.length} cut off (${countsText(cutOff.map((c) => c.fault))})${otherwise.length ? `; ended otherwise: ${ended}` : ''}`;
		},
	},
	{
		name: `${key}: … and says what to do (check the gateway's task list or billing before running it again)`,
		ok: ({ cutOffOk }) =>
			cutOffOk.every((c) => ADVICE.test(String(c.item?.json?.description ?? ''))),
		evidence: ({ cutOffOk: [first] }) =>
			first
				? `"${String(first.item.json.error)}" — "${String(first.item.json.description ?? '').slice(0, 160)}"`
				: 'no such item in this run',
	},
	{
		name: `${key}: submits refused with a complete error answer (429/50429, 429/50430, 500/50500) were retried`,
		ok: (o) => o.gaveUpEarly.length === 0,
		evidence: ({ refusals, retried, gaveUpEarly }) =>
			`${retried.length} of ${refusals.length} retried${refusals.length - retried.length ? `; ${refusals.length - retried.length} were the last of 4 attempts` : ''}${gaveUpEarly.length ? `; NOT retried: ${gaveUpEarly.map((e) => `${e.prompt} (${e.fault})`).join(', ')}` : ''}`,
	},
];

/** Run b's item k: its outcome, its submits and the tasks the gateway created for it. */
const itemB = (o, k) => ({
	k,
	outcome: o.per.outcome[k],
	subs: k >= 0 ? o.submitsOf(o.run.prompts[k]) : [],
	tasks: o.stats.tasksPerPrompt[o.run.prompts[k]] ?? 0,
});
const slowedB = (o) =>
	itemB(o, o.run.prompts.indexOf(o.log.find((e) => e.kind === 'submit' && e.scripted)?.prompt));
/** The scripted items of run b are its last SCRIPTED_B.length. */
const scriptedB = (o, offset) => itemB(o, o.run.prompts.length - SCRIPTED_B.length + offset);

/** Run b's scripted items: the slowed submit, the reset one, and three refused ones. */
const RUN_B = [
	{
		name: 'b: the submit answered after the request timeout (task created) → an error item saying the task may have been created',
		ok: (o) => slowedB(o).k >= 0 && slowedB(o).outcome === CUT,
		evidence: (o) => {
			const { k, outcome, tasks } = slowedB(o);
			return k >= 0 ? `${o.run.prompts[k]} → ${outcome}; tasks ${tasks}` : 'no submit was slowed';
		},
	},
	{
		name: 'b: the submit whose connection was reset after the task was created → an error item saying the task may have been created, not retried',
		ok: (o) => scriptedB(o, 0).outcome === CUT && scriptedB(o, 0).subs.length === 1,
		evidence: (o) => {
			const { outcome, subs, tasks } = scriptedB(o, 0);
			return `${outcome}; ${subs.length} submit(s), ${tasks} task(s)`;
		},
	},
	...SCRIPTED_B.slice(1).map(([, label, minSubmits], i) => ({
		name: `b: a submit ${label} is retried, and the item gets its image (unless a random fault cut the retry off)`,
		ok: (o) => {
			const { outcome, subs } = scriptedB(o, i + 1);
			const lastAmbiguous = AMBIGUOUS.has(submitKind(subs.at(-1)));
			return subs.length >= minSubmits && (outcome === 'image' || lastAmbiguous);
		},
		evidence: (o) => {
			const { outcome, subs, tasks } = scriptedB(o, i + 1);
			return `${subs.map((e) => submitKind(e) ?? 'ok').join(' → ')}; ${outcome}; ${tasks} task(s)`;
		},
	})),
];

const RUN_B_REST = {
	name: 'b: every other item has its image',
	ok: (o) => o.unexpected.length === 0,
	evidence: ({ run, cutOff, unexpected }, ctx) =>
		`${run.prompts.length - cutOff.length - unexpected.length}/${run.prompts.length - cutOff.length} images${unexpected.length ? `; otherwise: ${unexpected.map((u) => `${u.prompt} → ${u.outcome}: ${ctx.redact(String(u.item?.json?.error ?? JSON.stringify(u.item?.json?.downloadError ?? '')).slice(0, 200))}`).join('; ')}` : ''}`,
};

const RUN_C = [
	{
		name: 'c: every item without an image carries a reason (error or downloadError)',
		ok: (o) => noReason(o).length === 0,
		evidence: (o) => `${noReason(o).length} without a reason`,
	},
	{
		name: 'c: error items of a created task name its task id (Get Task can resume it)',
		ok: (o) => afterTask(o).every((item) => item.json.taskId),
		evidence: (o) =>
			`${afterTask(o).length} such items: ${afterTask(o).map(reasonOf).join('; ') || 'none'}`,
	},
];
const withoutReason = (item) => !hasImage(item) && !item.json?.error && !item.json?.downloadError;
const noReason = ({ per }) => per.byInput.flat().filter(withoutReason);
/** Error items of items whose task was created and whose submit was answered: they must name the task. */
const afterTask = ({ run, per, stats, submitsOf }) =>
	run.prompts.flatMap((prompt, k) => {
		const item = per.byInput[k][0];
		const created = (stats.tasksPerPrompt[prompt] ?? 0) > 0;
		const cut = AMBIGUOUS.has(submitKind(submitsOf(prompt).at(-1)));
		return item?.json?.error && created && !cut ? [item] : [];
	});

/** Run d: each of its items comes to its outcome; the 404 item keeps its imageUrl and task id. */
const RUN_D = [
	...SCRIPTED_D.map(([, outcome, label], k) => ({
		name: (o) => `d: "${o.run.prompts[k]}" → ${label}`,
		ok: (o) => o.per.outcome[k] === outcome,
		evidence: (o) => {
			const item = o.per.byInput[k][0];
			const text = item?.json?.error ?? item?.json?.downloadError?.message ?? '';
			return `${o.per.outcome[k]}${text ? `: ${String(text).slice(0, 140)}` : ''}`;
		},
	})),
	{
		name: 'd: the 404 item keeps its imageUrl and the task id',
		ok: (o) => !!o.per.byInput[5][0]?.json?.imageUrl && !!o.per.byInput[5][0]?.json?.taskId,
		evidence: (o) => {
			const item = o.per.byInput[5][0];
			return item ? `imageUrl ${item.json.imageUrl ? 'kept' : 'missing'}` : 'no item';
		},
	},
];

const OWN = {
	a: [
		{
			name: 'a: every item has its image',
			ok: (o) => o.succeeded === o.run.prompts.length,
			evidence: (o) => `${o.succeeded}/${o.run.prompts.length}; ${o.failedReasons.join(', ')}`,
		},
	],
	b: [...cutOffAssertions('b'), ...RUN_B, RUN_B_REST],
	c: [...cutOffAssertions('c'), ...RUN_C],
	d: RUN_D,
};

export const loadEntries = (loads) =>
	entriesOf(loads, actLoad, (run) => [...common(run.key), ...OWN[run.key]]);

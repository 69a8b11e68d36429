// Run e of the fault suite as scenario entries: the bad-input matrix (one Jimeng node per case,
// Continue On Fail), then bad input without Continue On Fail. Nothing may reach the gateway.
import { exitText, failureOf, hasImage, nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { jimengWorkflow, matrixWorkflow, workflowId } from '../../scripts/support/workflows.mjs';
import { executeRun, executes, runRow } from './execute.mjs';
import { MATRIX, NODE_PARAMETERS, nodeParameters } from './scenarios.mjs';

export function matrixWorkflows() {
	return {
		matrix: matrixWorkflow({
			id: workflowId('faults', 'matrix'),
			name: 'faults: bad-input matrix',
			cases: MATRIX.map((c) => ({ ...c, parameters: nodeParameters(c.parameters) })),
		}),
		stopping: jimengWorkflow({
			id: workflowId('faults', 'stop'),
			name: 'faults: bad input without Continue On Fail',
			prompts: ['faults stop #1', '', 'faults stop #3'],
			parameters: NODE_PARAMETERS,
		}),
	};
}

/** Each case's one error item; fills ctx.matrixResults (the written table) and run e's row. */
async function actMatrix(ctx, workflow) {
	const o = await executeRun(ctx, workflow);
	const cases = MATRIX.map((c) => {
		const items = nodeOutputItems(o.res.json, `Jimeng ${c.key}`);
		const error = String(items[0]?.json?.error ?? '');
		const ok = items.length === 1 && c.expect.test(error) && !hasImage(items[0]);
		ctx.matrixResults.push({ label: c.label, error: error || '(none)', ok });
		return { c, items, error, description: String(items[0]?.json?.description ?? ''), ok };
	});
	const submits = o.log.filter((e) => e.kind === 'submit');
	const queries = o.log.filter((e) => e.kind === 'query');
	ctx.rows.push(
		runRow({ title: 'e. bad-input matrix (7 cases)', load: '7 items, 1 per node' }, o, {
			injected: 'bad parameters',
			calls: `${submits.length} submits, ${queries.length} queries, 0 downloads`,
			succeeded: '0/7 (as intended)',
			failed: `${cases.filter((m) => m.ok).length}/7 clear errors`,
			duplicates: '–',
			leaks: o.keyInData ? 'LEAK' : 'none',
		}),
	);
	return { ...o, cases, submits, queries };
}

async function actStopping(ctx, workflow) {
	const o = await executeRun(ctx, workflow);
	const failure = failureOf(o.res);
	ctx.rows.push(
		runRow({ title: 'e. empty prompt without Continue On Fail', load: '3 items' }, o, {
			injected: 'bad parameter',
			calls: `${o.log.filter((e) => e.kind === 'submit').length} submits`,
			succeeded: '0/3 (execution stopped)',
			failed: failure?.message?.slice(0, 80) ?? '–',
			...{ duplicates: '–', leaks: '–' },
		}),
	);
	return { ...o, failure };
}

export const matrixEntries = ({ matrix, stopping }) => [
	{
		name: 'e. bad-input matrix (Continue On Fail, one Jimeng node per case)',
		act: (ctx) => actMatrix(ctx, matrix),
		assert: [
			executes(
				'e',
				(o) => `${exitText(o.res)}${failureOf(o.res) ? `; ${failureOf(o.res).message}` : ''}`,
			),
			{
				each: (o) => o.cases,
				assert: [
					{
						name: ({ c }) => `e: ${c.label} → one error item with a clear message`,
						ok: ({ ok }) => ok,
						evidence: ({ items, error, description }) =>
							`${items.length} item(s): "${error.slice(0, 160)}"${description ? ` — "${description.slice(0, 120)}"` : ''}`,
					},
				],
			},
			{
				name: 'e: no submit reached the gateway (nothing billed)',
				ok: (o) => o.submits.length === 0 && o.stats.tasksCreated === 0,
				evidence: (o) =>
					`${o.submits.length} submits, ${o.queries.length} queries (the unknown task id's)`,
			},
		],
	},
	{
		name: 'e. bad input without Continue On Fail (3 items, the second prompt empty)',
		act: (ctx) => actStopping(ctx, stopping),
		assert: [
			{
				name: 'e: the workflow stops with an error naming the item, before any request',
				ok: ({ res, log }) =>
					res.code !== 0 &&
					/Item 2: The prompt is empty/.test(`${res.stdout}\n${res.stderr}`) &&
					log.length === 0,
				evidence: ({ res, failure, log }) =>
					`exit ${res.code}; ${failure?.message ?? ''}; ${log.length} requests`,
			},
		],
	},
];

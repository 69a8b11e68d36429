// Browser walk steps for Get Balance (browser-walk.mjs runs them once the workflow is saved): reopen
// the node, switch its Operation to Get Balance, which has no parameters, "Execute step" against the
// fake gateway's GET /api/usage/token/, and save the workflow so that the next steps leave a clean page.

const NODE_TYPE = 'n8n-nodes-jimeng.jimeng';
const EXECUTION_TIMEOUT_MS = 60_000;
const BALANCE_FIELDS = ['keyName', 'granted', 'used', 'available', 'unlimited', 'expiresAt'];
// The labels of the task operations' parameters; Task ID is Get Task's, the rest show on a new Submit.
const SUBMIT_LABELS = [
	'Prompt',
	'Size',
	'Wait for Completion',
	'Poll Interval (Seconds)',
	'Timeout (Seconds)',
	'Options',
];
const TASK_LABELS = [...SUBMIT_LABELS, 'Task ID'];

const ndv = ({ page, tid }) => page.locator(tid('ndv'));
const params = (ctx) => ndv(ctx).locator(ctx.tid('node-parameters'));
const output = (ctx) => ndv(ctx).locator(ctx.tid('output-panel'));

/** The labels the Parameters tab shows (a required one's "*" dropped), the credential's included. */
async function shownLabels(ctx) {
	const { tid } = ctx;
	const texts = await params(ctx)
		.locator(`${tid('input-label')} label, ${tid('credentials-label')} label`)
		.filter({ visible: true }) // the Settings tab's parameters are in the DOM too, hidden
		.allInnerTexts();
	return texts
		.map((text) =>
			text
				.split('\n')[0]
				.replace(/\s*\*$/, '')
				.trim(),
		)
		.filter(Boolean);
}

/** The output pane's table → { columns, rows } with the cells as shown. */
async function shownTable(ctx) {
	await output(ctx).locator(ctx.tid('radio-button-table')).click();
	const table = output(ctx).locator(ctx.tid('ndv-data-container')).locator('table').first();
	await table.locator('th', { hasText: 'keyName' }).first().waitFor({ state: 'visible' });
	return await table.evaluate((el) => ({
		columns: [...el.querySelectorAll('thead th')].map((th) => th.innerText.trim().split(/\s/)[0]),
		rows: [...el.querySelectorAll('tbody tr')].map((tr) =>
			[...tr.children].map((td) => td.innerText.trim()),
		),
	}));
}

export const getBalanceSteps = [
	{
		name: `reopen the Jimeng node: on Submit the panel shows ${SUBMIT_LABELS.join(', ')}`,
		gate: true,
		async act(ctx) {
			await ctx.page.locator(`${ctx.tid('canvas-node')}[data-node-type="${NODE_TYPE}"]`).dblclick();
			await params(ctx).locator(ctx.tid('parameter-input-prompt')).waitFor({ state: 'visible' });
			const labels = await shownLabels(ctx);
			ctx.assertIncludes(labels, SUBMIT_LABELS, 'parameter labels');
			return `labels: ${labels.join(', ')}`;
		},
	},
	{
		name: 'Operation "Get Balance": no Prompt, Size, Task ID, Wait for Completion, Poll Interval, Timeout or Options; only the credential and Operation remain',
		gate: true,
		async act(ctx) {
			const { tid, assert } = ctx;
			const select = await ctx.openSelect(params(ctx), tid('parameter-input-operation'));
			await select.list.locator('[role="option"]').filter({ hasText: 'Get Balance' }).click();
			await ctx.settle(select.list, 'hidden', 5000);
			await ctx.settle(params(ctx).locator(tid('parameter-input-prompt')), 'detached', 5000);
			const value = await select.input.inputValue();
			assert(value === 'Get Balance', `Operation is ${JSON.stringify(value)}`);
			const labels = await shownLabels(ctx);
			const shown = TASK_LABELS.filter((label) => labels.includes(label));
			assert(!shown.length, `still shown: ${shown.join(', ')}`);
			const rest = labels.filter((label) => !/credential/i.test(label));
			assert(
				JSON.stringify(rest) === '["Operation"]' && rest.length < labels.length,
				`labels: ${JSON.stringify(labels)}`,
			);
			const credential = await ndv(ctx)
				.locator(`${tid('node-credentials-select')} input`)
				.first()
				.inputValue();
			assert(
				/Jimeng/.test(credential),
				`the credential select shows ${JSON.stringify(credential)}`,
			);
			return `labels: ${labels.join(', ')}`;
		},
	},
	{
		name: `"Execute step" with Get Balance: one output item with ${BALANCE_FIELDS.join(', ')}; one balance read, no task`,
		async act(ctx) {
			const { fake, tid, assert } = ctx;
			const [before, from] = [fake.stats(), fake.log.length];
			await ndv(ctx).locator(tid('node-execute-button')).first().click();
			await output(ctx)
				.locator(tid('ndv-items-count'))
				.filter({ hasText: /\b1 item\b/ })
				.waitFor({ state: 'visible', timeout: EXECUTION_TIMEOUT_MS });
			const reads = fake.log.slice(from).filter((e) => e.kind === 'balance');
			const statuses = reads.map((e) => e.statusCode).join(',') || 'none';
			assert(reads.length === 1 && reads[0].statusCode === 200, `balance reads: ${statuses}`);
			const tasks = fake.stats().tasksCreated - before.tasksCreated;
			assert(fake.stats().submits === before.submits && !tasks, `${tasks} task(s) created`);
			const { columns, rows } = await shownTable(ctx);
			ctx.assertIncludes(columns, BALANCE_FIELDS, 'output columns');
			assert(rows.length === 1, `${rows.length} rows shown`);
			const keyName = rows[0][columns.indexOf('keyName')];
			assert(keyName === 'n8n', `keyName shows ${JSON.stringify(keyName)}, the fake's key is n8n`);
			await ctx.screenshot('13-get-balance.png', { keepOpen: true });
			const cells = columns.map((column, i) => column && `${column}=${rows[0][i]}`);
			return cells.filter(Boolean).join(' ');
		},
	},
	{
		name: 'close the panel, Ctrl+S: the stored Jimeng node is Get Balance',
		async act(ctx) {
			await ctx.closeNodeDetails();
			await ctx.saveAndRead(ctx.n8n, (workflow) => {
				const node = workflow.nodes.find((n) => n.type === NODE_TYPE);
				return node?.parameters?.operation === 'getBalance' || JSON.stringify(node?.parameters);
			});
		},
	},
];

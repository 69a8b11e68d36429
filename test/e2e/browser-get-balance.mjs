// Browser walk steps for Get Balance (browser-walk.mjs runs them once the workflow is saved): reopen
// the node, switch its Operation to Get Balance, which has no parameters, "Execute step" against the
// fake gateway's GET /api/usage/token/, and save the workflow so that the next steps leave a clean page.

const BALANCE_FIELDS = ['keyName', 'granted', 'used', 'available', 'unlimited', 'expiresAt'];
// The labels of the task operations' parameters; Task ID is Get Task's, the rest show on a new Submit.
const SUBMIT_LABELS = ['Prompt', 'Size', 'Wait for Completion', 'Poll Interval (Seconds)'];
SUBMIT_LABELS.push('Timeout (Seconds)', 'Options');
const TASK_LABELS = [...SUBMIT_LABELS, 'Task ID'];
const REQUIRED_MARK = /\s*\*$/;

/** The labels the Parameters tab shows (a required one's "*" dropped), the credential's included. */
async function shownLabels({ params, tid }) {
	const labels = params().locator(`${tid('input-label')} label, ${tid('credentials-label')} label`);
	// The Settings tab's parameters are in the DOM too, hidden.
	const texts = await labels.filter({ visible: true }).allInnerTexts();
	return texts.map((text) => text.split('\n')[0].replace(REQUIRED_MARK, '').trim()).filter(Boolean);
}

export const getBalanceSteps = [
	{
		name: `reopen the Jimeng node: on Submit the panel shows ${SUBMIT_LABELS.join(', ')}`,
		gate: true,
		async act(ctx) {
			await ctx.canvasNode().dblclick();
			await ctx.params().locator(ctx.tid('parameter-input-prompt')).waitFor();
			const labels = await shownLabels(ctx);
			ctx.assertIncludes(labels, SUBMIT_LABELS, 'parameter labels');
			return `labels: ${labels.join(', ')}`;
		},
	},
	{
		name: 'Operation "Get Balance": no Prompt, Size, Task ID, Wait for Completion, Poll Interval, Timeout or Options; only the credential and Operation remain',
		gate: true,
		async act(ctx) {
			const { tid, assert, params } = ctx;
			const select = await ctx.openSelect(params(), tid('parameter-input-operation'));
			await select.list.locator('[role="option"]').filter({ hasText: 'Get Balance' }).click();
			await ctx.settle(select.list, 'hidden', 5000);
			await ctx.settle(params().locator(tid('parameter-input-prompt')), 'detached', 5000);
			const value = await select.input.inputValue();
			assert(value === 'Get Balance', `Operation is ${JSON.stringify(value)}`);
			const labels = await shownLabels(ctx);
			const shown = TASK_LABELS.filter((label) => labels.includes(label));
			assert(!shown.length, `still shown: ${shown.join(', ')}`);
			const rest = labels.filter((label) => !/credential/i.test(label));
			const only = JSON.stringify(rest) === '["Operation"]' && rest.length < labels.length;
			assert(only, `labels: ${JSON.stringify(labels)}`);
			await ctx.assertCredentialSelected();
			return `labels: ${labels.join(', ')}`;
		},
	},
	{
		name: `"Execute step" with Get Balance: one output item with ${BALANCE_FIELDS.join(', ')}; one balance read, no task`,
		async act(ctx) {
			const { fake, assert } = ctx;
			const [before, from] = [fake.stats(), fake.log.length];
			await ctx.executeStep(ctx.itemsCount('1 item'));
			const reads = fake.log.slice(from).filter((e) => e.kind === 'balance');
			const statuses = reads.map((e) => e.statusCode).join(',') || 'none';
			assert(reads.length === 1 && reads[0].statusCode === 200, `balance reads: ${statuses}`);
			const tasks = fake.stats().tasksCreated - before.tasksCreated;
			assert(fake.stats().submits === before.submits && !tasks, `${tasks} task(s) created`);
			const { columns, rows } = await ctx.shownTable('keyName');
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
			await ctx.saveAndReadNode(ctx.n8n, (parameters) => parameters.operation === 'getBalance');
		},
	},
];

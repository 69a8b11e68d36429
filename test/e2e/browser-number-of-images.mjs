// Browser walk steps for Submit's newer parameters (browser-walk.mjs runs them): Reference Images
// From Binary is offered; Number of Images follows Generate a Single Image; Number of Images 2 gives
// two output items from two submits.

const EXECUTION_TIMEOUT_MS = 60_000;

const params = ({ page, tid }) => page.locator(tid('ndv')).locator(tid('node-parameters'));
const output = ({ page, tid }) => page.locator(tid('ndv')).locator(tid('output-panel'));

/** Steps on the Submit panel's parameters, before anything runs; the panel is left as found. */
export const submitParameterSteps = [
	{
		name: 'Reference Images From Binary: listed with its "Add Binary Field" button',
		async act(ctx) {
			const item = params(ctx)
				.locator(ctx.tid('parameter-item'))
				.filter({ hasText: /^Reference Images From Binary\b/ })
				.first();
			await item.waitFor({ state: 'visible' });
			await item.getByRole('button', { name: 'Add Binary Field' }).waitFor({ state: 'visible' });
		},
	},
	{
		name: 'Number of Images: shown (1) while Generate a Single Image is on, gone when it is switched off, back when on',
		async act(ctx) {
			const { assert, tid } = ctx;
			const toggle = params(ctx).locator(`${tid('parameter-input-forceSingle')} .el-switch`);
			const isOn = async () =>
				(await toggle.locator('input').getAttribute('aria-checked')) === 'true';
			const count = params(ctx).locator(tid('parameter-input-numberOfImages'));
			assert(await isOn(), 'Generate a Single Image is not on in a new node');
			await count.waitFor({ state: 'visible' });
			const value = await count.locator('input').first().inputValue();
			assert(value === '1', `Number of Images shows ${JSON.stringify(value)}, expected 1`);
			await toggle.click();
			assert(!(await isOn()), 'the switch did not turn off');
			await ctx.settle(count, 'detached', 5000);
			assert(!(await count.count()), 'Number of Images is still shown with the switch off');
			await toggle.click();
			assert(await isOn(), 'the switch did not turn back on');
			await count.waitFor({ state: 'visible', timeout: 5000 });
		},
	},
];

/** Table view of the output pane → the imageIndex column, row by row. */
async function shownImageIndexes(ctx) {
	await output(ctx).locator(ctx.tid('radio-button-table')).click();
	const table = output(ctx).locator(ctx.tid('ndv-data-container')).locator('table').first();
	await table.locator('th', { hasText: 'imageIndex' }).first().waitFor({ state: 'visible' });
	return await table.evaluate((el) => {
		const headers = [...el.querySelectorAll('thead th')].map((th) => th.innerText.trim());
		const column = headers.findIndex((text) => text.startsWith('imageIndex'));
		return [...el.querySelectorAll('tbody tr')].map((tr) =>
			Number(tr.children[column]?.innerText.trim()),
		);
	});
}

/**
 * After the first execution: Number of Images 2, "Execute step" again. The output pane must show 2
 * items with imageIndex 1 and 2, the fake must have seen exactly 2 submits, and the stored execution
 * must hold the two items with their own task ids.
 */
export const numberOfImagesSteps = [
	{
		name: 'Number of Images 2, "Execute step": the output pane shows 2 items and the fake saw 2 submits',
		gate: true,
		async act(ctx) {
			const { fake, tid, assert } = ctx;
			const before = fake.stats();
			const input = params(ctx)
				.locator(`${tid('parameter-input-numberOfImages')} input`)
				.first();
			await input.scrollIntoViewIfNeeded();
			await input.fill('2');
			await input.press('Tab');
			assert((await input.inputValue()) === '2', 'Number of Images did not take 2');
			await ctx.page.locator(tid('ndv')).locator(tid('node-execute-button')).first().click();
			await output(ctx)
				.locator(tid('ndv-items-count'))
				.filter({ hasText: /\b2 items\b/ })
				.waitFor({ state: 'visible', timeout: EXECUTION_TIMEOUT_MS });
			const [submits, tasks] = ['submits', 'tasksCreated'].map((k) => fake.stats()[k] - before[k]);
			assert(
				submits === 2 && tasks === 2,
				`the fake saw ${submits} submits, ${tasks} tasks; expected 2 of each`,
			);
			const cards = output(ctx).locator(`${tid('ndv-binary-data_0')}, ${tid('ndv-binary-data_1')}`);
			if (!(await cards.count())) await output(ctx).locator(tid('radio-button-binary')).click();
			await cards.nth(1).waitFor({ state: 'visible' });
			await ctx.screenshot('10-number-of-images.png');
		},
	},
	{
		name: 'the output pane (Table) shows imageIndex 1 and 2',
		act: (ctx) => shownImageIndexes(ctx),
		assert: (indexes, { assert }) =>
			assert(
				JSON.stringify(indexes) === '[1,2]',
				`imageIndex values shown: ${JSON.stringify(indexes)}`,
			),
	},
	{
		name: 'the stored execution holds 2 items, one task each, imageIndex 1 and 2',
		async act({ n8n, workflowIdShown }) {
			const [execution] = await n8n.listExecutions({ workflowId: workflowIdShown(), limit: 5 });
			const full = await n8n.getExecution(execution.id);
			return (full.data.resultData.runData.Jimeng?.[0]?.data?.main?.[0] ?? []).map(
				(item) => item.json,
			);
		},
		assert(items, { fake, assert }) {
			const taskIds = new Set(items.map((json) => json.taskId));
			assert(
				items.length === 2 &&
					items[0].imageIndex === 1 &&
					items[1].imageIndex === 2 &&
					taskIds.size === 2 &&
					[...taskIds].every((id) => fake.tasks.has(id)),
				`items ${JSON.stringify(items.map((j) => ({ taskId: j.taskId, imageIndex: j.imageIndex })))}`,
			);
		},
	},
];

// Browser walk steps for Submit's newer parameters (browser-walk.mjs runs them): Reference Images
// From Binary is offered; Number of Images follows Generate a Single Image; Number of Images 2 gives
// two output items from two submits.

/** Steps on the Submit panel's parameters, before anything runs; the panel is left as found. */
export const submitParameterSteps = [
	{
		name: 'Reference Images From Binary: listed with its "Add Binary Field" button',
		async act({ params, tid }) {
			const hasText = /^Reference Images From Binary\b/;
			const item = params().locator(tid('parameter-item')).filter({ hasText }).first();
			await item.waitFor();
			await item.getByRole('button', { name: 'Add Binary Field' }).waitFor();
		},
	},
	{
		name: 'Number of Images: shown (1) while Generate a Single Image is on, gone when it is switched off, back when on',
		async act({ assert, tid, params, settle }) {
			const toggle = params().locator(`${tid('parameter-input-forceSingle')} .el-switch`);
			const isOn = async () =>
				(await toggle.locator('input').getAttribute('aria-checked')) === 'true';
			const count = params().locator(tid('parameter-input-numberOfImages'));
			assert(await isOn(), 'Generate a Single Image is not on in a new node');
			await count.waitFor();
			const value = await count.locator('input').first().inputValue();
			assert(value === '1', `Number of Images shows ${JSON.stringify(value)}, expected 1`);
			await toggle.click();
			assert(!(await isOn()), 'the switch did not turn off');
			await settle(count, 'detached', 5000);
			assert(!(await count.count()), 'Number of Images is still shown with the switch off');
			await toggle.click();
			assert(await isOn(), 'the switch did not turn back on');
			await count.waitFor({ timeout: 5000 });
		},
	},
];

/** After the first execution: Number of Images 2, "Execute step" again. */
export const numberOfImagesSteps = [
	{
		name: 'Number of Images 2, "Execute step": the output pane shows 2 items and the fake saw 2 submits',
		gate: true,
		async act(ctx) {
			const { fake, tid, assert, output } = ctx;
			const before = fake.stats();
			const input = ctx.fieldIn(ctx.params(), 'parameter-input-numberOfImages');
			await input.scrollIntoViewIfNeeded();
			await input.fill('2');
			await input.press('Tab');
			assert((await input.inputValue()) === '2', 'Number of Images did not take 2');
			await ctx.executeStep(ctx.itemsCount('2 items'));
			const [submits, tasks] = ['submits', 'tasksCreated'].map((k) => fake.stats()[k] - before[k]);
			const saw = `the fake saw ${submits} submits, ${tasks} tasks; expected 2 of each`;
			assert(submits === 2 && tasks === 2, saw);
			const cards = output().locator(`${tid('ndv-binary-data_0')}, ${tid('ndv-binary-data_1')}`);
			if (!(await cards.count())) await output().locator(tid('radio-button-binary')).click();
			await cards.nth(1).waitFor();
			await ctx.screenshot('10-number-of-images.png');
		},
	},
	{
		name: 'the output pane (Table) shows imageIndex 1 and 2',
		async act({ shownTable, assert }) {
			const { columns, rows } = await shownTable('imageIndex');
			const indexes = JSON.stringify(rows.map((row) => Number(row[columns.indexOf('imageIndex')])));
			assert(indexes === '[1,2]', `imageIndex values shown: ${indexes}`);
		},
	},
	{
		name: 'the stored execution holds 2 items, one task each, imageIndex 1 and 2',
		async act({ n8n, fake, assert, lastExecution }) {
			const { items } = await lastExecution(n8n);
			const taskIds = new Set(items.map((json) => json.taskId));
			const [first, second] = items.map((json) => json.imageIndex);
			const tasks = taskIds.size === 2 && [...taskIds].every((id) => fake.tasks.has(id));
			const shown = JSON.stringify(items.map(({ taskId, imageIndex }) => ({ taskId, imageIndex })));
			assert(items.length === 2 && first === 1 && second === 2 && tasks, `items ${shown}`);
		},
	},
];

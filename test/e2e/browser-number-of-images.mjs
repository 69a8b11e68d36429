// Browser walk steps for Submit's newer parameters (test/e2e/browser.mjs drives them): Reference
// Images From Binary is offered; Number of Images follows Generate a Single Image; Number of Images 2
// gives two output items from two submits.

const EXECUTION_TIMEOUT_MS = 60_000;

const paramItem = (ui, params, label) =>
	params.locator(ui.tid('parameter-item')).filter({ hasText: new RegExp(`^${label}\\b`) });

/** Checks on the Submit panel's parameters, before anything runs; the panel is left as found. */
export async function submitParameterChecks(ui, { params }) {
	const { check, assert, tid } = ui;

	await check(
		'Reference Images From Binary: listed with its "Add Binary Field" button',
		async () => {
			const item = paramItem(ui, params, 'Reference Images From Binary').first();
			await item.waitFor({ state: 'visible' });
			await item.getByRole('button', { name: 'Add Binary Field' }).waitFor({ state: 'visible' });
		},
	);

	const toggle = params.locator(`${tid('parameter-input-forceSingle')} .el-switch`);
	const isOn = async () => (await toggle.locator('input').getAttribute('aria-checked')) === 'true';
	const count = params.locator(tid('parameter-input-numberOfImages'));
	await check(
		'Number of Images: shown (1) while Generate a Single Image is on, gone when it is switched off, back when on',
		async () => {
			assert(await isOn(), 'Generate a Single Image is not on in a new node');
			await count.waitFor({ state: 'visible' });
			const value = await count.locator('input').first().inputValue();
			assert(value === '1', `Number of Images shows ${JSON.stringify(value)}, expected 1`);
			await toggle.click();
			assert(!(await isOn()), 'the switch did not turn off');
			await count.waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
			assert(!(await count.count()), 'Number of Images is still shown with the switch off');
			await toggle.click();
			assert(await isOn(), 'the switch did not turn back on');
			await count.waitFor({ state: 'visible', timeout: 5000 });
		},
	);
}

/** Table view of the output pane → the imageIndex column, row by row. */
async function shownImageIndexes(ui, output) {
	await output.locator(ui.tid('radio-button-table')).click();
	const table = output.locator(ui.tid('ndv-data-container')).locator('table').first();
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
 * must hold the two items with their own task ids. Returns whether it ran.
 */
export async function numberOfImagesRun(ui, { ndv, params, fake, n8n, nodeName }) {
	const { check, assert, tid } = ui;
	const output = ndv.locator(tid('output-panel'));
	const before = fake.stats();
	const ran = await check(
		'Number of Images 2, "Execute step": the output pane shows 2 items and the fake saw 2 submits',
		async () => {
			const input = params.locator(`${tid('parameter-input-numberOfImages')} input`).first();
			await input.scrollIntoViewIfNeeded();
			await input.fill('2');
			await input.press('Tab');
			assert((await input.inputValue()) === '2', 'Number of Images did not take 2');
			const runs = output.locator(tid('ndv-items-count'));
			await ndv.locator(tid('node-execute-button')).first().click();
			await runs
				.filter({ hasText: /\b2 items\b/ })
				.waitFor({ state: 'visible', timeout: EXECUTION_TIMEOUT_MS });
			const after = fake.stats();
			assert(
				after.submits - before.submits === 2 && after.tasksCreated - before.tasksCreated === 2,
				`the fake saw ${after.submits - before.submits} submits, ${after.tasksCreated - before.tasksCreated} tasks; expected 2 of each`,
			);
			const binaryCards = output.locator(
				`${tid('ndv-binary-data_0')}, ${tid('ndv-binary-data_1')}`,
			);
			if (!(await binaryCards.count())) await output.locator(tid('radio-button-binary')).click();
			await binaryCards.nth(1).waitFor({ state: 'visible' });
			await ui.screenshot('10-number-of-images.png');
		},
	);
	if (!ran) return false;

	await check('the output pane (Table) shows imageIndex 1 and 2', async () => {
		const indexes = await shownImageIndexes(ui, output);
		assert(
			JSON.stringify(indexes) === '[1,2]',
			`imageIndex values shown: ${JSON.stringify(indexes)}`,
		);
	});

	await check('the stored execution holds 2 items, one task each, imageIndex 1 and 2', async () => {
		const workflowId = new URL(ui.page.url()).pathname.split('/')[2];
		const [execution] = await n8n.listExecutions({ workflowId, limit: 5 });
		const full = await n8n.getExecution(execution.id);
		const items = (full.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? []).map(
			(item) => item.json,
		);
		const taskIds = new Set(items.map((json) => json.taskId));
		assert(
			items.length === 2 &&
				items[0].imageIndex === 1 &&
				items[1].imageIndex === 2 &&
				taskIds.size === 2 &&
				[...taskIds].every((id) => fake.tasks.has(id)),
			`items ${JSON.stringify(items.map((j) => ({ taskId: j.taskId, imageIndex: j.imageIndex })))}`,
		);
	});
	return true;
}

// The walk's steps after the node panel (test/e2e/browser.mjs runs them on n8n 2.41.1), as a new
// user goes (walkSteps, last): from the node's Submit action and a new credential to the node
// handed to an AI Agent.
import { createHash } from 'node:crypto';

import { UNKNOWN_TASK_MODES } from '../fake-jimeng/index.js';
import { getBalanceSteps } from './browser-get-balance.mjs';
import { numberOfImagesSteps, submitParameterSteps } from './browser-number-of-images.mjs';
import { NOT_FOUND_HTML, startLoopbackServer } from './loopback-server.mjs';

const NODE_TYPE = 'n8n-nodes-jimeng.jimeng';
const NODE_NAME = 'Jimeng';
const SUBMIT_ACTION = 'Generate an image'; // the Submit operation's action name
const PROMPT = 'A lighthouse on a cliff at dusk, oil painting texture';
const CREDENTIAL_TEST_TIMEOUT_MS = 40_000;
const COULD_NOT_CONNECT = /Couldn.t connect with these settings/;

const credentialModal = ({ page, tid }) =>
	page.locator('.el-dialog').filter({ has: page.locator(tid('credential-edit-dialog')) });
const testSuccess = (ctx) =>
	credentialModal(ctx).locator(ctx.tid('credentials-config-container-test-success'));

/** Press a button that runs the credential test and return n8n's verdict { status, message }. */
async function runCredentialTest({ page }, press) {
	const isTest = (res) =>
		res.request().method() === 'POST' && new URL(res.url()).pathname === '/rest/credentials/test';
	const [response] = await Promise.all([
		page.waitForResponse(isTest, { timeout: CREDENTIAL_TEST_TIMEOUT_MS }),
		press(),
	]);
	const body = await response.json().catch(() => null);
	return body?.data ?? { status: `HTTP ${response.status()}`, message: JSON.stringify(body) };
}

/** Fill the modal's fields ({ apiKey, baseUrl }), then Save, which tests: n8n's verdict. */
async function saveCredential(ctx, values) {
	const modal = credentialModal(ctx);
	for (const [name, value] of Object.entries(values))
		await modal.locator(`${ctx.tid(`parameter-input-${name}`)} input`).fill(value);
	return runCredentialTest(ctx, () => modal.locator(ctx.tid('credential-save-button')).click());
}

/** Save with `values`, expecting a failure banner whose message must pass `expect`. */
async function saveExpectingFailure(ctx, { values, expect, wants, file }) {
	const modal = credentialModal(ctx);
	const verdict = await saveCredential(ctx, values);
	const said = JSON.stringify(verdict);
	ctx.assert(verdict.status === 'Error', `n8n says ${said}; expected an Error that ${wants}`);
	const message = JSON.stringify(verdict.message);
	ctx.assert(expect(verdict.message), `the message does not ${wants}: ${message}`);
	await modal.getByText(COULD_NOT_CONNECT).first().waitFor();
	const more = modal.getByText('More details', { exact: true });
	if (await more.isVisible().catch(() => false)) await more.click();
	await modal.getByText(verdict.message.slice(0, 60)).first().waitFor();
	await ctx.screenshot(file, { keepOpen: true });
}

/** The fake's unknown-task answer, switched over its control route as a user's proxy would change. */
async function setUnknownTaskMode({ fake }, mode) {
	const headers = { 'content-type': 'application/json' };
	const body = JSON.stringify({ unknownTask: mode });
	return (await fetch(`${fake.url}/__fake/options`, { method: 'POST', headers, body })).status;
}

const closeCredentialModal = async (ctx) => {
	await credentialModal(ctx).locator('.el-dialog__headerbtn').first().click();
	await credentialModal(ctx).waitFor({ state: 'hidden' });
};

const pickNode = {
	name: `pick Jimeng, then its Submit action "${SUBMIT_ACTION}": the node panel opens on Submit`,
	gate: true,
	async act(ctx) {
		const { creatorItems } = ctx;
		await ctx.creatorNode(NODE_NAME).first().click();
		const action = creatorItems().filter({ hasText: SUBMIT_ACTION }).first();
		await action.waitFor();
		const actions = (await creatorItems().allInnerTexts()).map((t) => t.split('\n')[0].trim());
		const others = ['Get a generation task', "Get the API key's balance"];
		ctx.assertIncludes(actions, [SUBMIT_ACTION, ...others], 'actions');
		await ctx.screenshot('03-node-actions.png', { keepOpen: true });
		await action.click();
		await ctx.params().waitFor();
		const value = await ctx.fieldIn(ctx.params(), 'parameter-input-operation').inputValue();
		ctx.assert(value === 'Submit', `Operation is ${JSON.stringify(value)}`);
		await ctx.canvasNode().waitFor({ state: 'attached' });
	},
};

const retrySteps = Object.entries(UNKNOWN_TASK_MODES).map(([mode, answer], index, modes) => ({
	name: `Retry with the gateway answering an unknown task "${mode}" (HTTP ${answer.httpStatus}, code ${answer.code}): success`,
	async act(ctx) {
		const { fake } = ctx;
		const status = await setUnknownTaskMode(ctx, mode);
		ctx.assert(status === 200, `the fake's control route answered HTTP ${status}`);
		const from = fake.log.length;
		const modal = credentialModal(ctx);
		const retry = { name: 'Retry' };
		const button = testSuccess(ctx).getByRole('button', retry).or(modal.getByRole('button', retry));
		const verdict = await runCredentialTest(ctx, () => button.first().click());
		const queries = fake.log.slice(from).filter((e) => e.kind === 'query');
		const answered = queries.map((e) => e.statusCode);
		const expected = answered.length && answered.every((code) => code === answer.httpStatus);
		ctx.assert(expected, `the fake answered ${answered.join(',') || 'nothing'}`);
		ctx.assert(verdict.status === 'OK', `n8n says ${JSON.stringify(verdict)}`);
		await testSuccess(ctx).waitFor();
		await modal.getByText('Connection tested successfully').first().waitFor();
		if (index === modes.length - 1)
			await ctx.screenshot('06-credential-test-success.png', { keepOpen: true });
	},
}));

const credentialSteps = [
	{
		name: '"Connect to Jimeng" opens the credential modal for a new Jimeng API credential',
		gate: true,
		async act(ctx) {
			ctx.statsBefore = ctx.fake.stats();
			ctx.credentialStart = Date.now();
			const modal = credentialModal(ctx);
			await ctx.ndv().locator(ctx.tid('node-credentials-empty-state')).locator('button').click();
			await modal.waitFor();
			await modal.locator(`${ctx.tid('parameter-input-apiKey')} input`).waitFor();
			ctx.assert(/Jimeng API/.test(await modal.innerText()), 'the modal does not say "Jimeng API"');
		},
	},
	{
		name: 'Save with a wrong key: the test fails, naming the key (HTTP 401)',
		act: (ctx) =>
			saveExpectingFailure(ctx, {
				values: { apiKey: `sk-wrong-${Date.now().toString(36)}`, baseUrl: ctx.fake.url },
				expect: (m) => /API key/i.test(m) && /401/.test(m),
				wants: 'name the API key and HTTP 401',
				file: '04-credential-test-wrong-key.png',
			}),
	},
	{
		name: 'Save with a Base URL where nothing serves /jm (404 HTML): the test fails, naming that URL',
		setup: () => startLoopbackServer({ status: 404, body: NOT_FOUND_HTML }),
		async act(ctx, nowhere) {
			await saveExpectingFailure(ctx, {
				values: { apiKey: ctx.fake.apiKey, baseUrl: nowhere.url },
				expect: (m) =>
					m.includes(`${nowhere.url}/jm`) && !m.includes('{Base URL}') && !/API key/i.test(m),
				wants: `name ${nowhere.url}/jm (the Base URL typed) and not the key`,
				file: '05-credential-test-wrong-base-url.png',
			});
			ctx.assert(nowhere.requests > 0, 'n8n never asked the 404 server');
		},
		cleanup: (_ctx, nowhere) => nowhere?.close(),
	},
	{
		name: "Save with the right key and the fake's Base URL: the test passes and the credential is selected",
		gate: true,
		async act(ctx) {
			const modal = credentialModal(ctx);
			const verdict = await saveCredential(ctx, { baseUrl: ctx.fake.url });
			ctx.assert(verdict.status === 'OK', `n8n says ${JSON.stringify(verdict)}`);
			// 2.41 closes the modal of a new credential once its test passed; an open one shows the success banner.
			await Promise.race([modal.waitFor({ state: 'hidden' }), testSuccess(ctx).waitFor()]);
			if (await modal.isVisible()) await closeCredentialModal(ctx);
			await ctx.assertCredentialSelected();
		},
	},
	[
		{
			name: 'reopen the saved credential (pencil): its test passes',
			gate: true,
			async act(ctx) {
				await ctx.ndv().locator(ctx.tid('credential-edit-button')).click();
				await credentialModal(ctx).waitFor();
				await testSuccess(ctx).waitFor({ timeout: CREDENTIAL_TEST_TIMEOUT_MS });
			},
		},
		...retrySteps,
		{
			name: 'close the credential modal',
			async act(ctx) {
				await setUnknownTaskMode(ctx, 'status-not-found').catch(() => {});
				await closeCredentialModal(ctx);
			},
		},
	],
	{
		name: 'no credential test created a task or sent a submit',
		act(ctx) {
			const [before, after] = [ctx.statsBefore, ctx.fake.stats()];
			const [tasks, submits] = ['tasksCreated', 'submits'].map((k) => after[k] - before[k]);
			ctx.assert(!tasks && !submits, `tasksCreated +${tasks}, submits +${submits}`);
			return `the credential steps took ${Date.now() - ctx.credentialStart} ms`;
		},
	},
];

/** A step that opens a parameter's dropdown (select or collection), reads its entries and closes it. */
const dropdownStep = (
	name,
	testId,
	{ what, entry = '[role="option"]', file, expected, count },
) => ({
	name,
	async act(ctx) {
		const select = await ctx.openSelect(ctx.params(), ctx.tid(testId));
		const texts = await select.list.locator(entry).allInnerTexts();
		if (file) await ctx.screenshot(file, { keepOpen: true });
		await ctx.closeSelect(select);
		const titles = texts.map((text) => text.split('\n')[0].trim());
		ctx.assertIncludes(titles, expected, what);
		if (count)
			ctx.assert(titles.length === count, `expected ${count} ${what}, got ${titles.length}`);
	},
});

const parameterSteps = [
	dropdownStep(
		'Operation: the dropdown lists Submit, Get Task and Get Balance',
		'parameter-input-operation',
		{ what: 'operation options', expected: ['Submit', 'Get Task', 'Get Balance'] },
	),
	dropdownStep('Size: the dropdown lists the 23 presets', 'parameter-input-size', {
		what: 'size options',
		file: '07-size-presets.png',
		count: 23,
		expected: [
			...[
				'1K Square 1:1 (1024×1024)',
				'2K Square 1:1 (2048×2048)',
				'2K Landscape 16:9 (2560×1440)',
			],
			...['4K Landscape 21:9 (6198×2656)', 'Auto Ratio at 2K', 'Custom Width and Height'],
		],
	}),
	dropdownStep(
		'Options: "Add Option" lists Download Images, Max Concurrent Tasks, Watermark, …',
		'collection-parameter-add',
		{
			what: 'option list',
			entry: '[data-test-id="collection-parameter-option"]',
			expected: [
				...['Download Images', 'Max Concurrent Tasks', 'Max Retries', 'Output'],
				...['Put Output in Field', 'Reference Link Lifetime (Seconds)', 'Watermark'],
			],
		},
	),
];

const executeSteps = [
	{
		name: 'type a prompt and "Execute step": the node succeeds with one task',
		gate: true,
		async act(ctx) {
			const { fake, tid, output } = ctx;
			const prompt = ctx.fieldIn(ctx.params(), 'parameter-input-prompt', 'textarea');
			await prompt.fill(PROMPT);
			ctx.assert((await prompt.inputValue()) === PROMPT, 'the prompt did not take');
			const [before, e0] = [fake.tasks.size, Date.now()];
			const success = output().locator(tid('node-run-status-success'));
			await ctx.executeStep(success.or(output().locator(tid('ndv-run-data-display-mode'))).first());
			const tasks = fake.tasks.size - before;
			ctx.assert(tasks === 1, `the fake gateway got ${tasks} tasks, expected 1`);
			ctx.task = [...fake.tasks.values()].sort((a, b) => b.createdAt - a.createdAt)[0];
			const image = (e) => e.kind === 'image' && e.taskId === ctx.task.id && e.statusCode === 200;
			ctx.served = fake.log.find(image);
			return `execution ${Date.now() - e0} ms`;
		},
	},
	[
		{
			name: ({ task }) =>
				`the output panel shows the binary image: jimeng-${task.id}-1.png, image/png`,
			gate: true,
			async act(ctx) {
				const { task, served, tid, assert, output } = ctx;
				assert(task.prompt === PROMPT, `the fake's task has prompt ${JSON.stringify(task.prompt)}`);
				const binaryCard = output().locator(tid('ndv-binary-data_0'));
				if (!(await binaryCard.isVisible()))
					await output().locator(tid('radio-button-binary')).click();
				await binaryCard.waitFor();
				const text = await binaryCard.innerText();
				ctx.assertIncludes(text, [`jimeng-${task.id}-1.png`, 'image/png', 'png'], 'binary card');
				assert(served, `the fake gateway served no image for task ${task.id}`);
				const size = `${served.bytes} B`;
				if (served.bytes < 1024)
					assert(text.includes(size), `binary card size is not ${size}: ${text}`);
				const itemsCount = output().locator(tid('ndv-items-count'));
				const itemCount = await itemsCount.innerText().catch(() => '');
				assert(/\b1 item\b/.test(itemCount), `items count ${JSON.stringify(itemCount)}`);
				await output().locator(tid('ndv-view-binary-data')).waitFor();
				await ctx.screenshot('08-output-image.png');
			},
		},
		{
			name: '"View" shows the image itself, byte for byte the one the fake gateway served',
			async act(ctx) {
				const { page, served, output } = ctx;
				await output().locator(ctx.tid('ndv-view-binary-data')).first().click();
				const image = output().locator('img[src*="/rest/binary-data"]').first();
				await image.waitFor();
				const loaded = (el) => el.complete && el.naturalWidth > 0;
				await page.waitForFunction(loaded, await image.elementHandle(), { timeout: 10_000 });
				// The image's own URL, fetched with the page's session (the browser context's cookies).
				const src = await image.getAttribute('src');
				const shown = await page.request.get(new URL(src, page.url()).href);
				ctx.assert(shown.status() === 200, `GET ${src}: ${shown.status()}`);
				const buffer = await shown.body();
				ctx.assert(buffer.subarray(1, 4).toString() === 'PNG', 'not a PNG');
				const sha256 = createHash('sha256').update(buffer).digest('hex');
				ctx.assert(
					buffer.length === served.bytes && sha256 === served.sha256,
					`shown ${buffer.length} B ${sha256}, served ${served.bytes} B ${served.sha256}`,
				);
			},
		},
	],
	{
		name: 'the workflow was saved and its execution stored: manual, success, the task id',
		async act({ n8n, task, assert, lastExecution }) {
			const { execution, items } = await lastExecution(n8n);
			const what = `execution ${execution.id}: ${execution.status} ${execution.mode}`;
			assert(execution.status === 'success' && execution.mode === 'manual', what);
			const [item] = items;
			const stored = items.length === 1 && item.taskId === task.id && item.status === 'success';
			assert(stored, `items ${JSON.stringify(items).slice(0, 300)}`);
		},
	},
];

const saveSteps = [
	{
		name: 'close the panel: the canvas shows Manual Trigger → Jimeng',
		async act(ctx) {
			const { page, tid } = ctx;
			await ctx.closeNodeDetails();
			const nodes = page.locator(tid('canvas-node'));
			const types = await nodes.evaluateAll((els) => els.map((el) => el.dataset.nodeType));
			ctx.assertIncludes(types, ['n8n-nodes-base.manualTrigger', NODE_TYPE], 'canvas nodes');
			await page.locator(tid('canvas-node-status-success')).first().waitFor();
			const zoomToFit = page.locator(tid('zoom-to-fit'));
			await zoomToFit.click().catch(() => {});
			await ctx.screenshot('09-workflow.png');
		},
	},
	{
		name: 'Ctrl+S saves the workflow: the stored Jimeng node has Number of Images 2',
		act: (ctx) => ctx.saveAndReadNode(ctx.n8n, (parameters) => parameters.numberOfImages === 2),
	},
];

/** The whole walk after sign-in; the tables every line shares come from the driver. */
export const walkSteps = ({ newWorkflowSteps, nodePanelSteps, agentToolSteps }) => [
	...newWorkflowSteps,
	...nodePanelSteps,
	pickNode,
	...credentialSteps,
	...parameterSteps,
	...submitParameterSteps,
	...executeSteps,
	numberOfImagesSteps,
	...saveSteps,
	getBalanceSteps,
	[...newWorkflowSteps, ...agentToolSteps],
];

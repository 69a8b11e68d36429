// The walk's steps after the node panel (test/e2e/browser.mjs runs them on n8n 2.41.1): add the
// node with its Submit action; a new credential, saved with a wrong key, with a Base URL where
// nothing serves /jm, then right, and retested against every unknown-task answer of the fake; the
// parameters a new node shows; a prompt, "Execute step" and the image in the output panel; Number of
// Images 2; the workflow saved; Get Balance (browser-get-balance.mjs); then the node handed to an AI
// Agent.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

import { getBalanceSteps } from './browser-get-balance.mjs';
import { numberOfImagesSteps, submitParameterSteps } from './browser-number-of-images.mjs';
import { NOT_FOUND_HTML, startLoopbackServer } from './loopback-server.mjs';

const require = createRequire(import.meta.url);
const { UNKNOWN_TASK_MODES } = require('../fake-jimeng');

const NODE_TYPE = 'n8n-nodes-jimeng.jimeng';
const NODE_NAME = 'Jimeng';
const SUBMIT_ACTION = 'Generate an image'; // the Submit operation's action name
const PROMPT = 'A lighthouse on a cliff at dusk, oil painting texture';
const CREDENTIAL_TEST_TIMEOUT_MS = 40_000;
const EXECUTION_TIMEOUT_MS = 60_000;

const ndv = ({ page, tid }) => page.locator(tid('ndv'));
const params = (ctx) => ndv(ctx).locator(ctx.tid('node-parameters'));
const output = (ctx) => ndv(ctx).locator(ctx.tid('output-panel'));
const credentialModal = ({ page, tid }) =>
	page.locator('.el-dialog').filter({ has: page.locator(tid('credential-edit-dialog')) });

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

async function fillCredential(ctx, values) {
	for (const [name, value] of Object.entries(values))
		await credentialModal(ctx)
			.locator(`${ctx.tid(`parameter-input-${name}`)} input`)
			.fill(value);
}

/** Save (which tests), expecting a failure banner whose message must pass `expect`. */
async function saveExpectingFailure(ctx, { expect, wants, file }) {
	const modal = credentialModal(ctx);
	const save = modal.locator(ctx.tid('credential-save-button'));
	const verdict = await runCredentialTest(ctx, () => save.click());
	ctx.assert(
		verdict.status === 'Error',
		`n8n says ${JSON.stringify(verdict)}; expected an Error that ${wants}`,
	);
	ctx.assert(
		expect(verdict.message),
		`the message does not ${wants}: ${JSON.stringify(verdict.message)}`,
	);
	await modal
		.getByText(/Couldn.t connect with these settings/)
		.first()
		.waitFor({ state: 'visible' });
	const more = modal.getByText('More details', { exact: true });
	if (await more.isVisible().catch(() => false)) await more.click();
	await modal
		.getByText(verdict.message.slice(0, 60), { exact: false })
		.first()
		.waitFor({ state: 'visible' });
	await ctx.screenshot(file, { keepOpen: true });
}

/** The fake's unknown-task answer, switched over its control route as a user's proxy would change. */
async function setUnknownTaskMode({ fake }, mode) {
	const res = await fetch(`${fake.url}/__fake/options`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ unknownTask: mode }),
	});
	return res.status;
}

const pickNode = {
	name: `pick Jimeng, then its Submit action "${SUBMIT_ACTION}": the node panel opens on Submit`,
	gate: true,
	async act(ctx) {
		const { page, tid, creatorItems } = ctx;
		await ctx.creatorNode(NODE_NAME).first().click();
		const action = creatorItems().filter({ hasText: SUBMIT_ACTION }).first();
		await action.waitFor({ state: 'visible' });
		const actions = (await creatorItems().allInnerTexts()).map((t) => t.split('\n')[0].trim());
		const others = ['Get a generation task', "Get the API key's balance"];
		ctx.assertIncludes(actions, [SUBMIT_ACTION, ...others], 'actions');
		await ctx.screenshot('03-node-actions.png', { keepOpen: true });
		await action.click();
		await params(ctx).waitFor({ state: 'visible' });
		const operation = params(ctx)
			.locator(`${tid('parameter-input-operation')} input`)
			.first();
		const value = await operation.inputValue();
		ctx.assert(value === 'Submit', `Operation is ${JSON.stringify(value)}`);
		await page
			.locator(`${tid('canvas-node')}[data-node-type="${NODE_TYPE}"]`)
			.waitFor({ state: 'attached' });
	},
};

const retrySteps = Object.entries(UNKNOWN_TASK_MODES).map(([mode, answer], index, modes) => ({
	name: `Retry with the gateway answering an unknown task "${mode}" (HTTP ${answer.httpStatus}, code ${answer.code}): success`,
	async act(ctx) {
		const { fake, tid } = ctx;
		const status = await setUnknownTaskMode(ctx, mode);
		ctx.assert(status === 200, `the fake's control route answered HTTP ${status}`);
		const from = fake.log.length;
		const modal = credentialModal(ctx);
		const banner = modal.locator(tid('credentials-config-container-test-success'));
		const retry = banner
			.getByRole('button', { name: 'Retry' })
			.or(modal.getByRole('button', { name: 'Retry' }));
		const verdict = await runCredentialTest(ctx, () => retry.first().click());
		const queries = fake.log.slice(from).filter((e) => e.kind === 'query');
		ctx.assert(
			queries.length && queries.every((e) => e.statusCode === answer.httpStatus),
			`the fake answered ${queries.map((e) => e.statusCode).join(',') || 'nothing'}`,
		);
		ctx.assert(verdict.status === 'OK', `n8n says ${JSON.stringify(verdict)}`);
		await banner.waitFor({ state: 'visible' });
		await modal.getByText('Connection tested successfully').first().waitFor({ state: 'visible' });
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
			await ndv(ctx).locator(ctx.tid('node-credentials-empty-state')).locator('button').click();
			await modal.waitFor({ state: 'visible' });
			await modal
				.locator(`${ctx.tid('parameter-input-apiKey')} input`)
				.waitFor({ state: 'visible' });
			ctx.assert(/Jimeng API/.test(await modal.innerText()), 'the modal does not say "Jimeng API"');
		},
	},
	{
		name: 'Save with a wrong key: the test fails, naming the key (HTTP 401)',
		async act(ctx) {
			await fillCredential(ctx, {
				apiKey: `sk-wrong-${Date.now().toString(36)}`,
				baseUrl: ctx.fake.url,
			});
			await saveExpectingFailure(ctx, {
				expect: (m) => /API key/i.test(m) && /401/.test(m),
				wants: 'name the API key and HTTP 401',
				file: '04-credential-test-wrong-key.png',
			});
		},
	},
	{
		name: 'Save with a Base URL where nothing serves /jm (404 HTML): the test fails, naming that URL',
		// A web server's 404 page for every path.
		setup: () => startLoopbackServer({ status: 404, body: NOT_FOUND_HTML }),
		async act(ctx, nowhere) {
			await fillCredential(ctx, { apiKey: ctx.fake.apiKey, baseUrl: nowhere.url });
			await saveExpectingFailure(ctx, {
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
			await fillCredential(ctx, { baseUrl: ctx.fake.url });
			const verdict = await runCredentialTest(ctx, () =>
				modal.locator(ctx.tid('credential-save-button')).click(),
			);
			ctx.assert(verdict.status === 'OK', `n8n says ${JSON.stringify(verdict)}`);
			// 2.41 closes the modal of a new credential once its test passed; an open one shows the success banner.
			const success = modal.locator(ctx.tid('credentials-config-container-test-success'));
			await Promise.race([
				modal.waitFor({ state: 'hidden' }),
				success.waitFor({ state: 'visible' }),
			]);
			if (await modal.isVisible()) await modal.locator('.el-dialog__headerbtn').first().click();
			await modal.waitFor({ state: 'hidden' });
			const selected = await ndv(ctx)
				.locator(`${ctx.tid('node-credentials-select')} input`)
				.first()
				.inputValue();
			ctx.assert(
				/Jimeng/.test(selected),
				`the credential select shows ${JSON.stringify(selected)}`,
			);
		},
	},
	[
		{
			name: 'reopen the saved credential (pencil): its test passes',
			gate: true,
			async act(ctx) {
				const modal = credentialModal(ctx);
				await ndv(ctx).locator(ctx.tid('credential-edit-button')).click();
				await modal.waitFor({ state: 'visible' });
				await modal
					.locator(ctx.tid('credentials-config-container-test-success'))
					.waitFor({ state: 'visible', timeout: CREDENTIAL_TEST_TIMEOUT_MS });
			},
		},
		...retrySteps,
		{
			name: 'close the credential modal',
			async act(ctx) {
				await setUnknownTaskMode(ctx, 'status-not-found').catch(() => {});
				await credentialModal(ctx).locator('.el-dialog__headerbtn').first().click();
				await credentialModal(ctx).waitFor({ state: 'hidden' });
			},
		},
	],
	{
		name: 'no credential test created a task or sent a submit',
		act(ctx) {
			const [before, after] = [ctx.statsBefore, ctx.fake.stats()];
			ctx.assert(
				after.tasksCreated === before.tasksCreated && after.submits === before.submits,
				`tasksCreated +${after.tasksCreated - before.tasksCreated}, submits +${after.submits - before.submits}`,
			);
			return `the credential steps took ${Date.now() - ctx.credentialStart} ms`;
		},
	},
];

/** Open a parameter's dropdown (select or collection), read its entries, close it. */
const dropdownEntries = async (ctx, testId, { entry = '[role="option"]', file } = {}) => {
	const select = await ctx.openSelect(params(ctx), ctx.tid(testId));
	const texts = await select.list.locator(entry).allInnerTexts();
	if (file) await ctx.screenshot(file, { keepOpen: true });
	await ctx.closeSelect(select);
	return texts.map((text) => text.split('\n')[0].trim());
};

const parameterSteps = [
	{
		name: 'Operation: the dropdown lists Submit, Get Task and Get Balance',
		act: (ctx) => dropdownEntries(ctx, 'parameter-input-operation'),
		assert: (titles, ctx) =>
			ctx.assertIncludes(titles, ['Submit', 'Get Task', 'Get Balance'], 'operation options'),
	},
	{
		name: 'Size: the dropdown lists the 23 presets',
		act: (ctx) => dropdownEntries(ctx, 'parameter-input-size', { file: '07-size-presets.png' }),
		assert(titles, ctx) {
			const some = [
				'1K Square 1:1 (1024×1024)',
				'2K Square 1:1 (2048×2048)',
				'2K Landscape 16:9 (2560×1440)',
			];
			some.push('4K Landscape 21:9 (6198×2656)', 'Auto Ratio at 2K', 'Custom Width and Height');
			ctx.assertIncludes(titles, some, 'size options');
			ctx.assert(titles.length === 23, `expected 23 size options, got ${titles.length}`);
		},
	},
	{
		name: 'Options: "Add Option" lists Download Images, Max Concurrent Tasks, Watermark, …',
		act: (ctx) =>
			dropdownEntries(ctx, 'collection-parameter-add', {
				entry: ctx.tid('collection-parameter-option'),
			}),
		assert(titles, ctx) {
			const options = ['Download Images', 'Max Concurrent Tasks', 'Max Retries', 'Output'];
			options.push('Put Output in Field', 'Reference Link Lifetime (Seconds)', 'Watermark');
			ctx.assertIncludes(titles, options, 'option list');
		},
	},
];

const executeSteps = [
	{
		name: 'type a prompt and "Execute step": the node succeeds with one task',
		gate: true,
		async act(ctx) {
			const { fake, tid } = ctx;
			const prompt = params(ctx)
				.locator(`${tid('parameter-input-prompt')} textarea`)
				.first();
			await prompt.fill(PROMPT);
			ctx.assert((await prompt.inputValue()) === PROMPT, 'the prompt did not take');
			const before = fake.tasks.size;
			const e0 = Date.now();
			await ndv(ctx).locator(tid('node-execute-button')).first().click();
			await output(ctx)
				.locator(tid('node-run-status-success'))
				.or(output(ctx).locator(tid('ndv-run-data-display-mode')))
				.first()
				.waitFor({ state: 'visible', timeout: EXECUTION_TIMEOUT_MS });
			const tasks = fake.tasks.size - before;
			ctx.assert(tasks === 1, `the fake gateway got ${tasks} tasks, expected 1`);
			ctx.task = [...fake.tasks.values()].sort((a, b) => b.createdAt - a.createdAt)[0];
			ctx.served = fake.log.find(
				(e) => e.kind === 'image' && e.taskId === ctx.task.id && e.statusCode === 200,
			);
			return `execution ${Date.now() - e0} ms`;
		},
	},
	[
		{
			name: ({ task }) =>
				`the output panel shows the binary image: jimeng-${task.id}-1.png, image/png`,
			gate: true,
			async act(ctx) {
				const { task, served, tid, assert } = ctx;
				assert(task.prompt === PROMPT, `the fake's task has prompt ${JSON.stringify(task.prompt)}`);
				const binaryCard = output(ctx).locator(tid('ndv-binary-data_0'));
				if (!(await binaryCard.isVisible()))
					await output(ctx).locator(tid('radio-button-binary')).click();
				await binaryCard.waitFor({ state: 'visible' });
				const text = await binaryCard.innerText();
				ctx.assertIncludes(text, [`jimeng-${task.id}-1.png`, 'image/png', 'png'], 'binary card');
				assert(served, `the fake gateway served no image for task ${task.id}`);
				if (served.bytes < 1024)
					assert(
						text.includes(`${served.bytes} B`),
						`binary card size is not ${served.bytes} B: ${text}`,
					);
				const itemCount = await output(ctx)
					.locator(tid('ndv-items-count'))
					.innerText()
					.catch(() => '');
				assert(/\b1 item\b/.test(itemCount), `items count ${JSON.stringify(itemCount)}`);
				await output(ctx).locator(tid('ndv-view-binary-data')).waitFor({ state: 'visible' });
				await ctx.screenshot('08-output-image.png');
			},
		},
		{
			name: '"View" shows the image itself, byte for byte the one the fake gateway served',
			async act(ctx) {
				const { page, served } = ctx;
				await output(ctx).locator(ctx.tid('ndv-view-binary-data')).first().click();
				const image = output(ctx).locator('img[src*="/rest/binary-data"]').first();
				await image.waitFor({ state: 'visible' });
				const loaded = (el) => el.complete && el.naturalWidth > 0;
				await page.waitForFunction(loaded, await image.elementHandle(), { timeout: 10_000 });
				const src = await image.getAttribute('src');
				const shown = await page.evaluate(async (url) => {
					const res = await fetch(url, { credentials: 'include' });
					let binary = '';
					for (const byte of new Uint8Array(await res.arrayBuffer()))
						binary += String.fromCharCode(byte);
					return { status: res.status, base64: btoa(binary) };
				}, src);
				ctx.assert(shown.status === 200, `GET ${src}: ${shown.status}`);
				const buffer = Buffer.from(shown.base64, 'base64');
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
		async act(ctx) {
			const { n8n, task, assert } = ctx;
			const workflowId = ctx.workflowIdShown();
			const [execution] = await n8n.listExecutions({ workflowId, limit: 5 });
			assert(execution, `no execution listed for workflow ${workflowId}`);
			const what = `execution ${execution.id}: ${execution.status} ${execution.mode}`;
			assert(execution.status === 'success' && execution.mode === 'manual', what);
			const full = await n8n.getExecution(execution.id);
			const items = full.data.resultData.runData[NODE_NAME]?.[0]?.data?.main?.[0] ?? [];
			assert(
				items.length === 1 &&
					items[0].json.taskId === task.id &&
					items[0].json.status === 'success',
				`items ${JSON.stringify(items.map((i) => i.json)).slice(0, 300)}`,
			);
		},
	},
];

const saveSteps = [
	{
		name: 'close the panel: the canvas shows Manual Trigger → Jimeng',
		async act(ctx) {
			const { page, tid } = ctx;
			await ctx.closeNodeDetails();
			const types = await page
				.locator(tid('canvas-node'))
				.evaluateAll((els) => els.map((el) => el.getAttribute('data-node-type')));
			ctx.assertIncludes(types, ['n8n-nodes-base.manualTrigger', NODE_TYPE], 'canvas nodes');
			await page.locator(tid('canvas-node-status-success')).first().waitFor({ state: 'visible' });
			await page
				.locator(tid('zoom-to-fit'))
				.click()
				.catch(() => {});
			await ctx.screenshot('09-workflow.png');
		},
	},
	{
		name: 'Ctrl+S saves the workflow: the stored Jimeng node has Number of Images 2',
		act: (ctx) =>
			ctx.saveAndRead(ctx.n8n, (workflow) => {
				const node = workflow.nodes.find((n) => n.type === NODE_TYPE);
				return node?.parameters?.numberOfImages === 2 || JSON.stringify(node?.parameters);
			}),
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

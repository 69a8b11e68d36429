#!/usr/bin/env node
// The editor, in a real browser: `npm run test:browser`.
//
// Starts a sandbox (n8n 2.41.1 with this package installed as a community package, the fake Jimeng
// gateway, a Jimeng API credential and the example workflows), starts n8n in server mode, creates the
// owner, then drives Debian's chromium (headless, through playwright-core) like a person would: signs
// in on the sign-in page, opens the "text to image" example, opens the Jimeng node, checks that its
// parameters render (operations, Prompt, Size and its presets, switches, Wait for Completion with Poll
// Interval and Timeout, the Options list), executes the workflow with "Execute workflow" and checks
// that the output panel shows the generated image as binary data (file name, mime type, size, and the
// image itself, byte for byte the one the fake served). Screenshots go to docs/screenshots/.
//
//   node test/e2e/browser.mjs            (npm run test:browser installs chromium and n8n first)
//
// Env: BROWSER_N8N_VERSION (default 2.41.1), BROWSER_SCREENSHOTS_DIR (default docs/screenshots),
// BROWSER_ARTIFACTS_DIR (failure screenshots and DOM dumps; default a temp folder),
// N8N_E2E_ECHO=1 mirrors n8n's output.
// Prints `N passed, M failed` as its last line; exit code 1 on any failure.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { chromium } from 'playwright-core';

import { REPO_ROOT, buildAndPackRepo } from '../../scripts/n8n/lib.mjs';
import { prepareSandbox } from '../../scripts/n8n/sandbox.mjs';

const VERSION = process.env.BROWSER_N8N_VERSION ?? '2.41.1';
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(REPO_ROOT, process.env.BROWSER_SCREENSHOTS_DIR ?? 'docs/screenshots');
const VIEWPORT = { width: 1440, height: 900 };
const EXAMPLE = 'text-to-image';
const NODE_NAME = 'Jimeng';
const WATCHDOG_MS = 180_000; // the whole test, cleanup included (normally ~40 s)
const ACTION_TIMEOUT_MS = 15_000;
const EXECUTION_TIMEOUT_MS = 60_000;

const tid = (id) => `[data-test-id="${id}"]`;

// ------------------------------------------------------------------ checks and reporting
let passed = 0;
let failed = 0;
const failures = [];
const timings = {};
const t0 = Date.now();
let artifactsDir = null;
let page = null;

async function artifacts() {
	artifactsDir ??= process.env.BROWSER_ARTIFACTS_DIR
		? path.resolve(process.env.BROWSER_ARTIFACTS_DIR)
		: await mkdtemp(path.join(tmpdir(), 'jimeng-browser-'));
	await mkdir(artifactsDir, { recursive: true });
	return artifactsDir;
}

/** Screenshot + DOM dump of the current page, for a failed step. */
async function dumpPage(label) {
	if (!page || page.isClosed()) return;
	try {
		const dir = await artifacts();
		const base = path.join(dir, label.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
		await page.screenshot({ path: `${base}.png`, timeout: 5000 }).catch(() => {});
		const html = await page.content().catch(() => '');
		await writeFile(`${base}.html`, html);
		console.log(`        page at failure: ${base}.png, ${base}.html (url ${page.url()})`);
	} catch {
		/* best effort */
	}
}

/** One named check; `fn` throws (or returns false) to fail. Returns whether it passed. */
async function check(name, fn) {
	const start = Date.now();
	try {
		const result = await fn();
		if (result === false) throw new Error('check returned false');
		passed++;
		console.log(`  ok    ${name} (${Date.now() - start} ms)`);
		return true;
	} catch (error) {
		failed++;
		const message = String(error?.message ?? error).split('\n').slice(0, 8).join('\n        ');
		failures.push({ name, message });
		console.log(`  FAIL  ${name} (${Date.now() - start} ms)\n        ${message}`);
		await dumpPage(name);
		return false;
	}
}

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

function assertIncludes(haystack, needles, what) {
	const missing = needles.filter((needle) => !haystack.includes(needle));
	assert(!missing.length, `${what}: missing ${JSON.stringify(missing)} in ${JSON.stringify(haystack)}`);
}

// ------------------------------------------------------------------ page helpers

/** Close toasts and any dialog that is not the node panel (what's new, surveys, banners). */
async function dismissDistractions() {
	for (const close of await page.locator('.el-notification .el-notification__closeBtn').all()) {
		await close.click({ timeout: 2000 }).catch(() => {});
	}
	for (const close of await page.locator('[data-test-id^="banner-"][data-test-id$="-close"]').all()) {
		if (await close.isVisible()) await close.click({ timeout: 2000 }).catch(() => {});
	}
	// Modals n8n may show on a fresh instance (what's new, NPS survey, personalization, …): every visible
	// element-plus dialog other than the node details view.
	// Escape is used only while the node panel is closed (it would close the panel).
	for (let i = 0; i < 3; i++) {
		const dialogs = page.locator('.el-dialog:visible, [role="dialog"]:visible').filter({ hasNot: page.locator(tid('node-parameters')) });
		if (!(await dialogs.count())) break;
		const closeButton = dialogs.first().locator('.el-dialog__headerbtn, [data-test-id="close-button"], [aria-label="Close"]').first();
		if (await closeButton.isVisible().catch(() => false)) await closeButton.click({ timeout: 2000 }).catch(() => {});
		else if (!(await page.locator(tid('ndv')).isVisible())) await page.keyboard.press('Escape');
		else break;
		await delay(300);
	}
	await page.locator('.el-notification').first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {});
}

/** A screenshot for the README: mouse out of the way, fonts loaded, no toasts, animations settled. */
async function screenshot(file, { keepOpen = false } = {}) {
	await page.mouse.move(VIEWPORT.width - 4, VIEWPORT.height - 4);
	if (!keepOpen) await dismissDistractions();
	await page.evaluate(() => document.fonts.ready);
	await delay(400); // transitions (dropdown fade-in, canvas fit-view)
	const target = path.join(SCREENSHOTS, file);
	await page.screenshot({ path: target, animations: 'disabled', timeout: 10_000 });
	console.log(`        screenshot ${path.relative(REPO_ROOT, target)}`);
}

/** Open an element-plus select inside `scope` and return its listbox (the input's aria-controls). */
async function openSelect(scope, selector) {
	const input = scope.locator(`${selector} input`).first();
	await input.scrollIntoViewIfNeeded();
	await input.click();
	const listId = await input.getAttribute('aria-controls');
	assert(listId, `${selector}: the select input has no aria-controls`);
	const list = page.locator(`[id="${listId}"]`);
	await list.waitFor({ state: 'visible' });
	await page.waitForFunction(
		(id) => {
			const popper = document.getElementById(id)?.closest('.el-popper');
			return !popper || getComputedStyle(popper).opacity === '1';
		},
		listId,
		{ timeout: 5000 },
	).catch(() => {});
	return { input, list };
}

/** Close a select opened by openSelect without touching its value (a second click on the input). */
async function closeSelect({ input, list }) {
	if (await list.isVisible()) await input.click();
	await list.waitFor({ state: 'hidden', timeout: 5000 }).catch(async () => {
		// Escape closes an open dropdown only; it would close the node panel if nothing were open.
		if (await list.isVisible()) await page.keyboard.press('Escape');
	});
}

/** Option headlines of a parameter dropdown (first line of each option's text). */
async function optionTitles(list) {
	const texts = await list.locator('[role="option"]').allInnerTexts();
	return texts.map((text) => text.split('\n')[0].trim());
}

// ------------------------------------------------------------------ cleanup (also on failure, signal, watchdog)
let sandbox = null;
let buildDir = null;
let context = null;
let userDataDir = null;
let cleaning = null;

function cleanup() {
	cleaning ??= (async () => {
		const c0 = Date.now();
		if (context) await Promise.race([context.close().catch(() => {}), delay(10_000)]);
		if (sandbox) await Promise.race([sandbox.dispose().catch((e) => console.log(`  sandbox dispose: ${e.message}`)), delay(30_000)]);
		if (userDataDir) await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
		if (buildDir) await rm(buildDir, { recursive: true, force: true }).catch(() => {});
		timings.cleanup = Date.now() - c0;
	})();
	return cleaning;
}

let finished = false;
function finish(code) {
	if (finished) return;
	finished = true;
	timings.total = Date.now() - t0;
	console.log(`timings: ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}`);
	if (failures.length) console.log(`failed: ${failures.map((f) => f.name).join('; ')}`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(code);
}

const watchdog = setTimeout(async () => {
	console.log(`  FAIL  watchdog: the browser test took longer than ${WATCHDOG_MS / 1000} s`);
	failed++;
	failures.push({ name: 'watchdog', message: 'timeout' });
	await dumpPage('watchdog');
	await Promise.race([cleanup(), delay(20_000)]);
	finish(1);
}, WATCHDOG_MS);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, async () => {
		console.log(`  interrupted by ${signal}`);
		failed++;
		await Promise.race([cleanup(), delay(20_000)]);
		finish(1);
	});
}

// ------------------------------------------------------------------ the test
async function main() {
	console.log(`browser test: n8n ${VERSION}, ${CHROMIUM}, screenshots in ${path.relative(REPO_ROOT, SCREENSHOTS)}/`);

	const ready = await check('chromium and playwright-core are there', async () => {
		assert(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/browser/install-chromium.sh (npm run test:browser does)`);
		assert(typeof chromium.launchPersistentContext === 'function', 'playwright-core has no chromium.launchPersistentContext');
	});
	if (!ready) return;

	// -------------------------------------------------------------- n8n + fake gateway
	let s0 = Date.now();
	const started = await check(`sandbox: n8n ${VERSION} with the package, fake gateway, credential and examples`, async () => {
		// Built and packed here (not inside prepareSandbox) so that the temp build folder is removed too.
		const built = await buildAndPackRepo();
		buildDir = built.dir;
		sandbox = await prepareSandbox({ version: VERSION, tarball: built.tarball, fakeOptions: { latencyMs: 1000 } });
		timings.sandbox = Date.now() - s0;
		s0 = Date.now();
		await sandbox.instance.start();
		timings.n8nStart = Date.now() - s0;
		await sandbox.instance.setupOwner();
	});
	if (!started) return;
	const n8n = sandbox.instance;
	const { email, password } = n8n.owner;
	const workflow = sandbox.example(EXAMPLE).workflow;
	const jimengNode = workflow.nodes.find((node) => node.name === NODE_NAME);
	console.log(`        n8n at ${n8n.baseUrl}, fake gateway at ${sandbox.fake.url}, workflow ${workflow.id}`);

	// -------------------------------------------------------------- browser
	s0 = Date.now();
	const launched = await check('chromium starts headless through playwright-core', async () => {
		userDataDir = await mkdtemp(path.join(tmpdir(), 'jimeng-chromium-'));
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
			viewport: VIEWPORT,
			deviceScaleFactor: 1,
			locale: 'en-US',
			timezoneId: 'UTC',
			timeout: 30_000,
			// Our own handlers close the browser, n8n and the fake, then print the summary.
			handleSIGINT: false,
			handleSIGTERM: false,
			handleSIGHUP: false,
		});
		context.setDefaultTimeout(ACTION_TIMEOUT_MS);
		context.setDefaultNavigationTimeout(30_000);
		page = context.pages()[0] ?? (await context.newPage());
		timings.browserLaunch = Date.now() - s0;
		console.log(`        ${context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent))}`);
	});
	if (!launched) return;
	const pageErrors = [];
	page.on('pageerror', (error) => pageErrors.push(String(error?.message ?? error)));

	// -------------------------------------------------------------- sign in
	s0 = Date.now();
	const signedIn = await check('sign in on the sign-in page', async () => {
		await page.goto(`${n8n.baseUrl}/signin`);
		const form = page.locator(tid('auth-form'));
		await form.waitFor();
		await form.locator(`${tid('emailOrLdapLoginId')} input`).fill(email);
		await form.locator(`${tid('password')} input`).fill(password);
		await form.locator(tid('form-submit-button')).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 20_000 });
		await page.locator(tid('main-sidebar-log-out')).or(page.locator('[data-test-id^="main-sidebar-"]')).first().waitFor({ state: 'attached' });
		// The session is the browser's own: the page's fetch to /rest/login (with the browser id the app
		// sends, to which n8n binds the session) answers with the owner.
		const me = await page.evaluate(async () => {
			const res = await fetch('/rest/login', { credentials: 'include', headers: { 'browser-id': localStorage.getItem('n8n-browserId') ?? '' } });
			return { status: res.status, body: await res.json().catch(() => null) };
		});
		assert(me.status === 200 && me.body?.data?.email === email, `GET /rest/login from the page: ${me.status} ${JSON.stringify(me.body).slice(0, 200)}`);
		timings.signIn = Date.now() - s0;
	});
	if (!signedIn) return;

	// -------------------------------------------------------------- the workflow on the canvas
	const canvasNode = page.locator(`${tid('canvas-node')}[data-node-name="${NODE_NAME}"]`);
	const opened = await check(`open the "${workflow.name}" example in the editor`, async () => {
		await page.goto(`${n8n.baseUrl}/workflow/${workflow.id}`);
		await canvasNode.waitFor({ state: 'visible', timeout: 30_000 });
		assert((await canvasNode.getAttribute('data-node-type')) === 'n8n-nodes-jimeng.jimeng', `node type ${await canvasNode.getAttribute('data-node-type')}`);
		const names = await page.locator(tid('canvas-node')).evaluateAll((els) => els.map((el) => el.getAttribute('data-node-name')));
		assertIncludes(names, ['When clicking ‘Execute workflow’', NODE_NAME], 'canvas nodes');
		assert(/Submit/.test(await canvasNode.innerText()), `the canvas node's subtitle is not "Submit": ${await canvasNode.innerText()}`);
		await page.locator(tid('execute-workflow-button')).waitFor({ state: 'visible' });
		await dismissDistractions();
		await screenshot('01-workflow.png');
	});
	if (!opened) return;

	// -------------------------------------------------------------- the node panel
	const ndv = page.locator(tid('ndv'));
	const params = ndv.locator(tid('node-parameters'));
	const panelOpen = await check('double-click the Jimeng node: its panel opens with the credential', async () => {
		await canvasNode.dblclick();
		await params.waitFor({ state: 'visible' });
		await ndv.locator(tid('parameter-input-operation')).waitFor({ state: 'visible' });
		const credential = await ndv.locator(`${tid('node-credentials-select')} input`).first().inputValue();
		assert(credential === 'Jimeng API', `credential select shows ${JSON.stringify(credential)}`);
		await screenshot('02-node-parameters.png');
	});
	if (!panelOpen) return;

	// A label's text is its first line (hovering adds Fixed/Expression toggles inside the label).
	const label = async (name) =>
		(await params.locator(`label[for="${name}"]`).first().innerText()).split('\n')[0].replace(/\s*\*$/, '').trim();
	const value = async (name, selector = ':is(input, textarea)') =>
		await params.locator(`${tid(`parameter-input-${name}`)} ${selector}`).first().inputValue();
	const switchOn = async (name) => await params.locator(`${tid(`parameter-input-${name}`)} [role="switch"]`).first().getAttribute('aria-checked');

	await check('Operation: Submit, and the dropdown lists Submit and Get Task', async () => {
		assert((await label('operation')) === 'Operation', `label ${await label('operation')}`);
		assert((await value('operation')) === 'Submit', `value ${await value('operation')}`);
		const select = await openSelect(params, tid('parameter-input-operation'));
		const titles = await optionTitles(select.list);
		await closeSelect(select);
		assertIncludes(titles, ['Submit', 'Get Task'], 'operation options');
	});

	await check('Prompt: the example prompt, with the length hint', async () => {
		assert((await label('prompt')) === 'Prompt', `label ${await label('prompt')}`);
		const prompt = await value('prompt', 'textarea');
		assert(prompt === jimengNode.parameters.prompt, `prompt ${JSON.stringify(prompt)}`);
		const item = params.locator(tid('parameter-item')).filter({ has: page.locator(tid('parameter-input-prompt')) }).last();
		assert(/800 characters/.test(await item.innerText()), 'no "800 characters" hint under Prompt');
	});

	await check('Size: "2K Landscape 16:9 (2560×1440)", and the dropdown lists the presets', async () => {
		assert((await label('size')) === 'Size', `label ${await label('size')}`);
		assert((await value('size')) === '2K Landscape 16:9 (2560×1440)', `value ${await value('size')}`);
		const select = await openSelect(params, tid('parameter-input-size'));
		const titles = await optionTitles(select.list);
		assertIncludes(
			titles,
			[
				'1K Square 1:1 (1024×1024)',
				'2K Square 1:1 (2048×2048)',
				'2K Landscape 16:9 (2560×1440)',
				'2K Portrait 9:16 (1440×2560)',
				'4K Landscape 21:9 (6198×2656)',
				'Auto Ratio at 1K',
				'Auto Ratio at 2K',
				'Auto Ratio at 4K',
				'Custom Width and Height',
			],
			'size options',
		);
		assert(titles.length === 23, `expected 23 size options, got ${titles.length}`);
		const selected = await select.list.locator('[role="option"][aria-selected="true"]').first().innerText();
		assert(selected.startsWith('2K Landscape 16:9'), `selected option ${JSON.stringify(selected)}`);
		await screenshot('03-size-presets.png', { keepOpen: true });
		await closeSelect(select);
	});

	await check('Generate a Single Image and Wait for Completion: switches, on', async () => {
		assert((await label('forceSingle')) === 'Generate a Single Image', `label ${await label('forceSingle')}`);
		assert((await switchOn('forceSingle')) === 'true', 'Generate a Single Image is off');
		assert((await label('waitForCompletion')) === 'Wait for Completion', `label ${await label('waitForCompletion')}`);
		assert((await switchOn('waitForCompletion')) === 'true', 'Wait for Completion is off');
	});

	await check('Poll Interval (Seconds) 3 and Timeout (Seconds) 600', async () => {
		assert((await label('pollInterval')) === 'Poll Interval (Seconds)', `label ${await label('pollInterval')}`);
		assert((await value('pollInterval')) === '3', `poll interval ${await value('pollInterval')}`);
		assert((await label('timeout')) === 'Timeout (Seconds)', `label ${await label('timeout')}`);
		assert((await value('timeout')) === '600', `timeout ${await value('timeout')}`);
	});

	await check('Options: "Add Option" lists Download Images, Max Concurrent Tasks, Watermark, …', async () => {
		const select = await openSelect(params, tid('collection-parameter-add'));
		const titles = (await select.list.locator(tid('collection-parameter-option')).allInnerTexts()).map((t) => t.trim());
		assertIncludes(
			titles,
			['AIGC Metadata', 'Download Images', 'Extra Body Fields', 'Max Concurrent Tasks', 'Max Retries', 'Model', 'Output', 'Put Output in Field', 'Request Key', 'Request Timeout (Seconds)', 'Text Influence', 'Watermark'],
			'option list',
		);
		await screenshot('05-options.png', { keepOpen: true });
		await closeSelect(select);
	});

	const closed = await check('close the panel', async () => {
		await ndv.locator(tid('ndv-close-button')).click();
		await ndv.waitFor({ state: 'hidden' });
	});
	if (!closed) return;

	// -------------------------------------------------------------- execute from the editor
	s0 = Date.now();
	const executed = await check('"Execute workflow": both nodes succeed', async () => {
		const before = sandbox.fake.tasks.size;
		await page.locator(tid('execute-workflow-button')).click();
		await canvasNode.locator(tid('canvas-node-status-success')).waitFor({ state: 'visible', timeout: EXECUTION_TIMEOUT_MS });
		timings.execution = Date.now() - s0;
		assert(sandbox.fake.tasks.size === before + 1, `the fake gateway got ${sandbox.fake.tasks.size - before} tasks, expected 1`);
		const errors = await page.locator('.el-notification--error, .el-notification .el-icon-error, [data-test-id="canvas-node-status-issues"]').count();
		assert(errors === 0, `${errors} error notification(s) or node issue(s) on the canvas`);
	});
	if (!executed) return;

	const task = [...sandbox.fake.tasks.values()].sort((a, b) => b.createdAt - a.createdAt)[0];
	const served = sandbox.fake.log.find((entry) => entry.kind === 'image' && entry.taskId === task.id && entry.statusCode === 200);

	await check('the execution is stored: manual, success, one item with the task id', async () => {
		assert(task.prompt === jimengNode.parameters.prompt, `fake task prompt ${JSON.stringify(task.prompt)}`);
		const [execution] = await n8n.listExecutions({ workflowId: workflow.id, limit: 5 });
		assert(execution, 'no execution listed');
		assert(execution.status === 'success' && execution.mode === 'manual', `execution ${execution.id}: ${execution.status} ${execution.mode}`);
		const full = await n8n.getExecution(execution.id);
		const items = full.data.resultData.runData[NODE_NAME]?.[0]?.data?.main?.[0] ?? [];
		assert(items.length === 1, `${items.length} output items`);
		assert(items[0].json.taskId === task.id && items[0].json.status === 'success', `item ${JSON.stringify(items[0].json).slice(0, 300)}`);
		assert(items[0].binary?.data?.mimeType === 'image/png', `binary ${JSON.stringify(items[0].binary?.data ?? null).slice(0, 300)}`);
	});

	const output = ndv.locator(tid('output-panel'));
	const fileName = `jimeng-${task.id}-1.png`;
	const outputShown = await check(`the output panel shows the binary image: ${fileName}, image/png`, async () => {
		await canvasNode.dblclick();
		await params.waitFor({ state: 'visible' });
		await output.locator(tid('ndv-run-data-display-mode')).waitFor({ state: 'visible' });
		const binaryCard = output.locator(tid('ndv-binary-data_0'));
		if (!(await binaryCard.isVisible())) await output.locator(tid('radio-button-binary')).click();
		await binaryCard.waitFor({ state: 'visible' });
		const text = await binaryCard.innerText();
		assertIncludes(text, [fileName, 'image/png', 'png'], 'binary card');
		assert(served, `the fake gateway served no image for task ${task.id}`);
		if (served.bytes < 1024) assert(text.includes(`${served.bytes} B`), `binary card size is not ${served.bytes} B: ${JSON.stringify(text)}`);
		const itemCount = await output.locator(tid('ndv-items-count')).innerText().catch(() => '');
		assert(/\b1 item\b/.test(itemCount), `items count ${JSON.stringify(itemCount)}`);
		await output.locator(tid('ndv-view-binary-data')).waitFor({ state: 'visible' });
		await screenshot('04-output-image.png');
	});

	if (outputShown) {
		await check('"View" shows the image itself, byte for byte the one the fake gateway served', async () => {
			await output.locator(tid('ndv-view-binary-data')).first().click();
			const image = output.locator('img[src*="/rest/binary-data"]').first();
			await image.waitFor({ state: 'visible' });
			await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await image.elementHandle(), { timeout: 10_000 });
			const src = await image.getAttribute('src');
			const shown = await page.evaluate(async (url) => {
				const res = await fetch(url, { credentials: 'include' });
				const bytes = new Uint8Array(await res.arrayBuffer());
				let binary = '';
				for (const byte of bytes) binary += String.fromCharCode(byte);
				return { status: res.status, type: res.headers.get('content-type'), base64: btoa(binary) };
			}, src);
			assert(shown.status === 200, `GET ${src}: ${shown.status}`);
			const buffer = Buffer.from(shown.base64, 'base64');
			assert(buffer.subarray(1, 4).toString() === 'PNG', 'not a PNG');
			const sha256 = createHash('sha256').update(buffer).digest('hex');
			assert(buffer.length === served.bytes && sha256 === served.sha256, `shown ${buffer.length} B ${sha256}, served ${served.bytes} B ${served.sha256}`);
		});
	}

	await check('no uncaught errors in the page', async () => {
		assert(!pageErrors.length, pageErrors.slice(0, 5).join('\n'));
	});
}

try {
	await mkdir(SCREENSHOTS, { recursive: true });
	await main();
} catch (error) {
	failed++;
	failures.push({ name: 'unexpected error', message: String(error?.stack ?? error) });
	console.log(`  FAIL  unexpected error: ${error?.stack ?? error}`);
	await dumpPage('unexpected-error');
} finally {
	await cleanup();
}
clearTimeout(watchdog);
finish(failed || !passed ? 1 : 0);

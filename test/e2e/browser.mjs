#!/usr/bin/env node
// A new user's path through the editor, in a real browser: `npm run test:browser`.
//
// n8n 2.41.1 with this package installed as a community package, the fake Jimeng gateway and
// nothing else: no credential, no workflow. Debian's chromium (headless, through playwright-core)
// then does what a person does: signs in; opens a new workflow on an empty canvas; adds a Manual
// Trigger; opens the node panel, browses "Action in an app" (where n8n lists app and community
// nodes) and searches "Seedream", "Volcengine", "image", "text to image" and "Jimeng"; adds the node
// with its Submit action ("Generate an image"); creates a NEW Jimeng API credential in the
// credential modal by typing the key and the Base URL; saves it with a wrong key (the test must
// fail naming the key), with a Base URL where nothing serves /jm (a loopback server answering a 404
// HTML page: the failure must name that URL), then right; retests it against the fake in each of
// its unknown-task modes (switched through the fake's control route), which must all succeed;
// checks the parameters (Reference Images From Binary is there; Number of Images shows only while
// Generate a Single Image is on); types a prompt; executes the step and checks that the output panel
// shows the image as binary data (file name, mime type, size, and the bytes the fake served); sets
// Number of Images to 2 and executes again: 2 items (imageIndex 1, 2) from exactly 2 submits
// (browser-number-of-images.mjs). Then, in a new workflow, hands the node to an AI Agent: the
// agent's Tool connector (+) offers "Jimeng Tool" when searched by name and by the alias
// "Seedream"; its panel lets the model define Prompt ($fromAI), and the saved workflow has the tool
// on the agent's ai_tool input (browser-agent-tool.mjs).
//
// Then, on the other lines (BROWSER_SEARCH_LINES, default 2.4.8 and 1.123.x): the same node-panel
// browse and search from an empty canvas, and the AI Agent's Tool-slot search (those lines serve
// the Tool without the node's codex aliases, so "Seedream" must find nothing there).
//
//   node test/e2e/browser.mjs            (npm run test:browser installs chromium and n8n 2.41.1 first)
//
// Env: BROWSER_N8N_VERSION (the walk's line, default 2.41.1), BROWSER_SEARCH_LINES (comma list,
// '' for none), BROWSER_SCREENSHOTS_DIR (default docs/screenshots), BROWSER_ARTIFACTS_DIR (failure
// screenshots and DOM dumps; default a temp folder), N8N_E2E_ECHO=1 mirrors n8n's output.
// Prints `N passed, M failed` as its last line; exit code 1 on any failure.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { chromium } from 'playwright-core';

import { REPO_ROOT, buildAndPackRepo } from '../../scripts/n8n/lib.mjs';
import { ensureInstalled } from '../../scripts/n8n/ensure-installed.mjs';
import { prepareSandbox } from '../../scripts/n8n/sandbox.mjs';
import { createChecks } from '../../scripts/support/checks.mjs';
import { agentToolChecks } from './browser-agent-tool.mjs';
import { numberOfImagesRun, submitParameterChecks } from './browser-number-of-images.mjs';
import { NOT_FOUND_HTML, startLoopbackServer } from './loopback-server.mjs';

const require = createRequire(import.meta.url);
const { UNKNOWN_TASK_MODES } = require('../fake-jimeng');

const VERSION = process.env.BROWSER_N8N_VERSION ?? '2.41.1';
const SEARCH_LINES = (process.env.BROWSER_SEARCH_LINES ?? '2.4.8,1.123.x')
	.split(',')
	.map((s) => s.trim())
	.filter(Boolean);
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(
	REPO_ROOT,
	process.env.BROWSER_SCREENSHOTS_DIR ?? 'docs/screenshots',
);
const VIEWPORT = { width: 1440, height: 900 };
const NODE_TYPE = 'n8n-nodes-jimeng.jimeng';
const NODE_NAME = 'Jimeng';
const SUBMIT_ACTION = 'Generate an image'; // the Submit operation's action name
const APP_NODES_VIEW = 'Action in an app'; // n8n's list of app and community nodes (subcategory '*')
const SEARCHES = ['Seedream', 'Volcengine', 'image', 'text to image', 'Jimeng']; // "Jimeng" last: its result is used
const PROMPT = 'A lighthouse on a cliff at dusk, oil painting texture';
// The whole test, cleanup included; normally 1–1.5 min for the walk and under 1 min per search line.
const WATCHDOG_MS = 330_000 + 200_000 * SEARCH_LINES.length;
const ACTION_TIMEOUT_MS = 15_000;
const SEARCH_TIMEOUT_MS = 8_000;
const CREDENTIAL_TEST_TIMEOUT_MS = 40_000;
const EXECUTION_TIMEOUT_MS = 60_000;
const SAVE_TIMEOUT_MS = 15_000;

const tid = (id) => `[data-test-id="${id}"]`;

// ------------------------------------------------------------------ checks and reporting
const checks = createChecks({ onFail: (label) => dumpPage(label) });
const timings = {};
const t0 = Date.now();
let artifactsDir = null;
let page = null;
let line = VERSION; // the line under test, in check names

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
		const base = path.join(
			dir,
			label
				.replace(/[^a-z0-9]+/gi, '-')
				.replace(/^-+|-+$/g, '')
				.toLowerCase()
				.slice(0, 80),
		);
		await page.screenshot({ path: `${base}.png`, timeout: 5000 }).catch(() => {});
		const html = await page.content().catch(() => '');
		await writeFile(`${base}.html`, html);
		console.log(`        page at failure: ${base}.png, ${base}.html (url ${page.url()})`);
	} catch {
		/* best effort */
	}
}

/** One named check of the line under test; `fn` throws (or returns false) to fail. Returns whether it passed. */
const check = (name, fn) => checks.scoped(line).attempt(name, fn);

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

function assertIncludes(haystack, needles, what) {
	const missing = needles.filter((needle) => !haystack.includes(needle));
	assert(
		!missing.length,
		`${what}: missing ${JSON.stringify(missing)} in ${JSON.stringify(haystack)}`,
	);
}

// ------------------------------------------------------------------ page helpers

/** Close the toasts ("Credential saved", "Node executed successfully", …). */
async function closeToasts() {
	for (const close of await page.locator('.el-notification .el-notification__closeBtn').all()) {
		await close.click({ timeout: 2000 }).catch(() => {});
	}
	await page
		.locator('.el-notification')
		.first()
		.waitFor({ state: 'hidden', timeout: 3000 })
		.catch(() => {});
}

/** Close toasts and any dialog that is not the node panel (what's new, surveys, banners). */
async function dismissDistractions() {
	await closeToasts();
	for (const close of await page
		.locator('[data-test-id^="banner-"][data-test-id$="-close"]')
		.all()) {
		if (await close.isVisible()) await close.click({ timeout: 2000 }).catch(() => {});
	}
	// Modals n8n may show on a fresh instance (what's new, NPS survey, personalization, …): every visible
	// element-plus dialog other than the node details view and the credential modal.
	// Escape is used only while the node panel is closed (it would close the panel).
	for (let i = 0; i < 3; i++) {
		const dialogs = page.locator('.el-dialog:visible, [role="dialog"]:visible').filter({
			hasNot: page.locator(`${tid('node-parameters')}, ${tid('credential-edit-dialog')}`),
		});
		if (!(await dialogs.count())) break;
		const closeButton = dialogs
			.first()
			.locator('.el-dialog__headerbtn, [data-test-id="close-button"], [aria-label="Close"]')
			.first();
		if (await closeButton.isVisible().catch(() => false))
			await closeButton.click({ timeout: 2000 }).catch(() => {});
		else if (!(await page.locator(tid('ndv')).isVisible())) await page.keyboard.press('Escape');
		else break;
		await delay(300);
	}
	await page
		.locator('.el-notification')
		.first()
		.waitFor({ state: 'hidden', timeout: 3000 })
		.catch(() => {});
}

/** A screenshot for the README: mouse out of the way, fonts loaded, no toasts, animations settled. */
async function screenshot(file, { keepOpen = false } = {}) {
	await page.mouse.move(VIEWPORT.width - 4, VIEWPORT.height - 4);
	if (keepOpen) await closeToasts();
	else await dismissDistractions();
	await page.evaluate(() => document.fonts.ready);
	await delay(400); // transitions (dropdown fade-in, canvas fit-view, panel slide)
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
	await page
		.waitForFunction(
			(id) => {
				const popper = document.getElementById(id)?.closest('.el-popper');
				return !popper || getComputedStyle(popper).opacity === '1';
			},
			listId,
			{ timeout: 5000 },
		)
		.catch(() => {});
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

// ------------------------------------------------------------------ the node panel (node creator)
const creator = () => page.locator(tid('node-creator'));
const creatorItems = () => creator().locator(tid('item-iterator-item'));
/** The panel's entry for a node, matched on its exact name. */
const creatorNode = (name) =>
	creatorItems().filter({
		has: page.locator(tid('node-creator-item-name'), { hasText: new RegExp(`^${name}$`) }),
	});
const shownNames = async () =>
	(await creator().locator(tid('node-creator-item-name')).allInnerTexts()).map((t) => t.trim());

/** Open the node panel from the trigger's "+" (what a user clicks to add the next step). */
async function openNodePanelAfterTrigger() {
	// Escape closes the panel (inside a category it may first go back one view).
	for (let i = 0; i < 3 && (await creator().isVisible()); i++) {
		await page.keyboard.press('Escape');
		await creator()
			.waitFor({ state: 'hidden', timeout: 3000 })
			.catch(() => {});
	}
	const trigger = page.locator(
		`${tid('canvas-node')}[data-node-type="n8n-nodes-base.manualTrigger"]`,
	);
	await trigger
		.locator(tid('canvas-handle-plus-wrapper'))
		.or(page.locator(tid('canvas-handle-plus-wrapper')))
		.first()
		.click();
	await creator().waitFor({ state: 'visible' });
	await page.locator(tid('node-creator-search-bar')).waitFor({ state: 'visible' });
}

/** Type a query in the panel's search bar; resolves once the node `name` shows or "no results" does. */
async function search(query, name = NODE_NAME) {
	const bar = page.locator(tid('node-creator-search-bar'));
	const found = creatorNode(name);
	const none = creator().locator(tid('node-creator-no-results'));
	// From an empty bar (the panel's categories, no node) so that the last query's result cannot count.
	await bar.fill('');
	await found.first().waitFor({ state: 'detached', timeout: SEARCH_TIMEOUT_MS });
	await bar.fill(query);
	await found
		.or(none)
		.first()
		.waitFor({ state: 'visible', timeout: SEARCH_TIMEOUT_MS })
		.catch(() => {});
	return {
		found: await found.count(),
		names: await shownNames(),
		noResults: await none.isVisible().catch(() => false),
	};
}

/** Close the node details view: "Back to canvas" on 1.x, the close button on 2.x. */
async function closeNodeDetails() {
	const ndv = page.locator(tid('ndv'));
	await ndv
		.locator(tid('ndv-close-button'))
		.or(page.locator(tid('back-to-canvas')))
		.first()
		.click();
	await ndv.waitFor({ state: 'hidden' });
}

/**
 * Ctrl+S, then read the stored workflow until `accept(workflow)` is true (the editor saves
 * asynchronously); otherwise throw with the last thing `accept` returned.
 */
async function saveAndRead(n8n, accept) {
	await page.keyboard.press('Control+s');
	const workflowId = new URL(page.url()).pathname.split('/')[2];
	assert(workflowId && workflowId !== 'new', `the editor's URL has no workflow id: ${page.url()}`);
	const deadline = Date.now() + SAVE_TIMEOUT_MS;
	let last;
	for (;;) {
		last = accept(await n8n.getWorkflow(workflowId));
		if (last === true) return;
		if (Date.now() > deadline) throw new Error(`the stored workflow: ${last}`);
		await delay(500);
	}
}

/** What the step files (browser-*.mjs) use of this driver, for the line under test. */
const ui = () => ({
	page,
	line,
	check,
	assert,
	tid,
	screenshot,
	creator,
	creatorNode,
	shownNames,
	search,
	openNodePanelAfterTrigger,
	closeNodeDetails,
	saveAndRead,
});

/** Empty canvas → Manual Trigger: the first two steps of a new workflow. */
async function newWorkflowWithTrigger(n8n) {
	await check('new workflow: an empty canvas with "Add first step"', async () => {
		await page.goto(`${n8n.baseUrl}/workflow/new`);
		await page.locator(tid('canvas-add-button')).waitFor({ state: 'visible', timeout: 30_000 });
		await dismissDistractions();
		const nodes = await page.locator(tid('canvas-node')).count();
		assert(nodes === 0, `${nodes} node(s) on the new workflow's canvas`);
	});
	return await check(
		'add a trigger: "Trigger manually" puts a Manual Trigger on the canvas',
		async () => {
			await page.locator(tid('canvas-add-button')).click();
			await creator().waitFor({ state: 'visible' });
			await creatorItems().filter({ hasText: 'Trigger manually' }).first().click();
			await page
				.locator(`${tid('canvas-node')}[data-node-type="n8n-nodes-base.manualTrigger"]`)
				.waitFor({ state: 'visible' });
			await creator().waitFor({ state: 'hidden' });
		},
	);
}

/** Browse "Action in an app" and search the panel; returns whether the node could be found by "Jimeng". */
async function nodePanelChecks({ screenshots = false } = {}) {
	await check(
		`node panel: browsing "${APP_NODES_VIEW}" (app and community nodes) lists Jimeng`,
		async () => {
			await openNodePanelAfterTrigger();
			await creatorItems().filter({ hasText: APP_NODES_VIEW }).first().click();
			await creator()
				.locator(tid('nodes-list-header'))
				.filter({ hasText: APP_NODES_VIEW })
				.first()
				.waitFor({ state: 'visible' });
			await creatorItems().first().waitFor({ state: 'visible' });
			const entry = creatorNode(NODE_NAME);
			await entry
				.first()
				.waitFor({ state: 'visible', timeout: SEARCH_TIMEOUT_MS })
				.catch(() => {});
			const names = await shownNames();
			assert(
				await entry.count(),
				`Jimeng is not among the ${names.length} nodes listed (${names.slice(0, 5).join(', ')}, …)`,
			);
			await entry.first().scrollIntoViewIfNeeded();
			if (screenshots) await screenshot('02-node-panel-app-nodes.png', { keepOpen: true });
		},
	);

	let foundByName = false;
	await openNodePanelAfterTrigger().catch(() => {});
	for (const query of SEARCHES) {
		const ok = await check(`node panel: searching "${query}" lists Jimeng`, async () => {
			if (!(await creator().isVisible())) await openNodePanelAfterTrigger();
			const result = await search(query);
			assert(
				result.found,
				result.noResults
					? 'the panel says "No results"'
					: `not among ${result.names.length} results: ${result.names.slice(0, 12).join(', ')}`,
			);
			if (query === NODE_NAME && screenshots)
				await screenshot('01-node-panel-search.png', { keepOpen: true });
		});
		if (query === NODE_NAME) foundByName = ok;
	}
	return foundByName;
}

// ------------------------------------------------------------------ the credential modal
const credentialModal = () =>
	page.locator('.el-dialog').filter({ has: page.locator(tid('credential-edit-dialog')) });
const isTestRequest = (res) =>
	res.request().method() === 'POST' && new URL(res.url()).pathname === '/rest/credentials/test';

/** Press a button that runs the credential test and return n8n's verdict { status, message }. */
async function runCredentialTest(press) {
	const [response] = await Promise.all([
		page.waitForResponse(isTestRequest, { timeout: CREDENTIAL_TEST_TIMEOUT_MS }),
		press(),
	]);
	const body = await response.json().catch(() => null);
	return body?.data ?? { status: `HTTP ${response.status()}`, message: JSON.stringify(body) };
}

async function fillCredential({ apiKey, baseUrl }) {
	const modal = credentialModal();
	if (apiKey !== undefined)
		await modal.locator(`${tid('parameter-input-apiKey')} input`).fill(apiKey);
	if (baseUrl !== undefined)
		await modal.locator(`${tid('parameter-input-baseUrl')} input`).fill(baseUrl);
}

/** Save (which tests), expecting a failure banner whose details must pass `expect`. */
async function saveExpectingFailure({ expect, wants, file }) {
	const modal = credentialModal();
	const verdict = await runCredentialTest(() =>
		modal.locator(tid('credential-save-button')).click(),
	);
	assert(
		verdict.status === 'Error',
		`n8n says ${JSON.stringify(verdict)}; expected an Error that ${wants}`,
	);
	assert(
		expect(verdict.message),
		`the message does not ${wants}: ${JSON.stringify(verdict.message)}`,
	);
	await modal
		.getByText(/Couldn.t connect with these settings/)
		.first()
		.waitFor({ state: 'visible' });
	const more = modal.getByText('More details', { exact: true });
	if (await more.isVisible().catch(() => false)) await more.click();
	const detail = modal.getByText(verdict.message.slice(0, 60), { exact: false }).first();
	await detail.waitFor({ state: 'visible' });
	if (file) await screenshot(file, { keepOpen: true });
	return verdict;
}

// ------------------------------------------------------------------ cleanup (also on failure, signal, watchdog)
const disposables = []; // async () => void, closed last-first
let browser = null;
let context = null;
let cleaning = null;

function cleanup() {
	cleaning ??= (async () => {
		const c0 = Date.now();
		if (context) await Promise.race([context.close().catch(() => {}), delay(10_000)]);
		if (browser) await Promise.race([browser.close().catch(() => {}), delay(10_000)]);
		for (const dispose of disposables.reverse()) {
			await Promise.race([
				dispose().catch((e) => console.log(`  cleanup: ${e.message}`)),
				delay(30_000),
			]);
		}
		timings.cleanup = Date.now() - c0;
	})();
	return cleaning;
}

let finished = false;
function finish(code) {
	if (finished) return;
	finished = true;
	timings.total = Date.now() - t0;
	console.log(
		`timings: ${Object.entries(timings)
			.map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
			.join(', ')}`,
	);
	const verdict = checks.finish();
	process.exit(code || verdict);
}

const watchdog = setTimeout(async () => {
	checks.check(
		'watchdog: the browser test ends in time',
		false,
		`took longer than ${WATCHDOG_MS / 1000} s`,
	);
	await dumpPage('watchdog');
	await Promise.race([cleanup(), delay(30_000)]);
	finish(1);
}, WATCHDOG_MS);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, async () => {
		checks.check('not interrupted', false, `interrupted by ${signal}`);
		await Promise.race([cleanup(), delay(30_000)]);
		finish(1);
	});
}

// ------------------------------------------------------------------ one line's n8n + a signed-in page
let disposeLine = null; // the running line's sandbox.dispose, also in `disposables`

async function startLine(version, tarball) {
	line = version;
	let sandbox = null;
	const s0 = Date.now();
	const started = await check(
		'sandbox: n8n with the package as a community package and the fake gateway; no credential, no workflow',
		async () => {
			sandbox = await prepareSandbox({
				version,
				tarball,
				importCredential: false,
				importExamples: false,
				// control: the test switches the fake's unknown-task mode over HTTP, as a user's proxy would change.
				fakeOptions: { latencyMs: 1000, control: true },
			});
			disposeLine = () => sandbox.dispose();
			disposables.push(disposeLine);
			await sandbox.instance.start();
			await sandbox.instance.setupOwner();
			line = sandbox.instance.version;
			timings[`n8n ${line} up`] = Date.now() - s0;
		},
	);
	if (!started) return null;
	console.log(
		`        n8n ${sandbox.instance.version} at ${sandbox.instance.baseUrl}, fake gateway at ${sandbox.fake.url}`,
	);

	const signedIn = await check('sign in on the sign-in page', async () => {
		context = await browser.newContext({
			viewport: VIEWPORT,
			deviceScaleFactor: 1,
			locale: 'en-US',
			timezoneId: 'UTC',
		});
		context.setDefaultTimeout(ACTION_TIMEOUT_MS);
		context.setDefaultNavigationTimeout(30_000);
		page = await context.newPage();
		const { email, password } = sandbox.instance.owner;
		await page.goto(`${sandbox.instance.baseUrl}/signin`);
		const form = page.locator(tid('auth-form'));
		await form.waitFor();
		await form.locator(`${tid('emailOrLdapLoginId')} input`).fill(email);
		await form.locator(`${tid('password')} input`).fill(password);
		await form.locator(tid('form-submit-button')).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
		// The session is the browser's own: the page's fetch to /rest/login (with the browser id the app
		// sends, to which n8n binds the session) answers with the owner.
		const me = await page.evaluate(async () => {
			const res = await fetch('/rest/login', {
				credentials: 'include',
				headers: { 'browser-id': localStorage.getItem('n8n-browserId') ?? '' },
			});
			return { status: res.status, body: await res.json().catch(() => null) };
		});
		assert(
			me.status === 200 && me.body?.data?.email === email,
			`GET /rest/login from the page: ${me.status} ${JSON.stringify(me.body).slice(0, 200)}`,
		);
	});
	return signedIn ? sandbox : null;
}

/** Close the line's browser context and stop its n8n and fake gateway. */
async function endLine() {
	if (context) await context.close().catch(() => {});
	context = null;
	page = null;
	const dispose = disposeLine;
	disposeLine = null;
	if (!dispose) return;
	disposables.splice(disposables.indexOf(dispose), 1);
	await dispose();
}

// ------------------------------------------------------------------ the walk (2.41.1)
async function walk(tarball) {
	const w0 = Date.now();
	try {
		const sandbox = await startLine(VERSION, tarball);
		if (sandbox) await walkSteps(sandbox);
	} finally {
		await endLine();
		timings.walk = Date.now() - w0;
	}
}

async function walkSteps(sandbox) {
	const { instance: n8n, fake } = sandbox;
	const pageErrors = [];
	page.on('pageerror', (error) => pageErrors.push(String(error?.message ?? error)));

	// A server where nothing serves /jm: a web server's 404 page for every path.
	const nowhere = await startLoopbackServer({ status: 404, body: NOT_FOUND_HTML });
	disposables.push(() => nowhere.close());

	if (!(await newWorkflowWithTrigger(n8n))) return;
	const foundByName = await nodePanelChecks({ screenshots: true });
	if (!foundByName) return; // the rest of the walk starts from the search result

	// -------------------------------------------------------------- add the node with its Submit action
	const ndv = page.locator(tid('ndv'));
	const params = ndv.locator(tid('node-parameters'));
	const added = await check(
		`pick Jimeng, then its Submit action "${SUBMIT_ACTION}": the node panel opens on Submit`,
		async () => {
			await creatorNode(NODE_NAME).first().click();
			const action = creatorItems().filter({ hasText: SUBMIT_ACTION }).first();
			await action.waitFor({ state: 'visible' });
			const actions = (await creatorItems().allInnerTexts()).map((t) => t.split('\n')[0].trim());
			assertIncludes(actions, [SUBMIT_ACTION, 'Get a generation task'], 'actions');
			await screenshot('03-node-actions.png', { keepOpen: true });
			await action.click();
			await params.waitFor({ state: 'visible' });
			const operation = await params
				.locator(`${tid('parameter-input-operation')} input`)
				.first()
				.inputValue();
			assert(operation === 'Submit', `Operation is ${JSON.stringify(operation)}`);
			await page
				.locator(`${tid('canvas-node')}[data-node-type="${NODE_TYPE}"]`)
				.waitFor({ state: 'attached' });
		},
	);
	if (!added) return;

	// -------------------------------------------------------------- a new credential, tested
	const modal = credentialModal();
	const c0 = Date.now();
	const statsBefore = fake.stats();
	const opened = await check(
		'"Connect to Jimeng" opens the credential modal for a new Jimeng API credential',
		async () => {
			await ndv.locator(tid('node-credentials-empty-state')).locator('button').click();
			await modal.waitFor({ state: 'visible' });
			await modal.locator(`${tid('parameter-input-apiKey')} input`).waitFor({ state: 'visible' });
			assert(/Jimeng API/.test(await modal.innerText()), 'the modal does not say "Jimeng API"');
		},
	);
	if (!opened) return;

	await check('Save with a wrong key: the test fails, naming the key (HTTP 401)', async () => {
		await fillCredential({ apiKey: `sk-wrong-${Date.now().toString(36)}`, baseUrl: fake.url });
		await saveExpectingFailure({
			expect: (m) => /API key/i.test(m) && /401/.test(m),
			wants: 'name the API key and HTTP 401',
			file: '04-credential-test-wrong-key.png',
		});
	});

	await check(
		'Save with a Base URL where nothing serves /jm (404 HTML): the test fails, naming that URL',
		async () => {
			await fillCredential({ apiKey: fake.apiKey, baseUrl: nowhere.url });
			await saveExpectingFailure({
				expect: (m) =>
					m.includes(`${nowhere.url}/jm`) && !m.includes('{Base URL}') && !/API key/i.test(m),
				wants: `name ${nowhere.url}/jm (the Base URL typed) and not the key`,
				file: '05-credential-test-wrong-base-url.png',
			});
			assert(nowhere.requests > 0, 'n8n never asked the 404 server');
		},
	);

	const saved = await check(
		"Save with the right key and the fake's Base URL: the test passes and the credential is selected",
		async () => {
			await fillCredential({ baseUrl: fake.url });
			const verdict = await runCredentialTest(() =>
				modal.locator(tid('credential-save-button')).click(),
			);
			assert(verdict.status === 'OK', `n8n says ${JSON.stringify(verdict)}`);
			// 2.41 closes the modal of a new credential once its test passed; an open one shows the success banner.
			await Promise.race([
				modal.waitFor({ state: 'hidden' }),
				modal
					.locator(tid('credentials-config-container-test-success'))
					.waitFor({ state: 'visible' }),
			]);
			if (await modal.isVisible()) await modal.locator('.el-dialog__headerbtn').first().click();
			await modal.waitFor({ state: 'hidden' });
			const selected = await ndv
				.locator(`${tid('node-credentials-select')} input`)
				.first()
				.inputValue();
			assert(/Jimeng/.test(selected), `the credential select shows ${JSON.stringify(selected)}`);
		},
	);
	if (!saved) return;

	const reopened = await check(
		'reopen the saved credential (pencil): its test passes',
		async () => {
			await ndv.locator(tid('credential-edit-button')).click();
			await modal.waitFor({ state: 'visible' });
			await modal
				.locator(tid('credentials-config-container-test-success'))
				.waitFor({ state: 'visible', timeout: CREDENTIAL_TEST_TIMEOUT_MS });
		},
	);
	if (reopened) {
		const modes = Object.entries(UNKNOWN_TASK_MODES);
		for (const [index, [mode, answer]] of modes.entries()) {
			await check(
				`Retry with the gateway answering an unknown task "${mode}" (HTTP ${answer.httpStatus}, code ${answer.code}): success`,
				async () => {
					const res = await fetch(`${fake.url}/__fake/options`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ unknownTask: mode }),
					});
					assert(res.ok, `the fake's control route answered HTTP ${res.status}`);
					const from = fake.log.length;
					const banner = modal.locator(tid('credentials-config-container-test-success'));
					const retry = banner
						.getByRole('button', { name: 'Retry' })
						.or(modal.getByRole('button', { name: 'Retry' }))
						.first();
					const verdict = await runCredentialTest(() => retry.click());
					const queries = fake.log.slice(from).filter((e) => e.kind === 'query');
					assert(
						queries.length && queries.every((e) => e.statusCode === answer.httpStatus),
						`the fake answered ${queries.map((e) => e.statusCode).join(',') || 'nothing'}`,
					);
					assert(verdict.status === 'OK', `n8n says ${JSON.stringify(verdict)}`);
					await banner.waitFor({ state: 'visible' });
					await modal
						.getByText('Connection tested successfully')
						.first()
						.waitFor({ state: 'visible' });
					if (index === modes.length - 1)
						await screenshot('06-credential-test-success.png', { keepOpen: true });
				},
			);
		}
		await fetch(`${fake.url}/__fake/options`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"unknownTask":"status-not-found"}',
		}).catch(() => {});
		await check('close the credential modal', async () => {
			await modal.locator('.el-dialog__headerbtn').first().click();
			await modal.waitFor({ state: 'hidden' });
		});
	}
	await check('no credential test created a task or sent a submit', async () => {
		const after = fake.stats();
		assert(
			after.tasksCreated === statsBefore.tasksCreated && after.submits === statsBefore.submits,
			`tasksCreated +${after.tasksCreated - statsBefore.tasksCreated}, submits +${after.submits - statsBefore.submits}`,
		);
	});
	timings.credential = Date.now() - c0;

	// -------------------------------------------------------------- the parameters a new node shows
	await check('Operation: the dropdown lists Submit and Get Task', async () => {
		const select = await openSelect(params, tid('parameter-input-operation'));
		const titles = await optionTitles(select.list);
		await closeSelect(select);
		assertIncludes(titles, ['Submit', 'Get Task'], 'operation options');
	});

	await check('Size: the dropdown lists the 23 presets', async () => {
		const select = await openSelect(params, tid('parameter-input-size'));
		const titles = await optionTitles(select.list);
		assertIncludes(
			titles,
			[
				'1K Square 1:1 (1024×1024)',
				'2K Square 1:1 (2048×2048)',
				'2K Landscape 16:9 (2560×1440)',
				'4K Landscape 21:9 (6198×2656)',
				'Auto Ratio at 2K',
				'Custom Width and Height',
			],
			'size options',
		);
		assert(titles.length === 23, `expected 23 size options, got ${titles.length}`);
		await screenshot('07-size-presets.png', { keepOpen: true });
		await closeSelect(select);
	});

	await check(
		'Options: "Add Option" lists Download Images, Max Concurrent Tasks, Watermark, …',
		async () => {
			const select = await openSelect(params, tid('collection-parameter-add'));
			const titles = (
				await select.list.locator(tid('collection-parameter-option')).allInnerTexts()
			).map((t) => t.trim());
			assertIncludes(
				titles,
				[
					'Download Images',
					'Max Concurrent Tasks',
					'Max Retries',
					'Output',
					'Put Output in Field',
					'Reference Link Lifetime (Seconds)',
					'Watermark',
				],
				'option list',
			);
			await closeSelect(select);
		},
	);

	await submitParameterChecks(ui(), { params });

	// -------------------------------------------------------------- prompt, execute, the image
	const output = ndv.locator(tid('output-panel'));
	const e0 = Date.now();
	const executed = await check(
		'type a prompt and "Execute step": the node succeeds with one task',
		async () => {
			const prompt = params.locator(`${tid('parameter-input-prompt')} textarea`).first();
			await prompt.fill(PROMPT);
			assert((await prompt.inputValue()) === PROMPT, 'the prompt did not take');
			const before = fake.tasks.size;
			await ndv.locator(tid('node-execute-button')).first().click();
			await output
				.locator(tid('node-run-status-success'))
				.or(output.locator(tid('ndv-run-data-display-mode')))
				.first()
				.waitFor({ state: 'visible', timeout: EXECUTION_TIMEOUT_MS });
			timings.execution = Date.now() - e0;
			assert(
				fake.tasks.size === before + 1,
				`the fake gateway got ${fake.tasks.size - before} tasks, expected 1`,
			);
		},
	);
	if (!executed) return;

	const task = [...fake.tasks.values()].sort((a, b) => b.createdAt - a.createdAt)[0];
	const served = fake.log.find(
		(entry) => entry.kind === 'image' && entry.taskId === task.id && entry.statusCode === 200,
	);
	const fileName = `jimeng-${task.id}-1.png`;
	const outputShown = await check(
		`the output panel shows the binary image: ${fileName}, image/png`,
		async () => {
			assert(task.prompt === PROMPT, `the fake's task has prompt ${JSON.stringify(task.prompt)}`);
			const binaryCard = output.locator(tid('ndv-binary-data_0'));
			if (!(await binaryCard.isVisible())) await output.locator(tid('radio-button-binary')).click();
			await binaryCard.waitFor({ state: 'visible' });
			const text = await binaryCard.innerText();
			assertIncludes(text, [fileName, 'image/png', 'png'], 'binary card');
			assert(served, `the fake gateway served no image for task ${task.id}`);
			if (served.bytes < 1024)
				assert(
					text.includes(`${served.bytes} B`),
					`binary card size is not ${served.bytes} B: ${JSON.stringify(text)}`,
				);
			const itemCount = await output
				.locator(tid('ndv-items-count'))
				.innerText()
				.catch(() => '');
			assert(/\b1 item\b/.test(itemCount), `items count ${JSON.stringify(itemCount)}`);
			await output.locator(tid('ndv-view-binary-data')).waitFor({ state: 'visible' });
			await screenshot('08-output-image.png');
		},
	);

	if (outputShown) {
		await check(
			'"View" shows the image itself, byte for byte the one the fake gateway served',
			async () => {
				await output.locator(tid('ndv-view-binary-data')).first().click();
				const image = output.locator('img[src*="/rest/binary-data"]').first();
				await image.waitFor({ state: 'visible' });
				await page.waitForFunction(
					(el) => el.complete && el.naturalWidth > 0,
					await image.elementHandle(),
					{ timeout: 10_000 },
				);
				const src = await image.getAttribute('src');
				const shown = await page.evaluate(async (url) => {
					const res = await fetch(url, { credentials: 'include' });
					const bytes = new Uint8Array(await res.arrayBuffer());
					let binary = '';
					for (const byte of bytes) binary += String.fromCharCode(byte);
					return { status: res.status, base64: btoa(binary) };
				}, src);
				assert(shown.status === 200, `GET ${src}: ${shown.status}`);
				const buffer = Buffer.from(shown.base64, 'base64');
				assert(buffer.subarray(1, 4).toString() === 'PNG', 'not a PNG');
				const sha256 = createHash('sha256').update(buffer).digest('hex');
				assert(
					buffer.length === served.bytes && sha256 === served.sha256,
					`shown ${buffer.length} B ${sha256}, served ${served.bytes} B ${served.sha256}`,
				);
			},
		);
	}

	await check(
		'the workflow was saved and its execution stored: manual, success, the task id',
		async () => {
			const workflowId = new URL(page.url()).pathname.split('/')[2];
			assert(
				workflowId && workflowId !== 'new',
				`the editor's URL has no workflow id: ${page.url()}`,
			);
			const [execution] = await n8n.listExecutions({ workflowId, limit: 5 });
			assert(execution, `no execution listed for workflow ${workflowId}`);
			assert(
				execution.status === 'success' && execution.mode === 'manual',
				`execution ${execution.id}: ${execution.status} ${execution.mode}`,
			);
			const full = await n8n.getExecution(execution.id);
			const items = full.data.resultData.runData[NODE_NAME]?.[0]?.data?.main?.[0] ?? [];
			assert(
				items.length === 1 &&
					items[0].json.taskId === task.id &&
					items[0].json.status === 'success',
				`items ${JSON.stringify(items.map((i) => i.json)).slice(0, 300)}`,
			);
		},
	);

	await numberOfImagesRun(ui(), { ndv, params, fake, n8n, nodeName: NODE_NAME });

	await check('close the panel: the canvas shows Manual Trigger → Jimeng', async () => {
		await closeNodeDetails();
		const types = await page
			.locator(tid('canvas-node'))
			.evaluateAll((els) => els.map((el) => el.getAttribute('data-node-type')));
		assertIncludes(types, ['n8n-nodes-base.manualTrigger', NODE_TYPE], 'canvas nodes');
		await page.locator(tid('canvas-node-status-success')).first().waitFor({ state: 'visible' });
		await page
			.locator(tid('zoom-to-fit'))
			.click()
			.catch(() => {});
		await screenshot('09-workflow.png');
	});

	// -------------------------------------------------------------- the node as an AI Agent's tool
	await check(
		'Ctrl+S saves the workflow: the stored Jimeng node has Number of Images 2',
		async () => {
			await saveAndRead(n8n, (workflow) => {
				const node = workflow.nodes.find((n) => n.type === NODE_TYPE);
				return node?.parameters?.numberOfImages === 2 || JSON.stringify(node?.parameters);
			});
		},
	);
	if (await newWorkflowWithTrigger(n8n))
		await agentToolChecks(ui(), { n8n, nodeType: NODE_TYPE, full: true });

	await check('no uncaught errors in the page', async () => {
		assert(!pageErrors.length, pageErrors.slice(0, 5).join('\n'));
	});
}

// ------------------------------------------------------------------ the node panel on the other lines
async function searchOnLine(version, tarball) {
	const s0 = Date.now();
	try {
		const sandbox = await startLine(version, tarball);
		if (!sandbox) return;
		const pageErrors = [];
		page.on('pageerror', (error) => pageErrors.push(String(error?.message ?? error)));
		if (await newWorkflowWithTrigger(sandbox.instance)) {
			await nodePanelChecks();
			await agentToolChecks(ui(), { n8n: sandbox.instance, nodeType: NODE_TYPE });
		}
		await check('no uncaught errors in the page', async () => {
			assert(!pageErrors.length, pageErrors.slice(0, 5).join('\n'));
		});
	} finally {
		await endLine();
		timings[`search ${version}`] = Date.now() - s0;
	}
}

async function main() {
	console.log(
		`browser test: walk on n8n ${VERSION}, node-panel search on ${SEARCH_LINES.join(', ') || 'no other line'}; ${CHROMIUM}; screenshots in ${path.relative(REPO_ROOT, SCREENSHOTS)}/`,
	);
	line = 'setup';
	const ready = await check('chromium and playwright-core are there', async () => {
		assert(
			existsSync(CHROMIUM),
			`${CHROMIUM} is missing: run scripts/browser/install-chromium.sh (npm run test:browser does)`,
		);
		assert(typeof chromium.launch === 'function', 'playwright-core has no chromium.launch');
	});
	if (!ready) return;
	if (SEARCH_LINES.length) {
		const inst = await ensureInstalled([VERSION, ...SEARCH_LINES], {
			log: (l) => console.log(`        ${l}`),
		});
		if (!inst.ok)
			console.log(`        install.sh exited ${inst.code}: lines that did not install fail below`);
	}

	let tarball;
	const built = await check('build and pack the package (once, for every line)', async () => {
		const b = await buildAndPackRepo();
		disposables.push(() => rm(b.dir, { recursive: true, force: true }));
		tarball = b.tarball;
	});
	if (!built) return;

	const b0 = Date.now();
	const launched = await check('chromium starts headless through playwright-core', async () => {
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
			timeout: 30_000,
			// Our own handlers close the browser, n8n and the fake, then print the summary.
			handleSIGINT: false,
			handleSIGTERM: false,
			handleSIGHUP: false,
		});
		timings.browserLaunch = Date.now() - b0;
		console.log(`        chromium ${browser.version()}`);
	});
	if (!launched) return;

	await walk(tarball);
	for (const version of SEARCH_LINES) await searchOnLine(version, tarball);
}

try {
	await mkdir(SCREENSHOTS, { recursive: true });
	await main();
} catch (error) {
	checks.check('no unexpected error', false, String(error?.stack ?? error));
	await dumpPage('unexpected-error');
} finally {
	await cleanup();
}
clearTimeout(watchdog);
finish(0); // the verdict is the checks'

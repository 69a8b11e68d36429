#!/usr/bin/env node
// A new user's path through the editor, in a real browser: `npm run test:browser`.
//
// n8n 2.41.1 with this package as a community package, the fake Jimeng gateway and nothing else (no
// credential, no workflow). Debian's chromium (headless, through playwright-core) signs in, adds a
// Manual Trigger, finds the node in the node panel by browsing and by searching, then walks on as a
// person does (browser-walk.mjs: credential, parameters, Execute step, Number of Images, Get
// Balance, the AI Agent's tool). On the other lines (BROWSER_SEARCH_LINES, default 2.4.8 and
// 1.123.x): the node panel and the AI Agent's Tool slot (browser-agent-tool.mjs) from an empty
// canvas. Each line runs a table of steps (scripts/support/scenarios.mjs): a new check is an entry.
//
// Env: BROWSER_N8N_VERSION (the walk's line, default 2.41.1), BROWSER_SEARCH_LINES (comma list,
// '' for none), BROWSER_SCREENSHOTS_DIR (default docs/screenshots), BROWSER_ARTIFACTS_DIR (failure
// screenshots and DOM dumps; default a temp folder), N8N_E2E_ECHO=1 mirrors n8n's output.
// Prints `N passed, M failed` as its last line; exit code 1 on any failure.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { chromium } from 'playwright-core';

import { REPO_ROOT, buildAndPackRepo } from '../../scripts/n8n/lib.mjs';
import { ensureInstalled } from '../../scripts/n8n/ensure-installed.mjs';
import { prepareSandbox } from '../../scripts/n8n/sandbox.mjs';
import { createChecks } from '../../scripts/support/checks.mjs';
import { runScenarios } from '../../scripts/support/scenarios.mjs';
import { agentToolSteps } from './browser-agent-tool.mjs';
import { walkSteps } from './browser-walk.mjs';

const { env } = process;
const VERSION = env.BROWSER_N8N_VERSION ?? '2.41.1';
const SEARCH_LINES = (env.BROWSER_SEARCH_LINES ?? '2.4.8,1.123.x')
	.split(',')
	.flatMap((s) => s.trim() || []);
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = 'no-sandbox disable-gpu disable-quic no-first-run disable-sync'.split(' ');
CHROMIUM_FLAGS.push('disable-background-networking', 'disable-component-update');
const SCREENSHOTS = path.resolve(REPO_ROOT, env.BROWSER_SCREENSHOTS_DIR ?? 'docs/screenshots');
const VIEWPORT = { width: 1440, height: 900 };
const CONTEXT_OPTIONS = { viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' };
const NODE_NAME = 'Jimeng';
const NODE_TYPE = 'n8n-nodes-jimeng.jimeng';
const TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
const APP_NODES_VIEW = 'Action in an app'; // n8n's list of app and community nodes (subcategory '*')
const SEARCHES = ['Seedream', 'Volcengine', 'image', 'text to image', 'Jimeng']; // "Jimeng" last: its result is used
// The whole test, cleanup included; normally 1–1.5 min for the walk and under 1 min per search line.
const WATCHDOG_MS = 330_000 + 200_000 * SEARCH_LINES.length;
const SEARCH_TIMEOUT_MS = 8_000;
const SAVE_TIMEOUT_MS = 15_000;
const EXECUTION_TIMEOUT_MS = 60_000;

const tid = (id) => `[data-test-id="${id}"]`;
/** The first `tag` (the input, textarea, …) inside the parameter or field with test id `id`. */
const fieldIn = (scope, id, tag = 'input') => scope.locator(`${tid(id)} ${tag}`).first();
/** Wait for a locator's state, and go on when it does not come (a best-effort settle). */
const settle = (locator, state, timeout) => locator.waitFor({ state, timeout }).catch(() => {});

function assertIncludes(haystack, needles, what) {
	const missing = needles.filter((needle) => !haystack.includes(needle));
	const said = `${what}: missing ${JSON.stringify(missing)} in ${JSON.stringify(haystack)}`;
	assert(!missing.length, said);
}

// ------------------------------------------------------------------ checks, failure artifacts
let page = null;
let artifactsDir = null;
const checks = createChecks({ onFail: (label) => dumpPage(label) });

const timings = {};
const t0 = Date.now();

/** Screenshot + DOM dump of the current page, for a failed step (best effort). */
async function dumpPage(label) {
	if (!page || page.isClosed()) return;
	try {
		artifactsDir ??= env.BROWSER_ARTIFACTS_DIR
			? path.resolve(env.BROWSER_ARTIFACTS_DIR)
			: await mkdtemp(path.join(tmpdir(), 'jimeng-browser-'));
		await mkdir(artifactsDir, { recursive: true });
		const slug = label.replace(/[^a-z0-9]+/gi, '-').replace(/^-+|-+$/g, '');
		const base = path.join(artifactsDir, slug.toLowerCase().slice(0, 80));
		await page.screenshot({ path: `${base}.png`, timeout: 5000 }).catch(() => {});
		await writeFile(`${base}.html`, await page.content().catch(() => ''));
		console.log(`        page at failure: ${base}.png, ${base}.html (url ${page.url()})`);
	} catch {}
}

// ------------------------------------------------------------------ page helpers (the steps' `ui`)
/** Close the toasts ("Credential saved", "Node executed successfully", …). */
async function closeToasts() {
	for (const close of await page.locator('.el-notification .el-notification__closeBtn').all())
		await close.click({ timeout: 2000 }).catch(() => {});
	await settle(page.locator('.el-notification').first(), 'hidden', 3000);
}

const DIALOG_CLOSE = '.el-dialog__headerbtn, [data-test-id="close-button"], [aria-label="Close"]';
/** Close toasts, banners and any dialog that is not the node panel (what's new, surveys, …). */
async function dismissDistractions() {
	await closeToasts();
	for (const close of await page.locator('[data-test-id^="banner-"][data-test-id$="-close"]').all())
		if (await close.isVisible()) await close.click({ timeout: 2000 }).catch(() => {});
	// Escape only while the node panel is closed (it would close the panel).
	for (let i = 0; i < 3; i++) {
		const dialogs = page.locator('.el-dialog:visible, [role="dialog"]:visible').filter({
			hasNot: page.locator(`${tid('node-parameters')}, ${tid('credential-edit-dialog')}`),
		});
		if (!(await dialogs.count())) break;
		const closeButton = dialogs.first().locator(DIALOG_CLOSE).first();
		if (await closeButton.isVisible().catch(() => false))
			await closeButton.click({ timeout: 2000 }).catch(() => {});
		else if (!(await ndv().isVisible())) await page.keyboard.press('Escape');
		else break;
		await delay(300);
	}
	await settle(page.locator('.el-notification').first(), 'hidden', 3000);
}

/** A screenshot for the docs (docs/screenshots/): mouse out of the way, fonts loaded, no toasts, animations settled. */
async function screenshot(file, { keepOpen = false } = {}) {
	await page.mouse.move(VIEWPORT.width - 4, VIEWPORT.height - 4);
	await (keepOpen ? closeToasts() : dismissDistractions());
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
	await list.waitFor();
	const faded = (id) => {
		const popper = document.getElementById(id)?.closest('.el-popper');
		return !popper || getComputedStyle(popper).opacity === '1';
	};
	await page.waitForFunction(faded, listId, { timeout: 5000 }).catch(() => {});
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

const canvasNode = (type = NODE_TYPE) =>
	page.locator(`${tid('canvas-node')}[data-node-type="${type}"]`);
const ndv = () => page.locator(tid('ndv'));
const params = () => ndv().locator(tid('node-parameters'));
const output = () => ndv().locator(tid('output-panel'));
const creator = () => page.locator(tid('node-creator'));
const creatorItems = () => creator().locator(tid('item-iterator-item'));
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
		await settle(creator(), 'hidden', 3000);
	}
	const plus = tid('canvas-handle-plus-wrapper');
	await canvasNode(TRIGGER_TYPE).locator(plus).or(page.locator(plus)).first().click();
	await creator().waitFor();
	await page.locator(tid('node-creator-search-bar')).waitFor();
}

/**
 * Type a query in the panel's search bar; resolves once the node `name` shows, or "no results" or
 * `timeout`. It starts from `from` ('': the categories; or a query that finds nothing) so that no
 * earlier result counts.
 */
async function search(query, { name = NODE_NAME, from = '', timeout = SEARCH_TIMEOUT_MS } = {}) {
	const bar = page.locator(tid('node-creator-search-bar'));
	const found = creatorNode(name);
	const none = creator().locator(tid('node-creator-no-results'));
	await bar.fill(from);
	if (from) await none.waitFor();
	else await found.first().waitFor({ state: 'detached', timeout: SEARCH_TIMEOUT_MS });
	await bar.fill(query);
	await settle(from ? found.first() : found.or(none).first(), 'visible', timeout);
	const names = await shownNames();
	const shown = `${names.length} results: ${names.slice(0, 12).join(', ')}`;
	const noResults = await none.isVisible().catch(() => false);
	return { found: await found.count(), shown, noResults };
}

/** Close the node details view: "Back to canvas" on 1.x, the close button on 2.x. */
async function closeNodeDetails() {
	const back = page.locator(tid('back-to-canvas'));
	await ndv().locator(tid('ndv-close-button')).or(back).first().click();
	await ndv().waitFor({ state: 'hidden' });
}

/** "Execute step", then wait up to EXECUTION_TIMEOUT_MS for `shown` (what the output panel shows). */
async function executeStep(shown) {
	await ndv().locator(tid('node-execute-button')).first().click();
	await shown.waitFor({ timeout: EXECUTION_TIMEOUT_MS });
}

/** The output panel's item count, once it says `text` ("1 item", "2 items"). */
const itemsCount = (text) => {
	const counts = output().locator(tid('ndv-items-count'));
	return counts.filter({ hasText: new RegExp(`\\b${text}\\b`) });
};

/** The output panel's Table view once `column` shows: { columns, rows } with the cells as shown. */
async function shownTable(column) {
	await output().locator(tid('radio-button-table')).click();
	const table = output().locator(tid('ndv-data-container')).locator('table').first();
	await table.locator('th', { hasText: column }).first().waitFor();
	return await table.evaluate((el) => ({
		columns: [...el.querySelectorAll('thead th')].map((th) => th.innerText.trim().split(/\s/)[0]),
		rows: [...el.querySelectorAll('tbody tr')].map((tr) =>
			[...tr.children].map((td) => td.innerText.trim()),
		),
	}));
}

async function assertCredentialSelected() {
	const selected = await fieldIn(ndv(), 'node-credentials-select').inputValue();
	assert(/Jimeng/.test(selected), `the credential select shows ${JSON.stringify(selected)}`);
}

/** The editor's URL names the workflow after its first save. */
function workflowIdShown() {
	const workflowId = new URL(page.url()).pathname.split('/')[2];
	assert(workflowId && workflowId !== 'new', `the editor's URL has no workflow id: ${page.url()}`);
	return workflowId;
}

/** The shown workflow's last stored execution, with the Jimeng node's output items (their json). */
async function lastExecution(n8n) {
	const workflowId = workflowIdShown();
	const [execution] = await n8n.listExecutions({ workflowId, limit: 5 });
	assert(execution, `no execution listed for workflow ${workflowId}`);
	const { data } = await n8n.getExecution(execution.id);
	const items = data.resultData.runData[NODE_NAME]?.[0]?.data?.main?.[0] ?? [];
	return { execution, items: items.map((item) => item.json) };
}

/**
 * Ctrl+S, then read the stored workflow until `accept(workflow)` is true (the editor saves
 * asynchronously); otherwise throw with the last thing `accept` returned.
 */
async function saveAndRead(n8n, accept) {
	await page.keyboard.press('Control+s');
	const workflowId = workflowIdShown();
	const deadline = Date.now() + SAVE_TIMEOUT_MS;
	for (;;) {
		const last = accept(await n8n.getWorkflow(workflowId));
		if (last === true) return;
		if (Date.now() > deadline) throw new Error(`the stored workflow: ${last}`);
		await delay(500);
	}
}

const saveAndReadNode = (n8n, accept) =>
	saveAndRead(n8n, (workflow) => {
		const node = workflow.nodes.find((n) => n.type === NODE_TYPE);
		return accept(node?.parameters ?? {}) || JSON.stringify(node?.parameters);
	});

/** What the steps (browser-*.mjs) use of this driver, besides the line's page, n8n and fake. */
const UI = {
	...{ tid, fieldIn, assert, assertIncludes, settle, screenshot, openSelect, closeSelect },
	...{ canvasNode, ndv, params, output, creator, creatorItems, creatorNode, search },
	...{ openNodePanelAfterTrigger, closeNodeDetails, executeStep, itemsCount, shownTable },
	...{ assertCredentialSelected, lastExecution, saveAndRead, saveAndReadNode },
};

// ------------------------------------------------------------------ steps every line takes
const newWorkflowSteps = [
	{
		name: 'new workflow: an empty canvas with "Add first step"',
		gate: true,
		async act({ n8n }) {
			await page.goto(`${n8n.baseUrl}/workflow/new`);
			await page.locator(tid('canvas-add-button')).waitFor({ timeout: 30_000 });
			await dismissDistractions();
			const nodes = await page.locator(tid('canvas-node')).count();
			assert(nodes === 0, `${nodes} node(s) on the new workflow's canvas`);
		},
	},
	{
		name: 'add a trigger: "Trigger manually" puts a Manual Trigger on the canvas',
		gate: true,
		async act() {
			await page.locator(tid('canvas-add-button')).click();
			await creator().waitFor();
			await creatorItems().filter({ hasText: 'Trigger manually' }).first().click();
			await canvasNode(TRIGGER_TYPE).waitFor();
			await creator().waitFor({ state: 'hidden' });
		},
	},
];

/** Browse "Action in an app" and search the panel; on the walk's line, "Jimeng" must be found. */
const nodePanelSteps = [
	{
		name: `node panel: browsing "${APP_NODES_VIEW}" (app and community nodes) lists Jimeng`,
		async act({ full }) {
			await openNodePanelAfterTrigger();
			await creatorItems().filter({ hasText: APP_NODES_VIEW }).first().click();
			const header = creator().locator(tid('nodes-list-header'));
			await header.filter({ hasText: APP_NODES_VIEW }).first().waitFor();
			await creatorItems().first().waitFor();
			const entry = creatorNode(NODE_NAME);
			await settle(entry.first(), 'visible', SEARCH_TIMEOUT_MS);
			const names = await shownNames();
			const listed = `${names.length} nodes listed (${names.slice(0, 5).join(', ')}, …)`;
			assert(await entry.count(), `Jimeng is not among the ${listed}`);
			await entry.first().scrollIntoViewIfNeeded();
			if (full) await screenshot('02-node-panel-app-nodes.png', { keepOpen: true });
		},
	},
	...SEARCHES.map((query, i) => ({
		name: `node panel: searching "${query}" lists Jimeng`,
		// The rest of the walk starts from the search result.
		gate: query === NODE_NAME ? (ctx) => ctx.full : false,
		// A fresh panel: out of the "Action in an app" view.
		setup: i === 0 ? () => openNodePanelAfterTrigger().catch(() => {}) : undefined,
		async act({ full }) {
			if (!(await creator().isVisible())) await openNodePanelAfterTrigger();
			const result = await search(query);
			const why = result.noResults ? 'the panel says "No results"' : `not among ${result.shown}`;
			assert(result.found, why);
			if (query === NODE_NAME && full)
				await screenshot('01-node-panel-search.png', { keepOpen: true });
		},
	})),
];

const noPageErrors = {
	name: 'no uncaught errors in the page',
	act: ({ pageErrors }) => assert(!pageErrors.length, pageErrors.slice(0, 5).join('\n')),
};

// ------------------------------------------------------------------ a line: n8n, a signed-in page, a table
let browser = null;
let context = null;
const disposables = new Set(); // async () => void, run at cleanup

const startSteps = [
	{
		name: 'sandbox: n8n with the package as a community package and the fake gateway; no credential, no workflow',
		gate: true,
		async act(ctx) {
			const s0 = Date.now();
			const sandbox = await prepareSandbox({
				version: ctx.line,
				tarball: ctx.tarball,
				importCredential: false,
				importExamples: false,
				// control: the test switches the fake's unknown-task mode over HTTP, as a user's proxy would change.
				fakeOptions: { latencyMs: 1000, control: true },
			});
			ctx.dispose = () => sandbox.dispose();
			disposables.add(ctx.dispose);
			await sandbox.instance.start();
			await sandbox.instance.setupOwner();
			const { instance: n8n, fake } = sandbox;
			Object.assign(ctx, { n8n, fake, line: n8n.version });
			timings[`n8n ${ctx.line} up`] = Date.now() - s0;
			return `n8n ${ctx.line} at ${ctx.n8n.baseUrl}, fake gateway at ${ctx.fake.url}`;
		},
	},
	{
		name: 'sign in on the sign-in page',
		gate: true,
		async act(ctx) {
			context = await browser.newContext(CONTEXT_OPTIONS);
			context.setDefaultTimeout(15_000);
			context.setDefaultNavigationTimeout(30_000);
			page = ctx.page = await context.newPage();
			const { email, password } = ctx.n8n.owner;
			await page.goto(`${ctx.n8n.baseUrl}/signin`);
			const form = page.locator(tid('auth-form'));
			await form.locator(`${tid('emailOrLdapLoginId')} input`).fill(email);
			await form.locator(`${tid('password')} input`).fill(password);
			await form.locator(tid('form-submit-button')).click();
			await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
			// The session is the browser's own: the page's fetch to /rest/login (with the browser id the app
			// sends, to which n8n binds the session) answers with the owner.
			const me = await page.evaluate(async () => {
				const headers = { 'browser-id': localStorage.getItem('n8n-browserId') ?? '' };
				const res = await fetch('/rest/login', { credentials: 'include', headers });
				return { status: res.status, body: await res.json().catch(() => null) };
			});
			const answer = `${me.status} ${JSON.stringify(me.body).slice(0, 200)}`;
			const signedIn = me.status === 200 && me.body?.data?.email === email;
			assert(signedIn, `GET /rest/login from the page: ${answer}`);
			// Errors from here on (the sign-in page of 2.4.8 and 1.123.x throws one of its own).
			page.on('pageerror', (error) => ctx.pageErrors.push(String(error?.message ?? error)));
		},
	},
];

/** One line: its own n8n and browser context, the start steps, then `steps`. */
async function runLine(version, tarball, steps, { full = false } = {}) {
	const l0 = Date.now();
	const ctx = { ...UI, line: version, tarball, full, pageErrors: [] };
	// Check lines carry the line: the asked one until n8n is up, then its exact version.
	const check = (...args) => checks.scoped(ctx.line)(...args);
	check.attempt = (...args) => checks.scoped(ctx.line).attempt(...args);
	try {
		await runScenarios([...startSteps, ...steps], ctx, check);
	} finally {
		await context?.close().catch(() => {});
		context = page = null;
		if (ctx.dispose) disposables.delete(ctx.dispose);
		await ctx.dispose?.();
		timings[full ? 'walk' : `search ${version}`] = Date.now() - l0;
	}
}

// ------------------------------------------------------------------ the run: set-up, lines, cleanup
let cleaning = null;
function cleanup() {
	cleaning ??= (async () => {
		const c0 = Date.now();
		if (context) await Promise.race([context.close().catch(() => {}), delay(10_000)]);
		if (browser) await Promise.race([browser.close().catch(() => {}), delay(10_000)]);
		const failed = (e) => console.log(`  cleanup: ${e.message}`);
		for (const dispose of [...disposables].reverse())
			await Promise.race([dispose().catch(failed), delay(30_000)]);
		timings.cleanup = Date.now() - c0;
	})();
	return cleaning;
}

/** Print the timings and the summary, and exit (at once: a second call cannot come). */
function finish(code) {
	timings.total = Date.now() - t0;
	const list = Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`);
	console.log(`timings: ${list.join(', ')}`);
	process.exit(code || checks.finish());
}

async function interrupted(name, detail) {
	checks.check(name, false, detail);
	await dumpPage('interrupted');
	await Promise.race([cleanup(), delay(30_000)]);
	finish(1);
}
const late = `took longer than ${WATCHDOG_MS / 1000} s`;
const onLate = () => interrupted('watchdog: the browser test ends in time', late);
const watchdog = setTimeout(onLate, WATCHDOG_MS).unref();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
	process.on(signal, () => interrupted('not interrupted', `interrupted by ${signal}`));

/** Chromium, the packed package and the lines: what every line's table needs. */
const setupSteps = [
	{
		name: 'chromium and playwright-core are there',
		gate: true,
		act() {
			const hint = 'run scripts/browser/install-chromium.sh (npm run test:browser does)';
			assert(existsSync(CHROMIUM), `${CHROMIUM} is missing: ${hint}`);
			assert(typeof chromium.launch === 'function', 'playwright-core has no chromium.launch');
		},
	},
	{
		name: 'build and pack the package (once, for every line)',
		gate: true,
		async act(ctx) {
			if (SEARCH_LINES.length) {
				const log = (l) => console.log(`        ${l}`);
				const inst = await ensureInstalled([VERSION, ...SEARCH_LINES], { log });
				if (!inst.ok) log(`install.sh exited ${inst.code}: lines that did not install fail below`);
			}
			const built = await buildAndPackRepo();
			disposables.add(() => rm(built.dir, { recursive: true, force: true }));
			ctx.tarball = built.tarball;
		},
	},
	{
		name: 'chromium starts headless through playwright-core',
		gate: true,
		async act() {
			const b0 = Date.now();
			browser = await chromium.launch({
				executablePath: CHROMIUM,
				headless: true,
				args: CHROMIUM_FLAGS.map((flag) => `--${flag}`),
				timeout: 30_000,
				// Our own handlers close the browser, n8n and the fake, then print the summary.
				handleSIGINT: false,
				handleSIGTERM: false,
				handleSIGHUP: false,
			});
			timings.browserLaunch = Date.now() - b0;
			return `chromium ${browser.version()}`;
		},
	},
];

async function main() {
	const lines = SEARCH_LINES.join(', ') || 'no other line';
	const where = `${CHROMIUM}; screenshots in ${path.relative(REPO_ROOT, SCREENSHOTS)}/`;
	console.log(`browser test: walk on n8n ${VERSION}, node-panel search on ${lines}; ${where}`);
	await mkdir(SCREENSHOTS, { recursive: true });
	const ctx = {};
	if (!(await runScenarios(setupSteps, ctx, checks.scoped('setup')))) return;
	const walk = walkSteps({ newWorkflowSteps, nodePanelSteps, agentToolSteps });
	await runLine(VERSION, ctx.tarball, [...walk, noPageErrors], { full: true });
	const searchSteps = [...newWorkflowSteps, ...nodePanelSteps, ...agentToolSteps];
	for (const version of SEARCH_LINES)
		await runLine(version, ctx.tarball, [searchSteps, noPageErrors]);
}

try {
	await main();
} catch (error) {
	checks.check('no unexpected error', false, String(error?.stack ?? error));
	await dumpPage('unexpected-error');
} finally {
	await cleanup();
}
clearTimeout(watchdog);
finish(0); // the verdict is the checks'

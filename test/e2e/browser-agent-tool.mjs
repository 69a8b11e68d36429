// Browser steps for a user handing the node to an AI Agent (test/e2e/browser.mjs drives them):
// add an AI Agent after the trigger, open its Tool connector (+), search the Tools panel for the node
// by name and by an alias. Full (the walk's line): pick "Jimeng Tool", let the model define Prompt
// ($fromAI), and find both in the saved workflow.

const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
const AGENT_NAME = 'AI Agent';
const TOOL_NAME = 'Jimeng Tool'; // n8n's name for the `<node>Tool` variant of a usableAsTool node
const ALIAS = 'Seedream'; // one of the node's codex aliases
const NO_SUCH_NODE = 'zq-no-such-node-zq';
const SEARCH_TIMEOUT_MS = 8_000;
const NOT_FOUND_SETTLE_MS = 3_000;

/**
 * The panel's search for `query`, from a query that finds nothing so that no earlier result counts.
 * The panel filters a moment after typing: wait for the tool to show, and when it is not expected
 * give it NOT_FOUND_SETTLE_MS to show anyway (absence has no event to wait for).
 */
async function searchTools(ui, query, { expected }) {
	const { page, tid } = ui;
	const bar = page.locator(tid('node-creator-search-bar'));
	const found = ui.creatorNode(TOOL_NAME);
	await bar.fill(NO_SUCH_NODE);
	await ui.creator().locator(tid('node-creator-no-results')).waitFor({ state: 'visible' });
	await bar.fill(query);
	await found
		.first()
		.waitFor({ state: 'visible', timeout: expected ? SEARCH_TIMEOUT_MS : NOT_FOUND_SETTLE_MS })
		.catch(() => {});
	return { found: await found.count(), names: await ui.shownNames() };
}

/** The aliases n8n serves for the Tool variant (2.4.8 and 1.123 drop the node's codex aliases). */
async function servedToolAliases(n8n, nodeType) {
	const types = await n8n.nodeTypes();
	return types.find((type) => type.name === `${nodeType}Tool`)?.codex?.alias ?? [];
}

/**
 * From a canvas with a Manual Trigger (no connection yet): AI Agent → Tool slot → search. With
 * `full`, also add the Jimeng Tool and check its panel and the saved workflow.
 */
export async function agentToolChecks(ui, { n8n, nodeType, full = false }) {
	const { page, check, assert, tid } = ui;
	const ndv = page.locator(tid('ndv'));
	const agent = page.locator(`${tid('canvas-node')}[data-node-type="${AGENT_TYPE}"]`);

	const added = await check(
		`add an AI Agent after the trigger; its Tool connector (+) opens the panel's "Tools"`,
		async () => {
			await ui.openNodePanelAfterTrigger();
			const result = await ui.search(AGENT_NAME, AGENT_NAME);
			assert(result.found, `"${AGENT_NAME}" not among ${result.names.slice(0, 8).join(', ')}`);
			await ui.creatorNode(AGENT_NAME).first().click();
			await agent.waitFor({ state: 'visible' });
			// 2.x and 1.x open the agent's panel on adding it: back to the canvas.
			await ndv.waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
			if (await ndv.isVisible()) await ui.closeNodeDetails();
			await page
				.locator(
					`${tid('canvas-node-input-handle')}[data-connection-type="ai_tool"][data-node-name="${AGENT_NAME}"] ${tid('canvas-handle-plus')}`,
				)
				.click();
			await ui.creator().waitFor({ state: 'visible' });
			await ui
				.creator()
				.locator(tid('nodes-list-header'))
				.filter({ hasText: /^Tools$/ })
				.first()
				.waitFor({ state: 'visible' });
		},
	);
	if (!added) return;

	const aliases = full ? [ALIAS] : await servedToolAliases(n8n, nodeType).catch(() => []);
	let foundByName = false;
	for (const query of ['Jimeng', ALIAS]) {
		// The walk's line must offer the tool by alias; on lines that drop a tool's aliases, "Seedream"
		// must find nothing (what a user there sees), and the check says why.
		const expected = query !== ALIAS || aliases.includes(ALIAS);
		const name = expected
			? `Tool slot: searching "${query}" offers "${TOOL_NAME}"`
			: `Tool slot: searching "${query}" offers nothing: n8n ${ui.line} serves "${TOOL_NAME}" without the node's aliases`;
		const ok = await check(name, async () => {
			const result = await searchTools(ui, query, { expected });
			assert(
				!!result.found === expected,
				expected
					? `not among ${result.names.length} results: ${result.names.slice(0, 12).join(', ')}`
					: `listed although n8n serves the tool without aliases (${JSON.stringify(aliases)})`,
			);
			if (query === 'Jimeng' && full)
				await ui.screenshot('11-agent-tool-search.png', { keepOpen: true });
		});
		if (query === 'Jimeng') foundByName = ok;
	}
	if (!full || !foundByName) return;

	const params = ndv.locator(tid('node-parameters'));
	const promptItem = params
		.locator(tid('parameter-item'))
		.filter({ has: page.locator(tid('prompt-parameter-input-options-container')) })
		.first();
	const picked = await check(
		`pick "${TOOL_NAME}": its panel shows Prompt with "let the model define this parameter"`,
		async () => {
			await searchTools(ui, 'Jimeng', { expected: true });
			await ui.creatorNode(TOOL_NAME).first().click();
			await params.waitFor({ state: 'visible' });
			await promptItem.locator(`${tid('parameter-input-prompt')} textarea`).waitFor();
			await promptItem.locator(tid('from-ai-override-button')).click();
			await promptItem
				.locator(tid('fromAI-override-field'))
				.getByText('Defined automatically by the model')
				.waitFor({ state: 'visible' });
			await ui.screenshot('12-jimeng-tool-from-ai.png', { keepOpen: true });
		},
	);
	if (!picked) return;

	await check(
		`saved: "${TOOL_NAME}" (${nodeType}Tool) on the agent's ai_tool input, Prompt = $fromAI(…)`,
		async () => {
			await ui.closeNodeDetails();
			await ui.saveAndRead(n8n, (workflow) => {
				const tool = workflow.nodes.find((node) => node.type === `${nodeType}Tool`);
				const link = workflow.connections?.[tool?.name]?.ai_tool?.[0]?.[0];
				const agentNode = workflow.nodes.find((node) => node.type === AGENT_TYPE);
				return (
					(/\$fromAI\(/.test(tool?.parameters?.prompt ?? '') &&
						link?.node === agentNode?.name &&
						link?.type === 'ai_tool') ||
					JSON.stringify({ prompt: tool?.parameters?.prompt, link })
				);
			});
		},
	);
}

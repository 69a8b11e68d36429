// Browser steps for a user handing the node to an AI Agent (test/e2e/browser.mjs runs them on every
// line): add an AI Agent after the trigger, open its Tool connector (+), search the Tools panel for
// the node by name and by an alias. On the walk's line (ctx.full): pick "Jimeng Tool", let the model
// define Prompt ($fromAI), and find both in the saved workflow.

const NODE_TYPE = 'n8n-nodes-jimeng.jimeng';
const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
const AGENT_NAME = 'AI Agent';
const TOOL_NAME = 'Jimeng Tool'; // n8n's name for the `<node>Tool` variant of a usableAsTool node
const ALIAS = 'Seedream'; // one of the node's codex aliases
const NO_SUCH_NODE = 'zq-no-such-node-zq';
const TOOLS = /^Tools$/; // the panel's header for the Tool slot
const NOT_FOUND_SETTLE_MS = 3_000;

/**
 * The panel's search for the tool, from a query that finds nothing. When the tool is not expected,
 * give it NOT_FOUND_SETTLE_MS to show anyway (absence has no event to wait for).
 */
const searchTools = (ctx, query, expected) => {
	const timeout = expected ? undefined : NOT_FOUND_SETTLE_MS; // undefined: search()'s own
	return ctx.search(query, { name: TOOL_NAME, from: NO_SUCH_NODE, timeout });
};

/** The aliases n8n serves for the Tool variant (2.4.8 and 1.123 drop the node's codex aliases). */
async function servedToolAliases(n8n) {
	const types = await n8n.nodeTypes();
	return types.find((type) => type.name === `${NODE_TYPE}Tool`)?.codex?.alias ?? [];
}

/** The walk's line must offer the tool by alias; lines that drop a tool's aliases must not. */
const expects = (ctx, query) => query !== ALIAS || ctx.aliases.includes(ALIAS);

const searchStep = (query) => ({
	name: (ctx) =>
		expects(ctx, query)
			? `Tool slot: searching "${query}" offers "${TOOL_NAME}"`
			: `Tool slot: searching "${query}" offers nothing: n8n ${ctx.line} serves "${TOOL_NAME}" without the node's aliases`,
	async act(ctx) {
		const expected = expects(ctx, query);
		const result = await searchTools(ctx, query, expected);
		const aliases = JSON.stringify(ctx.aliases);
		const listed = `listed although n8n serves the tool without aliases (${aliases})`;
		ctx.assert(!!result.found === expected, expected ? `not among ${result.shown}` : listed);
		if (query === 'Jimeng' && ctx.full)
			await ctx.screenshot('11-agent-tool-search.png', { keepOpen: true });
		if (query === 'Jimeng') ctx.toolFound = true;
	},
});

const promptItem = ({ page, tid, ndv }) => {
	const options = page.locator(tid('prompt-parameter-input-options-container'));
	return ndv().locator(tid('parameter-item')).filter({ has: options }).first();
};

/** From a canvas with a Manual Trigger (no connection yet): AI Agent → Tool slot → search. */
export const agentToolSteps = [
	{
		name: `add an AI Agent after the trigger; its Tool connector (+) opens the panel's "Tools"`,
		gate: true,
		async act(ctx) {
			const { page, tid, creator, ndv } = ctx;
			await ctx.openNodePanelAfterTrigger();
			const result = await ctx.search(AGENT_NAME, { name: AGENT_NAME });
			ctx.assert(result.found, `"${AGENT_NAME}" not among ${result.shown}`);
			await ctx.creatorNode(AGENT_NAME).first().click();
			await ctx.canvasNode(AGENT_TYPE).waitFor();
			// 2.x and 1.x open the agent's panel on adding it: back to the canvas.
			await ctx.settle(ndv(), 'visible', 5000);
			if (await ndv().isVisible()) await ctx.closeNodeDetails();
			const slot = `${tid('canvas-node-input-handle')}[data-connection-type="ai_tool"][data-node-name="${AGENT_NAME}"]`;
			await page.locator(`${slot} ${tid('canvas-handle-plus')}`).click();
			await creator().waitFor();
			const header = creator().locator(tid('nodes-list-header'));
			await header.filter({ hasText: TOOLS }).first().waitFor();
			ctx.aliases = ctx.full ? [ALIAS] : await servedToolAliases(ctx.n8n).catch(() => []);
		},
	},
	searchStep('Jimeng'),
	searchStep(ALIAS),
	{
		name: `pick "${TOOL_NAME}": its panel shows Prompt with "let the model define this parameter"`,
		when: (ctx) => ctx.full && ctx.toolFound,
		gate: true,
		async act(ctx) {
			const { tid } = ctx;
			await searchTools(ctx, 'Jimeng', true);
			await ctx.creatorNode(TOOL_NAME).first().click();
			await ctx.fieldIn(promptItem(ctx), 'parameter-input-prompt', 'textarea').waitFor();
			await promptItem(ctx).locator(tid('from-ai-override-button')).click();
			const fromAi = promptItem(ctx).locator(tid('fromAI-override-field'));
			await fromAi.getByText('Defined automatically by the model').waitFor();
			await ctx.screenshot('12-jimeng-tool-from-ai.png', { keepOpen: true });
		},
	},
	{
		name: `saved: "${TOOL_NAME}" (${NODE_TYPE}Tool) on the agent's ai_tool input, Prompt = $fromAI(…)`,
		when: (ctx) => ctx.full,
		async act(ctx) {
			await ctx.closeNodeDetails();
			await ctx.saveAndRead(ctx.n8n, (workflow) => {
				const tool = workflow.nodes.find((node) => node.type === `${NODE_TYPE}Tool`);
				const link = workflow.connections?.[tool?.name]?.ai_tool?.[0]?.[0];
				const agentNode = workflow.nodes.find((node) => node.type === AGENT_TYPE);
				const prompt = tool?.parameters?.prompt;
				const linked = link?.node === agentNode?.name && link?.type === 'ai_tool';
				return (/\$fromAI\(/.test(prompt ?? '') && linked) || JSON.stringify({ prompt, link });
			});
		},
	},
];

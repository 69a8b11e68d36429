// A real AI Agent (examples/ai-agent-tool.json) whose OpenAI Chat Model is the fake chat server
// (test/fake-openai: it calls the Jimeng Tool first, answers with the URLs it got second) drives
// the Jimeng Tool (`prompt: $fromAI('prompt')`); the same with a prompt the fake gateway refuses
// (50412) shows the model a readable error instead of a crashed run.
import { nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { same } from './assertions.mjs';
import { executeExample, ran } from './runs.mjs';

export const AGENT_EXAMPLE = 'ai-agent-tool';
const AGENT = 'AI Agent';
// The tool node; n8n offers it to the model under its node name ('Jimeng' needs no escaping).
const TOOL_NODE = 'Jimeng';
const REFUSED_PROMPT = 'a crowd at a protest, news photo [submit-code:50412]';

/**
 * The agent example with a prompt the fake gateway refuses with 50412 (Text Risk Not Pass). The
 * suite imports it with the examples (prepareSandbox's `moreWorkflows`).
 */
export function refusedPromptWorkflow(example) {
	const workflow = structuredClone(example.workflow);
	workflow.id = 'agentRefusedPro1';
	workflow.name = 'Jimeng: an AI Agent gets a refused prompt back (e2e)';
	const agent = workflow.nodes.find((node) => node.name === AGENT);
	agent.parameters.text = `Make one image of "${REFUSED_PROMPT}" with the Jimeng tool.`;
	return workflow;
}

/** The first tool message of a chat request: its text, call id, and its content's first item when JSON. */
function toolMessage(request) {
	const m = request?.messages?.find((x) => x.role === 'tool');
	if (!m) return undefined;
	const text = typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
	let value;
	try {
		value = JSON.parse(text);
	} catch {}
	return { text, callId: m.tool_call_id, received: [value].flat().filter(Boolean)[0] };
}

/**
 * Run an agent workflow and keep what the chat model and the gateway saw, and the tool's runs (n8n
 * logs an agent's tool call under the tool node).
 */
async function runAgent(ctx, label, workflow) {
	const { fake, chat } = ctx.sb;
	const r = await executeExample(ctx, label, workflow, () => ({
		chatFrom: chat.log.length,
		tasksBefore: fake.stats().tasksCreated,
	}));
	const { chatFrom, tasksBefore } = r.marks;
	const chats = chat.log.slice(chatFrom);
	const requests = chats.filter((e) => e.path === '/v1/chat/completions');
	const task = r.submits[0]?.taskId ? fake.tasks.get(r.submits[0].taskId) : undefined;
	const images = Array.from({ length: task?.imageCount ?? 0 }, (_, i) => i);
	const runs = r.res.json?.data?.resultData?.runData?.[TOOL_NODE] ?? [];
	const [first, second] = requests;
	return {
		...r,
		requests,
		others: chats.filter((e) => !requests.includes(e)),
		first,
		offered: first?.tools?.find((t) => t.function?.name === TOOL_NODE)?.function,
		chosen: first?.answer?.arguments?.prompt,
		runs,
		// what the tool's first run answered (ai_tool output on 2.x, main on 1.x)
		answer: (runs[0]?.data?.ai_tool?.[0] ?? runs[0]?.data?.main?.[0] ?? [])[0]?.json,
		tasks: fake.stats().tasksCreated - tasksBefore,
		task,
		urls: images.map((i) => `${fake.imageUrl}/images/${task.id}/${i}.png`),
		output: nodeOutputItems(r.res.json, AGENT)[0]?.json?.output,
		message: toolMessage(second),
	};
}

const L = AGENT_EXAMPLE;
const TOOL_CALL = [
	{
		name: `${L}: the model was asked twice (tool call, then the final answer), with its key`,
		ok: ({ requests }) => requests.length === 2 && requests.every((e) => e.authOk && e.messages),
		evidence: ({ requests, others }) =>
			`${requests.length} chat request(s); other requests: ${others.map((e) => `${e.method} ${e.path}`).join(', ') || 'none'}`,
	},
	{
		name: `${L}: the model is offered the Jimeng tool (named by n8n) with a prompt parameter`,
		ok: ({ offered, first }) =>
			!!offered && first.answer?.toolName === TOOL_NODE && !!offered.parameters?.properties?.prompt,
		evidence: ({ first }) =>
			`offered ${JSON.stringify(first?.tools?.map((t) => t.function?.name))}, called ${first?.answer?.toolName}`,
	},
	{
		name: `${L}: the tool description tells the model each call is billed and what it returns`,
		ok: ({ offered }) =>
			[/billed/, /task ID/, /image URLs/, /size/].every((re) =>
				re.test(offered?.description ?? ''),
			),
		evidence: ({ offered }) => JSON.stringify(offered?.description),
	},
	{
		name: `${L}: the Jimeng tool ran once`,
		ok: ({ runs }) => runs.length === 1 && runs[0].executionStatus !== 'error',
		evidence: ({ runs }) =>
			`${runs.length} run(s), ${runs.map((x) => x.executionStatus).join(', ')}`,
	},
	same(
		`${L}: the gateway got the prompt the model chose ($fromAI)`,
		({ chosen, submits }) => [chosen, submits.map((s) => s.body?.prompt)],
		({ chosen }) => [typeof chosen === 'string' ? chosen : 'a string', [chosen]],
	),
	same(`${L}: exactly one task billed`, ({ submits, tasks }) => [submits.length, tasks], [1, 1]),
	{
		name: `${L}: the tool downloaded nothing (an agent gets URLs)`,
		ok: ({ entries }) => entries.filter((e) => e.server === 'image').length === 0,
	},
	{
		name: `${L}: the tool's answer is compact: taskId, status, imageCount, imageUrls, prompt, size`,
		ok: ({ answer, task, urls }) =>
			answer?.taskId === task?.id &&
			JSON.stringify(answer?.imageUrls) === JSON.stringify(urls) &&
			JSON.stringify(Object.keys(answer ?? {}).sort()) ===
				'["imageCount","imageUrls","prompt","size","status","taskId"]',
		evidence: ({ answer }) => JSON.stringify(answer)?.slice(0, 400),
	},
	{
		name: `${L}: the model's second request carries the tool's answer (task ID, image URLs, size)`,
		ok: ({ message, first, task, urls }) =>
			!!message?.received &&
			message.callId === first?.answer?.id &&
			message.received.taskId === task?.id &&
			JSON.stringify(message.received.imageUrls) === JSON.stringify(urls) &&
			typeof message.received.size?.width === 'number' &&
			typeof message.received.size?.height === 'number',
		evidence: ({ message, first }) =>
			`tool_call_id ${message?.callId} (call ${first?.answer?.id}); ${message?.text?.slice(0, 300) ?? 'no tool message'}`,
	},
	{
		name: `${L}: the agent's final output carries the image URLs`,
		ok: ({ output, urls }) =>
			typeof output === 'string' && urls.length > 0 && urls.every((url) => output.includes(url)),
		evidence: ({ output }) => JSON.stringify(output)?.slice(0, 300),
	},
];

const R = `${AGENT_EXAMPLE} (refused prompt)`;
const REFUSED = [
	same(
		`${R}: the tool submitted once, the gateway created no task`,
		({ submits, tasks }) => [submits.map((s) => s.body?.prompt), tasks],
		[[REFUSED_PROMPT], 0],
	),
	{
		name: `${R}: the model got a readable error as the tool's answer (code, API message, advice)`,
		ok: ({ requests, message }) =>
			requests.length === 2 &&
			/Jimeng API error 50412: Text Risk Not Pass/.test(message?.text) &&
			/Rephrase the prompt/.test(message?.text),
		evidence: ({ requests, message }) =>
			`${requests.length} chat request(s); ${message?.text.slice(0, 400) || 'no tool message'}`,
	},
	{
		name: `${R}: the run ends normally with the agent's answer quoting the error`,
		ok: ({ res, output }) => res.code === 0 && typeof output === 'string' && /50412/.test(output),
		evidence: ({ output }) => JSON.stringify(output)?.slice(0, 300),
	},
];

/** The e2e entries: the tool makes an image; the gateway refuses the prompt. */
export const agentEntries = [
	{
		name: L,
		act: (ctx) => runAgent(ctx, L, ctx.sb.example(L).workflow),
		assert: [...ran(L), ...TOOL_CALL],
	},
	{
		name: R,
		act: (ctx) => runAgent(ctx, R, refusedPromptWorkflow(ctx.sb.example(L))),
		assert: [...ran(R), ...REFUSED],
	},
];

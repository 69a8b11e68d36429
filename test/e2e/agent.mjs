// A real AI Agent drives the Jimeng Tool (examples/ai-agent-tool.json): Manual Trigger → AI Agent
// with an OpenAI Chat Model whose credential points at the fake chat server (test/fake-openai),
// and the Jimeng Tool with `prompt: $fromAI('prompt')`. The fake model calls the tool first and
// answers with the URLs it got second; what it received is in its log. A second workflow, the same
// with a prompt the fake gateway refuses (50412, prompt moderation), shows the model a readable
// error instead of a crashed run.
import { nodeOutputItems } from '../../scripts/support/run-data.mjs';
import { executeExample, ran } from './runs.mjs';

export const AGENT_EXAMPLE = 'ai-agent-tool';
const AGENT = 'AI Agent';
const TOOL = 'Jimeng';
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

/** The tool's runs in the run data (n8n logs an agent's tool call under the tool node). */
const toolRuns = (json) => json?.data?.resultData?.runData?.[TOOL] ?? [];
/** The items a tool run answered with (ai_tool output on 2.x, main on 1.x). */
const toolItems = (run) =>
	(run?.data?.ai_tool?.[0] ?? run?.data?.main?.[0] ?? []).map((item) => item.json);
const parseJson = (text) => {
	try {
		return JSON.parse(text);
	} catch {}
};

/** The tool messages of a chat request, content parsed when it is JSON (one object or an array). */
function toolMessages(request) {
	return (request?.messages ?? [])
		.filter((m) => m.role === 'tool')
		.map((m) => {
			const text = typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
			const value = parseJson(text);
			return { text, callId: m.tool_call_id, items: [value].flat().filter(Boolean) };
		});
}

/** The chat requests of a run, from the chat log's length before it. */
const chatRequests = (chat, from) =>
	chat.log.slice(from).filter((e) => e.path === '/v1/chat/completions');

/**
 * Run the agent workflow (`refused`: the one with the refused prompt) with the fake chat model and
 * the fake gateway, and keep what both saw.
 */
async function runAgent(ctx, refused) {
	const { fake, chat } = ctx.sb;
	const example = ctx.sb.example(AGENT_EXAMPLE);
	const chatFrom = chat.log.length;
	const tasksBefore = fake.stats().tasksCreated;
	const label = refused ? `${AGENT_EXAMPLE} (refused prompt)` : AGENT_EXAMPLE;
	const r = await executeExample(
		ctx,
		label,
		refused ? refusedPromptWorkflow(example) : example.workflow,
	);
	const requests = chatRequests(chat, chatFrom);
	const task = r.submits[0]?.taskId ? fake.tasks.get(r.submits[0].taskId) : undefined;
	return {
		...r,
		requests,
		others: chat.log.slice(chatFrom).filter((e) => !requests.includes(e)),
		tasks: fake.stats().tasksCreated - tasksBefore,
		task,
		urls: task
			? Array.from(
					{ length: task.imageCount },
					(_, i) => `${fake.imageUrl}/images/${task.id}/${i}.png`,
				)
			: [],
		output: nodeOutputItems(r.res.json, AGENT)[0]?.json?.output,
	};
}

/** The tool call: what the model was offered and chose, the tool's run and answer, what it got back. */
function readToolCall(r) {
	const [first, second] = r.requests;
	const runs = toolRuns(r.res.json);
	const [message] = toolMessages(second);
	return {
		first,
		offered: first?.tools?.find((t) => t.function?.name === first.answer?.toolName)?.function,
		chosen: first?.answer?.arguments?.prompt,
		runs,
		answer: toolItems(runs[0])[0],
		message,
		received: message?.items?.[0],
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
			!!offered &&
			offered.name === first.answer.toolName &&
			!!offered.parameters?.properties?.prompt,
		evidence: ({ first }) => JSON.stringify(first?.tools?.map((t) => t.function?.name)),
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
	{
		name: `${L}: the gateway got the prompt the model chose ($fromAI)`,
		ok: ({ chosen, submits }) =>
			typeof chosen === 'string' && submits.length === 1 && submits[0].body?.prompt === chosen,
		evidence: ({ chosen, submits }) =>
			`model chose ${JSON.stringify(chosen)}; gateway got ${JSON.stringify(submits.map((s) => s.body?.prompt))}`,
	},
	{
		name: `${L}: exactly one task billed`,
		ok: ({ submits, tasks }) => submits.length === 1 && tasks === 1,
		evidence: ({ submits, tasks }) => `${submits.length} submit(s), ${tasks} task(s)`,
	},
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
		ok: ({ received, message, first, task, urls }) =>
			!!received &&
			message.callId === first?.answer?.id &&
			received.taskId === task?.id &&
			JSON.stringify(received.imageUrls) === JSON.stringify(urls) &&
			typeof received.size?.width === 'number' &&
			typeof received.size?.height === 'number',
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
	{
		name: `${R}: the tool submitted once, the gateway created no task`,
		ok: ({ submits, tasks }) =>
			submits.length === 1 && submits[0].body?.prompt === REFUSED_PROMPT && tasks === 0,
		evidence: ({ submits }) =>
			`${submits.length} submit(s): ${JSON.stringify(submits.map((s) => s.body?.prompt))}`,
	},
	{
		name: `${R}: the model got a readable error as the tool's answer (code, API message, advice)`,
		ok: ({ requests, said }) =>
			requests.length === 2 &&
			/Jimeng API error 50412: Text Risk Not Pass/.test(said) &&
			/Rephrase the prompt/.test(said),
		evidence: ({ requests, said }) =>
			`${requests.length} chat request(s); ${said.slice(0, 400) || 'no tool message'}`,
	},
	{
		name: `${R}: the run ends normally with the agent's answer quoting the error`,
		ok: ({ res, output }) => res.code === 0 && typeof output === 'string' && /50412/.test(output),
		evidence: ({ output }) => JSON.stringify(output)?.slice(0, 300),
	},
];

/**
 * The e2e entries of the agent example: the tool makes an image; the gateway refuses the prompt
 * (each with the checks every run gets, from examples.mjs).
 */
export const agentEntries = [
	{
		name: AGENT_EXAMPLE,
		act: async (ctx) => {
			const r = await runAgent(ctx, false);
			return { ...r, ...readToolCall(r) };
		},
		assert: [...ran(L), ...TOOL_CALL],
	},
	{
		name: R,
		act: async (ctx) => {
			const r = await runAgent(ctx, true);
			return { ...r, said: toolMessages(r.requests[1])[0]?.text ?? '' };
		},
		assert: [...ran(R), ...REFUSED],
	},
];

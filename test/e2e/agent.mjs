// A real AI Agent drives the Jimeng Tool (examples/ai-agent-tool.json): Manual Trigger → AI Agent
// with an OpenAI Chat Model whose credential points at the fake chat server (test/fake-openai),
// and the Jimeng Tool with `prompt: $fromAI('prompt')`. The fake model calls the tool first and
// answers with the URLs it got second; what it received is in its log. A second workflow, the same
// with a prompt the fake gateway refuses (50412, prompt moderation), shows the model a readable
// error instead of a crashed run.
import { nodeOutputItems } from '../../scripts/support/run-data.mjs';

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
function toolRuns(json) {
	return json?.data?.resultData?.runData?.[TOOL] ?? [];
}

/** The items a tool run answered with (ai_tool output on 2.x, main on 1.x). */
function toolItems(run) {
	const data = run?.data ?? {};
	return (data.ai_tool?.[0] ?? data.main?.[0] ?? []).map((item) => item.json);
}

function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

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

/**
 * @param {object} ctx
 * @param {object} ctx.sb        the line's sandbox (fake gateway, fake chat model, instance)
 * @param {Function} ctx.check   the line's scoped check
 * @param {Function} ctx.run     (label, workflow) → { res, ok, entries } as e2e.mjs executes
 */
export async function checkAgent({ sb, check, run }) {
	const { fake, chat } = sb;
	const example = sb.example(AGENT_EXAMPLE);
	const label = AGENT_EXAMPLE;

	// ------------------------------------------------------------------ the tool makes an image
	const chatFrom = chat.log.length;
	const tasksBefore = fake.stats().tasksCreated;
	const r = await run(label, example.workflow);
	const requests = chat.log.slice(chatFrom).filter((e) => e.path === '/v1/chat/completions');
	check(
		`${label}: the model was asked twice (tool call, then the final answer), with its key`,
		requests.length === 2 && requests.every((e) => e.authOk && e.messages),
		`${requests.length} chat request(s); other requests: ${
			chat.log
				.slice(chatFrom)
				.filter((e) => !requests.includes(e))
				.map((e) => `${e.method} ${e.path}`)
				.join(', ') || 'none'
		}`,
	);
	const [first, second] = requests;
	const offered = first?.tools?.find((t) => t.function?.name === first.answer?.toolName)?.function;
	check(
		`${label}: the model is offered the Jimeng tool (named by n8n) with a prompt parameter`,
		!!offered && offered.name === first.answer.toolName && !!offered.parameters?.properties?.prompt,
		JSON.stringify(first?.tools?.map((t) => t.function?.name)),
	);
	check(
		`${label}: the tool description tells the model each call is billed and what it returns`,
		/billed/.test(offered?.description ?? '') &&
			/task ID/.test(offered?.description ?? '') &&
			/image URLs/.test(offered?.description ?? '') &&
			/size/.test(offered?.description ?? ''),
		JSON.stringify(offered?.description),
	);
	const chosen = first?.answer?.arguments?.prompt;
	const runs = toolRuns(r.res.json);
	check(
		`${label}: the Jimeng tool ran once`,
		runs.length === 1 && runs[0].executionStatus !== 'error',
		`${runs.length} run(s), ${runs.map((x) => x.executionStatus).join(', ')}`,
	);
	const submits = r.entries.filter((e) => e.kind === 'submit');
	check(
		`${label}: the gateway got the prompt the model chose ($fromAI)`,
		typeof chosen === 'string' && submits.length === 1 && submits[0].body?.prompt === chosen,
		`model chose ${JSON.stringify(chosen)}; gateway got ${JSON.stringify(submits.map((s) => s.body?.prompt))}`,
	);
	const tasks = fake.stats().tasksCreated - tasksBefore;
	check(
		`${label}: exactly one task billed`,
		submits.length === 1 && tasks === 1,
		`${submits.length} submit(s), ${tasks} task(s)`,
	);
	const task = submits[0]?.taskId ? fake.tasks.get(submits[0].taskId) : undefined;
	const urls = task
		? Array.from(
				{ length: task.imageCount },
				(_, i) => `${fake.imageUrl}/images/${task.id}/${i}.png`,
			)
		: [];
	check(
		`${label}: the tool downloaded nothing (an agent gets URLs)`,
		r.entries.filter((e) => e.server === 'image').length === 0,
	);
	const answer = toolItems(runs[0])[0];
	check(
		`${label}: the tool's answer is compact: taskId, status, imageCount, imageUrls, prompt, size`,
		answer?.taskId === task?.id &&
			JSON.stringify(answer?.imageUrls) === JSON.stringify(urls) &&
			JSON.stringify(Object.keys(answer ?? {}).sort()) ===
				'["imageCount","imageUrls","prompt","size","status","taskId"]',
		JSON.stringify(answer)?.slice(0, 400),
	);
	const [message] = toolMessages(second);
	const received = message?.items?.[0];
	check(
		`${label}: the model's second request carries the tool's answer (task ID, image URLs, size)`,
		!!received &&
			message.callId === first?.answer?.id &&
			received.taskId === task?.id &&
			JSON.stringify(received.imageUrls) === JSON.stringify(urls) &&
			typeof received.size?.width === 'number' &&
			typeof received.size?.height === 'number',
		`tool_call_id ${message?.callId} (call ${first?.answer?.id}); ${message?.text?.slice(0, 300) ?? 'no tool message'}`,
	);
	const output = nodeOutputItems(r.res.json, AGENT)[0]?.json?.output;
	check(
		`${label}: the agent's final output carries the image URLs`,
		typeof output === 'string' && urls.length > 0 && urls.every((url) => output.includes(url)),
		JSON.stringify(output)?.slice(0, 300),
	);

	// ------------------------------------------------------------------ the gateway refuses the prompt
	const refused = refusedPromptWorkflow(example);
	const refusedLabel = `${label} (refused prompt)`;
	const chatFrom2 = chat.log.length;
	const tasksBefore2 = fake.stats().tasksCreated;
	const r2 = await run(refusedLabel, refused);
	const requests2 = chat.log.slice(chatFrom2).filter((e) => e.path === '/v1/chat/completions');
	const submits2 = r2.entries.filter((e) => e.kind === 'submit');
	check(
		`${refusedLabel}: the tool submitted once, the gateway created no task`,
		submits2.length === 1 &&
			submits2[0].body?.prompt === REFUSED_PROMPT &&
			fake.stats().tasksCreated === tasksBefore2,
		`${submits2.length} submit(s): ${JSON.stringify(submits2.map((s) => s.body?.prompt))}`,
	);
	const [errorMessage] = toolMessages(requests2[1]);
	const said = errorMessage?.text ?? '';
	check(
		`${refusedLabel}: the model got a readable error as the tool's answer (code, API message, advice)`,
		requests2.length === 2 &&
			/Jimeng API error 50412: Text Risk Not Pass/.test(said) &&
			/Rephrase the prompt/.test(said),
		`${requests2.length} chat request(s); ${said.slice(0, 400) || 'no tool message'}`,
	);
	const output2 = nodeOutputItems(r2.res.json, AGENT)[0]?.json?.output;
	check(
		`${refusedLabel}: the run ends normally with the agent's answer quoting the error`,
		r2.res.code === 0 && typeof output2 === 'string' && /50412/.test(output2),
		JSON.stringify(output2)?.slice(0, 300),
	);
}

// The fake chat model the AI Agent e2e test drives n8n with: OpenAI's wire format, JSON and SSE.
import { startFakeOpenAi, type FakeOpenAi } from '../fake-openai';

let chat: FakeOpenAi;
beforeAll(async () => {
	chat = await startFakeOpenAi({ apiKey: 'sk-test' });
});
afterAll(async () => await chat.close());
beforeEach(() => chat.reset());

const tool = (name: string, properties = {}) => ({
	type: 'function',
	function: { name, parameters: { type: 'object', ...properties } },
});
const tools = [
	tool('Calculator'),
	tool('Make_image_in_Jimeng', { properties: { prompt: { type: 'string' } } }),
];
const user = { role: 'user', content: 'Draw "a fox in snow" please' };
/** The answer of the Jimeng tool, as n8n hands it back to the model. */
const toolMessage = (content: unknown) => ({ role: 'tool', content: JSON.stringify(content) });

interface Completion {
	choices: Array<{
		finish_reason: string;
		message: {
			content: string | null;
			tool_calls: Array<{ function: { name: string; arguments: string } }>;
		};
	}>;
	data: Array<{ id: string }>;
}

const json = async (res: Response) => (await res.json()) as Completion;

async function post(body: object, key = 'sk-test') {
	return await fetch(`${chat.url}/chat/completions`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'gpt-4o-mini', ...body }),
	});
}

/** Joins a streamed answer's deltas as an OpenAI client does. */
function joinStream(text: string) {
	const events = text.split('\n\n').flatMap((block) => block.match(/^data: (.*)/s)?.[1] ?? []);
	expect(events.at(-1)).toBe('[DONE]');
	const joined = { content: '', name: '', args: '', finish: null as string | null };
	for (const event of events.slice(0, -1)) {
		const choice = JSON.parse(event).choices[0];
		if (!choice) continue;
		const call = choice.delta.tool_calls?.[0];
		joined.content += choice.delta.content ?? '';
		joined.name += call?.function?.name ?? '';
		joined.args += call?.function?.arguments ?? '';
		joined.finish = choice.finish_reason ?? joined.finish;
	}
	return joined;
}

test('first answer: a call to the tool named in the request, with the quoted prompt', async () => {
	const res = await post({ messages: [user], tools });
	const body = await json(res);
	const call = body.choices[0].message.tool_calls[0];
	expect(body.choices[0].finish_reason).toBe('tool_calls');
	expect(call.function.name).toBe('Make_image_in_Jimeng');
	expect(JSON.parse(call.function.arguments)).toEqual({ prompt: 'a fox in snow' });
	expect(chat.chatRequests()[0].tools).toEqual(tools);
});

test('after the tool message: a final answer quoting its URLs', async () => {
	const answer = toolMessage([{ taskId: 't1', imageUrls: ['http://127.0.0.1:1/i/0.png'] }]);
	const assistant = { role: 'assistant', content: '' };
	const messages = [user, assistant, { ...answer, tool_call_id: 'call_1' }];
	const body = await json(await post({ messages, tools }));
	expect(body.choices[0].finish_reason).toBe('stop');
	expect(body.choices[0].message.content).toContain('http://127.0.0.1:1/i/0.png');
});

test('a tool error is quoted back when there is no URL', async () => {
	const answer = toolMessage([{ error: 'Jimeng API error 50412' }]);
	const body = await json(await post({ messages: [user, answer], tools }));
	expect(body.choices[0].message.content).toContain('Jimeng API error 50412');
});

test('streaming: SSE chunks that join to the same answers', async () => {
	const first = joinStream(await (await post({ messages: [user], tools, stream: true })).text());
	expect(first).toMatchObject({ name: 'Make_image_in_Jimeng', finish: 'tool_calls' });
	expect(JSON.parse(first.args)).toEqual({ prompt: 'a fox in snow' });
	const answer = toolMessage({ imageUrls: ['http://h/1.png'] });
	const second = joinStream(
		await (await post({ messages: [user, answer], tools, stream: true })).text(),
	);
	expect(second.finish).toBe('stop');
	expect(second.content).toContain('http://h/1.png');
});

test('GET /v1/models lists the model; a wrong key gets 401 and is logged as a problem', async () => {
	const models = await fetch(`${chat.url}/models`, {
		headers: { authorization: 'Bearer sk-test' },
	});
	expect((await json(models)).data[0].id).toBe(chat.model);
	expect((await post({ messages: [user] }, 'wrong')).status).toBe(401);
	expect(chat.log.filter((e) => e.problem)).toHaveLength(1);
});

'use strict';
// OpenAI's chat completion shapes for a decided answer: one JSON body, or the SSE chunks of a
// streamed answer (role, content or tool call name then arguments, finish, usage, [DONE]).

const USAGE = { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 };

const toolCall = (answer, args) => ({
	id: answer.id,
	type: 'function',
	function: { name: answer.toolName, arguments: args },
});

function assistantMessage(answer) {
	if (answer.kind !== 'tool_call') return { role: 'assistant', content: answer.content };
	const call = toolCall(answer, JSON.stringify(answer.arguments));
	return { role: 'assistant', content: null, tool_calls: [call] };
}

const finishReason = (answer) => (answer.kind === 'tool_call' ? 'tool_calls' : 'stop');

/** What every body and chunk starts with. */
const head = (object, { id, model, created }) => ({ id, object, created, model });

/** The non-streaming body. */
function completion(answer, meta) {
	const message = assistantMessage(answer);
	return {
		...head('chat.completion', meta),
		choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(answer) }],
		usage: USAGE,
		system_fingerprint: 'fp_fake',
	};
}

/** The streamed answer as SSE `data:` lines (each a string ending in a blank line). */
function chunks(answer, meta) {
	const chunk = (delta, finish = null) => ({
		...head('chat.completion.chunk', meta),
		system_fingerprint: 'fp_fake',
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
	});
	const out = [];
	if (answer.kind === 'tool_call') {
		// The name first, then the arguments, as OpenAI streams a call.
		const named = { index: 0, ...toolCall(answer, '') };
		const args = { index: 0, function: { arguments: JSON.stringify(answer.arguments) } };
		out.push(chunk({ role: 'assistant', content: null, tool_calls: [named] }));
		out.push(chunk({ tool_calls: [args] }));
	} else {
		out.push(chunk({ role: 'assistant', content: '' }));
		// Two content pieces, so a client that joins deltas is exercised.
		const middle = Math.floor(answer.content.length / 2);
		out.push(chunk({ content: answer.content.slice(0, middle) }));
		out.push(chunk({ content: answer.content.slice(middle) }));
	}
	out.push(chunk({}, finishReason(answer)));
	if (meta.includeUsage) out.push({ ...chunk({}), choices: [], usage: USAGE });
	return [...out.map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'];
}

module.exports = { completion, chunks };

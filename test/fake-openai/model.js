'use strict';
// The scripted "model": what a chat completion request gets as its answer. Pure.
//
// - No tool message since the last user message: call the image tool (its name is read from the
//   request's `tools`, never assumed), with arguments for every parameter of its JSON schema.
// - A tool message has arrived: a final answer quoting every URL found in the tool messages, or,
//   when there is none, the error the tool reported.

const URL_PATTERN = /https?:\/\/[^\s"'\\<>)\]]+/g;
const TOOL_PATTERN = /jimeng/i;
const FALLBACK_PROMPT = 'A red fox in fresh snow, watercolor';

/** The text of a message's content (string, or OpenAI's array of parts). */
function textOf(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content.map((part) => (typeof part === 'string' ? part : (part?.text ?? ''))).join('');
	return '';
}

/** The messages after the last user message. */
function sinceLastUser(messages) {
	const last = messages.findLastIndex((message) => message?.role === 'user');
	return { user: messages[last], after: messages.slice(last + 1) };
}

/**
 * The tool the model calls: the first whose name matches TOOL_PATTERN, else the only one.
 * Returns null when the request offers none that fits.
 */
function pickTool(tools) {
	const functions = (tools ?? []).filter((tool) => tool?.type === 'function' && tool.function);
	const match = functions.find((tool) => TOOL_PATTERN.test(tool.function.name));
	return (match ?? (functions.length === 1 ? functions[0] : null))?.function ?? null;
}

/**
 * The prompt the model chooses for the image tool: the first double-quoted phrase of the user's
 * message (so a workflow's agent prompt decides it), else FALLBACK_PROMPT.
 */
function choosePrompt(userText) {
	const quoted = /"([^"]+)"/.exec(userText) ?? /“([^”]+)”/.exec(userText);
	return quoted ? quoted[1] : FALLBACK_PROMPT;
}

/** Arguments for the tool's JSON schema: the prompt for `prompt`, a plain value for the rest. */
function argumentsFor(schema, prompt) {
	const args = {};
	for (const [key, property] of Object.entries(schema?.properties ?? {})) {
		const type = Array.isArray(property?.type) ? property.type[0] : property?.type;
		if (key === 'prompt' || (type === 'string' && !('prompt' in args) && /prompt/i.test(key)))
			args[key] = prompt;
		else if (type === 'number' || type === 'integer') args[key] = 1;
		else if (type === 'boolean') args[key] = false;
		else if (type === 'array') args[key] = [];
		else if (type === 'object') args[key] = {};
		else args[key] = prompt;
	}
	return args;
}

/** Every distinct URL in the given texts, in order. */
function urlsIn(texts) {
	return [...new Set(texts.flatMap((text) => text.match(URL_PATTERN) ?? []))];
}

/** The error a tool message reports (`{"error": "…"}`, a JSON array of such, or plain text). */
function toolError(text) {
	try {
		const value = JSON.parse(text);
		const first = Array.isArray(value) ? value[0] : value;
		if (first && typeof first === 'object' && typeof first.error === 'string') return first.error;
		if (typeof value === 'string') return value;
	} catch {}
	return text.trim();
}

/**
 * The answer to one request body: { kind: 'tool_call', toolName, arguments, id: callId } or
 * { kind: 'final', content, urls, toolError }, or { kind: 'final', content } when no tool fits.
 */
function decide(body, callId) {
	const messages = Array.isArray(body?.messages) ? body.messages : [];
	const { user, after } = sinceLastUser(messages);
	const toolMessages = after.filter((message) => message?.role === 'tool');
	if (toolMessages.length === 0) {
		const tool = pickTool(body?.tools);
		if (!tool) return { kind: 'final', content: 'I have no image tool to call.' };
		const prompt = choosePrompt(textOf(user?.content));
		return {
			kind: 'tool_call',
			id: callId,
			toolName: tool.name,
			arguments: argumentsFor(tool.parameters, prompt),
		};
	}
	const texts = toolMessages.map((message) => textOf(message.content));
	const urls = urlsIn(texts);
	if (urls.length)
		return { kind: 'final', urls, content: `Here are your images:\n${urls.join('\n')}` };
	const error = texts.map(toolError).filter(Boolean).join('; ');
	return {
		kind: 'final',
		urls: [],
		toolError: error,
		content: `The image tool could not make the image: ${error || 'it returned nothing'}`,
	};
}

module.exports = { decide };

// Types for index.js (plain CommonJS) so strict TypeScript tests can import it.

export interface FakeOpenAiOptions {
	/** the Bearer key every request must carry (default: random) */
	apiKey?: string;
	port?: number;
}

export type Answer =
	| { kind: 'tool_call'; id: string; toolName: string; arguments: Record<string, unknown> }
	| { kind: 'final'; content: string; urls?: string[]; toolError?: string };

export interface ChatLogEntry {
	at: number;
	method?: string;
	path?: string;
	authOk?: boolean;
	body?: Record<string, unknown>;
	messages?: Array<{ role: string; content?: unknown }>;
	tools?: unknown[];
	stream?: boolean;
	answer?: Answer;
	statusCode?: number;
	problem?: string;
}

export interface FakeOpenAi {
	/** Base URL for an OpenAI credential (ends in /v1) */
	url: string;
	apiKey: string;
	model: string;
	log: ChatLogEntry[];
	chatRequests(): ChatLogEntry[];
	reset(): void;
	close(): Promise<void>;
}

export const MODEL: string;
export function startFakeOpenAi(options?: FakeOpenAiOptions): Promise<FakeOpenAi>;

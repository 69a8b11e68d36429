import { NOT_FOUND_ADVICE } from './advice';
import type { GatewayMeaning } from './gatewayAnswers';

/** When an answer of a meaning is asked again. */
export type RetryPolicy =
	/** never: asking again cannot change it (or it might bill a second task) */
	| 'never'
	/** the gateway refused before anything was created: retried with backoff, a submit too */
	| 'refusal'
	/** the gateway failed: retried, a submit only when the answer proves that no task was created */
	| 'transient';

export interface MeaningRule {
	retry: RetryPolicy;
	/** a rate limit: it slows every query of the execution (the concurrency limit does not) */
	rateLimited?: boolean;
	/** what happened, e.g. after "Submitting the task failed: "; absent: said by the HTTP status */
	phrase?: string;
	/** what to do */
	advice?: string;
}

/** Each meaning's retry rule, and what the node says about it: one place for every call kind. */
export const MEANINGS: Record<GatewayMeaning, MeaningRule> = {
	ok: { retry: 'never' },
	// its words name where it points (transport/gatewayFailure.ts, domain/credentialVerdict.ts)
	redirect: { retry: 'never' },
	capacity: { retry: 'refusal' },
	rateLimit: {
		retry: 'refusal',
		rateLimited: true,
		phrase: 'the gateway kept refusing the request for its rate limit',
		advice:
			"Nothing was created by the refused requests. Lower Max Concurrent Tasks, raise Max Retries, or space the runs out; the key's or group's limit is set in the gateway's dashboard.",
	},
	exhaustedKey: {
		retry: 'never',
		phrase: "the API key's quota is used up",
		advice:
			"The key is right, but the quota it may spend is used up. Raise the key's quota (or make it unlimited) in the gateway's dashboard, or top up, then run again.",
	},
	key: {
		retry: 'never',
		phrase: 'the gateway rejected the API key',
		advice: 'Check the API key in the Jimeng API credential: it may be wrong, disabled or expired.',
	},
	balance: {
		retry: 'never',
		phrase: "the account balance or the key's quota is spent",
		advice:
			"The key is fine. Top up the balance on the gateway, or raise the key's quota in its dashboard, then run the items again.",
	},
	permission: {
		retry: 'never',
		phrase: 'the gateway does not let this key make this request',
		advice:
			"The key is valid but may not use this model or group (or its IP, or the account, is blocked). Allow them for the key in the gateway's dashboard or use another key; check Model and Req Key in Options.",
	},
	noChannel: {
		retry: 'refusal',
		phrase: 'the gateway cannot serve this model now',
		advice:
			"No channel of the gateway serves the model for this key's group at the moment. Try again later, check Model and Req Key in Options, or ask the gateway's administrator.",
	},
	taskNotFound: {
		retry: 'never',
		phrase: 'the gateway does not know this task',
		advice: NOT_FOUND_ADVICE,
	},
	refused: { retry: 'never' },
	unavailable: { retry: 'transient', advice: 'Try again later.' },
	missing: {
		retry: 'never',
		advice: 'Nothing serves /jm at this Base URL. Check Base URL in the credential.',
	},
	apiError: {
		retry: 'never',
		advice:
			"This node has no specific advice for this answer. Check Base URL in the credential, or quote the gateway's words to its support.",
	},
	foreign: {
		retry: 'never',
		advice: 'The answer is not the Jimeng API envelope. Check Base URL in the credential.',
	},
};

/** Meanings that the gateway's own layer decides by HTTP status, before any Jimeng code. */
export const GATEWAY_REFUSALS = new Set<GatewayMeaning>([
	'key',
	'exhaustedKey',
	'balance',
	'permission',
]);

/** Refusals after which no further submit of the execution can succeed: the money is spent. */
export const SPENT = new Set<GatewayMeaning>(['balance', 'exhaustedKey']);

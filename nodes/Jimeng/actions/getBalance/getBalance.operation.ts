import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { parseBody } from '../../domain/api';
import type { ApiFailure } from '../../domain/errors';
import { DEFAULTS } from '../../domain/limits';
import type { ItemOperation, Plan, Services } from '../../runtime/operation';
import type { GatewayRead, ReadResult } from '../../transport/read';
import { gatewayRead } from '../../transport/read';
import type { HttpAnswer } from '../../transport/verdict';
import type { Described } from '../common/described';

// Get Balance: the API key's quota, from the gateway's token-usage endpoint. It has no parameters
// and bills nothing: no slot, no task. The endpoint is new-api's (the deepwl gateway is built on
// it): GET /api/usage/token/ with the key as Bearer token, answering
// {code: true, message: "ok", data: {object: "token_usage", name, total_granted, total_used,
// total_available, unlimited_quota, model_limits, model_limits_enabled, expires_at}}
// (new-api, controller/token.go GetTokenUsage, route in router/api-router.go). Quotas are in the
// gateway's units (new-api: 500,000 per US dollar by default, common.QuotaPerUnit); expires_at is
// a Unix time in seconds, 0 when the key never expires (new-api turns its -1 into 0).

const USAGE_PATH = '/api/usage/token/';

const NO_ENDPOINT =
	"The gateway at this Base URL does not offer new-api's token usage endpoint. Check Base URL in the credential, or see the balance in the gateway's dashboard.";

/** The usage as the gateway reported it: under data, or (older shapes) at the top. */
interface TokenUsage {
	name?: unknown;
	total_granted?: unknown;
	total_used?: unknown;
	total_available?: unknown;
	unlimited_quota?: unknown;
	expires_at?: unknown;
}

function usageIn(body: unknown): TokenUsage | undefined {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
	const object = body as IDataObject;
	const data = object.data as IDataObject | null | undefined;
	const candidates = [data, object].filter((c) => typeof c === 'object' && c !== null);
	return candidates.find((c) => typeof c!.total_available === 'number') as TokenUsage | undefined;
}

function noEndpoint(statusCode: number, what: string): { failure: ApiFailure } {
	return {
		failure: {
			message: `Reading the balance failed: the gateway has no balance endpoint (GET ${USAGE_PATH} answered HTTP ${statusCode}${what})`,
			description: NO_ENDPOINT,
			httpCode: statusCode,
		},
	};
}

/** What only this endpoint answers: the usage, or that there is none. The rest: the gateway's reading. */
function readUsage(answer: HttpAnswer): ReadResult<TokenUsage> | undefined {
	const { statusCode } = answer;
	const body = parseBody(answer.body);
	const isJson = typeof body === 'object' && body !== null;
	if (statusCode === 404 || statusCode === 405)
		return noEndpoint(statusCode, isJson ? '' : ' with a non-JSON page');
	if (statusCode < 200 || statusCode >= 300) return undefined;
	const usage = usageIn(body);
	if (usage) return { value: usage };
	// new-api before GetTokenUsage read the key in its middleware answered a refused key at 200.
	if (isJson && ((body as IDataObject).success === false || (body as IDataObject).code === false))
		return undefined;
	return noEndpoint(statusCode, isJson ? ' without the usage' : ' with a non-JSON page');
}

const usageRead: GatewayRead<TokenUsage> = {
	path: USAGE_PATH,
	subject: 'Reading the balance',
	readAnswer: readUsage,
};

/** The item: the figures as given, the expiry also as a date when there is one. */
function balanceItem(usage: TokenUsage, itemIndex: number): INodeExecutionData {
	const json: IDataObject = {
		keyName: typeof usage.name === 'string' ? usage.name : null,
		granted: usage.total_granted ?? null,
		used: usage.total_used ?? null,
		available: usage.total_available ?? null,
		unlimited: usage.unlimited_quota === true,
		expiresAt: usage.expires_at ?? null,
	};
	const seconds = Number(usage.expires_at);
	if (Number.isFinite(seconds) && seconds > 0)
		json.expiresAtDate = new Date(seconds * 1000).toISOString();
	return { json, pairedItem: { item: itemIndex } };
}

async function execute(
	ctx: IExecuteFunctions,
	plan: Plan,
	services: Services,
): Promise<INodeExecutionData[]> {
	// One read per execution, whatever the number of items: the key's balance is the same for each,
	// and new-api limits this route hard (CriticalRateLimit: 20 requests in 20 minutes by default).
	const usage = await services.once(USAGE_PATH, () =>
		gatewayRead(ctx, usageRead, {
			itemIndex: plan.itemIndex,
			maxRetries: DEFAULTS.maxRetries,
			timeoutMs: DEFAULTS.requestTimeoutSeconds * 1000,
			signal: services.signal,
		}),
	);
	return [balanceItem(usage, plan.itemIndex)];
}

export const getBalanceOperation: Described<ItemOperation> = {
	kind: 'item',
	option: {
		name: 'Get Balance',
		value: 'getBalance',
		description: "Read the API key's quota: granted, used and available, in the gateway's units",
		action: "Get the API key's balance",
	},
	properties: [],
	read: async (_ctx, itemIndex) => ({ itemIndex }),
	execute,
};

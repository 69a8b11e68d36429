'use strict';
/**
 * Runs a node's execute() through n8n-core's own WorkflowExecute: a real
 * Workflow of [Harness Start] -> [node under test], real parameter resolution
 * (expressions included), real request helpers with the credential type's
 * `authenticate` applied, the real binary data service, real continueOnFail
 * (node.onError) and real cancellation (the run's PCancelable.cancel()).
 *
 *   const { runNode, getBinaryBuffer, teardownHarness } = require('../harness');
 *   const r = await runNode({ nodeType: new MyNode(), credentialTypes: [new MyApi()],
 *     credentials: { myApi: { apiKey: 'k', baseUrl: 'http://127.0.0.1:1234' } },
 *     parameters: { prompt: '={{ $json.prompt }}' }, inputItems: [{ json: { prompt: 'x' } }] });
 *   // r.status, r.items, r.error, r.runData, r.durationMs, r.rawOutput
 */
const path = require('node:path');
const crypto = require('node:crypto');

const harnessCore = require('./core');
const { setupHarness, teardownHarness, setBinaryDataMode } = harnessCore;
const { HarnessCredentialsHelper } = require('./credentials-helper');
const {
	HarnessNodeTypes,
	createStartNodeType,
	START_NODE_TYPE,
	START_NODE_NAME,
} = require('./node-types');
const { serializeError } = require('./serialize-error');

function packageName() {
	try {
		return require(path.resolve(__dirname, '..', '..', 'package.json')).name || 'n8n-nodes-test';
	} catch {
		return 'n8n-nodes-test';
	}
}

function instantiate(x) {
	return typeof x === 'function' ? new x() : x;
}

function defaultTypeVersion(nodeType) {
	const d = nodeType.description;
	if (d.defaultVersion !== undefined) return d.defaultVersion;
	if (Array.isArray(d.version)) return Math.max(...d.version);
	return d.version ?? 1;
}

function snapshotOutput(data) {
	if (!Array.isArray(data)) return data;
	return data.map((output) =>
		Array.isArray(output)
			? output.map((item) => {
					const snap = { json: item?.json === undefined ? undefined : safeClone(item.json) };
					if (item && 'pairedItem' in item) snap.pairedItem = safeClone(item.pairedItem);
					if (item?.binary) {
						snap.binary = {};
						for (const [k, v] of Object.entries(item.binary)) {
							const { data, ...meta } = v ?? {};
							snap.binary[k] = {
								...meta,
								data:
									typeof data === 'string' && data.length > 64 ? `<${data.length} chars>` : data,
							};
						}
					}
					if (item?.error) snap.error = serializeError(item.error);
					return snap;
				})
			: output,
	);
}

function safeClone(v) {
	try {
		return structuredClone(v);
	} catch {
		return JSON.parse(JSON.stringify(v));
	}
}

/**
 * Transparent proxy over the node type: the engine calls it exactly as it
 * would the original; we only record what execute() returned before core's
 * post-processing (which fills in missing pairedItem where it can guess).
 */
function recordingProxy(nodeType, sink) {
	return new Proxy(nodeType, {
		get(target, prop, receiver) {
			const value = Reflect.get(target, prop, receiver);
			if (prop === 'execute' && typeof value === 'function') {
				return async function (...args) {
					const result = await value.apply(this, args);
					sink.push(snapshotOutput(result));
					return result;
				};
			}
			return value;
		},
	});
}

/**
 * Under jest, module code runs in a vm context whose `Error` differs from the
 * host's, while AbortController/DOMException are the host's. n8n aborts the
 * run's controller without a reason, so the signal's reason is a host
 * DOMException; `sleep()` from n8n-workflow passes it through ensureError(),
 * whose `instanceof Error` then fails and the node would see "Error that was
 * not an instance of Error was thrown" instead of n8n's AbortError. When (and
 * only when) the realms differ, abort first with an equivalent AbortError from
 * this realm, then cancel exactly as n8n does (PCancelable.cancel()).
 */
const realmsDiffer = (() => {
	const probe = new AbortController();
	probe.abort();
	return !(probe.signal.reason instanceof Error);
})();

function cancelExecution(workflowExecute, runPromise) {
	const controller = workflowExecute.abortController;
	if (realmsDiffer && controller && !controller.signal.aborted) {
		const reason = new Error('This operation was aborted');
		reason.name = 'AbortError';
		reason.code = 20; // DOMException.ABORT_ERR
		controller.abort(reason);
	}
	runPromise.cancel();
}

/**
 * @param {object} options
 * @param {object|Function} options.nodeType INodeType instance or class
 * @param {Array<object|Function>} [options.credentialTypes] ICredentialType instances or classes
 * @param {Record<string, object>} [options.credentials] plain credential data keyed by credential type name
 * @param {object} [options.parameters] node parameters (may hold '={{ ... }}' expressions)
 * @param {Array<{json: object, binary?: object}>} [options.inputItems] default [{ json: {} }]
 * @param {boolean} [options.continueOnFail] node onError 'continueRegularOutput'
 * @param {'default'|'filesystem'} [options.binaryDataMode] default 'default'
 * @param {number} [options.cancelAfterMs] cancel the execution after this many ms
 * @param {number} [options.typeVersion] default: description.defaultVersion / max(version)
 * @param {string} [options.mode] WorkflowExecuteMode, default 'manual'
 * @param {object} [options.nodeOverrides] extra INode fields (e.g. { retryOnFail: true, alwaysOutputData: true }, or onError: 'continueErrorOutput')
 * @param {object} [options.workflowSettings] Workflow settings (default { executionOrder: 'v1' })
 */
async function runNode(options) {
	const state = await setupHarness();

	const nodeType = instantiate(options.nodeType);
	if (!nodeType || !nodeType.description)
		throw new Error('runNode: nodeType must be an INodeType (instance or class)');
	const credentialTypes = (options.credentialTypes ?? []).map(instantiate);
	const credentials = options.credentials ?? {};
	const inputItems = options.inputItems ?? [{ json: {} }];
	const binaryDataMode = options.binaryDataMode ?? 'default';
	const mode = options.mode ?? 'manual';
	const typeVersion = options.typeVersion ?? defaultTypeVersion(nodeType);

	// The binary data mode is process-wide in n8n-core (Container-held service):
	// overlapping runs must agree on it.
	if (state.activeRuns > 0 && state.activeBinaryDataMode !== binaryDataMode) {
		throw new Error(
			`runNode: a run in '${state.activeBinaryDataMode}' binary mode is still in progress; runs in different binary modes cannot overlap`,
		);
	}
	setBinaryDataMode(binaryDataMode);
	state.activeBinaryDataMode = binaryDataMode;
	state.activeRuns += 1;
	try {
		return await execute(state, options, {
			nodeType,
			credentialTypes,
			credentials,
			inputItems,
			mode,
			typeVersion,
		});
	} finally {
		state.activeRuns -= 1;
	}
}

/** The workflow [Harness Start] -> [node under test], and the node-types registry it runs on. */
function buildWorkflow(
	state,
	options,
	{ nodeType, credentials, inputItems, typeVersion },
	rawOutputs,
) {
	const nodeTypeName = `${packageName()}.${nodeType.description.name}`;
	const nodeTypes = new HarnessNodeTypes();
	nodeTypes.add(START_NODE_TYPE, createStartNodeType(inputItems));
	nodeTypes.add(nodeTypeName, recordingProxy(nodeType, rawOutputs));

	// The node gets a credential reference for every credential type given data.
	const nodeCredentials = {};
	for (const typeName of Object.keys(credentials))
		nodeCredentials[typeName] = { id: `harness-${typeName}`, name: `${typeName} (harness)` };

	const defaultsName = nodeType.description.defaults?.name ?? nodeType.description.displayName;
	const nodeName = defaultsName === START_NODE_NAME ? `${defaultsName} 1` : defaultsName;
	const nodeUnderTest = {
		id: crypto.randomUUID(),
		name: nodeName,
		type: nodeTypeName,
		typeVersion,
		position: [250, 0],
		parameters: structuredClone(options.parameters ?? {}),
		...(Object.keys(nodeCredentials).length ? { credentials: nodeCredentials } : {}),
		...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		...(options.nodeOverrides ?? {}),
	};
	const startNode = {
		id: crypto.randomUUID(),
		name: START_NODE_NAME,
		type: START_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const data = {
		id: 'harnessWorkflow',
		name: 'Harness workflow',
		nodes: [startNode, nodeUnderTest],
		connections: { [START_NODE_NAME]: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
		active: false,
		settings: { executionOrder: 'v1', ...(options.workflowSettings ?? {}) },
	};
	return { nodeName, data, workflow: new state.workflow.Workflow({ ...data, nodeTypes }) };
}

/** IWorkflowExecuteAdditionalData with nothing behind it that needs a server or a database. */
function additionalData(credentialsHelper, hooks, executionId) {
	const base = 'http://localhost:5678';
	return {
		credentialsHelper,
		hooks,
		executionId,
		userId: 'harness-user',
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		currentNodeParameters: undefined,
		currentNodeExecutionIndex: 0,
		variables: {},
		externalSecretsProxy: {
			hasProvider: () => false,
			hasSecret: () => false,
			getSecret: () => undefined,
			listSecrets: () => [],
			listProviders: () => [],
			update: async () => {},
		},
		executeWorkflow: async () => {
			throw new Error('executeWorkflow is not available in the test harness');
		},
		getRunExecutionData: async () => undefined,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
	};
}

/** Run the workflow as n8n does; cancel it after options.cancelAfterMs. → { run } or { thrown }. */
async function runWorkflow(core, data, workflow, options) {
	const workflowExecute = new core.WorkflowExecute(data, options.mode);
	let cancelTimer;
	try {
		const runPromise = workflowExecute.run({
			workflow,
			startNode: workflow.getNode(START_NODE_NAME),
		});
		if (typeof options.cancelAfterMs === 'number') {
			cancelTimer = setTimeout(
				() => cancelExecution(workflowExecute, runPromise),
				options.cancelAfterMs,
			);
		}
		return { run: await runPromise };
	} catch (error) {
		// e.g. WorkflowHasIssuesError (missing required parameters) thrown before the run starts
		return { thrown: error };
	} finally {
		if (cancelTimer) clearTimeout(cancelTimer);
	}
}

async function execute(state, options, run) {
	const { core } = state;
	const rawOutputs = [];
	const { nodeName, data, workflow } = buildWorkflow(state, options, run, rawOutputs);

	state.executionCounter += 1;
	const executionId = String(state.executionCounter);
	const hooks = new core.ExecutionLifecycleHooks(run.mode, executionId, {
		...data,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	});
	/** status as n8n would record it: the first workflowExecuteAfter (on cancel it fires at once with 'canceled') */
	let recordedStatus;
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
		if (recordedStatus === undefined) recordedStatus = fullRunData.status;
	});
	const credentialsHelper = new HarnessCredentialsHelper(run.credentialTypes, run.credentials);

	const startedAt = Date.now();
	const outcome = await runWorkflow(
		core,
		additionalData(credentialsHelper, hooks, executionId),
		workflow,
		{ ...options, mode: run.mode },
	);
	const durationMs = Date.now() - startedAt;
	if (outcome.thrown) {
		const error = serializeError(outcome.thrown);
		return {
			status: 'error',
			items: [],
			error,
			runData: {},
			durationMs,
			rawOutput: undefined,
			nodeName,
		};
	}

	const runData = outcome.run.data.resultData.runData;
	const task = runData[nodeName]?.[0];
	const errorSource = task?.error ?? outcome.run.data.resultData.error;
	return {
		status: recordedStatus ?? outcome.run.status,
		items: task?.data?.main?.[0] ?? [],
		error: errorSource ? serializeError(errorSource) : undefined,
		runData,
		durationMs,
		/** what execute() last returned, snapshotted before core touched it (pairedItem as the node set it) */
		rawOutput: rawOutputs[rawOutputs.length - 1],
		nodeName,
		/** IRun.status after the engine finished (after a cancel this is 'error' if the node threw on abort) */
		engineStatus: outcome.run.status,
		run: outcome.run,
	};
}

/** Bytes of item.binary[propertyName], in either binary data mode, via n8n-core's BinaryDataService. */
async function getBinaryBuffer(item, propertyName = 'data') {
	const state = await setupHarness();
	const binary = item?.binary?.[propertyName];
	if (!binary) throw new Error(`item has no binary property "${propertyName}"`);
	const service = state.Container.get(state.core.BinaryDataService);
	return await service.getAsBuffer(binary);
}

/**
 * Runs a node's programmatic credential test (`testedBy` + `methods.credentialTest`) as n8n's
 * CredentialsTester does: the function named by testedBy, called on n8n-core's own
 * CredentialTestContext (whose `request` helper is the real legacy adapter), with plain data.
 */
async function testCredential({ nodeType, credentialName, data }) {
	const state = await setupHarness();
	const node = instantiate(nodeType);
	const entry = (node.description.credentials ?? []).find((c) => c.name === credentialName);
	if (!entry || typeof entry.testedBy !== 'string') {
		throw new Error(`${node.description.name} has no testedBy for ${credentialName}`);
	}
	const fn = node.methods?.credentialTest?.[entry.testedBy];
	if (typeof fn !== 'function')
		throw new Error(`methods.credentialTest.${entry.testedBy} is missing`);
	const context = new state.core.CredentialTestContext({});
	return await fn.call(context, {
		id: 'harness-credential',
		name: 'Harness credential',
		type: credentialName,
		data,
	});
}

/** What nodes logged through n8n's logger since the last clearLogs() (or the harness start). */
function getLogs() {
	return harnessCore.getState()?.logger.lines.slice() ?? [];
}

function clearLogs() {
	const lines = harnessCore.getState()?.logger.lines;
	if (lines) lines.length = 0;
}

/**
 * Records the request config (url, data) of every HTTP call n8n's httpRequest helpers hand to axios
 * (the copy n8n-core's network package uses), e.g. to see whether a body went out as a stream.
 */
function recordHttpRequests() {
	const network = path.dirname(harnessCore.requireFromCore.resolve('@n8n/backend-network'));
	const axios = require(require.resolve('axios', { paths: [network] }));
	const requests = [];
	const id = axios.interceptors.request.use((config) => {
		requests.push({ method: config.method, url: config.url, data: config.data });
		return config;
	});
	return { requests, stop: () => axios.interceptors.request.eject(id) };
}

module.exports = {
	recordHttpRequests,
	testCredential,
	getLogs,
	clearLogs,
	runNode,
	getBinaryBuffer,
	setupHarness,
	teardownHarness,
	serializeError,
};

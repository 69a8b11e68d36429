'use strict';
/**
 * Runs a node's execute() through n8n-core's own WorkflowExecute: a real Workflow of
 * [Harness Start] -> [node under test], real parameter resolution, real request helpers with the
 * credential type's `authenticate` applied, the real binary data service, real continueOnFail and
 * real cancellation (the run's PCancelable.cancel()). Options and result: index.d.ts.
 */
const path = require('node:path');
const crypto = require('node:crypto');

const { setupHarness, teardownHarness, setBinaryDataMode } = require('./core');
const { getState, requireFromCore } = require('./core');
const { HarnessCredentialsHelper } = require('./credentials-helper');
const { harnessNodeTypes, createStartNodeType } = require('./node-types');
const { START_NODE_TYPE, START_NODE_NAME } = require('./node-types');
const { serializeError } = require('./serialize-error');

const PACKAGE_NAME = require('../../package.json').name;

const instantiate = (x) => (typeof x === 'function' ? new x() : x);

function defaultTypeVersion({ description }) {
	if (description.defaultVersion !== undefined) return description.defaultVersion;
	const { version } = description;
	return Array.isArray(version) ? Math.max(...version) : (version ?? 1);
}

function safeClone(value) {
	try {
		return structuredClone(value);
	} catch {
		return JSON.parse(JSON.stringify(value));
	}
}

/** An output item as a JSON-safe snapshot; long inline binary data shortened to its length. */
function snapshotItem(item) {
	const snap = { json: item?.json === undefined ? undefined : safeClone(item.json) };
	if (item && 'pairedItem' in item) snap.pairedItem = safeClone(item.pairedItem);
	if (item?.binary) {
		snap.binary = {};
		for (const [key, { data, ...meta } = {}] of Object.entries(item.binary)) {
			const long = typeof data === 'string' && data.length > 64;
			snap.binary[key] = { ...meta, data: long ? `<${data.length} chars>` : data };
		}
	}
	if (item?.error) snap.error = serializeError(item.error);
	return snap;
}

const snapshotOutput = (data) =>
	Array.isArray(data)
		? data.map((out) => (Array.isArray(out) ? out.map(snapshotItem) : out))
		: data;

/**
 * The node type as the engine sees it, recording what execute() returned before core's
 * post-processing (which fills in a missing pairedItem where it can guess).
 */
function recordingProxy(nodeType, sink) {
	return new Proxy(nodeType, {
		get(target, prop, receiver) {
			const value = Reflect.get(target, prop, receiver);
			if (prop !== 'execute' || typeof value !== 'function') return value;
			return async function (...args) {
				const result = await value.apply(this, args);
				sink.push(snapshotOutput(result));
				return result;
			};
		},
	});
}

/**
 * Under jest, module code runs in a vm context whose `Error` is not the host's, while
 * AbortController is. n8n aborts without a reason, so the reason is a host DOMException that
 * ensureError() (in n8n-workflow's sleep) does not take for an Error: the node would see "Error that
 * was not an instance of Error was thrown", not n8n's AbortError. Only then, abort first with an
 * equivalent AbortError of this realm; then cancel as n8n does.
 */
const realmsDiffer = (() => {
	const probe = new AbortController();
	probe.abort();
	return !(probe.signal.reason instanceof Error);
})();

function cancelExecution(workflowExecute, runPromise) {
	const controller = workflowExecute.abortController;
	if (realmsDiffer && controller && !controller.signal.aborted) {
		const reason = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
		reason.code = 20; // DOMException.ABORT_ERR
		controller.abort(reason);
	}
	runPromise.cancel();
}

async function runNode(options) {
	const state = await setupHarness();
	const nodeType = instantiate(options.nodeType);
	if (!nodeType?.description)
		throw new Error('runNode: nodeType must be an INodeType (instance or class)');
	const binaryDataMode = options.binaryDataMode ?? 'default';
	// The binary data mode is process-wide in n8n-core: overlapping runs must agree on it.
	if (state.activeRuns > 0 && state.activeBinaryDataMode !== binaryDataMode) {
		throw new Error(
			`runNode: a run in '${state.activeBinaryDataMode}' binary mode is still in progress; runs in different binary modes cannot overlap`,
		);
	}
	setBinaryDataMode(binaryDataMode);
	state.activeBinaryDataMode = binaryDataMode;
	state.activeRuns += 1;
	try {
		return await execute(state, { ...options, nodeType });
	} finally {
		state.activeRuns -= 1;
	}
}

/** The workflow [Harness Start] -> [node under test], on a registry of just these two types. */
function buildWorkflow(state, options, rawOutputs) {
	const { nodeType, credentials = {}, inputItems = [{ json: {} }] } = options;
	const type = `${PACKAGE_NAME}.${nodeType.description.name}`;
	const nodeTypes = harnessNodeTypes({
		[START_NODE_TYPE]: createStartNodeType(inputItems),
		[type]: recordingProxy(nodeType, rawOutputs),
	});
	const reference = (name) => [name, { id: `harness-${name}`, name: `${name} (harness)` }];
	const credentialRefs = Object.fromEntries(Object.keys(credentials).map(reference));
	const defaultName = nodeType.description.defaults?.name ?? nodeType.description.displayName;
	const nodeName = defaultName === START_NODE_NAME ? `${defaultName} 1` : defaultName;
	const node = (fields) => ({ id: crypto.randomUUID(), parameters: {}, ...fields });
	const data = {
		id: 'harnessWorkflow',
		name: 'Harness workflow',
		nodes: [
			node({ name: START_NODE_NAME, type: START_NODE_TYPE, typeVersion: 1, position: [0, 0] }),
			node({
				name: nodeName,
				type,
				typeVersion: options.typeVersion ?? defaultTypeVersion(nodeType),
				position: [250, 0],
				parameters: structuredClone(options.parameters ?? {}),
				...(Object.keys(credentialRefs).length ? { credentials: credentialRefs } : {}),
				...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			}),
		],
		connections: { [START_NODE_NAME]: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: { executionOrder: 'v1' },
	};
	return { nodeName, data, workflow: new state.workflow.Workflow({ ...data, nodeTypes }) };
}

/**
 * IWorkflowExecuteAdditionalData with nothing behind it that needs a server or a database (the
 * waiting URLs are read for every item's $execution keys).
 */
function additionalDataFor(credentialsHelper, hooks, executionId) {
	const waiting = (kind) => `http://localhost:5678/${kind}-waiting`;
	return {
		credentialsHelper,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		variables: {},
		formWaitingBaseUrl: waiting('form'),
		webhookWaitingBaseUrl: waiting('webhook'),
	};
}

/** Run the workflow as n8n does, cancelled after options.cancelAfterMs. → { run } or { thrown }. */
async function runWorkflow(core, additionalData, workflow, cancelAfterMs) {
	const workflowExecute = new core.WorkflowExecute(additionalData, 'manual');
	let cancelTimer;
	try {
		const startNode = workflow.getNode(START_NODE_NAME);
		const runPromise = workflowExecute.run({ workflow, startNode });
		if (typeof cancelAfterMs === 'number') {
			cancelTimer = setTimeout(() => cancelExecution(workflowExecute, runPromise), cancelAfterMs);
		}
		return { run: await runPromise };
	} catch (error) {
		// e.g. WorkflowHasIssuesError (missing required parameters), thrown before the run starts
		return { thrown: error };
	} finally {
		clearTimeout(cancelTimer);
	}
}

async function execute(state, options) {
	const { core } = state;
	const rawOutputs = [];
	const { nodeName, data, workflow } = buildWorkflow(state, options, rawOutputs);
	const executionId = String((state.executionCounter += 1));
	const hooks = new core.ExecutionLifecycleHooks('manual', executionId, data);
	// The status as n8n records it: the first workflowExecuteAfter (on cancel: at once, 'canceled').
	let recordedStatus;
	hooks.addHandler('workflowExecuteAfter', ({ status }) => {
		recordedStatus ??= status;
	});
	const types = (options.credentialTypes ?? []).map(instantiate);
	const credentialsHelper = new HarnessCredentialsHelper(types, options.credentials ?? {});
	const additionalData = additionalDataFor(credentialsHelper, hooks, executionId);

	const startedAt = Date.now();
	const outcome = await runWorkflow(core, additionalData, workflow, options.cancelAfterMs);
	const durationMs = Date.now() - startedAt;
	if (outcome.thrown) {
		const error = serializeError(outcome.thrown);
		return { status: 'error', items: [], error, runData: {}, durationMs, nodeName };
	}
	const { runData, error: runError } = outcome.run.data.resultData;
	const task = runData[nodeName]?.[0];
	const errorSource = task?.error ?? runError;
	return {
		status: recordedStatus ?? outcome.run.status,
		items: task?.data?.main?.[0] ?? [],
		error: errorSource ? serializeError(errorSource) : undefined,
		runData,
		durationMs,
		rawOutput: rawOutputs.at(-1),
		nodeName,
		run: outcome.run,
	};
}

async function getBinaryBuffer(item, propertyName = 'data') {
	const { Container, core } = await setupHarness();
	const binary = item?.binary?.[propertyName];
	if (!binary) throw new Error(`item has no binary property "${propertyName}"`);
	return await Container.get(core.BinaryDataService).getAsBuffer(binary);
}

/**
 * As n8n's CredentialsTester: the function named by testedBy, called on n8n-core's own
 * CredentialTestContext (whose `request` helper is the real legacy adapter), with plain data.
 */
async function testCredential({ nodeType, credentialName, data }) {
	const { core } = await setupHarness();
	const { description, methods } = instantiate(nodeType);
	const entry = (description.credentials ?? []).find((c) => c.name === credentialName);
	if (typeof entry?.testedBy !== 'string') {
		throw new Error(`${description.name} has no testedBy for ${credentialName}`);
	}
	const test = methods?.credentialTest?.[entry.testedBy];
	if (typeof test !== 'function')
		throw new Error(`methods.credentialTest.${entry.testedBy} is missing`);
	const credential = { id: 'harness-credential', name: 'Harness credential', type: credentialName };
	return await test.call(new core.CredentialTestContext({}), { ...credential, data });
}

const getLogs = () => getState()?.logger.lines.slice() ?? [];

function clearLogs() {
	const lines = getState()?.logger.lines;
	if (lines) lines.length = 0;
}

/** Records what n8n's httpRequest helpers hand to axios: the copy n8n-core's network package uses. */
function recordHttpRequests() {
	const network = path.dirname(requireFromCore.resolve('@n8n/backend-network'));
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
};

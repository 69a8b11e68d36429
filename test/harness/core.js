'use strict';
/**
 * Loads n8n-core and the copies of its own dependencies that core itself uses
 * (resolved *through* n8n-core, so the DI container, n8n-workflow, config and
 * network packages are the very instances core talks to), and prepares the
 * process-wide services the execution engine expects:
 *
 *  - a silent Logger (the real one prints every node error's stack),
 *  - an InstanceSettings stand-in (the real one writes ~/.n8n/config),
 *  - a BinaryDataService initialised on a temp dir, switchable per run between
 *    'default' (inline base64) and 'filesystem' mode,
 *  - SSRF protection pinned off (with it on, 127.0.0.1 is blocked).
 *
 * Everything here goes through `require` (not `module.createRequire`) so that,
 * under jest, modules land in jest's registry and are shared with the node
 * under test.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const corePath = require.resolve('n8n-core');
/** require a package as n8n-core would resolve it */
function requireFromCore(request) {
	return require(requireFromCore.resolve(request));
}
requireFromCore.resolve = (request) =>
	require.resolve(request, { paths: [path.dirname(corePath)] });

let loaded;
function load() {
	if (loaded) return loaded;
	const t0 = Date.now();
	const core = require(corePath);
	const di = requireFromCore('@n8n/di');
	const workflow = requireFromCore('n8n-workflow');
	const backendCommon = requireFromCore('@n8n/backend-common');
	const config = requireFromCore('@n8n/config');
	loaded = { core, di, workflow, backendCommon, config, loadMs: Date.now() - t0 };
	return loaded;
}

// Load eagerly so the cost shows up once, at require time, and is measured.
load();

/** Prints nothing; keeps every line (level, message, metadata) so tests can read what a node logged. */
function createRecordingLogger() {
	const lines = [];
	const at = (level) => (message, meta) =>
		lines.push({ level, message: String(message), meta: meta ?? {} });
	const logger = {
		error: at('error'),
		warn: at('warn'),
		info: at('info'),
		debug: at('debug'),
		verbose: at('verbose'),
		silly: at('silly'),
		log: (level, message, meta) => at(level)(message, meta),
		scoped: () => logger,
		lines,
	};
	return logger;
}

let state;

/**
 * Idempotent. Returns the shared state ({ core, di, workflow, Container, binaryDataService, ... }).
 */
async function setupHarness() {
	if (state) return state;
	const mods = load();
	const { core, di, workflow, backendCommon, config } = mods;
	const { Container } = di;

	const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-harness-'));
	const n8nFolder = path.join(tmpRoot, '.n8n');
	const storagePath = path.join(tmpRoot, 'binary-data');
	fs.mkdirSync(n8nFolder, { recursive: true });
	fs.mkdirSync(storagePath, { recursive: true });

	// 1. Silent, recording logger, everywhere core looks for one.
	const logger = createRecordingLogger();
	Container.set(backendCommon.Logger, logger);
	workflow.LoggerProxy.init(logger);

	// 2. InstanceSettings stand-in: real prototype (getters such as encryptionKey,
	// isWorker, isLeader work), fields filled in without touching ~/.n8n.
	const encryptionKey = crypto.randomBytes(24).toString('base64');
	const instanceSettings = Object.create(core.InstanceSettings.prototype);
	Object.assign(instanceSettings, {
		n8nFolder,
		staticCacheDir: path.join(tmpRoot, 'cache'),
		customExtensionDir: path.join(n8nFolder, 'custom'),
		nodesDownloadDir: path.join(n8nFolder, 'nodes'),
		nodeDefinitionsDir: path.join(n8nFolder, 'node-definitions'),
		settingsFile: path.join(n8nFolder, 'config'),
		enforceSettingsFilePermissions: false,
		canSeedDeploymentState: false,
		instanceRole: 'unset',
		isMultiMainEnabled: false,
		isMultiMainLicensed: false,
		instanceType: 'main',
		hostId: 'main-harness',
		settings: { encryptionKey },
		derivedInstanceId: 'harness-instance',
		instanceId: 'harness-instance',
		hmacSignatureSecret: crypto.randomBytes(32).toString('hex'),
		// never persist anything
		save() {},
		update() {},
	});
	Container.set(core.InstanceSettings, instanceSettings);

	// 3. SSRF protection off (its default, but N8N_SSRF_PROTECTION_ENABLED could flip it).
	const ssrfConfig = Container.get(config.SsrfProtectionConfig);
	ssrfConfig.enabled = false;

	// 4. Binary data: one real BinaryDataService whose filesystem manager lives in
	// our temp dir; the active mode is switched per run (see setBinaryDataMode).
	const binaryDataConfig = Object.create(core.BinaryDataConfig.prototype);
	Object.assign(binaryDataConfig, {
		mode: 'filesystem',
		availableModes: ['filesystem'],
		localStoragePath: storagePath,
		signingSecret: crypto.randomBytes(32).toString('base64'),
		dbMaxFileSize: 512,
	});
	Container.set(core.BinaryDataConfig, binaryDataConfig);
	const errorReporter = Container.get(core.ErrorReporter);
	const binaryDataService = new core.BinaryDataService(binaryDataConfig, errorReporter, logger);
	await binaryDataService.init();
	Container.set(core.BinaryDataService, binaryDataService);

	state = {
		...mods,
		Container,
		logger,
		instanceSettings,
		binaryDataConfig,
		binaryDataService,
		tmpRoot,
		storagePath,
		executionCounter: 0,
		activeRuns: 0,
		activeBinaryDataMode: undefined,
	};
	return state;
}

/** 'default' = inline base64 in item.binary[x].data; 'filesystem' = stored under the temp dir, item carries an id */
function setBinaryDataMode(mode) {
	if (!state) throw new Error('setupHarness() first');
	if (mode !== 'default' && mode !== 'filesystem') {
		throw new Error(`binaryDataMode must be 'default' or 'filesystem', got ${mode}`);
	}
	state.binaryDataConfig.mode = mode;
	// BinaryDataService.init() maps 'filesystem' to its 'filesystem-v2' manager; 'default'
	// has no manager, so store() keeps the bytes inline, exactly as in n8n.
	state.binaryDataService.mode = mode === 'filesystem' ? 'filesystem-v2' : 'default';
}

async function teardownHarness() {
	if (!state) return;
	const { tmpRoot } = state;
	state = undefined;
	fs.rmSync(tmpRoot, { recursive: true, force: true });
}

function getState() {
	return state;
}

module.exports = {
	load,
	setupHarness,
	teardownHarness,
	setBinaryDataMode,
	getState,
	requireFromCore,
};

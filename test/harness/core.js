'use strict';
/**
 * Loads n8n-core and, resolved through it, the very copies of its dependencies it talks to (DI
 * container, n8n-workflow, config), and sets up the process-wide services the engine expects: a
 * recording logger (the real one prints every node error's stack), an InstanceSettings stand-in
 * (the real one writes ~/.n8n/config), a BinaryDataService on a temp dir, SSRF protection off (it
 * blocks 127.0.0.1). Plain `require` so that under jest the modules are shared with the node.
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

// Loaded at require time so the cost shows up once, measured.
const t0 = Date.now();
const mods = {
	core: require(corePath),
	di: requireFromCore('@n8n/di'),
	workflow: requireFromCore('n8n-workflow'),
	backendCommon: requireFromCore('@n8n/backend-common'),
	config: requireFromCore('@n8n/config'),
};
mods.loadMs = Date.now() - t0;

const secret = (bytes, encoding) => crypto.randomBytes(bytes).toString(encoding);

/** Prints nothing; keeps every line (level, message, metadata) so tests can read what a node logged. */
function createRecordingLogger() {
	const lines = [];
	const log = (level, message, meta) =>
		lines.push({ level, message: String(message), meta: meta ?? {} });
	const logger = { log, scoped: () => logger, lines };
	for (const level of ['error', 'warn', 'info', 'debug', 'verbose', 'silly'])
		logger[level] = (message, meta) => log(level, message, meta);
	return logger;
}

/** The real prototype (its getters work), with fields that never touch ~/.n8n. */
function createInstanceSettings(core, tmpRoot) {
	return Object.assign(Object.create(core.InstanceSettings.prototype), {
		n8nFolder: path.join(tmpRoot, '.n8n'),
		staticCacheDir: path.join(tmpRoot, 'cache'),
		instanceRole: 'unset',
		instanceType: 'main',
		hostId: 'main-harness',
		settings: { encryptionKey: secret(24, 'base64') },
		instanceId: 'harness-instance',
		hmacSignatureSecret: secret(32, 'hex'),
		save() {},
		update() {},
	});
}

let state;

/** Idempotent. The shared state ({ core, workflow, Container, binaryDataService, storagePath, … }). */
async function setupHarness() {
	if (state) return state;
	const { core, di, workflow, backendCommon, config } = mods;
	const { Container } = di;
	const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-harness-'));
	const storagePath = path.join(tmpRoot, 'binary-data');
	fs.mkdirSync(path.join(tmpRoot, '.n8n'));
	fs.mkdirSync(storagePath);

	const logger = createRecordingLogger();
	Container.set(backendCommon.Logger, logger);
	workflow.LoggerProxy.init(logger);
	Container.set(core.InstanceSettings, createInstanceSettings(core, tmpRoot));
	// Off by default, but N8N_SSRF_PROTECTION_ENABLED could flip it.
	Container.get(config.SsrfProtectionConfig).enabled = false;

	// One real BinaryDataService; its mode is switched per run (setBinaryDataMode).
	const binaryDataConfig = Object.assign(Object.create(core.BinaryDataConfig.prototype), {
		mode: 'filesystem',
		availableModes: ['filesystem'],
		localStoragePath: storagePath,
		signingSecret: secret(32, 'base64'),
		dbMaxFileSize: 512,
	});
	Container.set(core.BinaryDataConfig, binaryDataConfig);
	const errorReporter = Container.get(core.ErrorReporter);
	const binaryDataService = new core.BinaryDataService(binaryDataConfig, errorReporter, logger);
	await binaryDataService.init();
	Container.set(core.BinaryDataService, binaryDataService);

	state = { ...mods, Container, logger, binaryDataConfig, binaryDataService, tmpRoot, storagePath };
	Object.assign(state, { executionCounter: 0, activeRuns: 0, activeBinaryDataMode: undefined });
	return state;
}

/** 'default': inline base64 in item.binary[x].data; 'filesystem': stored, the item carries an id. */
function setBinaryDataMode(mode) {
	if (mode !== 'default' && mode !== 'filesystem') {
		throw new Error(`binaryDataMode must be 'default' or 'filesystem', got ${mode}`);
	}
	state.binaryDataConfig.mode = mode;
	// init() maps 'filesystem' to its 'filesystem-v2' manager; 'default' has none, so store()
	// keeps the bytes inline, exactly as in n8n.
	state.binaryDataService.mode = mode === 'filesystem' ? 'filesystem-v2' : 'default';
}

async function teardownHarness() {
	if (!state) return;
	fs.rmSync(state.tmpRoot, { recursive: true, force: true });
	state = undefined;
}

const getState = () => state;

module.exports = { setupHarness, teardownHarness, setBinaryDataMode, getState, requireFromCore };

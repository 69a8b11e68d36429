'use strict';
// Mutable server state: options, tasks, request log, counters, scripted queues.
// reset() empties things in place so a test holding handle.log / handle.tasks
// keeps a live reference.
const crypto = require('node:crypto');
const { createFaultPicker } = require('./faults');
const { uploadSummaries } = require('./uploads');
const { freshAccount } = require('./new-api');
const { mergeOptions } = require('./options');

// In the order stats() reports them; imagesInFlight is not reported, activeTasks is computed.
function freshCounters() {
	return {
		submits: 0,
		queries: 0,
		images: 0,
		tasksCreated: 0,
		maxActiveTasks: 0,
		maxInFlight: 0,
		maxImagesInFlight: 0,
		activeTasks: 0,
		inFlight: 0,
		problems: 0,
		submitsPerPrompt: new Map(),
		tasksPerPrompt: new Map(),
		faults: new Map(),
		uploadLinks: 0,
		uploadPuts: 0,
		imagesInFlight: 0,
	};
}

function createState(options) {
	const start = performance.now();
	const state = {
		options,
		now: () => performance.now() - start,
		log: [],
		tasks: new Map(),
		queues: { submit: [], query: [], image: [], upload: [], put: [] },
		// uploads.js: id -> link (and its bytes once PUT); the secret signs the upload links
		uploads: new Map(),
		uploadSecret: crypto.randomBytes(16).toString('hex'),
		counters: freshCounters(),
		faults: createFaultPicker(options.faults),
		// new-api mode: what is left of the wallet and the key's quota, the rate limit windows
		newApi: freshAccount(options.newApi),
		timers: new Set(),
		url: null,
		imageUrl: null,
	};
	return state;
}

function resetState(state) {
	state.log.length = 0;
	state.tasks.clear();
	state.uploads.clear();
	for (const q of Object.values(state.queues)) q.length = 0;
	state.counters = freshCounters();
	state.faults = createFaultPicker(state.options.faults); // restart the seeded sequence
	state.newApi = freshAccount(state.options.newApi);
}

/** New options; the fault sequence and the new-api account restart when theirs change. */
function setOptions(state, partial) {
	state.options = mergeOptions(state.options, partial);
	if ('faults' in partial) state.faults = createFaultPicker(state.options.faults);
	if ('newApi' in partial || 'gateway' in partial)
		state.newApi = freshAccount(state.options.newApi);
}

function bump(map, key) {
	map.set(key, (map.get(key) || 0) + 1);
}

// Unfinished = created and not yet finished; see options.activeUntil.
function activeCount(state) {
	const generatedOnly = state.options.activeUntil === 'generated';
	const now = state.now();
	let n = 0;
	for (const t of state.tasks.values()) {
		if (!t.finished && !(generatedOnly && now >= t.readyAt)) n++;
	}
	return n;
}

function newEntry(state, fields) {
	const entry = {
		t: state.now(),
		server: 'api',
		kind: 'other',
		action: null,
		method: null,
		url: null,
		headers: {},
		body: null,
		taskId: null,
		prompt: null,
		statusCode: null,
		taskStatus: null,
		fault: null,
		scripted: false,
		problem: null,
		bytes: null,
		sha256: null,
		durationMs: null,
		...fields,
	};
	state.log.push(entry);
	return entry;
}

// Called once the response is over (sent or socket closed).
function finishEntry(state, entry) {
	if (entry.durationMs !== null) return;
	entry.durationMs = state.now() - entry.t;
	if (entry.problem) state.counters.problems++;
	if (entry.fault) bump(state.counters.faults, entry.fault);
	if (typeof state.options.onLog === 'function') state.options.onLog(entry);
}

function stats(state) {
	const { imagesInFlight, ...c } = state.counters;
	return {
		...c,
		activeTasks: activeCount(state),
		submitsPerPrompt: Object.fromEntries(c.submitsPerPrompt),
		tasksPerPrompt: Object.fromEntries(c.tasksPerPrompt),
		faults: Object.fromEntries(c.faults),
		uploads: uploadSummaries(state),
	};
}

module.exports = {
	createState,
	resetState,
	setOptions,
	activeCount,
	newEntry,
	finishEntry,
	stats,
	bump,
};

'use strict';
// Mutable server state: options, tasks, request log, counters, scripted queues.
// reset() empties things in place so a test holding handle.log / handle.tasks
// keeps a live reference.
const crypto = require('node:crypto');
const { createFaultPicker } = require('./faults');
const { uploadSummaries } = require('./uploads');
const { freshAccount } = require('./new-api');
const { mergeOptions } = require('./options');

const COUNTS = 'submits queries images tasksCreated maxActiveTasks maxImagesInFlight problems';
const PER_KEY = ['submitsPerPrompt', 'tasksPerPrompt', 'faults'];
// In the order stats() reports them; imagesInFlight is not reported.
function freshCounters() {
	return {
		...Object.fromEntries(COUNTS.split(' ').map((name) => [name, 0])),
		...Object.fromEntries(PER_KEY.map((name) => [name, new Map()])),
		uploadLinks: 0,
		uploadPuts: 0,
		imagesInFlight: 0,
	};
}

function createState(options) {
	const start = performance.now();
	return {
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

const NULL_FIELDS =
	'action method url body taskId prompt statusCode taskStatus fault problem bytes sha256 durationMs';

/** A log entry (index.d.ts LogEntry), logged at once and completed as the request goes. */
function newEntry(state, fields) {
	const entry = {
		t: state.now(),
		server: 'api',
		kind: 'other',
		headers: {},
		scripted: false,
		...Object.fromEntries(NULL_FIELDS.split(' ').map((name) => [name, null])),
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
		...Object.fromEntries(PER_KEY.map((name) => [name, Object.fromEntries(c[name])])),
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

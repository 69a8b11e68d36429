'use strict';
// Fake Jimeng 4.0 gateway (deepwl "official format", POST /jm) plus a separate
// image host, both on 127.0.0.1, for tests, demos and benchmarks.
// See README.md in this folder for options, directives and the log entry shape.
const { DEFAULTS, mergeOptions } = require('./options');
const { createState, resetState, setOptions, stats } = require('./state');
const { handleApi } = require('./api-handler');
const { handleImage } = require('./image-host');
const { handleControl } = require('./control');
const { imageFor } = require('./images');
const { startServer } = require('./http-util');
const { UNKNOWN_TASK_MODES } = require('./unknown-task');
const { MESSAGES: API_MESSAGES } = require('./envelope');
const { NEW_API_ANSWERS, newApiAnswer } = require('./new-api-answers');
const { KINDS: HOST_KINDS } = require('./host-behaviours');

const ACTIONS = ['submit', 'query', 'image', 'upload', 'put'];

const internalError = (err) => ({ error: `fake-jimeng internal error: ${err.message}` });

async function startFakeJimeng(options = {}) {
	const state = createState(mergeOptions(DEFAULTS, options));
	let handle;
	const serveApi = (req, res) =>
		state.options.control && req.url.startsWith('/__fake/')
			? handleControl(handle, req, res)
			: handleApi(state, req, res);
	const serveImages = (req, res) => handleImage(state, req, res);
	const api = await startServer(state.options.port, serveApi, internalError);
	const images = await startServer(state.options.imagePort, serveImages, internalError);
	state.url = api.url;
	state.imageUrl = images.url;

	handle = {
		url: state.url,
		imageUrl: state.imageUrl,
		get apiKey() {
			return state.options.apiKey;
		},
		get options() {
			return { ...state.options };
		},
		log: state.log,
		tasks: state.tasks,
		stats: () => stats(state),
		setOptions: (partial) => setOptions(state, partial),
		reset: () => resetState(state),
		enqueue(action, response) {
			if (!ACTIONS.includes(action))
				throw new TypeError(`fake-jimeng: enqueue action must be one of ${ACTIONS.join(', ')}`);
			state.queues[action].push(response || {});
		},
		expireUploads() {
			for (const link of state.uploads.values()) link.expiresAt = Date.now() - 1;
		},
		uploadedBytes(downloadUrlOrId) {
			const id = /\/uploads\/([^/?]+)/.exec(downloadUrlOrId)?.[1] ?? downloadUrlOrId;
			return state.uploads.get(id)?.put?.data ?? null;
		},
		imageSha256For(taskId, index) {
			const t = state.tasks.get(taskId);
			return t && index < t.imageCount
				? imageFor(t.imageFormat, taskId, index, state.options.imageBytes).sha256
				: null;
		},
		async close() {
			for (const t of state.timers) clearTimeout(t);
			state.timers.clear();
			await Promise.all([api.close(), images.close()]);
		},
	};
	return handle;
}

module.exports = {
	startFakeJimeng,
	DEFAULTS,
	UNKNOWN_TASK_MODES,
	API_MESSAGES,
	NEW_API_ANSWERS,
	newApiAnswer,
	HOST_KINDS,
};

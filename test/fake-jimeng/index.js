'use strict';
// Fake Jimeng 4.0 gateway (deepwl "official format", POST /jm) plus a separate
// image host, both on 127.0.0.1, for tests, demos and benchmarks.
// See README.md in this folder for options, directives and the log entry shape.
const http = require('node:http');
const { DEFAULTS, mergeOptions } = require('./options');
const { createState, resetState, setOptions, stats } = require('./state');
const { handleApi } = require('./api-handler');
const { handleImage } = require('./image-host');
const { handleControl } = require('./control');
const { imageFor } = require('./images');
const { reply, listen, closeServer } = require('./http-util');
const { UNKNOWN_TASK_MODES } = require('./unknown-task');
const { MESSAGES: API_MESSAGES } = require('./envelope');
const { NEW_API_ANSWERS, newApiAnswer } = require('./new-api-answers');
const { KINDS: HOST_KINDS } = require('./host-behaviours');

const ACTIONS = ['submit', 'query', 'image', 'upload', 'put'];

// A bug in the fake should show up as a 500 and a logged problem, not a hang.
function guard(fn) {
	return (req, res) =>
		fn(req, res).catch((err) => {
			if (!res.headersSent)
				reply(res, null, 500, { error: `fake-jimeng internal error: ${err.message}` });
			else res.destroy();
		});
}

async function startFakeJimeng(options = {}) {
	const state = createState(mergeOptions(DEFAULTS, options));
	let handle;
	const api = http.createServer(
		guard((req, res) =>
			state.options.control && req.url.startsWith('/__fake/')
				? handleControl(handle, req, res)
				: handleApi(state, req, res),
		),
	);
	const images = http.createServer(guard((req, res) => handleImage(state, req, res)));
	state.url = `http://127.0.0.1:${await listen(api, state.options.port)}`;
	state.imageUrl = `http://127.0.0.1:${await listen(images, state.options.imagePort)}`;

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
			await Promise.all([api, images].map(closeServer));
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

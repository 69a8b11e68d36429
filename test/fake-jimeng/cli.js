#!/usr/bin/env node
'use strict';
// Runs the fake gateway as a process. Prints one JSON line {"url","imageUrl","apiKey"}
// on stdout once listening; appends finished log entries as JSON lines to
// --log-file; exits 0 on SIGTERM/SIGINT. /__fake/* control routes are on.
const fs = require('node:fs');
const { startFakeJimeng } = require('./index');

const USAGE = `usage: node test/fake-jimeng/cli.js [--port N] [--image-port N] [--key KEY]
  [--latency MS] [--queue MS] [--vocabulary deepwl|upstream] [--max-active N]
  [--active-until observed|generated] [--group-size N] [--task-id-style uuid|numeric]
  [--image-format png|jpeg] [--image-bytes N] [--no-image-content-type]
  [--unknown-task status-not-found|status-failed|envelope-404|envelope-400|envelope-200]
  [--upload ok|nested|no-method|missing|wrong-shape] [--upload-link-ms MS]
  [--gateway plain|new-api] [--new-api '{"wallet":3,"keyQuota":null,"language":"zh",…}']
  [--image-host html|json|xml|empty|endless|endless-untyped|stall|oversize|oversize-chunked|short|long]
  [--host-drop-ms MS] [--oversize-bytes N]
  [--fault-rate R] [--fault-on submit,query,image,upload,put] [--fault-kinds k1,k2] [--fault-seed N] [--slow-ms MS]
  [--log-file path.jsonl] [--no-control] [--exit-on-stdin-end]`;

const NUMBER = {
	'--port': 'port',
	'--image-port': 'imagePort',
	'--latency': 'latencyMs',
	'--queue': 'queueMs',
	'--max-active': 'maxActiveTasks',
	'--group-size': 'groupSize',
	'--image-bytes': 'imageBytes',
	'--upload-link-ms': 'uploadLinkMs',
	'--host-drop-ms': 'hostDropMs',
	'--oversize-bytes': 'oversizeBytes',
};
const STRING = {
	'--key': 'apiKey',
	'--vocabulary': 'vocabulary',
	'--active-until': 'activeUntil',
	'--image-format': 'imageFormat',
	'--task-id-style': 'taskIdStyle',
	'--unknown-task': 'unknownTask',
	'--upload': 'upload',
	'--gateway': 'gateway',
	'--image-host': 'imageHost',
};
const FAULT = {
	'--fault-rate': ['rate', Number],
	'--fault-on': ['on', (v) => v.split(',')],
	'--fault-kinds': ['kinds', (v) => v.split(',')],
	'--fault-seed': ['seed', Number],
	'--slow-ms': ['slowMs', Number],
};

function parseArgs(argv) {
	const options = { control: true };
	const faults = {};
	let logFile = null;
	let exitOnStdinEnd = false;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
			return argv[++i];
		};
		if (arg === '--help' || arg === '-h') return { help: true };
		else if (arg === '--no-image-content-type') options.imageContentType = false;
		else if (arg === '--no-control') options.control = false;
		else if (arg === '--exit-on-stdin-end') exitOnStdinEnd = true;
		else if (arg === '--log-file') logFile = value();
		else if (arg === '--new-api') options.newApi = JSON.parse(value());
		else if (NUMBER[arg]) {
			const n = Number(value());
			if (!Number.isFinite(n)) throw new Error(`${arg} needs a number`);
			options[NUMBER[arg]] = n;
		} else if (STRING[arg]) options[STRING[arg]] = value();
		else if (FAULT[arg]) faults[FAULT[arg][0]] = FAULT[arg][1](value());
		else throw new Error(`unknown argument ${arg}`);
	}
	if (Object.keys(faults).length) options.faults = faults;
	return { options, logFile, exitOnStdinEnd };
}

async function main() {
	let args;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (err) {
		process.stderr.write(`fake-jimeng: ${err.message}\n${USAGE}\n`);
		process.exit(2);
	}
	if (args.help) return process.stdout.write(`${USAGE}\n`);
	const logStream = args.logFile ? fs.createWriteStream(args.logFile, { flags: 'a' }) : null;
	if (logStream) args.options.onLog = (entry) => logStream.write(`${JSON.stringify(entry)}\n`);
	const fake = await startFakeJimeng(args.options);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await fake.close();
		process.stderr.write(`fake-jimeng stats ${JSON.stringify(fake.stats())}\n`);
		if (logStream) await new Promise((resolve) => logStream.end(resolve));
		process.exit(0);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
	// A parent that dies without signalling closes our stdin pipe; do not outlive it.
	if (args.exitOnStdinEnd) process.stdin.on('end', stop).on('error', stop).resume();
	// Printed last: a parent may signal us as soon as it reads this line.
	process.stdout.write(
		`${JSON.stringify({ url: fake.url, imageUrl: fake.imageUrl, apiKey: fake.apiKey })}\n`,
	);
}

main().catch((err) => {
	process.stderr.write(`fake-jimeng: ${err.stack || err.message}\n`);
	process.exit(1);
});

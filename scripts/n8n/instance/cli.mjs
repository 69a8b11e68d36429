// An instance's CLI commands: each is one n8n process in its own group, with a timeout.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { spawnGroup } from '../processes.mjs';

/** The JSON `--rawOutput` printed (JSON.stringify(data, null, 2)) after n8n's log lines, or null. */
function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l === '{' || l === '[');
	if (start === -1) return null;
	// Something may be printed after the JSON: then cut at the last closing bracket at column 0.
	const end = lines.findLastIndex((l, i) => i > start && (l === '}' || l === ']'));
	for (const text of [lines.slice(start), lines.slice(start, end + 1)]) {
		try {
			return JSON.parse(text.join('\n'));
		} catch {}
	}
	return null;
}

const stamped = (item) => ({
	createdAt: new Date().toISOString(),
	updatedAt: new Date().toISOString(),
	...item,
});

/** Any n8n CLI command: { code, signal, stdout, stderr, ms, timedOut }. */
async function cli(ctx, args, { timeoutMs = 180_000 } = {}) {
	if (ctx.disposed) throw new Error('instance disposed');
	ctx.log += `\n$ n8n ${args.join(' ')}\n`;
	const { done } = spawnGroup(ctx.line.nodeBin, [ctx.line.n8nBin, ...args], {
		env: ctx.env,
		cwd: ctx.workDir,
		timeoutMs,
		onData: ctx.append(args[0]),
	});
	const res = await done;
	if (res.timedOut)
		res.stderr += `\n[n8n-e2e] '${args.join(' ')}' timed out after ${timeoutMs} ms\n`;
	return res;
}

async function cliOk(ctx, args) {
	const res = await cli(ctx, args);
	if (res.code !== 0) {
		throw new Error(
			`n8n ${args.join(' ')} exited with ${res.code ?? res.signal}${res.timedOut ? ' (timeout)' : ''}\n` +
				`--- stdout ---\n${res.stdout.slice(-4000)}\n--- stderr ---\n${res.stderr.slice(-4000)}`,
		);
	}
	return res;
}

/** `n8n <command> --input=<file>` with `data` written to a temp JSON file, removed afterwards. */
async function importFile(ctx, command, data) {
	const file = path.join(ctx.workDir, `${command.replace(':', '-')}-${++ctx.files}.json`);
	await writeFile(file, JSON.stringify(data, null, 2));
	try {
		return await cliOk(ctx, [command, `--input=${file}`]);
	} finally {
		await rm(file, { force: true }); // credentials hold plaintext secrets: leave nothing lying around
	}
}

/** `ctx`: the instance's shared state (see instance/index.mjs). */
export function cliMethods(ctx) {
	ctx.files = 0;
	const hasPublishCommand = existsSync(
		path.join(ctx.line.dir, 'node_modules/n8n/dist/commands/publish/workflow.js'),
	);
	return {
		cli: (args, options) => cli(ctx, args, options),
		/** `n8n import:credentials`; `data` may be plain (n8n encrypts it). Ids: 16 alphanumerics work. */
		importCredentials: (credentials) =>
			importFile(ctx, 'import:credentials', [].concat(credentials).map(stamped)),
		/** `n8n import:workflow` of all workflows in one file (one boot). Imported workflows are inactive. */
		importWorkflows: (workflows) =>
			importFile(
				ctx,
				'import:workflow',
				[]
					.concat(workflows)
					.map((w) => stamped({ active: false, settings: {}, connections: {}, ...w })),
			),
		/**
		 * Make a workflow active for server mode (webhooks, triggers) before `start()`:
		 * 2.x `n8n publish:workflow --id`, 1.x `n8n update:workflow --id --active=true`.
		 */
		async publishWorkflow(workflowId) {
			if (ctx.server)
				throw new Error(
					'publishWorkflow is a CLI command: call it before start() (or use activateWorkflow)',
				);
			return hasPublishCommand
				? await cliOk(ctx, ['publish:workflow', `--id=${workflowId}`])
				: await cliOk(ctx, ['update:workflow', `--id=${workflowId}`, '--active=true']);
		},
		/**
		 * `n8n execute --id --rawOutput`: { code, json, stdout, stderr, ms, exitCrash? }. json is the
		 * parsed run data (`{ data: { resultData: { runData, lastNodeExecuted, error? } }, status, … }`)
		 * or null. Exit code 0 on success, 1 on a node error or an unknown node type.
		 * A run that printed its run data and then died of SIGSEGV runs once more, `beforeAttempt`
		 * first (it resets what the caller counts); `exitCrash` then tells the first attempt. n8n's
		 * `execute` exits without stopping the vm expression engine's isolates (isolated-vm), and
		 * under load Node 24 crashes on them (a core dump in docs/development.md).
		 */
		async execute(workflowId, { timeoutMs, beforeAttempt } = {}) {
			const once = async () => {
				await beforeAttempt?.();
				const res = await cli(ctx, ['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs });
				return { ...res, json: parseRawOutput(res.stdout) };
			};
			const first = await once();
			if (first.signal !== 'SIGSEGV' || first.timedOut || !first.json) return first;
			return { ...(await once()), exitCrash: { signal: first.signal, ms: first.ms } };
		},
	};
}

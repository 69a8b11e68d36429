// Peak memory of the n8n process that runs a workflow (`n8n execute`), read from Linux /proc.
//
// scripts/n8n/lib.mjs spawns `<node> <n8n bin> execute --id=… --rawOutput` as a process-group
// leader and does not hand out its pid, so we find it: every 50 ms we scan /proc for a process whose
// command line is that n8n bin + `execute --id=<workflowId>` and whose environment has this
// instance's N8N_USER_FOLDER (so another n8n on the machine is never picked). Of that process we read
// VmHWM, the kernel's own peak resident set size over its life (exact, not sampled), until it exits.
// The task runner (a separate process n8n starts for Code nodes) is not counted: no Code node runs.
import { readdirSync, readFileSync } from 'node:fs';

import { peakRssKb } from '../scripts/n8n/processes.mjs';

const readText = (file) => {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return null;
	}
};

/** The pid of `n8n execute --id=<workflowId>` of this instance, or null. */
function findExecutePid(instance, workflowId) {
	const wantFolder = `N8N_USER_FOLDER=${instance.userFolder}`;
	const wanted = [instance.line.n8nBin, 'execute', `--id=${workflowId}`];
	for (const name of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
		const args = readText(`/proc/${name}/cmdline`)?.split('\0') ?? [];
		if (!wanted.every((arg) => args.includes(arg))) continue;
		if (readText(`/proc/${name}/environ`)?.split('\0').includes(wantFolder)) return Number(name);
	}
	return null;
}

/** Start sampling; stop() → { vmHwmKb }: the last VmHWM read stays once the process has exited. */
export function sampleExecuteMemory(instance, workflowId, { intervalMs = 50 } = {}) {
	let pid = null;
	let vmHwmKb = null;
	const tick = async () => {
		pid ??= findExecutePid(instance, workflowId);
		const hwm = pid === null ? null : await peakRssKb(pid);
		if (hwm !== null) vmHwmKb = Math.max(vmHwmKb ?? 0, hwm);
	};
	const timer = setInterval(tick, intervalMs);
	tick();
	return {
		stop() {
			clearInterval(timer);
			return { vmHwmKb };
		},
	};
}

// Peak memory of the n8n process that runs a workflow (`n8n execute`), read from Linux /proc.
//
// scripts/n8n/lib.mjs spawns `<node> <n8n bin> execute --id=… --rawOutput` as a process-group
// leader and does not hand out its pid, so we find it: every 50 ms we scan /proc for a process whose
// command line is that n8n bin + `execute --id=<workflowId>` and whose environment has this
// instance's N8N_USER_FOLDER (so another n8n on the machine is never picked). Of that process we read
// /proc/<pid>/status every 50 ms:
//   - VmHWM: the kernel's own peak resident set size over the process's life (exact, not sampled);
//   - VmRSS: the current resident set size, kept with a timestamp so the RSS just before the first
//     submit can be subtracted (what the run itself added).
// The task runner (a separate process n8n starts for Code nodes) is not counted: no Code node runs.
import { readdirSync, readFileSync } from 'node:fs';

function readText(file) {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return null;
	}
}

function statusKb(text, field) {
	const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text ?? '');
	return m ? Number(m[1]) : null;
}

/** The pid of `n8n execute --id=<workflowId>` of this instance, or null. */
export function findExecutePid(instance, workflowId) {
	const wantFolder = `N8N_USER_FOLDER=${instance.userFolder}`;
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const cmdline = readText(`/proc/${name}/cmdline`);
		if (!cmdline) continue;
		const args = cmdline.split('\0');
		if (
			!args.includes(instance.line.n8nBin) ||
			!args.includes('execute') ||
			!args.includes(`--id=${workflowId}`)
		)
			continue;
		const environ = readText(`/proc/${name}/environ`);
		if (!environ || !environ.split('\0').includes(wantFolder)) continue;
		return Number(name);
	}
	return null;
}

/**
 * Start sampling; returns { stop() → { pid, vmHwmKb, peakRssKb, samples: [{ at, rssKb }] } } where
 * `at` is performance.now() of this process.
 */
export function sampleExecuteMemory(instance, workflowId, { intervalMs = 50 } = {}) {
	let pid = null;
	let vmHwmKb = null;
	let peakRssKb = null;
	const samples = [];
	const tick = () => {
		if (pid === null) pid = findExecutePid(instance, workflowId);
		if (pid === null) return;
		const status = readText(`/proc/${pid}/status`);
		if (!status) return; // exited: the last VmHWM read stays
		const hwm = statusKb(status, 'VmHWM');
		const rss = statusKb(status, 'VmRSS');
		if (hwm !== null) vmHwmKb = Math.max(vmHwmKb ?? 0, hwm);
		if (rss !== null) {
			peakRssKb = Math.max(peakRssKb ?? 0, rss);
			samples.push({ at: performance.now(), rssKb: rss });
		}
	};
	const timer = setInterval(tick, intervalMs);
	tick();
	return {
		stop() {
			clearInterval(timer);
			return { pid, vmHwmKb, peakRssKb, samples };
		},
	};
}

/** The last RSS sample taken at or before `at` (performance.now() time), or null. */
export function rssBefore(samples, at) {
	let found = null;
	for (const s of samples) {
		if (s.at <= at) found = s;
		else break;
	}
	return found?.rssKb ?? null;
}

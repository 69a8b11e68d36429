// What one run did, read from the fake gateway's request log and from n8n's run data.

/** Output items of every run of a node (first output), in run order. */
export function nodeOutputItems(runJson, nodeName, output = 0) {
	const runs = runJson?.data?.resultData?.runData?.[nodeName] ?? [];
	return runs.flatMap((run) => run?.data?.main?.[output] ?? []);
}

/** The node error of the first failed run of a node, or the execution's error. */
export function runErrorText(runJson) {
	const err = runJson?.data?.resultData?.error;
	if (!err) return '';
	return `${err.message ?? ''}${err.description ? ` — ${err.description}` : ''}`;
}

/** Which node failed and how, from run data or, when n8n printed none, from its output. */
export function failureOf(res) {
	const text = runErrorText(res.json);
	if (text) return { node: res.json?.data?.resultData?.lastNodeExecuted ?? null, message: text };
	if (res.code === 0) return null;
	const out = `${res.stdout}\n${res.stderr}`;
	const line = out
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l && !/^(at |\$ n8n|=+$|Error executing workflow|Execution error:?)/.test(l))
		.find((l) => /error|fail|status code|\b[45]\d\d\b/i.test(l));
	return { node: null, message: line ?? `exit ${res.code ?? res.signal}${res.timedOut ? ' (timeout)' : ''}` };
}

/** Does an output item carry a stored binary in `field`? */
export function hasImage(item, field = 'data') {
	const bin = item?.binary?.[field];
	return !!bin && (!!bin.id || typeof bin.data === 'string');
}

/**
 * Figures from the fake's log entries of one run:
 * wallMs = first submit → end of the last successful image download (t + durationMs).
 */
export function logFigures(entries) {
	const submits = entries.filter((e) => e.kind === 'submit');
	const queries = entries.filter((e) => e.kind === 'query');
	const images = entries.filter((e) => e.kind === 'image');
	const imagesOk = images.filter((e) => e.statusCode === 200 && !e.fault);
	const firstSubmit = submits.length ? Math.min(...submits.map((e) => e.t)) : null;
	const lastImageEnd = imagesOk.length ? Math.max(...imagesOk.map((e) => e.t + (e.durationMs ?? 0))) : null;
	const refused50430 = entries.filter((e) => e.kind === 'submit' && e.body && e.statusCode === 429 && e.fault === 'max-active');
	return {
		firstSubmit,
		lastImageEnd,
		wallMs: firstSubmit !== null && lastImageEnd !== null ? lastImageEnd - firstSubmit : null,
		submits: submits.length,
		tasksCreated: submits.filter((e) => e.taskId).length,
		queries: queries.length,
		imageRequests: images.length,
		imagesOk: imagesOk.length,
		imageBytes: imagesOk.reduce((sum, e) => sum + (e.bytes ?? 0), 0),
		refused50430: refused50430.length,
		problems: entries.filter((e) => e.problem).map((e) => e.problem),
	};
}

/** The clock of the fake's log (`t`, ms since it started) in this process's performance.now(). */
export function fakeClock(fake) {
	let origin = null;
	fake.setOptions({
		onLog: (entry) => {
			// finishEntry sets durationMs = now - t and calls onLog at once: now = t + durationMs.
			if (origin === null) origin = performance.now() - (entry.t + entry.durationMs);
		},
	});
	return {
		toPerf: (t) => (origin === null ? null : origin + t),
	};
}

export const secs = (ms) => (ms === null || ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
export const mb = (kb) => (kb === null || kb === undefined ? '–' : `${(kb / 1024).toFixed(0)} MB`);

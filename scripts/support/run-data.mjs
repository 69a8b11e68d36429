// Reading what `n8n execute --rawOutput` returned: a node's output items, the run's error.

/** Output items of every run of a node (first output), in run order. */
export function nodeOutputItems(runJson, nodeName, output = 0) {
	const runs = runJson?.data?.resultData?.runData?.[nodeName] ?? [];
	return runs.flatMap((run) => run?.data?.main?.[output] ?? []);
}

/** The execution's error as `message — description`, or ''. */
export function runErrorText(runJson) {
	const err = runJson?.data?.resultData?.error;
	if (!err) return '';
	return `${err.message ?? ''}${err.description ? ` — ${err.description}` : ''}`;
}

/** How `n8n execute` ended: `exit 0`, a signal or a timeout, and a repeat after a crash at exit. */
export function exitText(res) {
	const repeat = res.exitCrash
		? `; run again after n8n crashed at exit (${res.exitCrash.signal})`
		: '';
	return `exit ${res.code ?? res.signal}${res.timedOut ? ' (timeout)' : ''}${repeat}`;
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
	return {
		node: null,
		message: line ?? exitText(res),
	};
}

/** Does an output item carry a stored binary in `field`? */
export function hasImage(item, field = 'data') {
	const bin = item?.binary?.[field];
	return !!bin && (!!bin.id || typeof bin.data === 'string');
}

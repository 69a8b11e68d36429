// Reading one fault run: what the fake did to each submit, and what became of each input item.
import { hasImage } from '../../scripts/support/run-data.mjs';

/** What the fake did to a submit: its fault, 'slow' for the enqueued slow answer, 'refused' for a directive's error code. */
export function submitKind(e) {
	if (!e) return null;
	if (e.fault) return e.fault;
	if (e.scripted) return 'slow';
	if (e.statusCode === 429 || e.statusCode === 500) return 'refused';
	return null;
}

export const countBy = (list) =>
	list.reduce((map, key) => map.set(key, (map.get(key) ?? 0) + 1), new Map());

/** "2 reset, 1 slow": how often each value occurs in a list. */
export const countsText = (list) =>
	[...countBy(list)].map(([key, n]) => `${n} ${key}`).join(', ') || 'none';

/** The last error of the retries, in an error item's message: an API code, a system error, a status. */
const LAST_ERROR = [/Jimeng API error (\d+)/, /\((E[A-Z_]+)\)/, /HTTP (\d{3})/];

/** Short reason of an output item that is not an image. */
export function reasonOf(item) {
	if (item.json?.error) {
		const msg = String(item.json.error);
		const last = LAST_ERROR.map((re) => re.exec(msg)?.[1]).find(Boolean);
		if (/may have been created/.test(msg)) return 'submit cut off: task may have been created';
		const status = /status "([a-z_]+)"/.exec(msg);
		if (status)
			return /^(success|done)$/.test(status[1])
				? 'task finished without any image'
				: `task ${status[1]}`;
		if (item.json.taskId) return `query failed after retries${last ? ` (last: ${last})` : ''}`;
		if (/Submitting the task|Jimeng API error/.test(msg))
			return `submit refused after retries${last ? ` (last: ${last})` : ''}`;
		return msg.slice(0, 80);
	}
	if (item.json?.downloadError) {
		const e = item.json.downloadError;
		return `download failed${e.httpCode ? ` (HTTP ${e.httpCode})` : ''}`;
	}
	return 'no image, no error';
}

/** The input item an output item is paired with (a number, an object or a list of them). */
function pairedIndex(item) {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'number' ? paired : paired?.item;
}

/** Input item k's output items, its images and error items, and the submits of its prompt. */
export function ownItems(items, k, prompt, log) {
	const own = items.filter((item) => pairedIndex(item) === k);
	return {
		prompt,
		k,
		own,
		images: own.filter((item) => hasImage(item)),
		errors: own.filter((item) => item.json?.error),
		submits: log.filter((e) => e.kind === 'submit' && e.prompt === prompt),
	};
}

/** What became of an input item, from its output items. */
function outcomeOf(own) {
	if (own.length !== 1) return own.length ? 'duplicated' : 'lost';
	return hasImage(own[0]) ? 'image' : reasonOf(own[0]);
}

/** Per input item (pairedItem): its output items, and what became of it. prompts[i] is item i. */
export function perInput(items, prompts) {
	const byInput = prompts.map(() => []);
	const unpaired = [];
	for (const item of items) {
		const index = pairedIndex(item);
		if (Number.isInteger(index) && index >= 0 && index < prompts.length) byInput[index].push(item);
		else unpaired.push(item);
	}
	const lost = byInput.flatMap((list, i) => (list.length === 0 ? [i] : []));
	const duplicated = byInput.flatMap((list, i) => (list.length > 1 ? [i] : []));
	return { byInput, unpaired, lost, duplicated, outcome: byInput.map(outcomeOf) };
}

export function containsKey(value, key) {
	return JSON.stringify(value ?? null).includes(key);
}

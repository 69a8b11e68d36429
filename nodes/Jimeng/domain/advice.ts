/**
 * What an API answer means for the user and what to do about it, by meaning, not by numeric range:
 * only documented codes get specific advice; anything else quotes the API and stays neutral.
 */

export const TASK_NOT_FOUND_CODE = 50404;

export const NOT_FOUND_ADVICE =
	'The task ID is unknown to the gateway, or older than about 12 hours (results are kept that long). Check the task ID, or submit the prompt again.';

const CODE_ADVICE: Record<number, string> = {
	50411: 'A reference image failed content moderation. Use different reference images.',
	50412: 'The prompt failed content moderation. Rephrase the prompt.',
	50413: 'The prompt contains sensitive or copyrighted words. Rephrase the prompt.',
	50511:
		'The generated image failed content moderation. Submitting again may succeed; adjust the prompt if it keeps happening.',
	50512: 'The generated text failed content moderation. Adjust the prompt.',
	50518: 'A reference image was flagged as copyrighted. Use images you own.',
	50519:
		'The generated image was flagged as copyrighted. Submitting again may succeed; adjust the prompt if it keeps happening.',
	50520: "The provider's moderation service failed. Try again later.",
	50521: "The provider's copyright-word service failed. Try again later.",
	50522: "The provider's copyright-image service failed. Try again later.",
	50429:
		'The API rate limit was reached and the retries ran out. Lower Max Concurrent Tasks, raise Max Retries, or space the runs out.',
	50430:
		'Too many tasks were running at once and the retries ran out. Lower Max Concurrent Tasks (Options) or raise Max Retries.',
	50500: 'The provider had an internal error. Try again later.',
	50501: "The provider's model service had an internal error. Try again later.",
	50215:
		'The API rejected the request parameters. Check the Size, Reference Image URLs and Extra Body Fields.',
	[TASK_NOT_FOUND_CODE]: NOT_FOUND_ADVICE,
};

/** Every code the node maps, for the error table in docs/errors.md and its test. */
export const MAPPED_CODES = Object.keys(CODE_ADVICE).map(Number);

/**
 * Codes that judge the request or its result: asking again cannot change them, so they are never
 * retried, whatever HTTP status they come under (new-api passes upstream codes on at HTTP 500).
 */
export const PERMANENT_CODES = new Set([50411, 50412, 50413, 50511, 50512, 50518, 50519, 50215]);

/** The provider's internal errors: worth retrying, whatever HTTP status they come under. */
export const INTERNAL_ERROR_CODES = new Set([50500, 50501]);

const NOT_FOUND_TEXT =
	/\b(task|id)\b.{0,30}\b(not[\s_-]?found|does not exist|doesn't exist|unknown|no such)\b|\bnot[\s_-]?found\b|不存在|未找到/i;

/** Whether an answer says the task does not exist: code 50404, status not_found, or a failure whose words say so. */
export function meansTaskNotFound(answer: {
	code?: number | string;
	status?: string;
	message?: string;
}): boolean {
	if (Number(answer.code) === TASK_NOT_FOUND_CODE) return true;
	const status = String(answer.status ?? '').toLowerCase();
	if (status === 'not_found' || status === 'notfound' || status === 'not-found') return true;
	return typeof answer.message === 'string' && NOT_FOUND_TEXT.test(answer.message);
}

/** Advice for an error envelope (code ≠ 10000). */
export function adviceForCode(code: number, apiMessage?: string): string {
	if (meansTaskNotFound({ code, message: apiMessage })) return NOT_FOUND_ADVICE;
	if (CODE_ADVICE[code]) return CODE_ADVICE[code];
	const quoted = apiMessage ? ` It said: "${apiMessage.slice(0, 300)}".` : '';
	return `The API answered code ${code}, which this node has no specific advice for.${quoted} Check the gateway's documentation, or quote the request ID to its support.`;
}

/** Advice for a task that ended without images (a failed, expired or unknown task). */
export function adviceForFailedTask(status: string, message?: string): string {
	if (meansTaskNotFound({ status, message })) return NOT_FOUND_ADVICE;
	if (status === 'expired') return 'The task is too old to fetch. Submit the prompt again.';
	if (status === 'done' || status === 'success') {
		return 'The model returned no image, often because of content moderation. Adjust the prompt or references and submit again.';
	}
	return "The message above is the API's reason. Adjust the prompt or reference images and submit again.";
}

// What one benchmark run did, read from the fake gateway's request log.

/**
 * Figures from the fake's log entries of one run:
 * wallMs = first submit → end of the last successful image download (t + durationMs);
 * downloadMs = first image request → that end (the download phase alone, without the polling).
 */
export function logFigures(entries) {
	const submits = entries.filter((e) => e.kind === 'submit');
	const queries = entries.filter((e) => e.kind === 'query');
	const images = entries.filter((e) => e.kind === 'image');
	const imagesOk = images.filter((e) => e.statusCode === 200 && !e.fault);
	const firstSubmit = submits.length ? Math.min(...submits.map((e) => e.t)) : null;
	const lastImageEnd = imagesOk.length
		? Math.max(...imagesOk.map((e) => e.t + (e.durationMs ?? 0)))
		: null;
	const firstImage = images.length ? Math.min(...images.map((e) => e.t)) : null;
	const refused50430 = entries.filter(
		(e) => e.kind === 'submit' && e.body && e.statusCode === 429 && e.fault === 'max-active',
	);
	return {
		firstSubmit,
		lastImageEnd,
		wallMs: firstSubmit !== null && lastImageEnd !== null ? lastImageEnd - firstSubmit : null,
		downloadMs: firstImage !== null && lastImageEnd !== null ? lastImageEnd - firstImage : null,
		submits: submits.length,
		tasksCreated: submits.filter((e) => e.taskId).length,
		queries: queries.length,
		imagesOk: imagesOk.length,
		imageBytes: imagesOk.reduce((sum, e) => sum + (e.bytes ?? 0), 0),
		refused50430: refused50430.length,
	};
}

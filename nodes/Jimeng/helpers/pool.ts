/** Runs `work` over `entries` with at most `limit` in progress; `work` must not throw. */
export async function runPool<T>(entries: T[], limit: number, work: (entry: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < entries.length) {
			const entry = entries[next++];
			await work(entry);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, entries.length) }, worker));
}

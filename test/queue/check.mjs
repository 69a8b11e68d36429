// Minimal pass/fail bookkeeping for the queue suite (to be ported onto the shared test-support layer).
export function createChecks({ out = console.log } = {}) {
	const results = [];
	const check = (name, ok, detail = '') => {
		results.push({ name, ok: !!ok, detail });
		out(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `  (${detail})` : ''}`);
		return !!ok;
	};
	/** Run a section; an exception is a failed check, not a crash of the suite. */
	const section = async (title, fn) => {
		out(`\n--- ${title}`);
		const t = Date.now();
		try {
			await fn();
		} catch (err) {
			check(
				`${title}: ran without an exception`,
				false,
				String(err.stack ?? err)
					.split('\n')
					.slice(0, 8)
					.join(' | '),
			);
		}
		out(`    (${((Date.now() - t) / 1000).toFixed(1)} s)`);
	};
	const summary = () => {
		const failed = results.filter((r) => !r.ok);
		return { passed: results.length - failed.length, failed: failed.length, failures: failed };
	};
	return { check, section, summary, results };
}

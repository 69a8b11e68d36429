// Named checks for a driver: each prints `  ok  ` or `  FAIL` with its name and detail; finish()
// lists the failures and prints, last, `N passed, M failed`, and gives the exit code.
//
//   const checks = createChecks({ redact });
//   checks.check('a thing holds', ok, 'detail');           // → ok
//   const check = checks.scoped('2.41.1');                 // the same list, lines tagged [2.41.1]
//   await checks.attempt('a step', async () => { … });    // fails when fn throws or returns false
//   await check.attempt('a tagged step', async () => { … });
//   process.exit(checks.finish());

const label = (tag, name) => `${tag ? `[${tag}] ` : ''}${name}`;
const line = (r) => `${label(r.tag, r.name)}${r.detail ? ` — ${r.detail}` : ''}`;

/**
 * @param {object} [options]
 * @param {(text: string) => string} [options.redact]  applied to every detail printed
 * @param {(label: string) => Promise<void>} [options.onFail]  run after a failed attempt(), with its
 *   printed name (`[tag] name`), e.g. to take a screenshot
 */
export function createChecks({ redact = (text) => String(text), onFail } = {}) {
	const results = []; // { tag, name, ok, detail }

	function record(tag, name, ok, detail = '') {
		const r = { tag, name, ok: !!ok, detail: detail ? redact(detail) : '' };
		results.push(r);
		console.log(`${ok ? '  ok  ' : '  FAIL'} ${line(r)}`);
		return r.ok;
	}

	const checksOf = (tag) => ({
		/** One named check; returns whether it held. */
		check: (name, ok, detail) => record(tag, name, ok, detail),
		/** A check whose body throws (or returns false) to fail; returns whether it held. */
		async attempt(name, fn) {
			const start = Date.now();
			let ok = false;
			let detail;
			try {
				const got = await fn();
				ok = got !== false;
				detail = typeof got === 'string' ? got : ok ? '' : 'returned false';
			} catch (err) {
				detail = String(err?.message ?? err)
					.split('\n')
					.slice(0, 8)
					.join(' | ');
			}
			record(tag, name, ok, `${detail ? `${detail}; ` : ''}${Date.now() - start} ms`);
			if (!ok) await onFail?.(label(tag, name));
			return ok;
		},
	});

	/** { passed, failed } so far, of all checks or of one tag. */
	function counts(tag) {
		const mine = tag === undefined ? results : results.filter((r) => r.tag === tag);
		const passed = mine.filter((r) => r.ok).length;
		return { passed, failed: mine.length - passed };
	}

	return {
		...checksOf(undefined),
		/**
		 * check() whose lines carry `[tag]` (e.g. an n8n line), recorded in the same list; its
		 * `.attempt(name, fn)` is attempt() with the same tag.
		 */
		scoped(tag) {
			const tagged = checksOf(tag);
			return Object.assign(tagged.check, { attempt: tagged.attempt });
		},
		results,
		counts,
		/**
		 * Print the failed checks and, last, `N passed, M failed`. Returns the exit code: 1 when a check
		 * failed or none ran (a driver that checked nothing has not passed).
		 */
		finish() {
			const { passed, failed } = counts();
			if (failed) console.log('\nfailed checks:');
			for (const r of results) if (!r.ok) console.log(`  - ${line(r)}`);
			console.log(`\n${passed} passed, ${failed} failed`);
			return failed || !passed ? 1 : 0;
		},
	};
}

// The queue suite's checks, on the shared layer (scripts/support/checks.mjs): named checks, the
// failures listed, `N passed, M failed` last, the exit code; plus titled sections, in which an
// exception is one failed check, not a crash of the suite.
import { createChecks as createSharedChecks } from '../../scripts/support/checks.mjs';
import { redactor } from '../../scripts/support/redact.mjs';

export function createChecks({ secrets = [] } = {}) {
	const checks = createSharedChecks({ redact: redactor(...secrets) });
	const section = async (title, fn) => {
		console.log(`\n--- ${title}`);
		const started = Date.now();
		try {
			await fn();
		} catch (err) {
			checks.check(
				`${title}: ran without an exception`,
				false,
				String(err.stack ?? err)
					.split('\n')
					.slice(0, 8)
					.join(' | '),
			);
		}
		console.log(`    (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	};
	return { check: checks.check, section, finish: checks.finish };
}

// Checks as tables. An entry is plain data and small functions; runScenarios does the loop, the
// timing, the PASS/FAIL lines with their evidence (through checks.mjs) and the cleanup.
//
//   { name,                  what it proves: a string, or (ctx) => string
//     when(ctx),             optional: false → the entry does not apply here (not run, not counted)
//     setup(ctx) → state,    optional
//     act(ctx, state) → obs  what happens; an `obs.figures` object is printed as the entry's figures
//     assert,                either (obs, ctx) => void | string | false: the entry is one check, failed
//                            by a throw or `false`, a string is its evidence (without it, obs is
//                            taken as that answer); or a list of assertions,
//                            one check each: { name, ok(obs, ctx), evidence?(obs, ctx), when?(obs, ctx) }
//                            (name: a string or (obs, ctx) => string), or a group
//                            { each(obs, ctx) → rows, assert: [assertions on a row] }
//     cleanup(ctx, state),   optional, runs whatever happened
//     gate }                 optional, true or (ctx) => boolean: a failure stops the table
//
// An entry may also be a nested table (an array): its gates stop only it.
//
//   const check = createChecks().scoped('2.41.1');
//   await runScenarios([{ name: 'n8n answers', act: () => ping(), assert: (ms) => `${ms} ms` }], ctx, check);

const valueOf = (v, ...args) => (typeof v === 'function' ? v(...args) : v);

/** First lines of an error, on one line: the evidence of a check that threw. */
export const errorText = (err) =>
	String(err?.stack ?? err?.message ?? err)
		.split('\n')
		.slice(0, 8)
		.join(' | ');

/**
 * Run entries in order. `check` is a checks.scoped() function (with .attempt). `announce` prints a
 * `--- name` line and the time of each entry with a list of assertions. Resolves to whether no gate
 * stopped the table; `results` (optional array) receives { name, ok, ms } per entry run.
 */
export async function runScenarios(entries, ctx, check, { announce = false, results } = {}) {
	for (const entry of entries) {
		if (Array.isArray(entry)) {
			await runScenarios(entry, ctx, check, { announce, results });
			continue;
		}
		if (entry.when && !(await entry.when(ctx))) continue;
		const t0 = Date.now();
		const name = valueOf(entry.name, ctx);
		const ok = Array.isArray(entry.assert)
			? await runListed(entry, name, ctx, check, announce)
			: await runSingle(entry, name, ctx, check);
		results?.push({ name, ok, ms: Date.now() - t0 });
		if (!ok && valueOf(entry.gate, ctx)) return false;
	}
	return true;
}

async function runSingle(entry, name, ctx, check) {
	let state;
	try {
		return await check.attempt(name, async () => {
			state = await entry.setup?.(ctx);
			const obs = await entry.act(ctx, state);
			return entry.assert ? await entry.assert(obs, ctx) : obs;
		});
	} finally {
		await entry.cleanup?.(ctx, state);
	}
}

/**
 * A list of assertions evaluated on an observation: [{ name, ok, evidence }] (and `words`, the
 * assertion's own [held, missed] verdicts for a report, when it has them).
 */
export function evaluate(assertions, obs, ctx) {
	return assertions.flatMap((a) => {
		if (a.when && !a.when(obs, ctx)) return [];
		if (a.each) return a.each(obs, ctx).flatMap((row) => evaluate(a.assert, row, ctx));
		const evidence = a.evidence?.(obs, ctx) ?? '';
		const result = { name: valueOf(a.name, obs, ctx), ok: !!a.ok(obs, ctx), evidence };
		return [a.words ? { ...result, words: a.words } : result];
	});
}

async function runListed(entry, name, ctx, check, announce) {
	const t0 = Date.now();
	if (announce) console.log(`\n--- ${name}`);
	let state;
	let ok = true;
	try {
		state = await entry.setup?.(ctx);
		const obs = await entry.act(ctx, state);
		if (obs?.figures) console.log(`    figures: ${JSON.stringify(obs.figures)}`);
		for (const r of evaluate(entry.assert, obs, ctx)) ok = check(r.name, r.ok, r.evidence) && ok;
	} catch (err) {
		ok = check(`${name}: ran without an exception`, false, errorText(err));
	} finally {
		await entry.cleanup?.(ctx, state);
		if (announce) console.log(`    (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
	}
	return ok;
}

/** An assertion's answer: `evidence` when `ok`, else a throw carrying it (the failed check's detail). */
export function verdict(ok, evidence) {
	if (!ok) throw new Error(evidence || 'failed');
	return evidence;
}

/** Poll `fn` until it returns something truthy; throws `timed out waiting for <what>` after timeoutMs. */
export async function until(fn, { timeoutMs, what, everyMs = 200 }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

// Assertion builders shared by the e2e scenario tables (scripts/support/scenarios.mjs).
export const json = (value) => JSON.stringify(value);

/**
 * One check: `got(obs, ctx)` equals `want` (a value or a function of obs and ctx) as JSON, so an
 * array, an object or a tuple of facts is compared whole; the evidence is what it got.
 */
export const same = (name, got, want) => ({
	name,
	ok: (obs, ctx) =>
		json(got(obs, ctx)) === json(typeof want === 'function' ? want(obs, ctx) : want),
	evidence: (obs, ctx) => json(got(obs, ctx)),
});

/** One check: the list (what n8n serves at /types/…) has an entry named `entry`. */
export const lists = (name, entry, unit) => ({
	name,
	ok: (all) => all.some((x) => x.name === entry),
	evidence: (all) => `${all.length} ${unit}`,
});

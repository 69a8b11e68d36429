'use strict';
// Seeded, deterministic fault injection: the same seed and call order give the
// same faults, so a flaky-network test is reproducible.

// mulberry32: tiny PRNG, good enough to pick calls.
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// '429-50430' -> JSON error envelope; '502-html' -> HTML page; 'reset'; 'slow'.
function parseFaultKind(kind) {
	if (kind === 'reset' || kind === 'slow') return { type: kind };
	let m = /^(\d{3})-html$/.exec(kind);
	if (m) return { type: 'html', http: Number(m[1]) };
	m = /^(\d{3})-(\d{5})$/.exec(kind);
	if (m) return { type: 'envelope', http: Number(m[1]), code: Number(m[2]) };
	throw new TypeError(`fake-jimeng: unknown fault kind "${kind}"`);
}

function createFaultPicker(faults) {
	if (!faults || !(faults.rate > 0)) return { pick: () => null };
	const rand = prng(faults.seed);
	return {
		// Draws only for calls the faults apply to, so other traffic does not shift the sequence.
		pick(action) {
			if (!faults.on.includes(action)) return null;
			if (rand() >= faults.rate) return null;
			const kind = faults.kinds[Math.floor(rand() * faults.kinds.length)];
			return { kind, ...parseFaultKind(kind), slowMs: faults.slowMs };
		},
	};
}

module.exports = { createFaultPicker, parseFaultKind };

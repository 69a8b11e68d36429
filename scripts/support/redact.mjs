// Secrets out of anything a driver prints or writes.
export const REDACTED = '<API KEY>';

/** A function that replaces every occurrence of each secret in a text with REDACTED. */
export function redactor(...secrets) {
	const list = secrets.filter((s) => typeof s === 'string' && s.length > 0);
	return (text) => list.reduce((out, secret) => out.split(secret).join(REDACTED), String(text));
}

// Command-line flags of a driver, with node:util's parseArgs: `--flag`, `--name=value`, positionals.
// An unknown flag stops the driver with its usage (exit 2) instead of being ignored.
import { parseArgs } from 'node:util';

/**
 * @param {Record<string, { type: 'boolean' | 'string', default?: any }>} options  e.g. { quick: { type: 'boolean' } }
 * @param {{ usage?: string, argv?: string[] }} [opts]  usage: printed on a bad flag
 * @returns {Record<string, any> & { positionals: string[] }}
 */
export function driverArgs(options, { usage = '', argv = process.argv.slice(2) } = {}) {
	try {
		const { values, positionals } = parseArgs({
			args: argv,
			options,
			allowPositionals: true,
			strict: true,
		});
		return { ...values, positionals };
	} catch (err) {
		console.error(`${err.message}${usage ? `\nusage: ${usage}` : ''}`);
		process.exit(2);
	}
}

/** A numeric flag value (undefined when absent); stops the driver when it is not a number. */
export function numberArg(args, name) {
	if (args[name] === undefined) return undefined;
	const n = Number(args[name]);
	if (!Number.isFinite(n)) {
		console.error(`--${name}=${args[name]}: not a number`);
		process.exit(2);
	}
	return n;
}

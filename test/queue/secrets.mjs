// The API key appears in no process log, no Redis key or value, no PostgreSQL row. Each scan has a
// positive control (something that must be found), so an empty scan cannot pass.
import { createRequire } from 'node:module';
import path from 'node:path';

/** Every row of every table in the public schema as text (bytea as hex, so search the hex too). */
async function databaseText(cluster) {
	const req = createRequire(path.join(cluster.line.dir, 'node_modules', 'n8n', 'package.json'));
	const { Client } = req('pg');
	const env = cluster.pg.env;
	const client = new Client({
		host: env.DB_POSTGRESDB_HOST,
		port: Number(env.DB_POSTGRESDB_PORT),
		user: env.DB_POSTGRESDB_USER,
		password: env.DB_POSTGRESDB_PASSWORD,
		database: env.DB_POSTGRESDB_DATABASE,
	});
	await client.connect();
	try {
		const { rows: tables } = await client.query(
			"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
		);
		const rows = [];
		for (const { table_name: table } of tables) {
			const result = await client.query(`SELECT t::text AS row FROM "${table}" t`);
			rows.push(...result.rows.map((r) => r.row));
		}
		return { text: rows.join('\n'), tables: tables.length, rows: rows.length };
	} finally {
		await client.end();
	}
}

const TASK_LINE = /Jimeng task \S+ submitted \(execution \d+, item \d+\)/g;

async function observeSecrets(cluster, apiKey) {
	const logs = cluster.logs();
	const keys = (await cluster.redis.command('KEYS', '*')).split('\n').filter(Boolean);
	return {
		hex: Buffer.from(apiKey).toString('hex'),
		logs,
		leaking: logs.filter((l) => l.text.includes(apiKey)).map((l) => l.name),
		taskLines: logs.flatMap((l) => l.text.match(TASK_LINE) ?? []).length,
		dump: await cluster.redis.dump(),
		keys,
		bullKeys: keys.filter((k) => k.startsWith('bull:')),
		db: await databaseText(cluster),
	};
}

/** The key in no process log, Redis key or value, PostgreSQL row; `label` prefixes the checks. */
export const secretsScenario = (label) => ({
	name: `secrets (${label})`,
	act: ({ cluster, apiKey }) => observeSecrets(cluster, apiKey),
	assert: [
		{
			name: (o) =>
				`${label}: the key is in no process log (${o.logs.map((l) => l.name).join(', ')}; ${o.taskLines} "Jimeng task … submitted" lines seen)`,
			ok: (o) => o.leaking.length === 0 && o.taskLines > 0,
			evidence: (o) => o.leaking.join(', '),
		},
		{
			name: (o) =>
				`${label}: the key is in no Redis key or value (${o.keys.length} keys, ${o.dump.length} B uncompressed dump)`,
			ok: (o, { apiKey }) =>
				!o.dump.includes(apiKey) && !o.dump.includes(o.hex) && o.bullKeys.length > 0,
			evidence: (o) => `${o.bullKeys.length} bull keys`,
		},
		{
			name: (o) =>
				`${label}: the key is in no PostgreSQL row (${o.db.tables} tables, ${o.db.rows} rows)`,
			ok: (o, { apiKey }) =>
				!o.db.text.includes(apiKey) &&
				!o.db.text.includes(o.hex) &&
				o.db.text.includes('Jimeng API'),
			evidence: (o) =>
				o.db.text.includes('Jimeng API')
					? ''
					: 'the credential row was not found: the scan read nothing',
		},
	],
});

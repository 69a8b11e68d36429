// Lint for everything that is not the node: tests, the fake gateway, the harness, drivers, scripts
// and config files. Node's globals, timers and console allowed. (nodes/, credentials/ and
// package.json are linted by eslint.config.mjs, n8n's own node linter, unchanged as n8n-node's
// strict mode requires.)
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{
		ignores: [
			'nodes/**',
			'credentials/**',
			'dist/**',
			'.cache/**',
			'node_modules/**',
			'coverage/**',
			'test-results/**',
			'demo-output/**',
		],
	},
	{
		files: ['**/*.{js,mjs,cjs,ts}'],
		extends: [js.configs.recommended],
		languageOptions: { ecmaVersion: 2024, globals: { ...globals.node } },
		rules: {
			'no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
			],
			'no-empty': ['error', { allowEmptyCatch: true }],
		},
	},
	{ files: ['**/*.{js,cjs}'], languageOptions: { sourceType: 'commonjs' } },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'no-unused-vars': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
			],
		},
	},
	{
		files: ['test/**/*.test.ts', 'test/**/*.test.js'],
		languageOptions: { globals: { ...globals.jest } },
	},
	// Functions it hands to page.evaluate() run in the browser.
	{
		files: ['test/e2e/browser.mjs'],
		languageOptions: { globals: { ...globals.node, ...globals.browser } },
	},
);

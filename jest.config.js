/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	// n8n-core takes ~1-2 s to load per test file; executions are fast, so the
	// default 5 s timeout is enough per test, but module loading counts against
	// the first test's hooks: give room.
	testTimeout: 20000,
};

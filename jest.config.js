/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Type-checking runs once in `npm run typecheck` (pretest); jest only transpiles.
	transform: {
		'^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	testTimeout: 30000,
	// The node tests mostly wait (on the fake's latency, Poll Interval, Request Timeout): four files at
	// once keep two cores busy, where jest's default (cores - 1) would run one at a time.
	maxWorkers: 4,
};

/** Unit and integration tests (no browser). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  // The in-memory Excel host loads Microsoft's Office.js client library from node_modules (src/excel-sim/officejs-node.ts).
  setupFiles: ['<rootDir>/test/support/officejs.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // CI runs on a 2-core machine that may be busy: property tests and process spawns need more than 5 s there.
  testTimeout: 30_000,
};

/**
 * End-to-end tests in real Chromium (playwright-core + Debian's /usr/bin/chromium) against the browser
 * preview. globalSetup builds the bundle if it is stale and serves dist/ on a free localhost port;
 * globalTeardown stops the server. Run with `npm run test:e2e`.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
  globalSetup: '<rootDir>/test/e2e/global-setup.js',
  globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
  testTimeout: 60_000,
};

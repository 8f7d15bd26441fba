/**
 * Test kinds live in their own folders; `npm test` runs unit + integration (embedded database, no
 * external servers); e2e (browser) and soak (minutes of traffic) run in their own CI stages. Jest runs
 * under --experimental-vm-modules because PGlite loads its WASM bundle with a dynamic import().
 */
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
module.exports = {
  maxWorkers: 1,
  testTimeout: 120000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts', '<rootDir>/test/conformance/**/*.spec.ts', '<rootDir>/test/process/**/*.spec.ts'],
    },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'] },
    // property-based fuzzing of the ingest endpoints (FUZZ_RUNS cases): its own CI stage, like soak
    { ...base, displayName: 'fuzz', testMatch: ['<rootDir>/test/fuzz/**/*.spec.ts'] },
    // minutes of traffic against a real app process (SOAK_SECONDS): its own CI stage, never in `npm test`
    { ...base, displayName: 'soak', testMatch: ['<rootDir>/test/soak/**/*.spec.ts'] },
  ],
};

import type { Config } from 'jest';
// Jest loads reporters with a plain require: register the TypeScript reporter through ts-node first.
import './src/testing/coverage-reporter';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/bots'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleNameMapper: {
    '^openlines-bot$': '<rootDir>/src/index.ts',
    '^openlines-bot/testing$': '<rootDir>/src/testing/index.ts',
  },
  testTimeout: 30_000,
  // Prints which states and transitions of each example bot the test run visited.
  reporters: ['default', '<rootDir>/src/testing/coverage-reporter.ts'],
};

export default config;

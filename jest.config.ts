import type { Config } from 'jest';

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
};

export default config;

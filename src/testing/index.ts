/**
 * openlines-bot/testing: the test kit for bot authors.
 */
export {};

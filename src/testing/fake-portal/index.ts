/**
 * The fake Bitrix24 portal of the test kit: `createFakePortal()` (loopback HTTP server) and
 * `mockPortal(nock)` (the same portal as nock interceptors).
 */
export { createFakePortal, type FakePortal } from './create-fake-portal';
export { mockPortal, type MockPortal, type MockPortalOptions, type NockLike } from './mock-portal';
export type { FakePortalApi, SentEventResponse } from './portal-api';
export type {
  BotState,
  CallRecord,
  ChatMessage,
  ChatState,
  CommandState,
  FailNextOptions,
  FakePortalOptions,
  FakePortalTokens,
  LineConfig,
  QueueEventInput,
  QueuedEvent,
  SessionState,
  TransferRecord,
} from './types';

/**
 * openlines-bot/testing: the test kit for bot authors.
 */

// -- fake Bitrix24 portal (loopback HTTP server) and its nock twin --
export { createFakePortal, mockPortal } from './fake-portal';
export type {
  FakePortal,
  MockPortal,
  MockPortalOptions,
  NockLike,
  FakePortalApi,
  FakePortalOptions,
  FakePortalTokens,
  CallRecord,
  ChatState,
  ChatMessage,
  BotState,
  CommandState,
  SessionState,
  TransferRecord,
  LineConfig,
  FailNextOptions,
  QueuedEvent,
  QueueEventInput,
  SentEventResponse,
} from './fake-portal';

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

// -- wire event builders: real Bitrix24 bodies (form-encoded, string scalars) --
export { events, DEFAULT_WIRE, createEventBuilders } from './event-builders';
export type {
  EventBuilders,
  WireBody,
  WireDefaults,
  WireOptions,
  ChatOptions,
  WirePerson,
  WireFile,
  FetchItem,
  V2OptionsByType,
} from './event-builders';

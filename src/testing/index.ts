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
export { events, DEFAULT_WIRE, DEFAULT_OPERATOR, createEventBuilders } from './event-builders';
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
  OperatorMessageOptions,
  SessionStartOptions,
} from './event-builders';

// -- conversations with a bot --
export { testBot } from './test-bot';
export type {
  BotChat,
  TestBotOptions,
  WaitDuration,
  ChatClient,
  RuntimeLogLine,
  InvokedRestCall,
} from './test-bot';
export type { ChatView } from './chat-view';
export type { ChatEffect, ChatEffectKind, ChatEffectStatus, ChatButton } from './chat-effect';
export { createFakeClock } from './fake-clock';
export type { FakeClock, FakeClockOptions } from './fake-clock';

// -- jest matchers --
export { botMatchers } from './matchers';
export type { BotMatcherResult, TransferExpectation } from './matchers';

// -- transcript tests --
export { transcriptTests, transcriptFiles } from './transcript-tests';
export type { TranscriptTestsOptions } from './transcript-tests';
export { parseTranscript, parseDuration, TranscriptSyntaxError } from './parse-transcript';
export type {
  Transcript,
  TranscriptScenario,
  TranscriptStep,
  TranscriptStepBody,
  TranscriptExpectation,
} from './parse-transcript';
export { runTranscriptScenario, TranscriptMismatch } from './run-transcript-scenario';

// -- flow checks and coverage --
export { checkFlow } from './check-flow';
export type { CheckFlowOptions, FlowProblem, FlowProblemKind, FlowReport } from './check-flow';
export {
  COVERAGE_DIR_ENV,
  formatCoverageTable,
  mergeCoverage,
  readCoverageRecords,
  summarizeCoverage,
} from './coverage-data';
export type { CoverageRecord, CoverageSummary } from './coverage-data';

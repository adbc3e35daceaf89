/**
 * openlines-bot: Bitrix24 Open Lines chat bots as xstate machines.
 * Exports by name only; what is not exported here is internal.
 */

// -- errors --
export { OpenlinesError, ConfigError, isOpenlinesError, registerSecret, redact } from './errors';
export type { ErrorCode } from './errors';

// -- events --
export type * from './events/inbound-event';
export { isDialogEvent } from './events/inbound-event';
export { isOpenLineEventType, OPEN_LINE_EVENT_TYPES } from './events/map-openline';
export type { OpenLineEvent, OpenLineEventItem, OpenLineEventName, OpenLineEventType } from './events/map-openline';
export { parseEventBody, MAX_EVENT_BODY_BYTES } from './events/parse-event-body';
export type { ParseEventBodyOptions } from './events/parse-event-body';
export { parseFetchItem } from './events/parse-fetch-item';
export type { ParseFetchItemOptions } from './events/parse-fetch-item';
export { decodePhpForm, encodePhpForm, PHP_FORM_LIMITS } from './events/php-form';
export type { DecodePhpFormOptions, PhpFormValue, PhpFormObject } from './events/php-form';
export { verifyApplicationToken } from './events/verify-application-token';
export { EventValidationError, isEventValidationError, eventIssue } from './events/event-validation-error';
export type { EventIssue } from './events/event-validation-error';
export { parseOpenLineFields, parseCrmBindings } from './events/open-line-fields';
export type { OpenLineFields } from './events/open-line-fields';

// -- bot authoring (commonly used) --
export { defineBot } from './dsl/define-bot';
export type {
  BotDefinition,
  BotOptions,
  BotProperties,
  FallbackArgs,
  FallbackOption,
  MigrateArgs,
  MigrateFn,
  SayViaOption,
  BotCommand,
} from './dsl/define-bot';
export { say, greet, typing, toOperator, transfer, finish, callRest } from './dsl/effect-actions';
export type { TypingOptions } from './dsl/effect-actions';
export { sendFile, react, unreact, answerCommand } from './dsl/media-actions';
export type { FileToSend, ReactionTarget } from './dsl/media-actions';
export { fromOpenlinesCall } from './dsl/from-openlines-call';
export { REACTION_CODES, isReactionCode } from './bitrix/reactions';
export type { ReactionCode } from './bitrix/reactions';
export type { BotEmitted, EffectAction, SayOptions, TransferTarget, ValueOrFn } from './dsl/effect-actions';
export { keyboard } from './dsl/keyboard';
export type { ButtonOptions, KeyboardBuilder, KeyboardLike } from './dsl/keyboard';
export { textMatches, isCommand } from './dsl/guards';
export type { BotGuard } from './dsl/guards';
export { fromRestCall, RestCallUnavailableError } from './dsl/from-rest-call';
export { prompt, parsePromptAnswer } from './dsl/prompt';
export type { PromptOptions, PromptParser, PromptSchema, PromptStateConfig, PromptTransition } from './dsl/prompt';
export type { RestCallInput } from './dsl/from-rest-call';
export { EFFECT_EVENT } from './dsl/effect';
export type { Effect, EffectEmitted, Keyboard, KeyboardButton, SayVia, TypingStatus } from './dsl/effect';
export type * from './dsl/machine-events';

// -- storage --
export type * from './store/store';
export { dialogKeyOf } from './store/store';
export { memoryStore } from './store/memory-store';
export { sqliteStore, DEFAULT_SQLITE_PATH } from './store/sqlite-store';
export type { SqliteStoreOptions } from './store/sqlite-store';
export { openStore, DEFAULT_STORE_SPEC } from './store/open-store';
export type { OpenStoreOptions } from './store/open-store';
export { StoreError, isStoreError } from './store/store-error';
export { redisStore } from './store/redis-store';
export type { RedisStoreOptions } from './store/redis-store';

// -- REST client --
export type * from './bitrix/types';
export { createRestClient } from './bitrix/create-rest-client';
export type { RestClientOptions, RestClientAuth, BitrixRestClient } from './bitrix/create-rest-client';
export { createRateBudget } from './bitrix/rate-budget';
export type { RateBudget, RateBudgetOptions } from './bitrix/rate-budget';
export {
  ApiError,
  HttpError,
  AuthRefreshError,
  isApiError,
  isHttpError,
  isAuthRefreshError,
  isRetryableRestError,
} from './bitrix/rest-errors';
export { createBitrixApi } from './bitrix/bitrix-api';
export type { BitrixApi, RestMethod, RestMethodOptional } from './bitrix/bitrix-api';
export { ensureBotRegistered, unregisterBot } from './bitrix/register-bot';
export type { EnsureBotOptions, UnregisterBotOptions, BotCommandSpec } from './bitrix/register-bot';
export type { WebhookAuthOptions } from './bitrix/webhook-auth';
export type { OAuthAuthOptions, OAuthTokens } from './bitrix/oauth-auth';
export type { RetryOptions } from './bitrix/retry';
export type * from './bitrix/imbot-v1-types';
export type * from './bitrix/imbot-v2-types';
export type * from './bitrix/imopenlines-types';
// Open Lines API (all 38 imopenlines.* methods, typed)
export { createOpenlinesApi, callOpenlines } from './bitrix/openlines-api';
export type { OpenlinesApi } from './bitrix/openlines-api';
export { OpenlinesParamsError, UnexpectedResultError, checkOpenlinesParams, parseOpenlinesResult, openlinesCall } from './bitrix/openlines-call';
export type { OpenlinesBatchCall, OpenlinesBatchResults } from './bitrix/openlines-call';
export { OPENLINES_METHODS, isOpenlinesMethod, openlinesDocUrl } from './bitrix/openlines-methods';
export { downloadFile, downloadBotFile, FileTooLargeError } from './bitrix/download-file';
export { readApiRevisions } from './bitrix/read-api-revisions';
export type { ApiRevisions } from './bitrix/read-api-revisions';
export { attachBotToLine, detachBotFromLine, listLines } from './bitrix/attach-bot';
export type { AttachBotOptions, LineBotResult, LineSummary, WelcomeBotJoin, WelcomeBotLeft } from './bitrix/attach-bot';
export type { DownloadFileOptions, DownloadedFile, DownloadBotFileOptions } from './bitrix/download-file';
export type { OpenlinesMethod, OpenlinesParams, OpenlinesResult, BotOpenlinesMethod, OpenlinesCaller, OpenlineSettings, SessionHistory, SessionHistoryMessage, OpenlineDialogInfo, CrmChat } from './bitrix/openlines-methods';

// -- runtime --
export { createRuntime } from './runtime/create-runtime';
export type { Runtime, RuntimeOptions, RuntimeDispatcherOptions } from './runtime/create-runtime';
export { TurnError } from './runtime/turn-error';
export { RESERVED_EVENT_TYPES, MAX_EXTERNAL_EVENT_BYTES } from './runtime/external-event';
export type { ExternalEvent, ExternalDelivery, DeliverResult, DialogRef } from './runtime/external-event';
export type { TurnFailure } from './runtime/turn-error';
export { RuntimeStoppedError } from './runtime/runtime-stopped-error';
export { DEFAULT_FALLBACK } from './runtime/fallback';
export type { Clock } from './clock';
export { systemClock } from './clock';

// -- hosting: server, configuration, portals, transports --
export { createServer } from './http/create-server';
export type { CreateServerOptions, OpenlinesServer, ServerRuntime } from './http/create-server';
export { createBotRouter } from './http/create-bot-router';
export type { BotRouterOptions, BotRouterHooks } from './http/create-bot-router';
export { createOpsRouter } from './http/create-ops-router';
export { createExternalEventsRouter } from './http/create-external-events-router';
export type { ExternalEventsRouterOptions } from './http/create-external-events-router';
export type { OpsRouterOptions } from './http/create-ops-router';
export { installShutdown } from './http/install-shutdown';
export type { InstallShutdownOptions } from './http/install-shutdown';
export { loadConfig } from './config/load-config';
export type { OpenlinesConfig, LoadConfigOptions, ConfigMode, EventMode, StoreSpec } from './config/load-config';
export { createPortalRegistry } from './portals/create-portal-registry';
export type { PortalRegistry, BitrixClient } from './portals/create-portal-registry';
export { createFetchPoller, fetchOffsetKey } from './transport/fetch-poller';
export type { FetchPoller, FetchPollerOptions, PollResult } from './transport/fetch-poller';
export { createFetchTransport } from './transport/create-fetch-transport';
export type { FetchTransport } from './transport/create-fetch-transport';
export { createEventHandler } from './transport/create-event-handler';
export { createInstaller } from './transport/create-installer';
export type { InstallResult } from './transport/create-installer';
export { parseInstallRequest } from './transport/parse-install-request';

// -- advanced: the outbox dispatcher and the effect → REST call mapping --
export { createDispatcher } from './runtime/dispatcher';
export type { Dispatcher, DispatcherOptions, EffectFailure } from './runtime/dispatcher';
export { effectToCall } from './runtime/effect-call';
export type { EffectMeta, EffectCall } from './runtime/effect-call';
export { renderKeyboard } from './runtime/render-keyboard';
export type { BitrixKeyboard } from './runtime/render-keyboard';

// -- CLI building blocks --
export { machineToMermaid } from './cli/machine-to-mermaid';
export type { MachineToMermaidOptions } from './cli/machine-to-mermaid';
export { BotLoadError } from './cli/load-bot';

// -- operations: logs and metrics --
export { createLogger, silentLogger } from './logger';
export type { Logger, LoggerOptions } from './logger';
export { createMetrics, noopMetrics, METRIC } from './metrics';
export type { Metrics, MetricsRegistry, Labels } from './metrics';

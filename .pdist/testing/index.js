"use strict";
/**
 * openlines-bot/testing: the test kit for bot authors.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.summarizeCoverage = exports.readCoverageRecords = exports.mergeCoverage = exports.formatCoverageTable = exports.COVERAGE_DIR_ENV = exports.checkFlow = exports.TranscriptMismatch = exports.runTranscriptScenario = exports.TranscriptSyntaxError = exports.parseDuration = exports.parseTranscript = exports.transcriptFiles = exports.transcriptTests = exports.botMatchers = exports.createFakeClock = exports.testBot = exports.createEventBuilders = exports.DEFAULT_OPERATOR = exports.DEFAULT_WIRE = exports.events = exports.mockPortal = exports.createFakePortal = void 0;
// -- fake Bitrix24 portal (loopback HTTP server) and its nock twin --
var fake_portal_1 = require("./fake-portal");
Object.defineProperty(exports, "createFakePortal", { enumerable: true, get: function () { return fake_portal_1.createFakePortal; } });
Object.defineProperty(exports, "mockPortal", { enumerable: true, get: function () { return fake_portal_1.mockPortal; } });
// -- wire event builders: real Bitrix24 bodies (form-encoded, string scalars) --
var event_builders_1 = require("./event-builders");
Object.defineProperty(exports, "events", { enumerable: true, get: function () { return event_builders_1.events; } });
Object.defineProperty(exports, "DEFAULT_WIRE", { enumerable: true, get: function () { return event_builders_1.DEFAULT_WIRE; } });
Object.defineProperty(exports, "DEFAULT_OPERATOR", { enumerable: true, get: function () { return event_builders_1.DEFAULT_OPERATOR; } });
Object.defineProperty(exports, "createEventBuilders", { enumerable: true, get: function () { return event_builders_1.createEventBuilders; } });
// -- conversations with a bot --
var test_bot_1 = require("./test-bot");
Object.defineProperty(exports, "testBot", { enumerable: true, get: function () { return test_bot_1.testBot; } });
var fake_clock_1 = require("./fake-clock");
Object.defineProperty(exports, "createFakeClock", { enumerable: true, get: function () { return fake_clock_1.createFakeClock; } });
// -- jest matchers --
var matchers_1 = require("./matchers");
Object.defineProperty(exports, "botMatchers", { enumerable: true, get: function () { return matchers_1.botMatchers; } });
// -- transcript tests --
var transcript_tests_1 = require("./transcript-tests");
Object.defineProperty(exports, "transcriptTests", { enumerable: true, get: function () { return transcript_tests_1.transcriptTests; } });
Object.defineProperty(exports, "transcriptFiles", { enumerable: true, get: function () { return transcript_tests_1.transcriptFiles; } });
var parse_transcript_1 = require("./parse-transcript");
Object.defineProperty(exports, "parseTranscript", { enumerable: true, get: function () { return parse_transcript_1.parseTranscript; } });
Object.defineProperty(exports, "parseDuration", { enumerable: true, get: function () { return parse_transcript_1.parseDuration; } });
Object.defineProperty(exports, "TranscriptSyntaxError", { enumerable: true, get: function () { return parse_transcript_1.TranscriptSyntaxError; } });
var run_transcript_scenario_1 = require("./run-transcript-scenario");
Object.defineProperty(exports, "runTranscriptScenario", { enumerable: true, get: function () { return run_transcript_scenario_1.runTranscriptScenario; } });
Object.defineProperty(exports, "TranscriptMismatch", { enumerable: true, get: function () { return run_transcript_scenario_1.TranscriptMismatch; } });
// -- flow checks and coverage --
var check_flow_1 = require("./check-flow");
Object.defineProperty(exports, "checkFlow", { enumerable: true, get: function () { return check_flow_1.checkFlow; } });
var coverage_data_1 = require("./coverage-data");
Object.defineProperty(exports, "COVERAGE_DIR_ENV", { enumerable: true, get: function () { return coverage_data_1.COVERAGE_DIR_ENV; } });
Object.defineProperty(exports, "formatCoverageTable", { enumerable: true, get: function () { return coverage_data_1.formatCoverageTable; } });
Object.defineProperty(exports, "mergeCoverage", { enumerable: true, get: function () { return coverage_data_1.mergeCoverage; } });
Object.defineProperty(exports, "readCoverageRecords", { enumerable: true, get: function () { return coverage_data_1.readCoverageRecords; } });
Object.defineProperty(exports, "summarizeCoverage", { enumerable: true, get: function () { return coverage_data_1.summarizeCoverage; } });

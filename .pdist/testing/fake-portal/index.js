"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.mockPortal = exports.createFakePortal = void 0;
/**
 * The fake Bitrix24 portal of the test kit: `createFakePortal()` (loopback HTTP server) and
 * `mockPortal(nock)` (the same portal as nock interceptors).
 */
var create_fake_portal_1 = require("./create-fake-portal");
Object.defineProperty(exports, "createFakePortal", { enumerable: true, get: function () { return create_fake_portal_1.createFakePortal; } });
var mock_portal_1 = require("./mock-portal");
Object.defineProperty(exports, "mockPortal", { enumerable: true, get: function () { return mock_portal_1.mockPortal; } });

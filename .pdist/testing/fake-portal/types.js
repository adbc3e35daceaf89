"use strict";
/**
 * Public types of the fake Bitrix24 portal (`createFakePortal`, `mockPortal`).
 */
Object.defineProperty(exports, "__esModule", { value: true });

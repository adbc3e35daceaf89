"use strict";
/**
 * Parameters and results of the v1 `imbot.*` methods (CONTRACT-v1-and-common.md §3).
 * Bot credentials (`CLIENT_ID`, `botToken`) are optional: the client adds them in webhook mode.
 * Objects are open (`[key: string]: unknown`) where Bitrix24 returns more than we read.
 */
Object.defineProperty(exports, "__esModule", { value: true });

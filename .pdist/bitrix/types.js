"use strict";
/**
 * The contract of the REST client (implemented in `create-rest-client.ts`). The runtime and the
 * outbox dispatcher depend only on this interface.
 */
Object.defineProperty(exports, "__esModule", { value: true });

"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.dialogKeyOf = dialogKeyOf;
/** Builds the dialog key: a dialog is one chat of one bot on one portal. */
function dialogKeyOf(memberId, botId, chatId) {
    return `${memberId}:${botId}:${chatId}`;
}

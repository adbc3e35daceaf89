"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isDialogEvent = isDialogEvent;
/** True when the event belongs to a dialog. */
function isDialogEvent(e) {
    return 'chatId' in e;
}

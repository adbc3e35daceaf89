"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.REACTION_CODES = void 0;
exports.isReactionCode = isReactionCode;
/**
 * The reaction codes of `imbot.v2.Chat.Message.Reaction.add|delete` (docs page
 * `chat-bots-v2/imbot.v2/messages/chat-message-reaction-add.md`; "may expand or contract without
 * prior notice").
 */
exports.REACTION_CODES = [
    'like',
    'dislike',
    'faceWithTearsOfJoy',
    'redHeart',
    'neutralFace',
    'fire',
    'cry',
    'slightlySmilingFace',
    'winkingFace',
    'laugh',
    'kiss',
    'wonder',
    'slightlyFrowningFace',
    'loudlyCryingFace',
    'faceWithStuckOutTongue',
    'faceWithStuckOutTongueAndWinkingEye',
    'smilingFaceWithSunglasses',
    'confusedFace',
    'flushedFace',
    'thinkingFace',
    'angry',
    'smilingFaceWithHorns',
    'faceWithThermometer',
    'facepalm',
    'poo',
    'flexedBiceps',
    'clappingHands',
    'raisedHand',
    'smilingFaceWithHeartEyes',
    'smilingFaceWithHearts',
    'pleadingFace',
    'relievedFace',
    'foldedHands',
    'okHand',
    'signHorns',
    'loveYouGesture',
    'clownFace',
    'partyingFace',
    'questionMark',
    'exclamationMark',
    'lightBulb',
    'bomb',
    'sleepingSymbol',
    'crossMark',
    'whiteHeavyCheckMark',
    'eyes',
    'handshake',
    'hundredPoints',
];
/** True for a documented reaction code. */
function isReactionCode(value) {
    return typeof value === 'string' && exports.REACTION_CODES.includes(value);
}

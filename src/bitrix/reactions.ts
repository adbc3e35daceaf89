/**
 * The reaction codes of `imbot.v2.Chat.Message.Reaction.add|delete` (docs page
 * `chat-bots-v2/imbot.v2/messages/chat-message-reaction-add.md`; "may expand or contract without
 * prior notice").
 */
export const REACTION_CODES = [
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
] as const;

/** A documented reaction code (`like`, `redHeart`, ...). */
export type ReactionCode = (typeof REACTION_CODES)[number];

/** True for a documented reaction code. */
export function isReactionCode(value: unknown): value is ReactionCode {
  return typeof value === 'string' && (REACTION_CODES as readonly string[]).includes(value);
}

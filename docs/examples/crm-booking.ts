/**
 * A CRM update reaching a waiting dialog: the bot takes a booking request, then waits until the
 * clinic's CRM confirms or declines the appointment. The host application (a CRM webhook handler)
 * delivers its own typed event to the dialog:
 *
 *   await runtime.deliver([{ dialog: dialogKey, event: { type: 'crm.booking.confirmed', slot: 'Tue 10:30' }, key: 'deal-15:confirmed' }]);
 *
 * or over HTTP (with OPENLINES_EXTERNAL_EVENTS_TOKEN set):
 *
 *   curl -H "Authorization: Bearer $OPENLINES_EXTERNAL_EVENTS_TOKEN" -H 'content-type: application/json' \
 *     -d '{"dialog":"<memberId>:<botId>:<chatId>","event":{"type":"crm.booking.confirmed","slot":"Tue 10:30"},"key":"deal-15:confirmed"}' \
 *     https://bot.example.com/dialog-events
 *
 * The event goes through the dialog's durable inbox, in order with the client's messages; the
 * same `key` twice reaches the dialog once.
 */
import { assign, setup } from 'xstate';
import { defineBot, dialogKeyOf, say, textMatches, toOperator } from 'openlines-bot';
import type { BotEvent, DeliverResult, DialogInput, Runtime } from 'openlines-bot';

/** The events the CRM side delivers to a dialog. */
export type BookingEvent =
  | { type: 'crm.booking.confirmed'; slot: string }
  | { type: 'crm.booking.declined'; reason?: string };

interface BookingContext {
  /** Where the CRM must deliver its answer: stored with the booking request. */
  dialogKey: string;
  request?: string;
  slot?: string;
}

const machine = setup({
  types: {
    context: {} as BookingContext,
    events: {} as BotEvent | BookingEvent,
    input: {} as DialogInput,
  },
  delays: { answerWithin: 24 * 3_600_000, idle: 10 * 60_000 },
}).createMachine({
  id: 'booking',
  context: ({ input }) => ({
    dialogKey: dialogKeyOf(input.portal.memberId, input.bot.id, input.chatId),
  }),
  initial: 'asking',
  states: {
    asking: {
      after: { idle: 'closed' },
      on: {
        join: { actions: say('Hello! Which day and time would you like to see the doctor?') },
        message: [
          { guard: textMatches(/operator|human/i), target: 'operator' },
          {
            target: 'waitingForClinic',
            actions: [
              assign({ request: ({ event }) => event.text }),
              // A real bot would create a CRM deal here (callRest or fromRestCall) and store the dialog key on it.
              say(
                'Thank you! I have passed your request to the clinic; I will write here once it is confirmed.',
              ),
            ],
          },
        ],
      },
    },
    waitingForClinic: {
      after: { answerWithin: 'operator' },
      on: {
        'crm.booking.confirmed': {
          target: 'booked',
          actions: [
            assign({ slot: ({ event }) => event.slot }),
            say(({ event }) => `Your appointment is confirmed: ${event.slot}. See you then!`),
          ],
        },
        'crm.booking.declined': {
          target: 'operator',
          actions: say('Sorry, the clinic cannot offer that time.'),
        },
        message: {
          actions: say('The clinic has not answered yet; I will write here as soon as it does.'),
        },
      },
    },
    operator: {
      type: 'final',
      entry: [say('Let me connect you with the front desk.'), toOperator()],
    },
    booked: { type: 'final' },
    closed: { type: 'final' },
  },
});

export default defineBot({ code: 'clinic_booking', name: 'Clinic booking', version: '1', machine });

/**
 * What the CRM webhook handler of the host application calls: a typed delivery (a wrong event
 * shape does not compile), deduplicated by the deal's id.
 *
 * @example
 * await confirmBooking(server.runtime as Runtime, dialogKey, { dealId: 15, slot: 'Tue 10:30' });
 */
export async function confirmBooking(
  runtime: Pick<Runtime, 'deliver'>,
  dialogKey: string,
  booking: { dealId: number; slot: string },
): Promise<DeliverResult> {
  const [result] = await runtime.deliver<BookingEvent>([
    {
      dialog: dialogKey,
      event: { type: 'crm.booking.confirmed', slot: booking.slot },
      key: `deal-${booking.dealId}:confirmed`,
    },
  ]);
  return result as DeliverResult;
}

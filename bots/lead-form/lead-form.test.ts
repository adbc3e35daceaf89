import { join } from 'node:path';
import { botMatchers, checkFlow, testBot, transcriptTests } from 'openlines-bot/testing';
import { createLeadFormBot, LEAD_FORM_TEXTS } from './bot';

expect.extend(botMatchers);

// Scenarios in the words of the conversation (one test each); below, the checks that read better in code.
transcriptTests(() => createLeadFormBot(), join(__dirname, 'transcripts/*.txt'));
transcriptTests(
  () => createLeadFormBot({ lineId: 3 }),
  join(__dirname, 'transcripts/with-line/*.txt'),
);

async function fillIn(chat: ReturnType<typeof testBot>): Promise<void> {
  await chat.join();
  await chat.send('  Anna Smith ');
  await chat.send('+49 (30) 123-4567');
  await chat.send('Anna.Smith@Example.COM');
}

describe('lead form bot', () => {
  it('creates the CRM lead from the checked answers before the line sees the chat', async () => {
    const chat = testBot(
      createLeadFormBot({ lineId: 3, leadTitle: (lead) => `Chat: ${lead.name}` }),
    );
    await fillIn(chat);
    // The invoked crm.lead.add is answered before the turn commits; the reply with its id and the
    // transfer leave afterwards, so the line sees the chat only once the lead exists.
    expect(chat.last.transcript.split('\n').slice(1)).toEqual([
      '[call crm.lead.add → 1]',
      'bot: Thank you! Your request number is 1. I have passed your details to our managers; one of them will continue this chat.',
      '[transfer to line 3]',
    ]);
    expect(chat.invokedCalls).toEqual([
      expect.objectContaining({ method: 'crm.lead.add', status: 'ok', result: 1 }),
    ]);
    expect(chat.context).toMatchObject({ leadId: 1 });
    expect(chat.portal.leads).toEqual([
      {
        id: 1,
        fields: {
          TITLE: 'Chat: Anna Smith',
          NAME: 'Anna Smith',
          PHONE: [{ VALUE: '+49 (30) 123-4567', VALUE_TYPE: 'WORK' }],
          EMAIL: [{ VALUE: 'anna.smith@example.com', VALUE_TYPE: 'WORK' }],
          SOURCE_DESCRIPTION: 'Open line chat chat1777',
        },
      },
    ]);
    expect(chat).toHaveTransferredTo({ lineId: 3 });
    await chat.close();
  });

  it('re-asks a question when a button is pressed instead of an answer', async () => {
    const chat = testBot(createLeadFormBot());
    await chat.join();
    await chat.command('menu');
    expect(chat.last).toHaveReplied(LEAD_FORM_TEXTS.askName);
    expect(chat).toBeInState('name.waiting');
    await chat.close();
  });

  it('lets go of the dialog five minutes after the hand-off, or finishes when no operator takes it', async () => {
    const chat = testBot(createLeadFormBot());
    await fillIn(chat);
    expect(chat).toHaveHandedToOperator();
    await chat.wait({ minutes: 5 });
    expect(chat).toBeInState('released');
    const refused = testBot(createLeadFormBot());
    await refused.join();
    await refused.failNext('imopenlines.bot.session.operator', 'WRONG_CHAT');
    await refused.send('operator');
    expect(refused).toHaveFinished();
    await Promise.all([chat.close(), refused.close()]);
  });

  it('stays silent once an operator writes in the chat (#8)', async () => {
    const chat = testBot(createLeadFormBot());
    await chat.join();
    expect(chat.replies.length).toBeGreaterThan(0);
    await chat.operator('Good afternoon, Olga here.');
    expect(chat.last.effects).toEqual([]);
    expect(chat).toBeInState('quiet');
    await chat.send('Ivan');
    await chat.send('operator');
    expect(chat.last.effects).toEqual([]);
    await chat.wait({ minutes: 10 });
    expect(chat.last.effects).toEqual([]);
    expect(chat).toBeInState('released');
    await chat.close();
  });

  it('has no flow defects, with or without a line', () => {
    expect(checkFlow(createLeadFormBot()).problems).toEqual([]);
    expect(checkFlow(createLeadFormBot({ lineId: 3 })).problems).toEqual([]);
  });
});

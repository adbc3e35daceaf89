import { join } from 'node:path';
import { botMatchers, checkFlow, testBot, transcriptTests } from 'openlines-bot/testing';
import { createFaqBot, FAQ_TEXTS } from './bot';

expect.extend(botMatchers);

// Scenarios in the words of the conversation (one test each); below, the checks that read better in code.
transcriptTests(() => createFaqBot(), join(__dirname, 'transcripts/*.txt'));

describe('faq bot', () => {
  it('answers from the topics it was given, by keyword and by button', async () => {
    const chat = testBot(
      createFaqBot({
        topics: [
          {
            id: 'wifi',
            title: 'Wi-Fi',
            keywords: ['wifi', 'password'],
            answer: 'The password is guest.',
          },
        ],
      }),
    );
    await chat.join();
    expect(chat).toHaveShownButtons(['Wi-Fi', 'Talk to a human']);
    await chat.send('What is the WiFi password?');
    expect(chat.last).toHaveReplied('The password is guest.');
    await chat.press('Wi-Fi');
    expect(chat.last).toHaveReplied('The password is guest.');
    expect(chat.context).toEqual({ misses: 0, lastTopic: 'wifi' });
    await chat.command('unknown');
    expect(chat.last).toHaveReplied(FAQ_TEXTS.intro);
    await chat.close();
  });

  it('hands over after as many misses in a row as configured', async () => {
    const chat = testBot(createFaqBot({ maxMisses: 3 }));
    await chat.join();
    await chat.send('bicycles?');
    await chat.send('scooters?');
    expect(chat).not.toHaveHandedToOperator();
    await chat.send('skateboards?');
    expect(chat.last).toHaveHandedToOperator();
    await chat.wait({ minutes: 5 });
    expect(chat).toBeInState('handedOff');
    await chat.close();
  });

  it('stays silent once an operator writes in the chat (#8)', async () => {
    const chat = testBot(createFaqBot());
    await chat.join();
    await chat.send('bicycles?');
    expect(chat.last).toHaveReplied(FAQ_TEXTS.miss);
    await chat.operator('Hello, I am Olga, I will help you.');
    expect(chat.last.effects).toEqual([]);
    expect(chat).toBeInState('quiet');
    await chat.send('What about delivery?');
    await chat.send('skateboards?');
    expect(chat.last.effects).toEqual([]);
    await chat.wait({ minutes: 10 });
    expect(chat.last.effects).toEqual([]);
    expect(chat).toBeInState('handedOff');
    await chat.close();
  });

  it('has no flow defects', () => {
    expect(checkFlow(createFaqBot()).problems).toEqual([]);
  });
});

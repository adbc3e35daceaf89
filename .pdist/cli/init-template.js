"use strict";
/**
 * The files `openlines-bot init` writes: a ready project with a small bot (a keyboard, an idle
 * timer, a validated question, an invoked CRM call and a hand-off), its kit tests, a transcript
 * and a README. Kept as data so that the command and its test share them.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.templateFiles = templateFiles;
function packageJson(name, v) {
    const pkg = {
        name,
        version: '0.1.0',
        private: true,
        description: 'A Bitrix24 Open Lines chat bot built with openlines-bot',
        scripts: {
            start: 'openlines-bot serve bot.ts',
            chat: 'openlines-bot chat bot.ts',
            test: 'jest',
            typecheck: 'tsc --noEmit',
            register: 'openlines-bot register bot.ts',
            diagram: 'openlines-bot diagram bot.ts',
        },
        engines: { node: '>=20' },
        dependencies: {
            'openlines-bot': v.openlinesBot,
            xstate: v.xstate,
            zod: v.zod,
        },
        devDependencies: {
            '@types/jest': v.typesJest,
            '@types/node': v.typesNode,
            jest: v.jest,
            'ts-jest': v.tsJest,
            'ts-node': v.tsNode,
            typescript: v.typescript,
        },
    };
    return `${JSON.stringify(pkg, null, 2)}\n`;
}
const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2023"],
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "types": ["node", "jest"],
    "strict": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "isolatedModules": true,
    "noEmit": true
  },
  "include": ["*.ts", "test"]
}
`;
const JEST_CONFIG = `import type { Config } from 'jest';

// jest.config.ts is read through ts-node; the tests are compiled by ts-jest.
const config: Config = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\\\.ts$': ['ts-jest', {}] },
  // A kit turn that never settles fails after 4 s (real time): keep the test timeout above it.
  testTimeout: 20_000,
  // Prints which states and transitions of the bot the tests visited.
  reporters: ['default', 'openlines-bot/testing/coverage-reporter'],
};

export default config;
`;
const BOT = `/**
 * The front desk bot: greets with buttons, tells the opening hours, takes a callback request
 * (a validated phone number, saved as a CRM lead), hands the chat to an operator on request and
 * closes a chat that went quiet.
 *
 *   npm run chat    talk to it in the terminal (offline)
 *   npm start       serve it (a local portal simulator until B24_* variables are set)
 */
import { assign, setup } from 'xstate';
import { z } from 'zod';
import {
  defineBot,
  finish,
  fromRestCall,
  isCommand,
  keyboard,
  prompt,
  say,
  textMatches,
  toOperator,
  type BotEvent,
  type DialogInput,
} from 'openlines-bot';

export const TEXTS = {
  greeting: (name?: string) =>
    \`Hello\${name ? \`, \${name}\` : ''}! I am the front desk bot. How can I help?\`,
  hours: 'We are open Monday to Friday, 9:00 to 18:00.',
  askPhone: 'What phone number should we call you back on?',
  badPhone: 'That does not look like a phone number. Please use digits, e.g. +1 555 010 0200.',
  saved: (id: string) => \`Thank you! Your callback request number is \${id}. We will call you soon.\`,
  notSaved: 'Sorry, I could not save your request. Let me pass you to a person.',
  toOperator: 'Connecting you with a person, please wait.',
  operatorSoon: 'A person will answer you here soon.',
  noOperator: 'Nobody is free right now, sorry. Please write again later.',
  unknown: 'Sorry, I did not get that. Please choose one of the buttons.',
  idle: 'I have not heard from you for a while, so I am closing this chat. Write to us any time.',
} as const;

const menu = keyboard()
  .button('Opening hours', { command: 'hours' })
  .button('Call me back', { command: 'callback' })
  .row()
  .button('Talk to a person', { command: 'operator' })
  .build();

interface Context {
  firstName?: string;
  phone?: string;
  leadId?: string;
}

const IDLE_MS = 10 * 60_000;

export const machine = setup({
  types: { context: {} as Context, events: {} as BotEvent, input: {} as DialogInput },
  actors: { createLead: fromRestCall<number>() },
  delays: { idle: IDLE_MS, handoffGrace: 5 * 60_000 },
  guards: {
    asksForPerson: textMatches(/\\b(operator|person|human)\\b/i),
    hoursCommand: isCommand('hours'),
    callbackCommand: isCommand('callback'),
    operatorCommand: isCommand('operator'),
  },
  actions: {
    showMenu: say(({ context }) => TEXTS.greeting(context.firstName), { keyboard: menu }),
  },
}).createMachine({
  id: 'frontDesk',
  context: ({ input }) => (input.client?.firstName ? { firstName: input.client.firstName } : {}),
  initial: 'menu',
  states: {
    menu: {
      after: { idle: 'closing' },
      on: {
        join: { target: 'menu', reenter: true, actions: 'showMenu' },
        command: [
          { guard: 'hoursCommand', actions: say(TEXTS.hours, { keyboard: menu }) },
          { guard: 'callbackCommand', target: 'phone' },
          { guard: 'operatorCommand', target: 'handoff' },
          { actions: 'showMenu' },
        ],
        message: [
          { guard: 'asksForPerson', target: 'handoff' },
          { actions: say(TEXTS.unknown, { keyboard: menu }) },
        ],
      },
    },
    // Ask, check, ask again twice, then hand over: one helper.
    phone: prompt<Context, string>({
      ask: TEXTS.askPhone,
      retry: TEXTS.badPhone,
      parse: z
        .string()
        .trim()
        .regex(/^\\+?[\\d\\s().-]{7,25}$/),
      save: ({ value }) => ({ phone: value }),
      retries: 2,
      done: '#frontDesk.saving',
      fail: '#frontDesk.handoff',
      idle: { after: 'idle', target: '#frontDesk.closing' },
      message: [{ guard: 'asksForPerson', target: '#frontDesk.handoff' }],
    }),
    // An invoked REST call: the turn waits for Bitrix24's answer (the new lead's id).
    saving: {
      invoke: {
        src: 'createLead',
        input: ({ context }) => ({
          method: 'crm.lead.add',
          params: {
            fields: {
              TITLE: \`Callback: \${context.firstName ?? 'open line client'}\`,
              NAME: context.firstName ?? '',
              PHONE: [{ VALUE: context.phone ?? '', VALUE_TYPE: 'WORK' }],
            },
          },
        }),
        onDone: {
          target: 'menu',
          actions: [
            assign({ leadId: ({ event }) => String(event.output) }),
            say(({ event }) => TEXTS.saved(String(event.output)), { keyboard: menu }),
          ],
        },
        onError: { target: 'handoff', actions: say(TEXTS.notSaved) },
      },
    },
    handoff: {
      entry: [say(TEXTS.toOperator), toOperator()],
      // The portal may refuse the hand-off (no operator on the line): the refusal comes back here.
      after: { handoffGrace: 'handedOff' },
      on: {
        'effect.failed': { target: 'menu', actions: say(TEXTS.noOperator, { keyboard: menu }) },
        message: { actions: say(TEXTS.operatorSoon) },
      },
    },
    handedOff: { type: 'final' },
    closing: { type: 'final', entry: [say(TEXTS.idle), finish()] },
  },
});

export default defineBot({
  code: 'front_desk',
  name: 'Front desk',
  version: '1',
  machine,
  // Every command a button sends must be registered, or the button does nothing on a real portal.
  commands: ['hours', 'callback', 'operator'],
  properties: { workPosition: 'Front desk', color: 'AQUA' },
});
`;
const BOT_TEST = `import { join } from 'node:path';
import { botMatchers, checkFlow, testBot, transcriptTests } from 'openlines-bot/testing';
import bot, { TEXTS } from '../bot';

expect.extend(botMatchers);

// Scenarios written as conversations: test/transcripts/*.txt, one test per "## title".
transcriptTests(bot, join(__dirname, 'transcripts/*.txt'));

describe('front desk bot', () => {
  it('greets the client by name with the menu', async () => {
    const chat = testBot(bot);
    await chat.join();
    expect(chat).toHaveReplied('Hello, Ivan! I am the front desk bot. How can I help?');
    await chat.close();
  });

  it('saves a callback request as a CRM lead through an invoked call', async () => {
    const chat = testBot(bot);
    await chat.join();
    await chat.press('Call me back');
    await chat.send('call me');
    expect(chat.last).toHaveReplied(TEXTS.badPhone);
    await chat.send('+1 555 010 0200');
    expect(chat.invokedCalls).toEqual([
      expect.objectContaining({ method: 'crm.lead.add', status: 'ok', result: 1 }),
    ]);
    expect(chat.portal.leads[0]?.fields).toMatchObject({
      PHONE: [{ VALUE: '+1 555 010 0200', VALUE_TYPE: 'WORK' }],
    });
    expect(chat.last).toHaveReplied(TEXTS.saved('1'));
    await chat.close();
  });

  it('hands over when saving the lead fails', async () => {
    const chat = testBot(bot);
    await chat.join();
    await chat.press('callback');
    await chat.failNext('crm.lead.add', 'ACCESS_DENIED');
    await chat.send('+1 555 010 0200');
    expect(chat.last).toHaveReplied(TEXTS.notSaved);
    expect(chat).toHaveHandedToOperator();
    await chat.close();
  });

  it('closes a chat that went quiet for ten minutes, not before', async () => {
    const chat = testBot(bot);
    await chat.join();
    await chat.wait({ minutes: 9 });
    expect(chat.done).toBe(false);
    await chat.wait({ minutes: 1 });
    expect(chat.last).toHaveReplied(TEXTS.idle);
    expect(chat).toHaveFinished();
    await chat.close();
  });

  it('has no unreachable, dead-end or silent states', () => {
    expect(checkFlow(bot).problems).toEqual([]);
  });
});
`;
const TRANSCRIPT = `# Conversations with the front desk bot. "bot: ..." accepts any reply; "expect:" lines check
# what happened (operator, finished, call crm.lead.add, state menu, ...).

## tells the opening hours
join
bot: Hello, Ivan! I am the front desk bot. How can I help?
buttons: [Opening hours] [Call me back] [Talk to a person]
press: Opening hours
bot: We are open Monday to Friday, 9:00 to 18:00.
expect: state menu

## hands over when the client asks for a person
join
bot: ...
client: Can I talk to a person?
bot: Connecting you with a person, please wait.
expect: operator

## takes the chat back when no operator is free
join
bot: ...
fail: imopenlines.bot.session.operator WRONG_CHAT
press: Talk to a person
bot: Connecting you with a person, please wait.
bot: Nobody is free right now, sorry. Please write again later.
expect: state menu

## hands over at the third wrong phone number
join
bot: ...
press: Call me back
bot: What phone number should we call you back on?
client: tomorrow
bot: That does not look like a phone number. Please use digits, e.g. +1 555 010 0200.
client: soon
bot: That does not look like a phone number. Please use digits, e.g. +1 555 010 0200.
client: never mind
bot: Connecting you with a person, please wait.
expect: operator
expect: no call crm.lead.add
`;
const README = (name) => `# ${name}

A Bitrix24 Open Lines chat bot built with [openlines-bot](https://www.npmjs.com/package/openlines-bot).

- \`bot.ts\`: the bot (an xstate machine wrapped in \`defineBot\`).
- \`test/bot.test.ts\`: its tests with the test kit (\`openlines-bot/testing\`): a fake portal and a
  fake clock, so a ten-minute timeout takes one \`wait\` call.
- \`test/transcripts/*.txt\`: conversations that run as tests.

## Next steps

1. \`npm install\`
2. \`npm test\`: the tests, then a table of the states and transitions they visited.
3. \`npm run chat\`: talk to the bot in this terminal (offline, nothing to configure).
4. \`npm start\`: serve it at http://localhost:3000 against a local portal simulator (it prints
   \`curl\` commands that play a client). \`GET /healthz\` answers 200.
5. Connect a real portal: create an incoming webhook (scopes \`imbot\`, \`imopenlines\`, \`crm\`),
   then

   \`\`\`sh
   export B24_WEBHOOK_URL=https://your-portal.bitrix24.com/rest/1/<secret>/
   export B24_BOT_TOKEN=<a token you choose, at most 40 characters>
   npx openlines-bot register bot.ts --url https://<your public address>/events
   npm start
   \`\`\`

   and attach the bot to an open line (Contact Center > Open Channels > line settings > chatbot).
   No public address? Register with \`--fetch\` instead of \`--url\`: the server polls for events.

Change the bot in \`bot.ts\`, describe the new behaviour in a transcript, and run \`npm test\`.
\`npx openlines-bot diagram bot.ts\` draws the machine as a Mermaid chart.
`;
const GITIGNORE = `node_modules/
.openlines-bot/
coverage/
*.db
*.db-wal
*.db-shm
`;
/**
 * The files of a new project named `name`.
 *
 * @example
 * const files = templateFiles('my-bot', versions);
 */
function templateFiles(name, versions) {
    return [
        { path: 'package.json', content: packageJson(name, versions) },
        { path: 'tsconfig.json', content: TSCONFIG },
        { path: 'jest.config.ts', content: JEST_CONFIG },
        { path: 'bot.ts', content: BOT },
        { path: 'test/bot.test.ts', content: BOT_TEST },
        { path: 'test/transcripts/front-desk.txt', content: TRANSCRIPT },
        { path: 'README.md', content: README(name) },
        { path: '.gitignore', content: GITIGNORE },
    ];
}

"use strict";
/**
 * The `--help` texts of the CLI, one per command plus the overview.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.COMMAND_HELP = exports.MAIN_HELP = void 0;
exports.MAIN_HELP = `openlines-bot: Bitrix24 Open Lines chat bots as xstate machines

Usage: openlines-bot <command> [options]

Commands:
  serve <bot...>      Serve bots over HTTP (POST /events, /install, /healthz, /metrics).
                      Without B24_* configuration it runs against a local portal simulator.
  register <bot>      Register (or update) the bot on the portal from B24_WEBHOOK_URL; prints its id.
  unregister <bot>    Remove the bot from the portal.
  lines               List the portal's open lines and the bot attached to each.
  attach <bot>        Attach the registered bot to an open line (--line <id>); detach <bot> removes it.
  chat <bot>          Chat with the bot in this terminal, offline (real runtime, simulated portal).
  play <bot>          The same in a browser page, with the machine's diagram beside the chat.
  diagram <bot>       Print the bot's machine as a Mermaid flowchart.
  init <dir>          Create a ready project in a new folder: a bot, its tests, a README.

A <bot> is a module (.ts or .js) whose default export (or export "bot") is a defineBot(...)
result, or a folder holding bot.ts. TypeScript bots need no build step.

Run "openlines-bot <command> --help" for a command's options.
Examples:
  openlines-bot serve bots/support
  openlines-bot chat bots/support --name Ann
  openlines-bot register bots/support --url https://bot.example.com/events
  openlines-bot diagram bots/support --out support.md
`;
exports.COMMAND_HELP = {
    init: `Usage: openlines-bot init <dir> [--name <package name>]

Creates a ready project in <dir> (a new or empty folder): package.json (openlines-bot, xstate,
zod; jest with ts-jest), tsconfig.json, jest.config.ts, bot.ts (a keyboard, a validated question,
an invoked CRM call, an idle timer and a hand-off), test/bot.test.ts, a transcript and a README.
Then: cd <dir> && npm install && npm test && npm start.

Options:
  --name <name>   Package name. Default: the folder's name.
`,
    serve: `Usage: openlines-bot serve <bot...> [--port <n>] [--host <address>]

Serves the bots: POST /events (Bitrix24 events, v1 and v2), POST /install (app mode),
GET /healthz, GET /metrics. Stops gracefully on SIGTERM/SIGINT.

Configuration comes from the environment (see the README's configuration reference):
  B24_WEBHOOK_URL + B24_BOT_TOKEN (v2) or B24_CLIENT_ID (v1)   one portal, incoming webhook
  B24_APP_CLIENT_ID + B24_APP_CLIENT_SECRET + PUBLIC_URL         many portals, OAuth app
  (none of them)                                                 a local portal simulator
  PORT (3000), HOST, OPENLINES_STORE (sqlite:./.openlines-bot/state.db), B24_EVENT_MODE, LOG_LEVEL

Options:
  --port <n>       Overrides PORT.
  --host <addr>    Overrides HOST.
`,
    lines: `Usage: openlines-bot lines [--json]

Lists the open lines of the portal of B24_WEBHOOK_URL (scope imopenlines): id, name, active, the
attached chatbot (WELCOME_BOT_ID) and its settings: JOIN (first|always), TIME (seconds before the
bot hands over), LEFT (queue|close).

Options:
  --json   Print the lines as JSON.
`,
    attach: `Usage: openlines-bot attach <bot> --line <id> [--join first|always] [--time <s>] [--left queue|close] [--v1]

Makes the registered bot the chatbot of an open line: sets WELCOME_BOT_ENABLE, WELCOME_BOT_ID and
the options given through imopenlines.config.update (admin rights on the webhook's user). Options
not given keep the line's current value. Running it again changes nothing.

Options:
  --line <id>     The open line (see: openlines-bot lines).
  --join <when>   first: only a client's first dialog; always: every dialog (default).
  --time <s>      Seconds without an answer before the bot leaves the dialog (0: never).
  --left <what>   When the bot leaves: queue (operators take over, default) or close.
  --v1            The bot was registered through imbot.register.
`,
    detach: `Usage: openlines-bot detach <bot> --line <id> [--v1]

Removes the bot as the chatbot of an open line (WELCOME_BOT_ENABLE=N, WELCOME_BOT_ID=0). A line
with no bot or another bot is left as it is. Running it again changes nothing.
`,
    register: `Usage: openlines-bot register <bot> [--url <handler url>] [--fetch] [--v1] [--line <id> [--join ..] [--time ..] [--left ..]]

Registers the bot on the portal of B24_WEBHOOK_URL as an Open Lines bot, or updates it when a
bot with its code exists. Prints the bot id. Running it again changes nothing. A bot declared
with apiVersion: 1 registers through imbot.register (needs B24_CLIENT_ID), any other through
imbot.v2.Bot.register (needs B24_BOT_TOKEN).

Options:
  --url <url>   Handler URL for events (webhook mode). Default: PUBLIC_URL + /events.
  --fetch       v2 fetch mode: the server polls imbot.v2.Event.get; no public URL needed.
  --v1          Register through imbot.register even when the bot does not declare apiVersion: 1.
  --line <id>   Also attach the bot to this open line (as "attach"; --join, --time, --left too).
`,
    unregister: `Usage: openlines-bot unregister <bot> [--v1]

Removes the bot with the bot's code from the portal of B24_WEBHOOK_URL.

Options:
  --v1          The bot was registered through imbot.register (default: its declared apiVersion).
`,
    chat: `Usage: openlines-bot chat <bot> [--name <client first name>] [--verbose]

Chats with the bot in this terminal, offline: the real runtime with a memory store and a
simulated portal. You type as the client; the bot's keyboards show as numbered choices (type
the number to press a button); hand-offs show as system lines. Reads standard input line by
line, so it also works with a pipe. A turn that fails (the machine threw, or did not settle
within 10 s) and an invoked REST call that fails are shown as system lines with the reason.

In the chat:
  <text>             send a message
  <n>                press button n of the last keyboard
  /wait <duration>   let time pass (e.g. 30s, 10m, 1h): idle timeouts fire
  /join              start a new session (the bot joins again)
  /fail <method> [CODE]  the portal refuses the next call of method (e.g. imopenlines.bot.session.operator)
  /<command> [params]    send a slash command
  /help              this list
  /quit              leave (end of input does the same)

Options:
  --name <name>    The client's first name, as a messenger would pass it.
  --verbose        Print the runtime's logs to standard error.
`,
    play: `Usage: openlines-bot play <bot> [--port <n>] [--name <client first name>] [--no-open]

Opens a browser playground: you are the client of an open line, the bot runs in the real
runtime against a local portal simulator (as with chat). Keyboards are buttons; controls let
time pass and make the portal refuse the next call; the machine's diagram beside the chat shows
the current state and the path taken. Listens on 127.0.0.1 only.

Options:
  --port <n>     Port (default PORT, else any free port).
  --name <name>  The client's first name.
  --no-open      Print the address without opening a browser.
`,
    diagram: `Usage: openlines-bot diagram <bot> [--out <file.md>] [--lr]

Prints the bot's machine as a Mermaid flowchart: states, transitions with their events and
guards, after-delays, invoked actors, final states.

Options:
  --out <file>   Write a Markdown file with the diagram in a mermaid code fence instead of printing.
  --lr           Left-to-right layout (default top-down).
`,
};

"use strict";
/**
 * The HTML shells of the inspector and playground pages. They hold no dialog data: the page's
 * script (served as a file, as the Content-Security-Policy allows no inline script) fetches it
 * as JSON and renders it as text. The few values put here are escaped.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.CONTENT_SECURITY_POLICY = void 0;
exports.escapeHtml = escapeHtml;
exports.inspectorNav = inspectorNav;
exports.listPage = listPage;
exports.dialogPage = dialogPage;
exports.metricsPage = metricsPage;
exports.playPage = playPage;
exports.loginPage = loginPage;
/** Escapes text for HTML element content and quoted attribute values. */
function escapeHtml(text) {
    return text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
}
/** The Content-Security-Policy of every page: scripts and styles only from this server, no inline code. */
exports.CONTENT_SECURITY_POLICY = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
].join('; ');
function shell(o) {
    const nav = o.nav
        .map((n) => `<a href="${escapeHtml(n.href)}">${escapeHtml(n.text)}</a>`)
        .join('\n    ');
    return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <title>${escapeHtml(o.title)}</title>
  <link rel="stylesheet" href="${escapeHtml(o.assets)}/app.css">
  <script src="${escapeHtml(o.assets)}/app.js" defer></script>
</head>
<body data-page="${o.page}" data-base="${escapeHtml(o.base)}">
  <header class="top">
    <span class="brand">openlines-bot</span>
    ${nav}
  </header>
  <main>
    <div id="error" class="error" hidden></div>
${o.main}
  </main>
</body>
</html>
`;
}
/** The navigation of the inspector's pages. */
function inspectorNav(base, development) {
    return [
        { href: `${base}/`, text: 'Dialogs' },
        { href: `${base}/metrics`, text: 'Metrics' },
        ...(development ? [{ href: `${base}/play`, text: 'Playground' }] : []),
    ];
}
function listPage(base, development) {
    return shell({
        title: 'Dialogs · openlines-bot inspector',
        page: 'list',
        base,
        assets: `${base}/assets`,
        nav: inspectorNav(base, development),
        main: `    <h1>Dialogs</h1>
    <div class="toolbar">
      <input id="filter" type="search" placeholder="filter: portal, bot, chat, state" aria-label="filter">
      <label><input id="only-dead" type="checkbox"> only with dead letters</label>
      <span id="count" class="muted"></span>
      ${development ? `<a class="btn" id="open-playground" href="${escapeHtml(base)}/play">Open the playground</a>` : ''}
    </div>
    <table>
      <thead><tr><th>portal</th><th>bot</th><th>chat</th><th>state</th><th>last activity</th><th>pending timers</th><th>outbox</th><th>dead letters</th></tr></thead>
      <tbody id="dialogs"></tbody>
    </table>`,
    });
}
function dialogPage(base, development) {
    return shell({
        title: 'Dialog · openlines-bot inspector',
        page: 'dialog',
        base,
        assets: `${base}/assets`,
        nav: inspectorNav(base, development),
        main: `    <h1 id="title"></h1>
    <div class="toolbar">
      <span>state: <strong id="state"></strong></span>
      <span id="meta" class="muted"></span>
      <button id="reset" class="btn" type="button" hidden>reset dialog</button>
      <span id="actions-note" class="muted"></span>
    </div>
    <div class="grid">
      <section class="panel">
        <h2>Transcript</h2>
        <div id="transcript" class="transcript"></div>
      </section>
      <section>
        <div class="panel">
          <h2>Machine</h2>
          <div id="path" class="path"></div>
          <div id="diagram" class="diagram"></div>
        </div>
        <div class="panel">
          <h2>Timers</h2>
          <ul id="timers" class="plain"></ul>
          <h2>Outbox</h2>
          <ul id="outbox" class="plain"></ul>
          <h2>Context</h2>
          <div id="context"></div>
        </div>
      </section>
    </div>`,
    });
}
function metricsPage(base, development) {
    const chart = (id, title) => `      <div class="panel">
        <h2>${title}: <span id="value-${id}" class="chart-value"></span></h2>
        <canvas id="chart-${id}" width="520" height="180"></canvas>
      </div>`;
    return shell({
        title: 'Metrics · openlines-bot inspector',
        page: 'metrics',
        base,
        assets: `${base}/assets`,
        nav: inspectorNav(base, development),
        main: `    <h1>Metrics (last 5 minutes, one point per second)</h1>
    <div class="charts">
${chart('events', 'Events per second')}
${chart('latency', 'Turn latency (ms)')}
${chart('outbox', 'Outbox depth')}
${chart('lag', 'Inbox lag (ms)')}
    </div>`,
    });
}
function playPage(o) {
    return shell({
        title: `Playground: ${o.botName}`,
        page: 'play',
        base: o.base,
        assets: o.assets,
        nav: o.nav,
        main: `    <h1>Playground: ${escapeHtml(o.botName)}</h1>
    <p class="muted">You are the client of an open line. The bot runs in the real runtime against a local portal simulator; nothing leaves this machine.</p>
    <div class="grid">
      <section class="panel">
        <div class="controls">
          <button id="join" class="btn btn-primary" type="button">Open a new chat</button>
          <span id="session" class="muted"></span>
        </div>
        <div id="chat" class="chat" aria-live="polite"></div>
        <div id="choices" class="choices"></div>
        <form id="send-form" class="controls">
          <input id="text" class="grow" type="text" placeholder="Type a message" autocomplete="off" aria-label="message">
          <button id="send" class="btn btn-primary" type="submit">Send</button>
        </form>
        <div class="controls">
          <label>Let time pass:
            <select id="wait-minutes">
              <option value="1">1 minute</option>
              <option value="5">5 minutes</option>
              <option value="10" selected>10 minutes</option>
              <option value="60">1 hour</option>
            </select>
          </label>
          <button id="wait" class="btn" type="button">Skip</button>
        </div>
        <div class="controls">
          <label>Portal refuses the next
            <select id="fail-method">
              <option value="imopenlines.bot.session.operator">operator hand-off</option>
              <option value="imopenlines.bot.session.transfer">transfer</option>
              <option value="imopenlines.bot.session.message.send">session message</option>
              <option value="imbot.v2.Chat.Message.send">bot message (v2)</option>
              <option value="imbot.message.add">bot message (v1)</option>
              <option value="imopenlines.bot.session.finish">finish</option>
            </select>
          </label>
          <label>with
            <select id="fail-code">
              <option value="OPERATOR_WRONG">OPERATOR_WRONG</option>
              <option value="CHAT_ID_ERROR">CHAT_ID_ERROR</option>
              <option value="ACCESS_DENIED">ACCESS_DENIED</option>
            </select>
          </label>
          <button id="fail" class="btn" type="button">Arm</button>
        </div>
      </section>
      <section>
        <div class="panel">
          <h2>Machine: <span id="state"></span></h2>
          <div id="path" class="path"></div>
          <div id="diagram" class="diagram"></div>
        </div>
        <div class="panel">
          <h2>Context</h2>
          <div id="context"></div>
        </div>
      </section>
    </div>`,
    });
}
function loginPage(base, error) {
    return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Sign in · openlines-bot inspector</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${escapeHtml(base)}/assets/app.css">
</head>
<body>
  <form class="login" method="post" action="${escapeHtml(base)}/login">
    <h1>openlines-bot inspector</h1>
    ${error ? `<div class="error">${escapeHtml(error)}</div>` : ''}
    <label for="token">Inspector token (OPENLINES_INSPECTOR_TOKEN)</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required>
    <button class="btn btn-primary" type="submit">Sign in</button>
  </form>
</body>
</html>
`;
}

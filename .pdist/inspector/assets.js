"use strict";
/**
 * The inspector's and playground's browser assets, shipped inside the package as strings (no CDN,
 * no build step for them): one script, one stylesheet. The script builds every text node with
 * `textContent`, never `innerHTML`, so client texts always render as text.
 * Keep them free of backticks and template placeholders.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.APP_CSS = exports.APP_JS = void 0;
/** The browser script of every inspector and playground page. */
exports.APP_JS = String.raw `/* openlines-bot inspector and playground. Plain DOM, no dependencies; every text goes through
   textContent (never parsed as HTML), so client texts always render as text. */
(function () {
  'use strict';
  var body = document.body;
  var page = body.getAttribute('data-page');
  var base = body.getAttribute('data-base') || '/inspector';

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = String(v);
        else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === undefined || c === null || c === false) return;
      el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return el;
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
  function $(id) { return document.getElementById(id); }

  function api(path, options) {
    var o = options || {};
    var init = { method: o.method || 'GET', headers: { accept: 'application/json' }, credentials: 'same-origin' };
    if (o.body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.headers['x-inspector-action'] = '1';
      init.body = JSON.stringify(o.body);
    }
    return fetch(base + path, init).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error((data && data.message) || ('HTTP ' + res.status));
        return data;
      });
    });
  }

  function fmtTime(ms) {
    if (typeof ms !== 'number') return '';
    var d = new Date(ms);
    return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }
  function fmtIn(ms, now) {
    var s = Math.round((ms - now) / 1000);
    var sign = s < 0 ? '-' : '';
    s = Math.abs(s);
    if (s >= 3600) return sign + Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    if (s >= 60) return sign + Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    return sign + s + ' s';
  }
  function stateText(value) {
    if (value === null || value === undefined) return '(ended)';
    if (typeof value === 'string') return value;
    return activePaths(value).filter(function (p) { return !isParentOf(p, activePaths(value)); }).join(', ');
  }
  function activePaths(value, prefix) {
    prefix = prefix || '';
    if (typeof value === 'string') return [prefix ? prefix + '.' + value : value];
    if (!value || typeof value !== 'object') return [];
    var out = [];
    Object.keys(value).forEach(function (k) {
      var p = prefix ? prefix + '.' + k : k;
      out.push(p);
      out = out.concat(activePaths(value[k], p));
    });
    return out;
  }
  function isParentOf(p, all) {
    return all.some(function (q) { return q !== p && q.indexOf(p + '.') === 0; });
  }
  function showError(err) {
    var box = $('error');
    if (!box) return;
    box.textContent = err ? String(err.message || err) : '';
    box.hidden = !err;
  }

  /* ---- the statechart diagram: nested state boxes with their transitions ---- */
  function renderDiagram(container, outline, value, visited) {
    clear(container);
    if (!outline) return;
    var active = activePaths(value);
    var seen = visited || [];
    function box(node, depth) {
      var cls = 'state state-' + node.type;
      var isActive = node.path !== '' && active.indexOf(node.path) >= 0;
      if (isActive) cls += ' active';
      if (node.path !== '' && seen.indexOf(node.path) >= 0) cls += ' visited';
      var title = h('div', { class: 'state-title' }, [
        node.path === '' ? node.key : node.key,
        node.type === 'final' ? h('span', { class: 'badge', text: 'final' }) : null,
        node.invokes.length ? h('span', { class: 'badge', text: 'invokes ' + node.invokes.join(', ') }) : null,
        isActive ? h('span', { class: 'badge badge-active', text: 'current' }) : null
      ]);
      var list = h('ul', { class: 'transitions' }, node.transitions.map(function (t) {
        return h('li', null, [
          h('span', { class: 'event', text: t.label }),
          t.guard ? h('span', { class: 'guard', text: ' [' + t.guard + ']' }) : null,
          ' \u2192 ',
          h('span', { class: 'target', text: t.targets.length ? t.targets.join(', ') : '(stays)' })
        ]);
      }));
      var kids = h('div', { class: 'children' }, node.children.map(function (c) { return box(c, depth + 1); }));
      return h('div', { class: cls, 'data-path': node.path, 'data-state': node.key }, [
        title, node.transitions.length ? list : null, node.children.length ? kids : null
      ]);
    }
    container.appendChild(box(outline, 0));
  }

  function renderPath(container, path) {
    clear(container);
    if (!path || !path.length) return;
    container.appendChild(h('span', { class: 'muted', text: 'path: ' }));
    path.forEach(function (s, i) {
      if (i) container.appendChild(document.createTextNode(' \u2192 '));
      container.appendChild(h('span', { class: 'path-step', text: s }));
    });
  }

  function pre(value) {
    return h('pre', { class: 'json', text: JSON.stringify(value, null, 2) });
  }

  /* ---- dialog list ---- */
  function listPage() {
    var filter = $('filter');
    var onlyDead = $('only-dead');
    var last = null;
    function render() {
      if (!last) return;
      var q = (filter.value || '').toLowerCase();
      var rows = last.dialogs.filter(function (d) {
        if (onlyDead.checked && !d.deadLetters) return false;
        if (!q) return true;
        return [d.key, d.portal, d.bot, String(d.chat), stateText(d.state)].join(' ').toLowerCase().indexOf(q) >= 0;
      });
      $('count').textContent = rows.length + ' of ' + last.dialogs.length + ' dialogs';
      var tbody = $('dialogs');
      clear(tbody);
      rows.forEach(function (d) {
        var href = base + '/dialog?key=' + encodeURIComponent(d.key);
        tbody.appendChild(h('tr', { 'data-key': d.key }, [
          h('td', null, [h('a', { href: href, text: d.portal })]),
          h('td', { text: d.bot }),
          h('td', { text: d.chat }),
          h('td', { class: 'state-cell', text: stateText(d.state) }),
          h('td', { text: fmtTime(d.updatedAt) }),
          h('td', { text: d.timersPending ? d.timersPending + ' (next in ' + fmtIn(d.nextTimer, last.now) + ')' : '0' }),
          h('td', { text: d.outboxDepth }),
          h('td', { class: d.deadLetters ? 'dead' : '', text: d.deadLetters })
        ]));
      });
    }
    function load() {
      api('/api/dialogs').then(function (data) { last = data; showError(null); render(); }, showError);
    }
    filter.addEventListener('input', render);
    onlyDead.addEventListener('change', render);
    load();
    setInterval(load, 2000);
  }

  /* ---- one dialog ---- */
  function describeInbound(d) {
    if (!d) return '';
    if (d.source === 'timer') return 'timer fired: ' + (d.event || d.timerKey);
    if (d.source === 'effect.failed') return 'portal refused ' + d.method + ': ' + d.code;
    if (d.source !== 'event') return 'unknown item';
    var e = d.event || {};
    if (e.kind === 'message') return null;
    if (e.kind === 'command') return 'pressed /' + e.command + (e.params ? ' ' + e.params : '');
    if (e.kind === 'join') return 'client opened the chat (bot joined)';
    return e.kind;
  }

  function outcomeBadge(o) {
    var text = o.outcome + (o.code ? ' ' + o.code : '') + (o.description ? ': ' + o.description : '');
    return h('span', { class: 'outcome outcome-' + o.outcome, text: text });
  }

  function renderTranscript(container, data) {
    clear(container);
    var outcomes = {};
    data.history.forEach(function (e) {
      if (e.kind === 'effect' && e.data && typeof e.data.turn === 'number') {
        var k = e.data.turn + ':' + e.data.index;
        (outcomes[k] = outcomes[k] || []).push(e.data);
      }
    });
    var dead = {};
    data.effects.forEach(function (ef) {
      if (ef.meta && typeof ef.meta.turn === 'number') dead[ef.meta.turn + ':' + ef.meta.index] = ef;
    });
    data.history.forEach(function (e) {
      if (e.kind === 'inbound') {
        var d = e.data || {};
        var text = d.source === 'event' && d.event && d.event.kind === 'message' ? d.event.text : null;
        if (text !== null && text !== undefined) {
          container.appendChild(h('div', { class: 'msg msg-client' }, [
            h('div', { class: 'msg-text', text: text }),
            h('div', { class: 'msg-meta', text: fmtTime(e.at) })
          ]));
        } else {
          container.appendChild(h('div', { class: 'msg msg-system', text: describeInbound(d) + ' \u00b7 ' + fmtTime(e.at) }));
        }
      } else if (e.kind === 'turn') {
        var t = e.data;
        (t.effects || []).forEach(function (ef) {
          var shown = ef.shown;
          var text = shown ? shown.text : ef.effect.type;
          var key = t.revision + ':' + ef.index;
          var outs = outcomes[key] || [];
          var pending = dead[key];
          container.appendChild(h('div', { class: 'msg msg-bot' + (shown && shown.kind === 'system' ? ' msg-bot-system' : '') }, [
            h('div', { class: 'msg-text', text: text }),
            shown && shown.choices && shown.choices.length ? h('div', { class: 'choices' }, shown.choices.map(function (c) {
              return h('span', { class: 'choice', text: c.text });
            })) : null,
            ef.call ? h('details', { class: 'call' }, [
              h('summary', null, [h('code', { class: 'method', text: ef.call.method })].concat(
                outs.map(outcomeBadge),
                pending && pending.status !== 'dead' ? [h('span', { class: 'outcome outcome-pending', text: pending.status })] : []
              )),
              pre(ef.call.params)
            ]) : null
          ]));
        });
        container.appendChild(h('div', { class: 'msg msg-state', text: (t.status === 'error' ? 'turn failed (' + (t.error || '') + '), ' : '') + 'state \u2192 ' + stateText(t.state) }));
      } else if (e.kind === 'operator') {
        container.appendChild(h('div', { class: 'msg msg-system', text: 'operator: ' + e.data.action + ' \u00b7 ' + fmtTime(e.at) }));
      }
    });
    if (!data.history.length) container.appendChild(h('p', { class: 'muted', text: data.historyEnabled ? 'No history yet.' : 'History is switched off.' }));
  }

  function action(path, payload, done) {
    return api('/api/actions/' + path, { method: 'POST', body: payload }).then(function (r) {
      showError(null);
      if (done) done(r);
    }, showError);
  }

  function dialogPage() {
    var key = new URLSearchParams(location.search).get('key') || '';
    var data = null;
    function render() {
      var d = data;
      $('title').textContent = d.key;
      $('state').textContent = stateText(d.state);
      $('meta').textContent = 'bot ' + d.bot + ' \u00b7 portal ' + d.portal + ' \u00b7 chat ' + d.chat + ' \u00b7 conversation ' + d.conversation + ' \u00b7 revision ' + d.revision + ' \u00b7 updated ' + fmtTime(d.updatedAt);
      renderTranscript($('transcript'), d);
      renderDiagram($('diagram'), d.outline, d.state, d.visited);
      renderPath($('path'), d.path);
      var ctx = $('context');
      clear(ctx);
      ctx.appendChild(pre(d.context));
      var timers = $('timers');
      clear(timers);
      if (!d.timers.length) timers.appendChild(h('li', { class: 'muted', text: 'no pending timers' }));
      d.timers.forEach(function (t) {
        timers.appendChild(h('li', { class: 'timer', 'data-timer': t.timerKey }, [
          h('span', { class: 'timer-event', text: t.event || t.timerKey }),
          ' due ',
          h('span', { class: 'deadline', text: fmtTime(t.deadline) }),
          ' (in ' + fmtIn(t.deadline, d.now) + ')',
          t.fired ? h('span', { class: 'badge', text: 'fired' }) : null,
          d.development && d.actions && !t.fired ? h('button', { class: 'btn', type: 'button', text: 'fire now', onclick: function () { action('fire-timer', { key: key, timerKey: t.timerKey }, load); } }) : null
        ]));
      });
      var outbox = $('outbox');
      clear(outbox);
      if (!d.effects.length) outbox.appendChild(h('li', { class: 'muted', text: 'outbox empty' }));
      d.effects.forEach(function (ef) {
        outbox.appendChild(h('li', { class: 'effect effect-' + ef.status, 'data-seq': ef.seq }, [
          h('code', { text: ef.method }), ' ',
          h('span', { class: 'outcome outcome-' + (ef.status === 'dead' ? 'dead' : 'pending'), text: ef.status + (ef.error ? ' ' + ef.error : '') }),
          ' attempts ' + ef.attempts + ' ',
          ef.status === 'dead' && d.actions ? h('button', { class: 'btn', type: 'button', text: 'retry', 'data-action': 'retry', onclick: function () { action('retry', { key: key, seq: ef.seq }, load); } }) : null
        ]));
      });
      $('reset').hidden = !d.actions;
      $('actions-note').textContent = d.actions ? '' : 'read-only: operator actions are not enabled';
    }
    function load() {
      api('/api/dialog?key=' + encodeURIComponent(key)).then(function (r) { data = r; showError(null); render(); }, showError);
    }
    $('reset').addEventListener('click', function () {
      if (confirm('Reset this dialog? Its conversation ends; the next event starts afresh.')) action('reset', { key: key }, load);
    });
    load();
    setInterval(load, 1500);
  }

  /* ---- metrics: line charts on canvas ---- */
  function drawChart(canvas, points, color, unit) {
    var ctx = canvas.getContext('2d');
    var w = canvas.width, hgt = canvas.height, pad = 30;
    ctx.clearRect(0, 0, w, hgt);
    ctx.strokeStyle = '#ccd';
    ctx.strokeRect(pad, 5, w - pad - 5, hgt - pad);
    var max = 0;
    points.forEach(function (p) { if (p > max) max = p; });
    if (max === 0) max = 1;
    ctx.fillStyle = '#667';
    ctx.font = '11px sans-serif';
    ctx.fillText(String(Math.round(max * 100) / 100), 2, 14);
    ctx.fillText('0', 2, hgt - pad + 4);
    ctx.fillText(unit, pad + 4, hgt - 8);
    if (points.length < 2) return;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    points.forEach(function (p, i) {
      var x = pad + (i / (points.length - 1)) * (w - pad - 5);
      var y = 5 + (1 - p / max) * (hgt - pad - 5);
      if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    });
    ctx.stroke();
  }
  function metricsPage() {
    var charts = [
      ['events', 'eventsPerSecond', '#2a6', 'events/s'],
      ['latency', 'turnLatencyMs', '#26a', 'turn latency, ms'],
      ['outbox', 'outboxDepth', '#a62', 'outbox depth'],
      ['lag', 'inboxLagMs', '#a26', 'inbox lag, ms']
    ];
    function load() {
      api('/api/metrics').then(function (data) {
        showError(null);
        charts.forEach(function (c) {
          var pts = data.samples.map(function (s) { return s[c[1]]; });
          drawChart($('chart-' + c[0]), pts, c[2], c[3]);
          var lastVal = pts.length ? pts[pts.length - 1] : 0;
          $('value-' + c[0]).textContent = String(Math.round(lastVal * 100) / 100);
        });
      }, showError);
    }
    load();
    setInterval(load, 1000);
  }

  /* ---- playground ---- */
  function playPage() {
    var busy = false;
    function render(d) {
      var chat = $('chat');
      clear(chat);
      d.transcript.forEach(function (m) {
        if (m.kind === 'client') chat.appendChild(h('div', { class: 'msg msg-client' }, [h('div', { class: 'msg-text', text: m.text })]));
        else if (m.kind === 'bot') chat.appendChild(h('div', { class: 'msg msg-bot' }, [h('div', { class: 'msg-text', text: m.text })]));
        else chat.appendChild(h('div', { class: 'msg msg-system', text: m.text }));
      });
      chat.scrollTop = chat.scrollHeight;
      var choices = $('choices');
      clear(choices);
      d.choices.forEach(function (c) {
        if (c.command === undefined) return;
        choices.appendChild(h('button', { class: 'btn choice-btn', type: 'button', text: c.text, onclick: function () {
          run('command', { command: c.command, params: c.params || '' });
        } }));
      });
      $('session').textContent = 'session: ' + d.session + ' \u00b7 clock: ' + fmtTime(d.now);
      $('state').textContent = stateText(d.state);
      renderDiagram($('diagram'), d.outline, d.state, d.visited);
      renderPath($('path'), d.path);
      var ctx = $('context');
      clear(ctx);
      ctx.appendChild(pre(d.context));
      body.setAttribute('data-state', stateText(d.state));
    }
    function run(path, payload) {
      if (busy) return;
      busy = true;
      body.setAttribute('data-busy', '1');
      api('/api/' + path, { method: 'POST', body: payload || {} }).then(function (d) {
        showError(null);
        render(d);
      }, showError).then(function () {
        busy = false;
        body.removeAttribute('data-busy');
      });
    }
    $('join').addEventListener('click', function () { run('join'); });
    $('send-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var input = $('text');
      var text = input.value;
      if (!text) return;
      input.value = '';
      run('send', { text: text });
    });
    $('wait').addEventListener('click', function () { run('wait', { minutes: Number($('wait-minutes').value) }); });
    $('fail').addEventListener('click', function () { run('fail-next', { method: $('fail-method').value, code: $('fail-code').value }); });
    api('/api/state').then(render, showError);
  }

  if (page === 'list') listPage();
  else if (page === 'dialog') dialogPage();
  else if (page === 'metrics') metricsPage();
  else if (page === 'play') playPage();
})();
`;
/** The stylesheet of every inspector and playground page. */
exports.APP_CSS = String.raw `* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; background: #f4f6fa; }
header.top { display: flex; gap: 16px; align-items: center; padding: 8px 16px; background: #1d2a44; color: #fff; }
header.top a { color: #cfe0ff; text-decoration: none; }
header.top .brand { font-weight: 600; color: #fff; }
main { padding: 16px; }
h1 { font-size: 18px; margin: 0 0 8px; word-break: break-all; }
h2 { font-size: 15px; margin: 16px 0 6px; }
.muted { color: #778; }
.error { background: #fde8e8; color: #8a1c1c; padding: 6px 10px; border-radius: 4px; margin-bottom: 8px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e3e7ef; }
th { background: #eef1f7; font-weight: 600; }
td.dead { color: #b01c1c; font-weight: 600; }
.toolbar { display: flex; gap: 12px; align-items: center; margin-bottom: 8px; }
input[type=search], input[type=text], select { padding: 5px 8px; border: 1px solid #c6ccd8; border-radius: 4px; font: inherit; }
.btn { padding: 4px 10px; border: 1px solid #3a5fb0; background: #fff; color: #27458a; border-radius: 4px; cursor: pointer; font: inherit; margin-left: 6px; }
.btn:hover { background: #e9f0ff; }
.btn-primary { background: #3a5fb0; color: #fff; }
.grid { display: grid; grid-template-columns: minmax(320px, 1fr) minmax(360px, 1.2fr); gap: 16px; align-items: start; }
.panel { background: #fff; border: 1px solid #dde2ec; border-radius: 6px; padding: 10px 12px; }
.transcript, .chat { display: flex; flex-direction: column; gap: 6px; }
.chat { height: 420px; overflow-y: auto; padding: 6px; background: #f9fafc; border: 1px solid #e3e7ef; border-radius: 4px; }
.msg { max-width: 85%; padding: 6px 10px; border-radius: 10px; white-space: pre-wrap; word-break: break-word; }
.msg-client { align-self: flex-end; background: #dcf2d6; }
.msg-bot { align-self: flex-start; background: #e6ecfa; }
.msg-bot-system, .msg-system { align-self: center; background: transparent; color: #667; font-style: italic; font-size: 12px; }
.msg-state { align-self: center; color: #3a5fb0; font-size: 12px; }
.msg-meta { font-size: 11px; color: #778; }
.choices { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
.choice { border: 1px solid #3a5fb0; border-radius: 10px; padding: 1px 8px; font-size: 12px; }
details.call { margin-top: 4px; font-size: 12px; }
details.call summary { cursor: pointer; }
code.method { background: #f0f2f7; padding: 0 4px; border-radius: 3px; }
.outcome { margin-left: 6px; padding: 0 6px; border-radius: 8px; font-size: 11px; }
.outcome-sent { background: #d8f3dc; color: #1b5e20; }
.outcome-retried, .outcome-pending, .outcome-requeued { background: #fff4cc; color: #7a5a00; }
.outcome-failed, .outcome-dead { background: #fde0e0; color: #9b1c1c; }
pre.json { background: #f6f8fb; padding: 8px; border-radius: 4px; overflow: auto; max-height: 260px; font-size: 12px; margin: 0; }
ul.plain { list-style: none; padding: 0; margin: 0; }
ul.plain li { padding: 3px 0; border-bottom: 1px dashed #e3e7ef; }
.diagram { font-size: 12px; }
.state { border: 1.5px solid #9aa6c0; border-radius: 8px; padding: 4px 8px; margin: 4px 0; background: #fff; }
.state-compound, .state-parallel { background: #f7f9fd; }
.state-parallel > .children { display: flex; gap: 6px; }
.state-final { border-style: double; border-width: 4px; }
.state.visited { border-color: #6b8fd6; background: #eef3ff; }
.state.active { border-color: #d9480f; border-width: 3px; background: #fff1e6; box-shadow: 0 0 0 2px #ffd8bf; }
.state-title { font-weight: 600; }
.badge { margin-left: 6px; font-size: 10px; font-weight: 500; padding: 0 5px; border-radius: 6px; background: #e3e7ef; color: #445; }
.badge-active { background: #d9480f; color: #fff; }
ul.transitions { margin: 2px 0 2px 0; padding-left: 16px; color: #445; }
.event { color: #27458a; }
.guard { color: #8a5a00; }
.path-step { background: #eef3ff; border-radius: 6px; padding: 0 5px; }
.path { margin: 6px 0; font-size: 12px; }
.controls { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 8px 0; }
.charts { display: grid; grid-template-columns: repeat(2, minmax(300px, 1fr)); gap: 16px; }
.chart-value { font-size: 20px; font-weight: 600; }
form.login { max-width: 360px; margin: 60px auto; background: #fff; padding: 20px; border-radius: 8px; border: 1px solid #dde2ec; display: flex; flex-direction: column; gap: 10px; }
.grow { flex: 1; }
`;

// The chair's console: draws the view the console process sends (docs/console.md) and sends back the command
// the chair confirmed. No rule lives here: which commands are offered, whether one is blocked, what its dialog
// says and every word come from hallvote/hall/chair_console.h; the process checks the command again.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  let socket = null;
  let pending = null;  // the command whose dialog is open

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === 'class') node.className = value;
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === '') continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function commandButtons(commands) {
    const parts = [];
    for (const c of commands) {
      const button = el('button', {type: 'button', class: c.blocked ? 'secondary' : 'primary',
        'data-command': c.command, 'data-vote': c.vote}, c.label);
      if (c.blocked) {
        button.disabled = true;
        parts.push(button, el('p', {class: 'blocked'}, c.blocked));
      } else {
        button.addEventListener('click', () => ask(c));
        parts.push(button);
      }
    }
    return parts;
  }

  function ask(command) {
    pending = command;
    $('confirm-title').textContent = command.label;
    $('confirm-text').textContent = command.confirm;
    $('reason-row').hidden = !command.needs_reason;
    $('reason').value = '';
    $('reason').required = Boolean(command.needs_reason);
    $('confirm').showModal();
  }

  function result(focus) {
    const r = focus.result;
    const heading = el('h2', {}, `${focus.title} 计票结果`);
    if (!r) return [heading, el('p', {class: 'summary'}, '解密之前没有任何计票数字。')];
    heading.append(el('span', {class: `badge ${r.certified ? 'certified' : 'pending'}`}, r.badge));
    const accounting = el('p', {class: 'accounting'});
    for (const a of r.accounting) accounting.append(el('span', {}, `${a.label} ${a.value}`));
    const head = el('tr', {}, el('th', {scope: 'col'}, '项目'));
    for (const c of r.rows[0] ? r.rows[0].counts : []) head.append(el('th', {scope: 'col'}, c.label));
    if (r.kind === 'choose') head.append(el('th', {scope: 'col'}, '名次'));
    head.append(el('th', {scope: 'col'}, '结果'));
    const body = el('tbody');
    for (const row of r.rows) {
      const tr = el('tr', {}, el('th', {scope: 'row'}, row.title));
      for (const c of row.counts) tr.append(el('td', {}, c.value));
      if (r.kind === 'choose') tr.append(el('td', {}, row.rank));
      tr.append(el('td', {}, el('span', {class: `verdict tone-${row.verdict_tone}`}, row.verdict)));
      body.append(tr);
    }
    return [heading, accounting, el('table', {class: 'result'}, el('thead', {}, head), body),
      el('p', {class: 'summary'}, r.summary),
      ...(r.decisions || []).map((d) => el('p', {class: 'summary decision'}, d))];
  }

  function render(v) {
    document.body.dataset.state = v.connected ? 'connected' : 'connecting';
    $('session').textContent = v.session || '';
    $('session-state').textContent = v.session_state || '';
    $('connection').hidden = v.connected !== false;
    $('connection').textContent = v.connection_text || '';
    $('writing').hidden = !v.writing_text;
    $('writing').textContent = v.writing_text || '';
    const notice = $('notice');
    notice.hidden = !v.notice;
    if (v.notice) {
      notice.className = `notice ${v.notice.busy ? 'busy' : v.notice.ok ? 'ok' : 'bad'}`;
      notice.textContent = v.notice.text;
    }
    const a = v.attendance;
    $('in-office').textContent = a.in_office;
    $('present').textContent = a.present;
    $('absent-count').textContent = a.absent;
    $('quorum').className = `quorum ${a.quorum_met ? 'met' : 'not-met'}`;
    $('quorum-text').textContent = a.quorum_text;
    $('session-commands').replaceChildren(...commandButtons(v.session_commands));
    $('absent').replaceChildren(...a.absent_names.map((d) => el('li', {}, `${d.name}（${d.seat}）`)));
    $('votes').replaceChildren(...v.votes.map((row) => el('tr', {'data-vote': row.vote_id},
      el('td', {}, row.title, el('span', {class: 'kind'}, row.kind)),
      el('td', {}, row.round_label),
      el('td', {}, el('span', {class: `state ${row.state}`}, row.state_text),
        row.timer ? el('span', {class: 'timer'}, row.timer) : null),
      el('td', {}, row.detail),
      el('td', {}, el('div', {class: 'actions'}, ...commandButtons(row.commands))))));
    $('focus').replaceChildren(...(v.focus ? result(v.focus) : []));
  }

  $('confirm-cancel').addEventListener('click', () => {
    pending = null;
    $('confirm').close();
  });
  $('confirm-form').addEventListener('submit', () => {
    if (pending && socket && socket.readyState === WebSocket.OPEN) {
      const intent = {intent: 'run', command: pending.command, vote: pending.vote};
      if (pending.needs_reason) intent.reason = $('reason').value;
      socket.send(JSON.stringify(intent));
    }
    pending = null;
  });

  function connect() {
    socket = new WebSocket(`ws://${location.host}/ws`);
    socket.addEventListener('message', (event) => render(JSON.parse(event.data)));
    socket.addEventListener('close', () => {
      $('connection').hidden = false;
      $('connection').textContent = '正在重新连接控制台进程…';
      setTimeout(connect, 1000);
    });
  }
  connect();
})();

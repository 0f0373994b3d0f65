// The seat page: a thin view over the seat terminal daemon (docs/seat.md). It renders the view the daemon
// sends over the WebSocket and sends back the deputy's touches as intents. No rule lives here: whether a
// touch is allowed, what comes next and every word shown are the daemon's (voter-terminal/src/seat_model.cc).
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  let socket = null;
  let view = null;

  function send(intent) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(intent));
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === 'class') node.className = value;
      else if (key === 'onclick') node.addEventListener('click', value);
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === '') continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function button(label, intent, cls, extra) {
    return el('button', Object.assign({type: 'button', class: cls || 'action', onclick: () => send(intent)}, extra || {}),
      label);
  }

  function pinPad(v) {
    const dots = el('div', {class: 'pin-dots', role: 'img', 'aria-label': `已输入 ${v.pin.entered} 位，共 ${v.pin.length} 位`});
    for (let i = 0; i < v.pin.length; ++i) dots.append(el('span', {class: i < v.pin.entered ? 'dot filled' : 'dot'}));
    const pad = el('div', {class: 'pin-pad'});
    for (const d of ['1', '2', '3', '4', '5', '6', '7', '8', '9']) {
      pad.append(button(d, {intent: 'pin_digit', digit: d}, 'key', {'aria-label': `数字 ${d}`}));
    }
    pad.append(button('清除', {intent: 'pin_clear'}, 'key key-word'));
    pad.append(button('0', {intent: 'pin_digit', digit: '0'}, 'key', {'aria-label': '数字 0'}));
    pad.append(button('退格', {intent: 'pin_delete'}, 'key key-word'));
    const card = v.card ? el('div', {class: 'card-holder'}, el('p', {class: 'big'}, v.card.name),
      el('p', {}, [v.card.delegation, `座位 ${v.card.seat}`].filter(Boolean).join('　'))) : null;
    return [el('div', {class: 'pin-layout'},
      el('div', {}, card, dots, el('p', {class: 'hint'}, '密码由代表证核对，连续输错3次代表证将锁定。')), pad)];
  }

  function optionButton(option, contest, selection, held) {
    const mark = option.selected ? '✓ ' : '';
    return el('button', {
      type: 'button',
      class: `option tone-${option.tone}${option.selected ? ' selected' : ''}`,
      'aria-pressed': option.selected ? 'true' : 'false',
      disabled: held ? 'disabled' : false,
      onclick: () => send({intent: 'toggle', contest, selection}),
    }, el('span', {}, el('span', {class: 'mark', 'aria-hidden': 'true'}, mark), option.label),
    option.code ? el('small', {class: 'code'}, option.code) : null);
  }

  function ballot(v) {
    const b = v.ballot;
    const parts = [];
    if (b.round_label) parts.push(el('p', {class: 'round'}, b.round_label));
    parts.push(el('p', {class: 'rule'}, b.instructions));
    parts.push(el('p', {class: b.full ? 'counter full' : 'counter', role: 'status'}, b.counter));
    if (b.held) parts.push(el('p', {class: 'held'}, '表决已暂停，请稍候。您的选择已保存。'));
    const list = el('div', {class: b.kind === 'choose' ? 'choices' : 'contests'});
    b.contests.forEach((contest, c) => {
      if (b.kind === 'choose') {
        contest.options.forEach((option, s) => list.append(optionButton(option, c, s, b.held)));
      } else {
        const row = el('div', {class: 'options', role: 'group', 'aria-label': contest.title});
        contest.options.forEach((option, s) => row.append(optionButton(option, c, s, b.held)));
        list.append(el('section', {class: 'contest'},
          el('h2', {}, `${c + 1}. ${contest.title}`, el('small', {class: 'code'}, contest.code)), row));
      }
    });
    parts.push(list);
    parts.push(el('div', {class: 'footer'}, button('下一步：核对选择', {intent: 'review'}, 'action primary')));
    return parts;
  }

  function choiceRows(list) {
    const rows = el('ol', {class: 'review'});
    for (const row of list) {
      rows.append(el('li', {class: row.blank ? 'blank' : ''}, el('span', {class: 'item'}, row.title),
        el('span', {class: `choice tone-${row.tone}`}, row.choice)));
    }
    return rows;
  }

  function fingerprint(label, code, text) {
    return el('div', {class: 'fingerprint'},
      el('p', {class: 'head'}, el('span', {class: 'label'}, label), code ? el('span', {class: 'code-mid', id: 'fingerprint'}, code) : null),
      text ? el('p', {class: 'hint'}, text) : null);
  }

  function review(v) {
    const r = v.review;
    const parts = [el('p', {class: 'rule'}, r.vote_title)];
    if (r.held) parts.push(el('p', {class: 'held'}, '表决已暂停，暂不能投出。'));
    parts.push(choiceRows(r.rows), el('p', {class: 'summary'}, r.summary),
      fingerprint(r.fingerprint_label, r.fingerprint, r.fingerprint_text));
    const off = r.held || !r.ready ? 'disabled' : false;
    parts.push(el('div', {class: 'footer'},
      button(r.challenge_label, {intent: 'challenge'}, 'action secondary', {disabled: off}),
      button('返回修改', {intent: 'back'}, 'action'),
      button('确认投票', {intent: 'confirm'}, 'action primary', {disabled: off})));
    return parts;
  }

  function challengeWarning(v) {
    const c = v.challenge;
    const points = el('ul', {class: 'points'});
    for (const point of c.points) points.append(el('li', {}, point));
    return [points, fingerprint(c.fingerprint_label, c.fingerprint, ''),
      el('div', {class: 'footer'}, button(c.back_label, {intent: 'back'}, 'action'),
        button(c.confirm_label, {intent: 'challenge_confirm'}, 'action primary'))];
  }

  function challengeResult(v) {
    const c = v.challenge || {rows: []};
    return [el('p', {class: 'recorded'}, c.verified || ''), choiceRows(c.rows),
      fingerprint(c.fingerprint_label, c.fingerprint, c.text || ''),
      el('div', {class: 'footer'}, button(c.done_label, {intent: 'done'}, 'action primary'))];
  }

  function waiting(v) {
    const w = v.waiting;
    const agenda = el('ol', {class: 'agenda'});
    for (const item of w.agenda) agenda.append(el('li', {}, el('span', {class: 'item'}, item.title),
      el('span', {class: 'state'}, item.state)));
    return [el('p', {class: 'big'}, w.heading), el('p', {}, `实到 ${w.present} 人，应到 ${w.in_office} 人`),
      el('h2', {}, '会议议程'), agenda];
  }

  function receipt(v) {
    const r = v.receipt || {};
    return [el('p', {class: 'rule'}, r.vote_title || ''), el('p', {class: 'recorded'}, '✓ ', r.recorded || ''),
      el('p', {}, '确认码'), el('p', {class: 'code-big'}, r.code || ''), el('p', {}, r.text || ''),
      el('div', {class: 'footer'}, button('完成', {intent: 'done'}, 'action primary'))];
  }

  function render(v) {
    view = v;
    document.body.classList.toggle('large', Boolean(v.large_text));
    document.body.dataset.page = v.page;
    $('large-text').setAttribute('aria-pressed', v.large_text ? 'true' : 'false');
    $('session').textContent = v.session || '';
    $('who').textContent = v.deputy ? `${v.deputy.name}　座位 ${v.deputy.seat}` : '';
    const connection = $('connection');
    connection.hidden = v.connected !== false;
    connection.textContent = v.connection_text || '';
    $('notice').textContent = v.notice || '';
    $('notice').hidden = !v.notice;
    const page = $('page');
    page.replaceChildren(el('h1', {id: 'heading'}, v.heading || ''));
    let parts = [];
    switch (v.page) {
      case 'insert_card': parts = [el('p', {class: 'big'}, '将代表证插入读卡器，座席即可使用。')]; break;
      case 'pin': parts = pinPad(v); break;
      case 'waiting': parts = waiting(v); break;
      case 'ballot': parts = ballot(v); break;
      case 'review': parts = review(v); break;
      case 'challenge_warning': parts = challengeWarning(v); break;
      case 'challenge_result': parts = challengeResult(v); break;
      case 'receipt': parts = receipt(v); break;
      case 'missed': case 'failed':
        parts = [el('p', {class: 'big'}, v.text || ''), el('div', {class: 'footer'}, button('知道了', {intent: 'done'}, 'action primary'))];
        break;
      default: parts = [el('p', {class: 'big'}, v.text || '')];
    }
    page.append(...parts);
  }

  function connect() {
    socket = new WebSocket(`ws://${location.host}/ws`);
    socket.addEventListener('message', (event) => render(JSON.parse(event.data)));
    socket.addEventListener('close', () => {
      const connection = $('connection');
      connection.hidden = false;
      connection.textContent = '正在重新连接座席终端…';
      setTimeout(connect, 1000);
    });
  }

  $('large-text').addEventListener('click', () => send({intent: 'large_text', on: !(view && view.large_text)}));
  connect();
})();

// The hall's big screen: draws the view the display process sends (docs/big-screen.md). No rule lives here:
// which vote is shown, what may be shown and every word come from hallvote/hall/big_screen.h.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';

  function el(tag, cls, ...children) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    for (const child of children) {
      if (child === null || child === undefined || child === '') continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // One horizontal bar per count, its length the share of the valid ballots; the number is printed beside it.
  function bar(count, scale) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 100 10');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('class', 'bar');
    svg.setAttribute('aria-hidden', 'true');
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('width', String(scale > 0 ? Math.min(100, (100 * count.value) / scale) : 0));
    rect.setAttribute('height', '10');
    rect.setAttribute('class', `tone-${count.tone}`);
    svg.append(rect);
    return svg;
  }

  function result(r) {
    const table = el('table', 'result');
    const head = el('tr', '', el('th', '', '项目'));
    for (const c of r.rows[0] ? r.rows[0].counts : []) head.append(el('th', 'count-head', c.label));
    if (r.kind === 'choose') head.append(el('th', '', '名次'));
    head.append(el('th', '', '结果'));
    table.append(el('thead', '', head));
    const body = el('tbody');
    for (const row of r.rows) {
      const tr = el('tr', '', el('th', 'item', row.title));
      for (const c of row.counts) {
        const cell = el('td', 'count', el('span', `number tone-text-${c.tone}`, c.value));
        if (c.tone !== 'blank') cell.prepend(bar(c, r.scale));
        tr.append(cell);
      }
      if (r.kind === 'choose') tr.append(el('td', 'rank', row.rank));
      tr.append(el('td', '', el('span', `verdict tone-${row.verdict_tone}`, row.verdict)));
      body.append(tr);
    }
    table.append(body);
    const accounting = el('p', 'accounting');
    for (const a of r.accounting) accounting.append(el('span', '', `${a.label} ${a.value}`));
    return [el('p', `badge ${r.certified ? 'certified' : 'pending'}`, r.badge), accounting, table,
      el('p', 'summary', r.summary), ...(r.decisions || []).map((d) => el('p', 'summary decision', d))];
  }

  function render(v) {
    $('session').textContent = v.session || '';
    $('session-state').textContent = v.session_state || '';
    $('connection').hidden = v.connected !== false;
    $('connection').textContent = v.connection_text || '';
    const a = v.attendance;
    $('in-office').textContent = a.in_office;
    $('present').textContent = a.present;
    $('absent').textContent = a.absent;
    $('quorum').className = `quorum ${a.quorum_met ? 'met' : 'not-met'}`;
    $('quorum-text').textContent = a.quorum_text;
    const main = $('vote');
    document.body.dataset.state = v.vote ? v.vote.state : 'none';
    if (!v.vote) {
      main.replaceChildren();
      return;
    }
    const parts = [el('h2', '', v.vote.title), v.vote.round_label ? el('p', 'round', v.vote.round_label) : null,
      el('p', 'headline', v.vote.headline)];
    if (v.result) parts.push(...result(v.result));
    main.replaceChildren(...parts.filter(Boolean));
  }

  function connect() {
    const socket = new WebSocket(`ws://${location.host}/ws`);
    socket.addEventListener('message', (event) => render(JSON.parse(event.data)));
    socket.addEventListener('close', () => setTimeout(connect, 1000));
  }
  connect();
})();

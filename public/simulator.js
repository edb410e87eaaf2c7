// The phone simulator page: polls the participant's handset and REDCap record, posts texts, invites
// and clock moves. Plain DOM, textContent only (no HTML from data), no dependencies.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const api = '/simulator/api';
  const state = { record: null, lastId: 0, busy: false };

  async function call(method, path, body) {
    const response = await fetch(api + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
    return data;
  }

  function problem(message) {
    $('problem').textContent = message || '';
  }

  function bubble(message) {
    const item = document.createElement('li');
    item.className = `bubble ${message.direction === 'in' ? 'mine' : 'theirs'}`;
    item.dataset.id = String(message.id);
    const text = document.createElement('p');
    text.textContent = message.body;
    const time = document.createElement('time');
    time.textContent = new Date(message.at).toLocaleString();
    item.append(text, time);
    return item;
  }

  function showRecord(cells) {
    const rows = cells.map((cell) => {
      const row = document.createElement('tr');
      row.dataset.column = cell.column;
      if (cell.value !== '') row.className = 'filled';
      const label = document.createElement('th');
      label.textContent = cell.label;
      const code = document.createElement('code');
      code.textContent = cell.column;
      label.append(document.createElement('br'), code);
      const value = document.createElement('td');
      value.textContent = cell.value;
      row.append(label, value);
      return row;
    });
    $('record').replaceChildren(...rows);
  }

  function show(view) {
    const list = $('messages');
    const fresh = view.messages.filter((m) => m.id > state.lastId);
    list.append(...fresh.map(bubble));
    if (fresh.length > 0) {
      state.lastId = fresh[fresh.length - 1].id;
      list.scrollTop = list.scrollHeight;
    }
    $('contact').textContent = `${view.participant.name} · ${view.participant.phone || 'no phone'}`;
    $('record-id').textContent = `#${view.participant.recordId}`;
    $('status').textContent = view.optedOut ? `${view.status || 'not invited'} (opted out)` : view.status || 'not invited';
    $('clock').textContent = new Date(view.now).toLocaleString();
    $('clock').dateTime = view.now;
    showRecord(view.record);
  }

  async function refresh() {
    if (state.record === null || state.busy) return;
    const record = state.record;
    try {
      const view = await call('GET', `/participants/${encodeURIComponent(record)}?after=${state.lastId}`);
      if (record === state.record) show(view);
    } catch (error) {
      problem(error.message);
    }
  }

  function choose(record) {
    state.record = record;
    state.lastId = 0;
    $('messages').replaceChildren();
    problem('');
    void refresh();
  }

  /** Runs an action, then refreshes at once and again shortly (the dispatcher sends just after the commit). */
  async function act(work) {
    problem('');
    try {
      await work();
    } catch (error) {
      problem(error.message);
    }
    await refresh();
    setTimeout(refresh, 300);
  }

  const send = (text) => act(() => call('POST', `/participants/${encodeURIComponent(state.record)}/texts`, { body: text }));

  $('participant').addEventListener('change', (event) => choose(event.target.value));
  $('invite').addEventListener('click', () => act(() => call('POST', `/participants/${encodeURIComponent(state.record)}/invite`)));
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('reply').value.trim();
    if (text === '') return;
    $('reply').value = '';
    void send(text);
  });
  for (const id of ['stop', 'start']) $(id).addEventListener('click', (event) => void send(event.target.dataset.text));
  for (const button of document.querySelectorAll('.advance')) {
    button.addEventListener('click', () => act(() => call('POST', '/clock', { advance: button.dataset.duration })));
  }

  choose($('participant').value);
  setInterval(refresh, 1000);
})();

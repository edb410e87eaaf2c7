import type { Participant } from './demo-simulator.js';
import { html, page } from '../adapters/http/views/html.js';

export interface SimulatorPageModel {
  participants: readonly Participant[];
  instrument: string;
  now: string;
  /** Where the study dashboard is, with the demo's admin token. */
  dashboardUrl: string;
}

const ADVANCES = [['PT1H', '+1 hour'], ['PT4H', '+4 hours'], ['P1D', '+1 day'], ['P2D', '+2 days']] as const;

/** The phone simulator: participants on the left, the handset in the middle, the REDCap record on the right. */
export function simulatorPage(model: SimulatorPageModel): string {
  const options = model.participants.map((p) => html`<option value="${p.recordId}">${p.recordId} · ${p.name}${p.phone === null ? ' (no phone)' : html` · ${p.phone}`}</option>`);
  const body = html`<header class="bar">
  <h1>redcap-sms <span>phone simulator</span></h1>
  <div class="clock">Clock <time id="clock">${model.now}</time>
    ${ADVANCES.map(([duration, label]) => html`<button type="button" class="advance" data-duration="${duration}">${label}</button>`)}
  </div>
  <a class="dashboard-link" href="${model.dashboardUrl}">Dashboard</a>
</header>
<main class="simulator" data-instrument="${model.instrument}">
  <section class="panel participants">
    <h2>Participant</h2>
    <label for="participant">REDCap record</label>
    <select id="participant">${options}</select>
    <button type="button" id="invite">Invite to “${model.instrument}”</button>
    <p class="hint">Invitations, replies and the clock go through the real service: only the SMS provider is simulated.</p>
    <p>Status: <strong id="status">not invited</strong></p>
    <p id="problem" class="problem" role="alert"></p>
  </section>
  <section class="phone" aria-label="Phone">
    <div class="screen">
      <div class="contact" id="contact"></div>
      <ol id="messages" class="messages" aria-live="polite"></ol>
    </div>
    <form id="composer" class="composer">
      <input id="reply" name="body" autocomplete="off" placeholder="Text message" aria-label="Reply">
      <button type="submit" id="send">Send</button>
    </form>
    <div class="keywords">
      <button type="button" id="stop" data-text="STOP">STOP</button>
      <button type="button" id="start" data-text="START">START</button>
    </div>
  </section>
  <section class="panel record">
    <h2>REDCap record <span id="record-id"></span></h2>
    <table><thead><tr><th>Field</th><th>Value</th></tr></thead><tbody id="record"></tbody></table>
  </section>
</main>`;
  return page('Phone simulator · redcap-sms', body, { styles: ['simulator.css'], scripts: ['simulator.js'] });
}

import type { DashboardData, DashboardTrends, DropOff, InvitationRecord } from '../../../ports/storage/admin-reads.js';
import { horizontalBars, lineChart, stackedColumns, type Bar } from './charts.js';
import { html, page, type Html } from './html.js';

/** What became of an invitation, in the words of REDCap's own invitation log. */
export function invitationOutcome(invitation: InvitationRecord): { label: string; tone: 'ok' | 'bad' | 'wait' } {
  const text = invitation.text;
  if (text === null) return { label: 'waiting for another survey', tone: 'wait' };
  if (text.status === 'suppressed') return { label: 'PARTICIPANT OPTED OUT', tone: 'bad' };
  if (text.status === 'failed') return { label: 'failed', tone: 'bad' };
  if (text.status === 'pending') return { label: 'queued', tone: 'wait' };
  if (text.deliveryStatus === 'failed' || text.deliveryStatus === 'undelivered') return { label: 'failed', tone: 'bad' };
  return { label: text.deliveryStatus === 'delivered' ? 'delivered' : 'sent', tone: 'ok' };
}

function failureDetail(invitation: InvitationRecord): string {
  const text = invitation.text;
  if (text === null) return '';
  if (text.error !== null && text.status === 'failed') return text.error;
  return text.errorCode === null ? '' : `error ${text.errorCode}`;
}

function statusTable(data: DashboardData): Html {
  const statuses = [...new Set(data.statuses.map((row) => row.status))].sort();
  const instruments = [...new Set(data.statuses.map((row) => `${row.project} / ${row.instrument}`))];
  const countOf = (key: string, status: string) =>
    data.statuses.find((row) => `${row.project} / ${row.instrument}` === key && row.status === status)?.count ?? 0;
  if (instruments.length === 0) return html`<p class="empty">No conversations yet.</p>`;
  return html`<table id="statuses"><thead><tr><th>Project / instrument</th>${statuses.map((s) => html`<th>${s}</th>`)}</tr></thead>
<tbody>${instruments.map((key) => html`<tr><th>${key}</th>${statuses.map((s) => html`<td>${countOf(key, s)}</td>`)}</tr>`)}</tbody></table>`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((100 * part) / whole)}%`;
}

function funnelTable(data: DashboardData): Html {
  if (data.funnel.length === 0) return html`<p class="empty">No invitations yet.</p>`;
  return html`<table id="funnel"><thead><tr><th>Project / instrument</th><th>Invited</th><th>Started</th><th>Completed</th></tr></thead>
<tbody>${data.funnel.map((row) => html`<tr><th>${row.project} / ${row.instrument}</th><td>${row.invited}</td>
<td>${row.started} <small>${percent(row.started, row.invited)}</small></td>
<td>${row.completed} <small>${percent(row.completed, row.invited)}</small></td></tr>`)}</tbody></table>`;
}

function invitationLog(data: DashboardData): Html {
  if (data.invitations.length === 0) return html`<p class="empty">No invitations yet.</p>`;
  return html`<table id="invitations"><thead><tr><th>Invited at</th><th>Record</th><th>Instrument</th><th>Invitation</th><th>Conversation</th></tr></thead>
<tbody>${data.invitations.map((invitation) => {
    const outcome = invitationOutcome(invitation);
    const detail = failureDetail(invitation);
    return html`<tr><td><time>${invitation.invitedAt}</time></td><td>${invitation.recordId}</td><td>${invitation.instrument}</td>
<td class="outcome ${outcome.tone}">${outcome.label}${detail === '' ? '' : html` <small>${detail}</small>`}</td><td>${invitation.conversationStatus}</td></tr>`;
  })}</tbody></table>`;
}

function problemList(data: DashboardData): Html {
  if (data.problems.length === 0) return html`<p class="empty">No errors.</p>`;
  return html`<table id="problems"><thead><tr><th>At</th><th>Kind</th><th>Detail</th><th>Conversation</th></tr></thead>
<tbody>${data.problems.map((p) => html`<tr><td><time>${p.at}</time></td><td>${p.kind}</td><td>${p.detail}</td><td>${p.conversationId ?? ''}</td></tr>`)}</tbody></table>`;
}

/** Invited, started and completed as bars per instrument, all against the largest invitation count. */
export function funnelChart(data: DashboardData): Html {
  const bars: Bar[] = data.funnel.flatMap((row) => {
    const name = `${row.project} / ${row.instrument}`;
    return [
      { label: `${name}: invited`, value: row.invited, series: 0 },
      { label: `${name}: started`, value: row.started, note: `${row.started} (${percent(row.started, row.invited)})`, series: 1 },
      { label: `${name}: completed`, value: row.completed, note: `${row.completed} (${percent(row.completed, row.invited)})`, series: 2 },
    ];
  });
  return horizontalBars(bars, { caption: 'Completion funnel' });
}

/** Each day's invitations, split by how far they got. */
export function dailyResponsesChart(trends: DashboardTrends): Html {
  const columns = trends.days.map((day) => ({
    label: day.day.slice(5),
    parts: [day.completed, day.started - day.completed, day.invited - day.started],
  }));
  const series = [{ name: 'completed', tone: 2 }, { name: 'started, not completed', tone: 1 }, { name: 'not started', tone: 0 }];
  return stackedColumns(trends.days.some((day) => day.invited > 0) ? columns : [], series, { caption: 'Invitations per day (UTC) by outcome' });
}

/** The share of each day's invitations that were started and completed; no point on a day without any. */
export function responseRateChart(trends: DashboardTrends): Html {
  const rate = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);
  return lineChart(trends.days.map((day) => day.day.slice(5)), [
    { name: 'started', tone: 1, values: trends.days.map((day) => rate(day.started, day.invited)) },
    { name: 'completed', tone: 2, values: trends.days.map((day) => rate(day.completed, day.invited)) },
  ], { caption: 'Response rate per day of invitation', max: 100, unit: '%' });
}

export function completionTimeChart(trends: DashboardTrends): Html {
  const total = trends.completionTimes.reduce((sum, bucket) => sum + bucket.count, 0);
  const bars = total === 0 ? [] : trends.completionTimes.map((bucket) => ({
    label: bucket.label, value: bucket.count, note: `${bucket.count} (${percent(bucket.count, total)})`, series: 2,
  }));
  return horizontalBars(bars, { caption: 'Time from invitation to completion' });
}

/** Per instrument, the questions conversations stopped on, in question order. */
export function dropOffCharts(trends: DashboardTrends): Html {
  const instruments = new Map<string, DropOff[]>();
  for (const row of trends.dropOff) {
    const key = `${row.project} / ${row.instrument}`;
    instruments.set(key, [...(instruments.get(key) ?? []), row]);
  }
  if (instruments.size === 0) return html`<p class="empty">No conversation has stopped before completing.</p>`;
  return html`${[...instruments].map(([name, rows]) => {
    const total = rows.reduce((sum, row) => sum + row.stopped, 0);
    const bars = rows.map((row) => ({
      label: row.field ?? '(before the first question)', value: row.stopped, note: `${row.stopped} (${percent(row.stopped, total)})`, series: 3,
    }));
    return html`<h3>${name} <small>${total} stopped</small></h3>${horizontalBars(bars, { caption: `Where ${name} stopped` })}`;
  })}`;
}

const NO_TRENDS: DashboardTrends = { days: [], completionTimes: [], dropOff: [] };

/** The study dashboard: one server-rendered page, refreshed by reloading. */
export function dashboardPage(data: DashboardData, generatedAt: string, trends: DashboardTrends = NO_TRENDS): string {
  const body = html`<header class="bar"><h1>redcap-sms <span>study dashboard</span></h1><p>as of <time>${generatedAt}</time></p></header>
<main class="dashboard">
  <section class="tiles">
    <div class="tile"><span id="opt-outs">${data.optOuts}</span> opted out</div>
    <div class="tile"><span id="pending-writes">${data.pendingWrites}</span> REDCap writes pending</div>
    <div class="tile ${data.problems.length > 0 ? 'bad' : ''}"><span id="problem-count">${data.problems.length}</span> errors</div>
  </section>
  <section><h2>Completion funnel</h2>${funnelChart(data)}${funnelTable(data)}</section>
  <section class="pair"><div><h2>Invitations per day</h2>${dailyResponsesChart(trends)}</div>
    <div><h2>Response rates</h2>${responseRateChart(trends)}</div></section>
  <section><h2>Time to complete</h2>${completionTimeChart(trends)}</section>
  <section id="drop-off"><h2>Where participants stop</h2>
    <p class="note">Conversations that expired, opted out or were replaced before completing, by the question they were on.</p>${dropOffCharts(trends)}</section>
  <section><h2>Conversations by status</h2>${statusTable(data)}</section>
  <section><h2>Invitation log</h2>${invitationLog(data)}</section>
  <section><h2>Errors</h2>${problemList(data)}</section>
</main>`;
  return page('Dashboard · redcap-sms', body, { styles: ['dashboard.css'] });
}

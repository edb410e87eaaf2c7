import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardData, InvitationRecord } from '../../src/adapters/admin/dashboard-queries.js';
import { dashboardPage, invitationOutcome } from '../../src/adapters/http/views/dashboard-page.js';
import { demoInTempDir, eventually } from '../demo/harness.js';

const invitation = (text: InvitationRecord['text'], recordId = '7'): InvitationRecord => ({
  conversationId: 'c1', project: 'default', recordId, instrument: 'phq', invitedAt: '2026-03-02T15:00:00.000Z',
  conversationStatus: 'asking', text,
});
const sms = (status: string, deliveryStatus: string | null = null) => ({ status, deliveryStatus, error: null, errorCode: null });

const EMPTY: DashboardData = { statuses: [], funnel: [], invitations: [], optOuts: 0, pendingWrites: 0, problems: [] };

describe('the dashboard view', () => {
  it('when an invitation text was suppressed, failed, delivered, sent or is waiting, then the log says so', () => {
    expect(invitationOutcome(invitation(sms('suppressed'))).label).toBe('PARTICIPANT OPTED OUT');
    expect(invitationOutcome(invitation(sms('failed'))).label).toBe('failed');
    expect(invitationOutcome(invitation(sms('sent', 'undelivered'))).label).toBe('failed');
    expect(invitationOutcome(invitation(sms('sent', 'delivered'))).label).toBe('delivered');
    expect(invitationOutcome(invitation(sms('sent', 'queued'))).label).toBe('sent');
    expect(invitationOutcome(invitation(sms('pending'))).label).toBe('queued');
    expect(invitationOutcome(invitation(null)).label).toBe('waiting for another survey');
  });

  it('when a value holds markup, then the page shows it escaped', () => {
    const html = dashboardPage({ ...EMPTY, invitations: [invitation(sms('failed'), '<script>alert(1)</script>')] }, '2026-03-02T15:00:00Z');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('when there is nothing yet, then each section says so instead of showing an empty table', () => {
    const html = dashboardPage(EMPTY, '2026-03-02T15:00:00Z');
    expect(html).toContain('No conversations yet.');
    expect(html).toContain('No errors.');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
  });
});

describe('GET /dashboard', () => {
  let demo: Awaited<ReturnType<typeof demoInTempDir>>;

  beforeAll(async () => {
    demo = await demoInTempDir();
    const api = request(demo.baseUrl);
    await api.post('/simulator/api/participants/1/invite').expect(201);
    await api.post('/simulator/api/participants/1/texts').send({ body: '0' }).expect(202);
    await api.post('/simulator/api/participants/4/invite').expect(201);
    await api.post('/simulator/api/participants/3/texts').send({ body: 'STOP' }).expect(202);
    await api.post('/simulator/api/participants/3/invite').expect(201);
    // Wait until the dispatcher has dealt with every invitation.
    await eventually(async () => {
      const page = await api.get('/dashboard').set('Authorization', `Bearer ${demo.adminToken}`);
      return /failed/.test(page.text) && /delivered/.test(page.text) ? true : undefined;
    });
  });

  afterAll(async () => {
    await demo.cleanUp();
  });

  it('when no admin token is given, then it answers 401', async () => {
    await request(demo.baseUrl).get('/dashboard').expect(401);
    await request(demo.baseUrl).get('/dashboard?token=wrong-token-0123456789').expect(401);
  });

  it('when the token is given as ?token=, then the study is shown at a glance', async () => {
    const page = await request(demo.baseUrl).get(`/dashboard?token=${demo.adminToken}`).expect(200).expect('content-type', /html/);
    expect(page.text).toMatch(/<span id="opt-outs">1<\/span>/);
    expect(page.text).toContain('PARTICIPANT OPTED OUT');
    expect(page.text).toMatch(/failed <small>HTTP 400 \(21211\)<\/small>/);
    expect(page.text).toContain('delivered');
    // Funnel: three invited, one started (record 1 answered), none completed.
    expect(page.text).toMatch(/<th>default \/ phq<\/th><td>3<\/td>\s*<td>1 <small>33%<\/small><\/td>\s*<td>0 <small>0%<\/small><\/td>/);
    expect(page.text).not.toContain('+1555555');
  });

  it('when the token is given as a Bearer header, then the page is served and kept out of caches', async () => {
    await request(demo.baseUrl).get('/dashboard').set('Authorization', `Bearer ${demo.adminToken}`).expect(200).expect('cache-control', 'no-store');
  });
});

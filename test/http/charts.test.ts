import { describe, expect, test } from 'vitest';
import { ADMIN_TOKEN, serviceWorld } from './service-world.js';
import type { DashboardData } from '../../src/adapters/admin/dashboard-queries.js';
import type { DashboardTrends } from '../../src/adapters/admin/dashboard-trends.js';
import { horizontalBars, lineChart, stackedColumns } from '../../src/adapters/http/views/charts.js';
import { dashboardPage, dropOffCharts, funnelChart, responseRateChart } from '../../src/adapters/http/views/dashboard-page.js';

/** The numbers an attribute takes on every element of a kind, in document order. */
const attributes = (svg: string, element: string, attribute: string) =>
  [...svg.matchAll(new RegExp(`<${element}\\b[^>]*?\\b${attribute}="([^"]*)"`, 'g'))].map((match) => match[1]!);
const numbers = (svg: string, element: string, attribute: string) => attributes(svg, element, attribute).map(Number);
/** The words of every <text> of a class, in document order. */
const texts = (svg: string, cls: string) => [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'))].map((match) => match[1]!);

const HOSTILE = '<script>alert(1)</script>" onload="x';

describe('horizontal bars', () => {
  test.each([
    { case: 'values against the largest', values: [40, 20, 10, 0], max: undefined, widths: [360, 180, 90, 0] },
    { case: 'values against a given maximum', values: [5, 10], max: 20, widths: [90, 180] },
    { case: 'a value above the maximum', values: [30], max: 20, widths: [360] },
    { case: 'all values zero', values: [0, 0], max: undefined, widths: [0, 0] },
    { case: 'a maximum of zero', values: [3], max: 0, widths: [0] },
  ])('when drawing $case, then each bar is as long as its share of the 360-unit bar area', ({ values, max, widths }) => {
    const svg = horizontalBars(values.map((value, i) => ({ label: `q${i}`, value })), { caption: 'c', ...(max === undefined ? {} : { max }) }).text;

    expect(numbers(svg, 'rect', 'width')).toEqual(widths);
    expect(svg).not.toContain('NaN');
  });

  test('when a label or note holds markup, then it is shown as text, never as markup', () => {
    const svg = horizontalBars([{ label: HOSTILE, value: 1, note: HOSTILE }], { caption: HOSTILE }).text;

    expect(svg).not.toContain('<script>');
    expect(svg).not.toMatch(/" onload="/);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;x');
  });

  test('when a bar has a note, then the note is written after it and in its hover title, with the label', () => {
    const svg = horizontalBars([{ label: 'mood', value: 3, note: '3 (75%)' }], { caption: 'c' }).text;

    expect(svg).toContain('<title>mood: 3 (75%)</title>');
    expect(svg).toMatch(/<text class="value"[^>]*>3 \(75%\)<\/text>/);
  });

  test('when there are no bars, then it says there is nothing yet instead of drawing an empty chart', () => {
    expect(horizontalBars([], { caption: 'Where participants stop' }).text).toBe('<p class="empty">Where participants stop: nothing yet.</p>');
  });
});

describe('stacked columns', () => {
  test.each([
    { case: 'two parts and one', columns: [[2, 2], [1, 0]], heights: [80, 80, 40], ys: [88, 8, 128] },
    { case: 'one tall column', columns: [[4], [1]], heights: [160, 40], ys: [8, 128] },
    { case: 'zeros only', columns: [[0, 0]], heights: [], ys: [] },
  ])('when drawing $case, then each part is as tall as its share of the tallest total, stacked from the axis', ({ columns, heights, ys }) => {
    const svg = stackedColumns(columns.map((parts, i) => ({ label: `d${i}`, parts })), [{ name: 'a' }, { name: 'b' }], { caption: 'c' }).text;

    expect(numbers(svg, 'rect', 'height')).toEqual(heights);
    expect(numbers(svg, 'rect', 'y')).toEqual(ys);
  });

  test('when a series names its tone, then its parts and legend swatch take that colour', () => {
    const svg = stackedColumns([{ label: 'd', parts: [1, 1] }], [{ name: 'done', tone: 2 }, { name: 'begun', tone: 1 }], { caption: 'c' }).text;

    expect(attributes(svg, 'rect', 'class')).toEqual(['bar series-2', 'bar series-1']);
    expect(svg).toContain('<span class="swatch series-2"></span>done');
  });

  test('when there are 30 columns, then every third is labelled under the axis (ten labels), beside the axis\'s 2 and 0', () => {
    const svg = stackedColumns(Array.from({ length: 30 }, (_, i) => ({ label: `d${i}`, parts: [i < 15 ? 1 : 2] })), [{ name: 'a' }], { caption: 'c' }).text;

    expect(texts(svg, 'tick')).toEqual(['2', '0', 'd0', 'd3', 'd6', 'd9', 'd12', 'd15', 'd18', 'd21', 'd24', 'd27']);
  });
});

describe('line charts', () => {
  test.each([
    { case: 'an unbroken line', values: [0, 50, 100], lines: 1, ys: [168, 88, 8] },
    { case: 'a day without a value in the middle', values: [100, null, 0, 50], lines: 2, ys: [8, 168, 88] },
  ])('when drawing $case, then points sit at their share of the maximum and a missing value breaks the line', ({ values, lines, ys }) => {
    const svg = lineChart(values.map((_, i) => `d${i}`), [{ name: 'rate', values }], { caption: 'c', max: 100, unit: '%' }).text;

    expect(attributes(svg, 'polyline', 'points')).toHaveLength(lines);
    expect(numbers(svg, 'circle', 'cy')).toEqual(ys);
  });

  test('when no value is known, then it says there is nothing yet', () => {
    expect(lineChart(['d0'], [{ name: 'rate', values: [null] }], { caption: 'Rates', max: 100 }).text).toBe('<p class="empty">Rates: nothing yet.</p>');
  });
});

const DATA: DashboardData = {
  statuses: [], invitations: [], optOuts: 0, pendingWrites: 0, problems: [],
  funnel: [{ project: 'p', instrument: 'daily', invited: 10, started: 5, completed: 2 }],
};
const day = (d: string, invited: number, started: number, completed: number) => ({ day: d, invited, started, completed });
const TRENDS: DashboardTrends = {
  days: [day('2026-03-01', 0, 0, 0), day('2026-03-02', 4, 2, 1)],
  completionTimes: [{ label: '< 5 min', count: 3 }, { label: '5–15 min', count: 1 }],
  dropOff: [
    { project: 'p', instrument: 'daily', field: null, position: null, stopped: 1 },
    { project: 'p', instrument: 'daily', field: 'mood', position: 1, stopped: 3 },
    { project: 'p', instrument: HOSTILE, field: HOSTILE, position: 0, stopped: 2 },
  ],
};

describe('the dashboard charts', () => {
  test('when an instrument was invited, started and completed, then its funnel bars shrink in that order with their share', () => {
    const svg = funnelChart(DATA).text;

    expect(numbers(svg, 'rect', 'width')).toEqual([360, 180, 72]);
    expect(svg).toContain('p / daily: completed: 2 (20%)');
  });

  test('when a day had no invitations, then it has no response rate point, and the other days do', () => {
    const svg = responseRateChart(TRENDS).text;

    expect(numbers(svg, 'circle', 'cy')).toEqual([88, 128]); // started 50%, completed 25%
  });

  test('when conversations stopped, then each instrument has its chart of the questions, in order, with shares and escaped names', () => {
    const markup = dropOffCharts(TRENDS).text;

    expect([...markup.matchAll(/<h3>(.*?) <small>/g)].map((m) => m[1])).toEqual(['p / daily', `p / ${'&lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;x'}`]);
    expect(texts(markup, 'label')).toEqual(['(before the first question)', 'mood', '&lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;x']);
    expect(markup).toContain('(before the first question): 1 (25%)');
    expect(markup).toContain('mood: 3 (75%)');
    expect(markup).not.toContain('<script>');
  });

  test('when nothing stopped, then the page says so', () => {
    expect(dropOffCharts({ ...TRENDS, dropOff: [] }).text).toBe('<p class="empty">No conversation has stopped before completing.</p>');
  });

  test('when the page is rendered with trends, then every chart is on it', () => {
    const page = dashboardPage(DATA, '2026-03-02T15:00:00Z', TRENDS);

    expect([...page.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1])).toEqual([
      'Completion funnel', 'Invitations per day (UTC) by outcome', 'Response rate per day of invitation', 'Time from invitation to completion',
      'Where p / daily stopped', `Where p / ${'&lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;x'} stopped`,
    ]);
  });
});

describe('GET /dashboard', () => {
  test('when a participant stopped at the first question, then the page charts the day\'s invitation (a STOP is a reply) and the question they stopped on', async () => {
    const world = await serviceWorld();
    try {
      await world.invite();
      await world.postSigned('/webhooks/twilio/sms', world.inboundParams('STOP'));

      const response = await world.http.get('/dashboard').set('Authorization', `Bearer ${ADMIN_TOKEN}`);

      expect(response.status).toBe(200);
      expect(response.text).toContain('aria-label="Invitations per day (UTC) by outcome"');
      expect(response.text).toMatch(/<title>03-02: 1 started, not completed<\/title>/);
      expect(response.text).toMatch(/<h3>default \/ daily <small>1 stopped<\/small><\/h3>/);
    } finally {
      await world.close();
    }
  });
});

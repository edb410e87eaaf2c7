/**
 * Server-rendered SVG charts for the dashboard: pure functions from numbers to markup, no script and no
 * front-end library. Every label goes through `html`, so a record, instrument or field name is text, never
 * markup. Colours come from classes (`series-0`, `series-1`, …) styled in dashboard.css; each mark carries
 * a <title> with its exact figure, which browsers show on hover and screen readers read.
 */
import { html, type Html } from './html.js';

/** Every chart is drawn in this coordinate width and scales to its container. */
export const CHART_WIDTH = 640;

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Drawn after the bar; the value itself when absent. */
  readonly note?: string;
  /** Which colour the bar takes (series-N). */
  readonly series?: number;
}

const LABEL_WIDTH = 200;
const BAR_AREA = CHART_WIDTH - LABEL_WIDTH - 80;
const ROW_HEIGHT = 22;

/** `value` as a share of `max`, in 0..1; 0 when there is nothing to compare with. */
export function share(value: number, max: number): number {
  return max > 0 && value > 0 ? Math.min(1, value / max) : 0;
}

/** Coordinates to a tenth of a unit: enough for a screen, and stable text for tests. */
const at = (n: number) => Math.round(n * 10) / 10;

function chart(caption: string, height: number, body: Html | Html[]): Html {
  return html`<svg class="chart" viewBox="0 0 ${CHART_WIDTH} ${height}" role="img" aria-label="${caption}"><title>${caption}</title>${body}</svg>`;
}

function noData(caption: string): Html {
  return html`<p class="empty">${caption}: nothing yet.</p>`;
}

/** Horizontal bars, one a row, each as long as its value against `max` (the largest value by default). */
export function horizontalBars(bars: readonly Bar[], options: { caption: string; max?: number }): Html {
  if (bars.length === 0) return noData(options.caption);
  const max = options.max ?? Math.max(0, ...bars.map((bar) => bar.value));
  const rows = bars.map((bar, index) => {
    const y = index * ROW_HEIGHT;
    const width = at(share(bar.value, max) * BAR_AREA);
    const note = bar.note ?? String(bar.value);
    return html`<g class="row"><text class="label" x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${bar.label}</text>
<rect class="bar series-${bar.series ?? 0}" x="${LABEL_WIDTH}" y="${y + 4}" width="${width}" height="14"><title>${bar.label}: ${note}</title></rect>
<text class="value" x="${at(LABEL_WIDTH + width + 6)}" y="${y + 15}">${note}</text></g>`;
  });
  return chart(options.caption, bars.length * ROW_HEIGHT + 4, rows);
}

export interface Column {
  readonly label: string;
  /** One value per series, stacked from the bottom in series order. */
  readonly parts: readonly number[];
}

export interface Series {
  readonly name: string;
  /** Its colour (series-N); its place in the list by default. */
  readonly tone?: number;
}

const toneOf = (series: readonly Series[], index: number) => series[index]?.tone ?? index;

const PLOT_LEFT = 40;
const PLOT_TOP = 8;
const PLOT_HEIGHT = 160;
const PLOT_WIDTH = CHART_WIDTH - PLOT_LEFT - 8;
const AXIS_Y = PLOT_TOP + PLOT_HEIGHT;

/** At most this many labels under the x axis; the others are left out so they never overlap. */
const MAX_X_LABELS = 10;

function xLabels(labels: readonly string[], xOf: (index: number) => number): Html[] {
  const every = Math.max(1, Math.ceil(labels.length / MAX_X_LABELS));
  return labels.flatMap((label, index) =>
    index % every === 0 ? [html`<text class="tick" x="${at(xOf(index))}" y="${AXIS_Y + 16}" text-anchor="middle">${label}</text>`] : []);
}

function yAxis(max: number, format: (value: number) => string): Html {
  return html`<line class="axis" x1="${PLOT_LEFT}" y1="${AXIS_Y}" x2="${PLOT_LEFT + PLOT_WIDTH}" y2="${AXIS_Y}"/>
<text class="tick" x="${PLOT_LEFT - 6}" y="${PLOT_TOP + 4}" text-anchor="end">${format(max)}</text>
<text class="tick" x="${PLOT_LEFT - 6}" y="${AXIS_Y}" text-anchor="end">${format(0)}</text>`;
}

function legend(series: readonly Series[]): Html {
  return html`<p class="legend">${series.map((s, index) => html`<span class="swatch series-${toneOf(series, index)}"></span>${s.name} `)}</p>`;
}

/** Columns of stacked parts (one column a day, say), as tall as their total against the tallest. */
export function stackedColumns(columns: readonly Column[], series: readonly Series[], options: { caption: string }): Html {
  if (columns.length === 0) return noData(options.caption);
  const max = Math.max(0, ...columns.map((column) => column.parts.reduce((sum, part) => sum + part, 0)));
  const slot = PLOT_WIDTH / columns.length;
  const xOf = (index: number) => PLOT_LEFT + slot * index + slot / 2;
  const bars = columns.map((column, index) => {
    let base = AXIS_Y;
    return column.parts.map((part, s) => {
      const height = at(share(part, max) * PLOT_HEIGHT);
      base -= height;
      return height === 0 ? html`` : html`<rect class="bar series-${toneOf(series, s)}" x="${at(xOf(index) - slot * 0.35)}" y="${at(base)}" width="${at(slot * 0.7)}" height="${height}"><title>${column.label}: ${part} ${series[s]?.name ?? ''}</title></rect>`;
    });
  });
  return html`${chart(options.caption, AXIS_Y + 22, [yAxis(max, String), ...bars.flat(), ...xLabels(columns.map((c) => c.label), xOf)])}${legend(series)}`;
}

export interface Line extends Series {
  /** One value a label; null where there is none (the line breaks there). */
  readonly values: readonly (number | null)[];
}

/** Lines over shared labels, against a fixed `max` (100 for percentages). */
export function lineChart(labels: readonly string[], lines: readonly Line[], options: { caption: string; max: number; unit?: string }): Html {
  if (labels.length === 0 || lines.every((line) => line.values.every((value) => value === null))) return noData(options.caption);
  const unit = options.unit ?? '';
  const step = labels.length > 1 ? PLOT_WIDTH / (labels.length - 1) : 0;
  const xOf = (index: number) => PLOT_LEFT + (labels.length > 1 ? step * index : PLOT_WIDTH / 2);
  const yOf = (value: number) => AXIS_Y - share(value, options.max) * PLOT_HEIGHT;
  const drawn = lines.map((line, s) => {
    const runs = runsOf(line.values);
    const paths = runs.map((run) => html`<polyline class="line series-${toneOf(lines, s)}" points="${run.map((i) => `${at(xOf(i))},${at(yOf(line.values[i]!))}`).join(' ')}"/>`);
    const points = line.values.map((value, i) => value === null ? html`` : html`<circle class="point series-${toneOf(lines, s)}" cx="${at(xOf(i))}" cy="${at(yOf(value))}" r="2.5"><title>${labels[i]}: ${line.name} ${Math.round(value)}${unit}</title></circle>`);
    return [...paths, ...points];
  });
  return html`${chart(options.caption, AXIS_Y + 22, [yAxis(options.max, (v) => `${v}${unit}`), ...drawn.flat(), ...xLabels(labels, xOf)])}${legend(lines)}`;
}

/** The indexes of each unbroken run of values. */
function runsOf(values: readonly (number | null)[]): number[][] {
  const runs: number[][] = [];
  let current: number[] = [];
  values.forEach((value, index) => {
    if (value === null) {
      if (current.length > 0) runs.push(current);
      current = [];
    } else {
      current.push(index);
    }
  });
  if (current.length > 0) runs.push(current);
  return runs;
}

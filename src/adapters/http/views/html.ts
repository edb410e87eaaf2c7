/**
 * A tiny HTML builder for the server-rendered pages: every interpolated value is escaped unless it is
 * already `Html` (built here), so a record value or a label can never inject markup.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<td>${value}</td>\``. Arrays are joined; null, undefined and false vanish. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((out, part, index) => out + part + (index < values.length ? render(values[index] as Value) : ''), ''));
}

/** A whole page: no external resources, so it works offline; styles and scripts come from /assets. */
export function page(title: string, body: Html, options: { styles: string[]; scripts?: string[] }): string {
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${options.styles.map((name) => html`<link rel="stylesheet" href="/assets/${name}">`)}
</head>
<body>
${body}
${(options.scripts ?? []).map((name) => html`<script src="/assets/${name}" defer></script>`)}
</body>
</html>`.text}\n`;
}

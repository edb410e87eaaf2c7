/**
 * REDCap labels are HTML fragments; a text message is plain text. Line breaks and paragraphs become
 * newlines, links keep their address (a participant cannot tap hidden markup), entities are decoded.
 */
export function htmlToText(html: string): string {
  const withLinks = html.replace(/<a\b[^>]*?href\s*=\s*["']?([^"'\s>]+)["']?[^>]*>([\s\S]*?)<\/a\s*>/gi, linkText);
  const withBreaks = withLinks
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr)\s*>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '- ');
  const bare = withBreaks.replace(/<!--[\s\S]*?-->/g, '').replace(/<\/?[a-z][^>]*>/gi, '');
  return tidyWhitespace(decodeEntities(bare));
}

function linkText(_whole: string, href: string, inner: string): string {
  const text = decodeEntities(inner.replace(/<[^>]*>/g, '')).trim();
  const url = decodeEntities(href);
  return text === '' || text === url ? url : `${text} (${url})`;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—',
  hellip: '…', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', copy: '©', reg: '®', deg: '°',
  eacute: 'é', egrave: 'è', aacute: 'á', iacute: 'í', oacute: 'ó', uacute: 'ú', ntilde: 'ñ', uuml: 'ü',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body.startsWith('#')) return fromCodePoint(body, whole);
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

function fromCodePoint(body: string, whole: string): string {
  const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
}

function tidyWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

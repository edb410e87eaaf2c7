import { isMap, isNode, type Document, type LineCounter } from 'yaml';

/**
 * Maps a path inside a parsed YAML document (as a zod issue reports it) to `line:col` in the file.
 * A path that does not exist (a missing key) points at its nearest existing parent.
 */
export function locate(document: Document, lines: LineCounter, path: readonly PropertyKey[]): string {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const offset = startOf(document, path.slice(0, depth));
    if (offset !== undefined) {
      const { line, col } = lines.linePos(offset);
      return `${line}:${col}`;
    }
  }
  return '1:1';
}

function startOf(document: Document, path: readonly PropertyKey[]): number | undefined {
  if (path.length === 0) return isNode(document.contents) ? document.contents.range?.[0] : undefined;
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) {
    const node = document.getIn(path as PropertyKey[], true);
    return isNode(node) ? node.range?.[0] : undefined;
  }
  // Point at the key ("from:"), which is where a reader looks, rather than at the value.
  const pair = parent.items.find((item) => isNode(item.key) && String((item.key as { value?: unknown }).value) === String(path.at(-1)));
  return isNode(pair?.key) ? pair.key.range?.[0] : undefined;
}

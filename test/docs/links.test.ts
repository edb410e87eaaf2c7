import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The user documentation's relative links lead somewhere: a file that exists, and a heading it has. */

const DOCS = [
  'README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'SECURITY.md',
  ...readdirSync('docs').filter((name) => name.endsWith('.md')).map((name) => join('docs', name)),
];

const withoutCode = (markdown: string): string => markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string): string => heading.trim().toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');

function anchorsOf(file: string): Set<string> {
  const headings = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '').match(/^#{1,6} .+$/gm) ?? [];
  return new Set(headings.map((line) => slug(line.replace(/^#+ /, ''))));
}

function brokenLinks(file: string): string[] {
  const links = [...withoutCode(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
  return links.filter((link) => !/^[a-z]+:/.test(link)).flatMap((link) => {
    const [path = '', anchor] = link.split('#');
    const target = path === '' ? file : normalize(join(dirname(file), path));
    if (!existsSync(target)) return [`${file}: ${link} (no such file)`];
    if (anchor !== undefined && target.endsWith('.md') && !anchorsOf(target).has(anchor)) return [`${file}: ${link} (no such heading)`];
    return [];
  });
}

describe('the documentation', () => {
  it.each(DOCS)('when the links of %s are followed, then each one reaches a file and a heading that exist', (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  it('when the README is read, then its Quick start keeps the two commands', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('```sh\nnpm ci && npm start\n```');
    expect(readme).toContain('```sh\nnpm ci && npm test\n```');
  });
});

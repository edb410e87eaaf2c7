/** `redcap-sms dictionary check <file> [--json]`: load a data dictionary and say what SMS can do with it. */
import { readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkDictionary, type DictionaryReport, type InstrumentReport } from '../../checks/check-dictionary.js';
import type { Diagnostic } from '../../dictionary/model.js';
import { checkLanguages, renderLanguages } from './dictionary-check-languages.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import type { SetExit } from '../set-exit.js';

/** The `dictionary` group; `pull` and `load` join it later, each in its own file. */
export function dictionaryGroup(program: Command): Command {
  const existing = program.commands.find((command) => command.name() === 'dictionary');
  return existing ?? program.command('dictionary').description('Work with REDCap data dictionaries.');
}

export function registerDictionaryCheck(program: Command, io: CliIo, setExit: SetExit): void {
  dictionaryGroup(program)
    .command('check')
    .description('Load a data dictionary (Designer CSV or API metadata JSON) and report what an SMS survey can ask.')
    .argument('<file>', 'the dictionary: .csv from the Online Designer, or .json from the API (content=metadata)')
    .option('--json', 'print the report as one JSON object')
    .option('--mlm <files...>', "REDCap MLM exports to check against it and cost by language (a JSON export, or lang=file for a CSV)")
    .action((file: string, options: { json?: boolean; mlm?: string[] }) => {
      const bytes = readDictionaryFile(io, file);
      const report = checkDictionary(bytes, formatHint(file));
      const languages = checkLanguages(io, bytes, formatHint(file), options.mlm ?? []);
      io.out(options.json ? `${JSON.stringify({ ...report, languages: languages.costs, translationErrors: languages.errors }, null, 2)}\n` : renderReport(file, report, renderLanguages(languages), languages.errors.length));
      setExit(report.errors.length + languages.errors.length > 0 ? EXIT.inputErrors : EXIT.ok);
    });
}

export function readDictionaryFile(io: CliIo, file: string): Uint8Array {
  const path = resolve(io.cwd, file);
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${file} is a directory, not a dictionary file`);
    return readFileSync(path);
  } catch (cause) {
    if (cause instanceof UsageError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${code ?? 'unknown error'})`);
  }
}

export function formatHint(file: string): 'csv' | 'json' | undefined {
  const extension = extname(file).toLowerCase();
  return extension === '.json' ? 'json' : extension === '.csv' ? 'csv' : undefined;
}

export function renderReport(file: string, report: DictionaryReport, languageLines: readonly string[] = [], translationErrors = 0): string {
  const lines = [`Dictionary ${file}`];
  if (report.surveyId !== null) {
    lines.push(
      `  survey id ${report.surveyId.slice(0, 12)}, record id field "${report.recordIdField ?? ''}"`,
      `  ${report.fieldCount} fields in ${report.instruments.length} instruments, ${report.branchingCount} with branching logic`,
      `  field types: ${formatCounts(report.fieldTypes)}`,
    );
    if (Object.keys(report.validationTypes).length > 0) lines.push(`  validation: ${formatCounts(report.validationTypes)}`);
    lines.push('', 'Instruments:', ...report.instruments.flatMap(renderInstrument));
  }
  lines.push(...languageLines, ...renderDiagnostics('Errors', report.errors), ...renderDiagnostics('Warnings', report.warnings));
  lines.push('', report.errors.length + translationErrors > 0
    ? `${report.errors.length + translationErrors} error(s): fix them in the dictionary${translationErrors > 0 ? ' or its translations' : ''} and check again.`
    : `OK${report.warnings.length > 0 ? ` (${report.warnings.length} warning(s))` : ''}.`);
  return `${lines.join('\n')}\n`;
}

const formatCounts = (counts: Record<string, number>): string =>
  Object.entries(counts).sort(([, a], [, b]) => b - a).map(([name, count]) => `${name} ${count}`).join(', ');

function renderInstrument(instrument: InstrumentReport): string[] {
  return [
    `  ${instrument.name}: ${instrument.fields} fields, ${instrument.askable} asked by SMS, ${instrument.branching} with branching logic`,
    ...instrument.notAskable.map((item) => `    not askable: ${item.field} (${item.reason})`),
    ...instrument.notAsked.map((item) => `    not asked: ${item.field} (${item.reason})`),
    ...instrument.embedded.map((item) => `    embedded: ${item.field} in ${item.host} (asked right after ${item.host}; its {placeholder} shows the answer, or ______ until then)`),
  ];
}

function renderDiagnostics(title: string, diagnostics: readonly Diagnostic[]): string[] {
  if (diagnostics.length === 0) return [];
  return ['', `${title} (${diagnostics.length}):`, ...diagnostics.map((d) => `  ${formatDiagnostic(d)}`)];
}

/** `line 3, field "age", column "Field Type": reason` — the cell a study coordinator has to open. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const place = [
    diagnostic.line !== undefined ? `line ${diagnostic.line}` : undefined,
    diagnostic.index !== undefined ? `index ${diagnostic.index}` : undefined,
    diagnostic.field !== undefined ? `field ${diagnostic.field}` : undefined,
    diagnostic.column !== undefined ? `column "${diagnostic.column}"` : undefined,
  ].filter((part) => part !== undefined);
  return place.length > 0 ? `${place.join(', ')}: ${diagnostic.message}` : diagnostic.message;
}

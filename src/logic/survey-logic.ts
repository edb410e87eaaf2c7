/**
 * A survey's logic, compiled once: branching, calculations, `@IF`, defaults and piping, all
 * evaluated against an EvalContext. Compiled closures are cached per expression text.
 */
import type { ActionTags, Field, Survey } from '../dictionary/model.js';
import type { FieldNode, SmartNode } from './ast.js';
import { calcDate } from './calc-date.js';
import { compileExpr, type Evaluator, type ReferenceCompiler } from './compiler.js';
import type { EvalContext, RecordData } from './context.js';
import { formatWallClock, storageFormat, wallClockNow, wallClockToday } from './dates.js';
import { resolveTags } from './effective-tags.js';
import { parseLogic } from './parser.js';
import { BLANK_PIPE, pipedFieldText, scanPiping, type PipeToken } from './piping.js';
import {
  checkboxColumn, checkboxOptionValue, checkedCodes, plainValue, recordFor,
} from './references.js';
import { smartVariableValue } from './smart-variables.js';
import type { LogicSyntaxError } from './syntax-error.js';
import { BLANK, formatNumber, toBoolean, toNumber, toText, type Value } from './values.js';

export interface SurveyLogic {
  /** Branching logic; true when there is none (and when it does not parse: asking beats skipping). */
  isShown(field: string, ctx: EvalContext): boolean;
  /** calc / @CALCTEXT / @CALCDATE as REDCap stores it; '' when blank. */
  calcValue(field: string, ctx: EvalContext): string;
  /** @IF resolved and merged; the result has `ifs: []`. */
  effectiveTags(field: string, ctx: EvalContext): ActionTags;
  /** @DEFAULT (piped), @NOW, @TODAY (and their -SERVER/-UTC clocks) in the field's storage format. */
  defaultValue(field: string, ctx: EvalContext): string | undefined;
  /** @SETVALUE (piped): the value the field takes every time it is reached, or undefined. */
  setValue(field: string, ctx: EvalContext): string | undefined;
  /** Piping into labels, notes and choice labels. */
  pipe(text: string, ctx: EvalContext): string;
}

export type CompiledLogic = { ok: true; evaluate: Evaluator } | { ok: false; error: LogicSyntaxError };

const byObject = new WeakMap<Survey, CompiledSurvey>();
const byId = new Map<string, CompiledSurvey>();

/**
 * Memoised by survey id (a content hash, so a re-parsed dictionary reuses the compiled logic); a
 * different object with the same id but other fields is compiled afresh.
 */
export function surveyLogic(survey: Survey): SurveyLogic {
  return compiledSurvey(survey);
}

/** One expression against a survey's fields, for the CLI and ad-hoc checks. */
export function compileLogic(expression: string, survey: Survey): CompiledLogic {
  return compiledSurvey(survey).compile(expression);
}

function compiledSurvey(survey: Survey): CompiledSurvey {
  const known = byObject.get(survey);
  if (known !== undefined) return known;
  const sameId = byId.get(survey.id);
  const compiled = sameId !== undefined && sameId.fingerprint === fingerprint(survey) ? sameId : new CompiledSurvey(survey);
  byObject.set(survey, compiled);
  byId.set(survey.id, compiled);
  return compiled;
}

/** What the compiled logic depends on; compared only when a new object arrives with a known id. */
function fingerprint(survey: Survey): string {
  return JSON.stringify(survey.fields);
}

class CompiledSurvey implements SurveyLogic, ReferenceCompiler {
  private readonly fields: ReadonlyMap<string, Field>;
  private readonly expressions = new Map<string, CompiledLogic>();
  private readonly pipeTokens = new Map<string, PipeToken[]>();
  /** Calculations being computed right now, so a cycle reads the stored value instead of looping. */
  private readonly computing = new Set<string>();

  readonly fingerprint: string;

  constructor(survey: Survey) {
    this.fingerprint = fingerprint(survey);
    this.fields = new Map(survey.fields.map((field) => [field.name.toLowerCase(), field]));
  }

  compile(expression: string): CompiledLogic {
    let compiled = this.expressions.get(expression);
    if (compiled === undefined) {
      const parsed = parseLogic(expression);
      compiled = parsed.ok ? { ok: true, evaluate: compileExpr(parsed.expr, this) } : parsed;
      this.expressions.set(expression, compiled);
    }
    return compiled;
  }

  isShown(name: string, ctx: EvalContext): boolean {
    const branching = this.field(name)?.branching;
    if (branching === null || branching === undefined || branching.trim() === '') return true;
    const compiled = this.compile(branching);
    return compiled.ok ? toBoolean(compiled.evaluate(ctx)) : true;
  }

  calcValue(name: string, ctx: EvalContext): string {
    const field = this.field(name);
    if (field === undefined || this.computing.has(field.name)) return BLANK;
    this.computing.add(field.name);
    try {
      return this.computeField(field, ctx);
    } finally {
      this.computing.delete(field.name);
    }
  }

  effectiveTags(name: string, ctx: EvalContext): ActionTags {
    const field = this.field(name);
    if (field === undefined) throw new Error(`unknown field ${name}`);
    if (field.tags.ifs.length === 0) return field.tags;
    return resolveTags(field.tags, (condition) => this.decide(condition, ctx));
  }

  defaultValue(name: string, ctx: EvalContext): string | undefined {
    const field = this.field(name);
    if (field === undefined) return undefined;
    const tags = this.effectiveTags(name, ctx);
    if (tags.default !== undefined) return choiceCode(field, this.pipeWith(tags.default, ctx, ''));
    const zone = clockZone(tags, ctx);
    if (tags.now) return formatWallClock(wallClockNow(ctx.now, zone), storageFormat(field.validation));
    if (tags.today) return formatWallClock(wallClockToday(ctx.now, zone), 'date');
    return undefined;
  }

  setValue(name: string, ctx: EvalContext): string | undefined {
    const field = this.field(name);
    if (field === undefined) return undefined;
    const value = this.effectiveTags(name, ctx).setValue;
    return value === undefined ? undefined : choiceCode(field, this.pipeWith(value, ctx, ''));
  }

  pipe(text: string, ctx: EvalContext): string {
    return this.pipeWith(text, ctx, BLANK_PIPE);
  }

  // ReferenceCompiler: how `[field]` and `[smart-variable]` read data.

  field(node: FieldNode): Evaluator;
  field(name: string): Field | undefined;
  field(nodeOrName: FieldNode | string): Evaluator | Field | undefined {
    if (typeof nodeOrName === 'string') return this.fields.get(nodeOrName.toLowerCase());
    return this.referenceEvaluator(nodeOrName);
  }

  smart(node: SmartNode): Evaluator {
    const name = node.name;
    return (ctx) => smartVariableValue(name, ctx);
  }

  private referenceEvaluator(node: FieldNode): Evaluator {
    const field = this.fields.get(node.name);
    const name = field?.name ?? node.name;
    const form = field?.form;
    const qualified = node.event !== undefined || node.instance !== undefined;
    // Without the record's other rows every reference reads the row being filled in: the classic fast path.
    const rowOf = (ctx: EvalContext): RecordData | undefined =>
      (ctx.rows === undefined && !qualified ? ctx.record : recordFor(node, form, ctx));
    if (node.code !== undefined) {
      const column = checkboxColumn(field, name, node.code);
      return (ctx) => {
        const record = rowOf(ctx);
        return record === undefined ? '0' : checkboxOptionValue(record, column);
      };
    }
    if (field?.type === 'checkbox') return (ctx) => checkedCodes(field, rowOf(ctx) ?? {}).join(',');
    if (field !== undefined && !qualified && isComputed(field)) return (ctx) => this.computedOrStored(field, ctx);
    return (ctx) => plainValue(rowOf(ctx), name);
  }

  /** REDCap recomputes calculations on every save, so logic sees the live result, not a stale one. */
  private computedOrStored(field: Field, ctx: EvalContext): string {
    return this.computing.has(field.name) ? ctx.record[field.name] ?? BLANK : this.calcValue(field.name, ctx);
  }

  private computeField(field: Field, ctx: EvalContext): string {
    if (field.type === 'calc') return numericText(this.evaluate(field.calc ?? '', ctx));
    const tags = this.effectiveTags(field.name, ctx);
    if (tags.calcText !== undefined) return toText(this.evaluate(tags.calcText, ctx));
    if (tags.calcDate !== undefined) {
      const { source, offset, unit } = tags.calcDate;
      return calcDate(this.evaluate(source, ctx), this.evaluate(offset, ctx), unit, field.validation, ctx);
    }
    return BLANK;
  }

  /** An expression that does not parse evaluates as blank (the dictionary check has warned). */
  private evaluate(expression: string, ctx: EvalContext): Value {
    const compiled = this.compile(expression);
    return compiled.ok ? compiled.evaluate(ctx) : BLANK;
  }

  /** An `@IF` condition that does not parse takes the "false" branch. */
  private decide(condition: string, ctx: EvalContext): boolean {
    return toBoolean(this.evaluate(condition, ctx));
  }

  private pipeWith(text: string, ctx: EvalContext, blank: string): string {
    if (!text.includes('[')) return text;
    const tokens = this.scan(text);
    let result = '';
    let at = 0;
    for (const token of tokens) {
      const replacement = this.pipeToken(token, ctx, blank);
      if (replacement === undefined) continue;
      result += text.slice(at, token.start) + replacement;
      at = token.end;
    }
    return result + text.slice(at);
  }

  private scan(text: string): PipeToken[] {
    let tokens = this.pipeTokens.get(text);
    if (tokens === undefined) {
      tokens = scanPiping(text, (name) => this.fields.has(name));
      this.pipeTokens.set(text, tokens);
    }
    return tokens;
  }

  /** The text for one reference, or undefined to leave unknown names untouched. */
  private pipeToken(token: PipeToken, ctx: EvalContext, blank: string): string | undefined {
    if (token.kind === 'smart') return toText(smartVariableValue(token.name, ctx));
    const field = this.fields.get(token.name);
    if (field === undefined) return undefined;
    const record: RecordData = recordFor(token, field.form, ctx) ?? {};
    const computed = token.event === undefined && token.instance === undefined && isComputed(field);
    const read = (column: string): string => (computed && column === field.name
      ? this.computedOrStored(field, ctx)
      : record[column] ?? BLANK);
    return pipedFieldText(field, token, read, blank);
  }
}

/** The zone @NOW/@TODAY read: the participant's, the project's standing in for REDCap's server, or UTC. */
function clockZone(tags: ActionTags, ctx: EvalContext): string {
  if (tags.clock === 'utc') return 'UTC';
  if (tags.clock === 'server') return ctx.serverTimeZone ?? ctx.timeZone;
  return ctx.timeZone;
}

function isComputed(field: Field): boolean {
  return field.type === 'calc' || field.tags.calcText !== undefined || field.tags.calcDate !== undefined;
}

/** A calc stores numbers only: booleans become 1/0, text becomes blank. */
function numericText(value: Value): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  const number = toNumber(value);
  return number === undefined ? BLANK : formatNumber(number);
}

/** A default for a choice field may name the label; store the code. */
function choiceCode(field: Field, value: string): string {
  if (field.choices.length === 0 || field.choices.some((choice) => choice.code === value)) return value;
  const lower = value.trim().toLowerCase();
  return field.choices.find((choice) => choice.label.trim().toLowerCase() === lower)?.code ?? value;
}

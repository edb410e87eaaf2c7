/**
 * `checkSurveyLogic`: every expression and piping reference of a dictionary, checked at load time so
 * a study coordinator hears about a broken rule before a participant meets it.
 */
import { DESIGNER_HEADER } from '../dictionary/columns.js';
import { smsAskability } from '../dictionary/index.js';
import type { ActionTags, Diagnostic, Field, Survey } from '../dictionary/model.js';
import { fieldReferences, walk, type Expr, type FieldNode } from './ast.js';
import { parseLogic } from './parser.js';
import { scanPiping } from './piping.js';
import { CONTEXT_SMART_VARIABLES, KNOWN_SMART_VARIABLES } from './smart-variables.js';

type Severity = Diagnostic['severity'];

interface Site {
  field: Field;
  column: string;
  /** Where the expression starts inside the cell, so positions point into the cell. */
  offset: number;
  /** How the message names the expression: "branching logic", "calculation", "@IF condition", … */
  what: string;
}

export function checkSurveyLogic(survey: Survey): Diagnostic[] {
  const checker = new Checker(survey);
  for (const field of survey.fields) {
    if (!field.formStatus) checker.checkField(field);
  }
  checker.escalateBrokenCalculations();
  return checker.diagnostics;
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  private readonly fields: ReadonlyMap<string, Field>;
  /** Computed fields whose expression does not parse: they evaluate as blank. */
  private readonly broken = new Set<string>();
  /** What each computed field and each branching rule reads. */
  private readonly calcReads = new Map<string, string[]>();
  private readonly branchingReads = new Map<string, { name: string; position: number }[]>();

  constructor(survey: Survey) {
    this.fields = new Map(survey.fields.map((field) => [field.name.toLowerCase(), field]));
  }

  checkField(field: Field): void {
    if (field.branching !== null && field.branching.trim() !== '') {
      const expr = this.expression(field.branching, { field, column: DESIGNER_HEADER.branching_logic, offset: 0, what: 'branching logic' }, 'error');
      if (expr !== undefined) {
        this.branchingReads.set(field.name, fieldReferences(expr).map((ref) => ({ name: ref.name, position: ref.pos })));
      }
    }
    if (field.type === 'calc') this.computed(field, field.calc ?? '', DESIGNER_HEADER.select_choices_or_calculations, 0, 'calculation');
    this.checkTags(field, field.tags);
    this.checkBounds(field);
    this.checkPiping(field);
  }

  /** Branching of an askable field that reads a broken calculation cannot be decided: an error. */
  escalateBrokenCalculations(): void {
    const tainted = this.taintedByBroken();
    for (const [name, references] of this.branchingReads) {
      const field = this.fields.get(name)!;
      if (!isAskable(field)) continue;
      for (const { name: culprit, position } of references) {
        if (!tainted.has(culprit)) continue;
        this.report('error', { field, column: DESIGNER_HEADER.branching_logic, offset: 0, what: 'branching logic' }, position,
          `the branching logic of "${field.name}" reads "${culprit}", whose calculation does not parse (or reads one that does not), so redcap-sms cannot decide whether to ask "${field.name}"`);
      }
    }
  }

  private computed(field: Field, expression: string, column: string, offset: number, what: string): void {
    const expr = this.expression(expression, { field, column, offset, what }, 'warning');
    if (expr === undefined) this.broken.add(field.name);
    else this.calcReads.set(field.name, [...(this.calcReads.get(field.name) ?? []), ...fieldReferences(expr).map((ref) => ref.name)]);
  }

  private checkTags(field: Field, tags: ActionTags): void {
    const column = DESIGNER_HEADER.field_annotation;
    const at = (text: string): number => Math.max(field.annotation.indexOf(text), 0);
    if (tags.calcText !== undefined) this.computed(field, tags.calcText, column, at(tags.calcText), '@CALCTEXT');
    if (tags.calcDate !== undefined) {
      this.computed(field, tags.calcDate.source, column, at(tags.calcDate.source), '@CALCDATE date');
      this.computed(field, tags.calcDate.offset, column, at(tags.calcDate.offset), '@CALCDATE offset');
      if (!['y', 'M', 'd', 'h', 'm', 's'].includes(tags.calcDate.unit.trim())) {
        this.report('warning', { field, column, offset: 0, what: '@CALCDATE' }, undefined,
          `the @CALCDATE unit of "${field.name}" is "${tags.calcDate.unit}"; use one of y, M, d, h, m, s`);
      }
    }
    if (tags.default !== undefined) this.pipingIn(field, tags.default, column, at(tags.default));
    for (const branch of tags.ifs) {
      this.expression(branch.condition, { field, column, offset: at(branch.condition), what: '@IF condition' }, 'warning');
      this.checkTags(field, branch.whenTrue);
      this.checkTags(field, branch.whenFalse);
    }
  }

  private checkBounds(field: Field): void {
    const bounds = [[field.min, DESIGNER_HEADER.text_validation_min], [field.max, DESIGNER_HEADER.text_validation_max]] as const;
    for (const [bound, column] of bounds) {
      if (bound?.kind !== 'field' || this.fields.has(bound.field.toLowerCase())) continue;
      this.report('warning', { field, column, offset: 0, what: 'bound' }, undefined,
        `the ${column === DESIGNER_HEADER.text_validation_min ? 'minimum' : 'maximum'} of "${field.name}" is [${bound.field}], which is not a field of this dictionary; the bound is ignored`);
    }
  }

  private checkPiping(field: Field): void {
    this.pipingIn(field, field.label, DESIGNER_HEADER.field_label, 0);
    this.pipingIn(field, field.note, DESIGNER_HEADER.field_note, 0);
    this.pipingIn(field, field.sectionHeader, DESIGNER_HEADER.section_header, 0);
    if (field.type === 'calc') return;
    for (const choice of field.choices) this.pipingIn(field, choice.label, DESIGNER_HEADER.select_choices_or_calculations, undefined);
  }

  private pipingIn(field: Field, text: string, column: string, offset: number | undefined): void {
    if (!text.includes('[')) return;
    for (const token of scanPiping(text, (name) => this.fields.has(name))) {
      if (token.kind === 'smart') this.checkSmartVariable(token.name, { field, column, offset: offset ?? 0, what: 'piping' }, offset === undefined ? undefined : token.start);
      if (token.kind !== 'field' || this.fields.has(token.name)) continue;
      this.report('warning', { field, column, offset: offset ?? 0, what: 'piping' }, offset === undefined ? undefined : token.start,
        `"${field.name}" pipes [${token.name}] into its text, but there is no field "${token.name}"; participants would see "[${token.name}]"`);
    }
  }

  /** Parses and resolves one expression; undefined when it does not parse. */
  private expression(source: string, site: Site, severity: Severity): Expr | undefined {
    const parsed = parseLogic(source);
    if (!parsed.ok) {
      const consequence = severity === 'error' ? 'redcap-sms cannot decide whether to ask it' : 'redcap-sms treats it as blank';
      this.report(severity, site, parsed.error.position,
        `the ${site.what} of "${site.field.name}" is not valid REDCap logic: ${parsed.error.message}; ${consequence}`);
      return undefined;
    }
    const compared = comparedLiterals(parsed.expr);
    for (const ref of fieldReferences(parsed.expr)) this.checkReference(ref, site, severity, compared.get(ref));
    walk(parsed.expr, (node) => { if (node.kind === 'smart') this.checkSmartVariable(node.name, site, node.pos); });
    return parsed.expr;
  }

  private checkReference(ref: FieldNode, site: Site, severity: Severity, comparedTo: string | undefined): void {
    const target = this.fields.get(ref.name);
    if (target === undefined) {
      this.report(severity, site, ref.pos, `the ${site.what} of "${site.field.name}" refers to [${ref.name}], which is not a field of this dictionary`);
      return;
    }
    if (ref.modifier !== undefined && !RAW_MODIFIERS.has(ref.modifier)) {
      this.report('warning', site, ref.pos,
        `the ${site.what} of "${site.field.name}" reads [${ref.name}:${ref.modifier}], but logic compares raw values: redcap-sms reads [${ref.name}] and ignores :${ref.modifier}`);
    }
    if (ref.code === undefined) {
      if (target.type === 'checkbox') this.bareCheckbox(ref, target, site, comparedTo);
      return;
    }
    const code = ref.code.toLowerCase();
    if (target.type !== 'checkbox') {
      this.report('warning', site, ref.pos, `the ${site.what} of "${site.field.name}" reads [${ref.name}(${ref.code})], but "${ref.name}" is a ${target.type} field, not a checkbox`);
    } else if (!target.choices.some((choice) => choice.code.toLowerCase() === code)) {
      this.report('warning', site, ref.pos, `the ${site.what} of "${site.field.name}" reads option "${ref.code}" of "${ref.name}", which has no such choice; it always reads as 0`);
    }
  }

  /** `[cb] = '1'` reads the list of ticked codes, never one option: almost always meant as `[cb(1)] = '1'`. */
  private bareCheckbox(ref: FieldNode, target: Field, site: Site, comparedTo: string | undefined): void {
    const code = target.choices.find((choice) => choice.code === comparedTo)?.code ?? target.choices[0]?.code ?? '1';
    this.report('warning', site, ref.pos,
      `the ${site.what} of "${site.field.name}" reads the checkbox [${ref.name}] without an option code, which is not one option's value; to test option ${code}, write [${ref.name}(${code})] = '1'`);
  }

  /** A smart variable the core cannot answer would reach participants (or logic) as a silent blank. */
  private checkSmartVariable(fullName: string, site: Site, position: number | undefined): void {
    const name = fullName.split(':')[0]!.toLowerCase();
    if (CONTEXT_SMART_VARIABLES.has(name)) {
      this.report('warning', site, position,
        `"${site.field.name}" uses [${name}], which redcap-sms knows only when the conversation is given its event (longitudinal projects); otherwise it is blank`);
    } else if (!KNOWN_SMART_VARIABLES.has(name)) {
      this.report('warning', site, position,
        `"${site.field.name}" uses [${name}], which redcap-sms cannot know (it needs REDCap's server); it is always blank`);
    }
  }

  private taintedByBroken(): Set<string> {
    const tainted = new Set(this.broken);
    for (let grew = true; grew;) {
      grew = false;
      for (const [name, reads] of this.calcReads) {
        if (!tainted.has(name) && reads.some((read) => tainted.has(read))) {
          tainted.add(name);
          grew = true;
        }
      }
    }
    return tainted;
  }

  private report(severity: Severity, site: Site, position: number | undefined, message: string): void {
    const diagnostic: Diagnostic = { severity, field: site.field.name, column: site.column, message };
    if (site.field.source.line !== undefined) diagnostic.line = site.field.source.line;
    if (site.field.source.index !== undefined) diagnostic.index = site.field.source.index;
    if (position !== undefined) diagnostic.position = site.offset + position;
    this.diagnostics.push(diagnostic);
  }
}

/** Modifiers that leave a reference's raw value as it is; others only make sense when piping. */
const RAW_MODIFIERS: ReadonlySet<string> = new Set(['value', 'hideunderscore']);

/** The literal each field reference is compared with by `=` or `<>`, where it is. */
function comparedLiterals(expr: Expr): Map<FieldNode, string> {
  const found = new Map<FieldNode, string>();
  walk(expr, (node) => {
    if (node.kind !== 'binary' || (node.op !== '=' && node.op !== '<>')) return;
    const pairs = [[node.left, node.right], [node.right, node.left]] as const;
    for (const [side, other] of pairs) {
      if (side.kind !== 'field') continue;
      if (other.kind === 'string') found.set(side, other.value);
      else if (other.kind === 'number') found.set(side, other.text);
    }
  });
  return found;
}

function isAskable(field: Field): boolean {
  return field.type !== 'calc' && smsAskability(field).askable;
}

/** The REDCap logic language: parse once, evaluate many (branching, calc, @IF, piping). */
export type { RecordData, EvalContext, EventDetails } from './context.js';
export { surveyLogic, compileLogic, type SurveyLogic, type CompiledLogic } from './survey-logic.js';
export { checkSurveyLogic } from './check.js';
export { parseLogic, type ParseResult } from './parser.js';
export { printLogic } from './printer.js';
export { LogicSyntaxError } from './syntax-error.js';
export type { Expr } from './ast.js';
export { formatNumber, toText, type Value } from './values.js';
export { BLANK_PIPE } from './piping.js';
export { toBoolean } from './values.js';
export { fieldReferences } from './ast.js';

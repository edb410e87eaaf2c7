/**
 * Logic speed: a compiled branching rule against the same rule written by hand in JavaScript,
 * in the same run, over the same records. The ratio is the figure that matters.
 */
import { parseDictionary } from '../src/dictionary/index.js';
import type { Survey } from '../src/dictionary/model.js';
import { compileLogic, type EvalContext, type RecordData } from '../src/logic/index.js';
import type { Benchmark } from './benchmark.js';

const RULE = "[age] >= 18 and ([sex] = '1' or [cb(3)] = '1')";
const DICTIONARY = [
  'field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,text_validation_min,text_validation_max,identifier,branching_logic,required_field,custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation',
  'record_id,bench,,text,ID,,,,,,,,,,,,,',
  'age,bench,,text,Age,,,integer,,,,,,,,,,',
  'sex,bench,,radio,Sex,"0, Female | 1, Male",,,,,,,,,,,,',
  'cb,bench,,checkbox,Fruit,"1, A | 2, B | 3, C",,,,,,,,,,,,',
  `q,bench,,text,Question,,,,,,,"${RULE}",,,,,,`,
].join('\n');

/** What a developer would write by hand: REDCap's rules for this one rule, blank age included. */
function handWritten(record: RecordData): boolean {
  const age = record['age'] ?? '';
  return age !== '' && Number(age) >= 18 && (record['sex'] === '1' || (record['cb___3'] ?? '0') === '1');
}

function records(): RecordData[] {
  const sample: RecordData[] = [];
  for (let i = 0; i < 64; i++) {
    sample.push({ age: i % 7 === 0 ? '' : String(10 + (i % 20)), sex: String(i % 2), cb___3: i % 3 === 0 ? '1' : '0' });
  }
  return sample;
}

function perSecond(iterations: number, run: (i: number) => boolean): { rate: number; trues: number } {
  let trues = 0;
  for (let i = 0; i < 20_000; i++) run(i); // let the JIT settle before timing
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) if (run(i)) trues += 1;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { rate: iterations / seconds, trues };
}

export const logicBenchmark: Benchmark = {
  name: 'logic: compiled branching vs hand-written JavaScript',
  async run() {
    const survey: Survey | null = parseDictionary(DICTIONARY, 'csv').survey;
    if (survey === null) throw new Error('the benchmark dictionary does not load');
    const compiled = compileLogic(RULE, survey);
    if (!compiled.ok) throw compiled.error;
    const evaluate = compiled.evaluate;
    const data = records();
    const contexts: EvalContext[] = data.map((record) => ({ survey, record, now: new Date(0), timeZone: 'UTC' }));
    const iterations = 2_000_000;
    const logic = perSecond(iterations, (i) => evaluate(contexts[i & 63]!) === true);
    const hand = perSecond(iterations, (i) => handWritten(data[i & 63]!));
    if (logic.trues !== hand.trues) throw new Error('compiled logic and the hand-written rule disagree');
    const format = (rate: number): string => `${Math.round(rate).toLocaleString('en-US')} evaluations/s`;
    return [
      `rule: ${RULE}`,
      `compiled logic:  ${format(logic.rate)}`,
      `hand-written JS: ${format(hand.rate)}`,
      `ratio (compiled / hand-written): ${(logic.rate / hand.rate).toFixed(3)}`,
    ];
  },
};

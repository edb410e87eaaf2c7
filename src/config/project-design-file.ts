/**
 * A project design written by hand (YAML or JSON): the arms, events, form–event designations and
 * repeating instruments of a longitudinal or repeating REDCap project, for the REDCap emulator,
 * `logic eval --design`, and conversation fixtures. Checked as a whole: every problem names its place.
 *
 * ```yaml
 * arms: [{ number: 1, name: Drug A }]
 * events:
 *   - { name: enrollment_arm_1, label: Enrollment, arm: 1, forms: [demographics] }
 *   - { name: visit_1_arm_1, label: Visit 1, arm: 1 }          # no forms: every form
 * repeating:
 *   - { form: bp }                      # a repeating instrument on every event that holds it
 *   - { event: daily_arm_1 }            # a repeating event
 * ```
 */
import { parse } from 'yaml';
import { z } from 'zod';
import type { ProjectDesign } from '../dictionary/project-design.js';
import type { Survey } from '../dictionary/model.js';

const name = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'must be a REDCap name (a-z, 0-9, _)' });

export const ProjectDesignFileSchema = z.strictObject({
  arms: z.array(z.strictObject({ number: z.number().int().positive(), name: z.string().min(1) })).optional(),
  events: z.array(z.strictObject({
    name,
    label: z.string().min(1).optional(),
    arm: z.number().int().positive().default(1),
    id: z.number().int().positive().optional(),
    forms: z.array(name).optional(),
  })).default([]),
  repeating: z.array(z.strictObject({ form: name.optional(), event: name.optional() })
    .refine((r) => r.form !== undefined || r.event !== undefined, { error: 'needs a form (a repeating instrument) or an event (a repeating event)' }))
    .default([]),
}).superRefine((file, ctx) => {
  const events = new Set<string>();
  file.events.forEach((event, index) => {
    if (events.has(event.name)) ctx.addIssue({ code: 'custom', path: ['events', index, 'name'], message: `${event.name} is listed twice` });
    events.add(event.name);
    if (file.arms !== undefined && !file.arms.some((arm) => arm.number === event.arm)) {
      ctx.addIssue({ code: 'custom', path: ['events', index, 'arm'], message: `arm ${event.arm} is not in arms` });
    }
  });
  file.repeating.forEach((repeat, index) => {
    if (repeat.event !== undefined && !events.has(repeat.event)) {
      ctx.addIssue({ code: 'custom', path: ['repeating', index, 'event'], message: `${repeat.event} is not one of the events` });
    }
  });
});

export type DesignLoad = { ok: true; design: ProjectDesign } | { ok: false; errors: string[] };

/** Reads a design file's text; `survey`, when given, must hold every form the design names. */
export function parseProjectDesign(text: string, survey?: Survey): DesignLoad {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    return { ok: false, errors: [`not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`] };
  }
  const result = ProjectDesignFileSchema.safeParse(raw ?? {});
  if (!result.success) {
    return { ok: false, errors: result.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`) };
  }
  const file = result.data;
  const design: ProjectDesign = {
    arms: file.arms ?? [...new Set(file.events.map((event) => event.arm))].map((number) => ({ number, name: `Arm ${number}` })),
    events: file.events.map((event) => ({
      name: event.name,
      label: event.label ?? event.name.replace(/_arm_\d+$/, '').replace(/_/g, ' '),
      armNumber: event.arm,
      ...(event.id === undefined ? {} : { id: event.id }),
      ...(event.forms === undefined ? {} : { forms: event.forms }),
    })),
    repeating: file.repeating.map((r) => ({ ...(r.event === undefined ? {} : { event: r.event }), ...(r.form === undefined ? {} : { form: r.form }) })),
  };
  const unknown = survey === undefined ? [] : unknownForms(design, survey);
  return unknown.length === 0 ? { ok: true, design } : { ok: false, errors: unknown };
}

function unknownForms(design: ProjectDesign, survey: Survey): string[] {
  const forms = new Set(survey.instruments.map((instrument) => instrument.name));
  const named = [
    ...design.events.flatMap((event, index) => (event.forms ?? []).map((form) => ({ form, where: `events.${index}.forms` }))),
    ...design.repeating.flatMap((r, index) => (r.form === undefined ? [] : [{ form: r.form, where: `repeating.${index}.form` }])),
  ];
  return named.filter(({ form }) => !forms.has(form)).map(({ form, where }) => `${where}: ${form} is not an instrument of the dictionary`);
}

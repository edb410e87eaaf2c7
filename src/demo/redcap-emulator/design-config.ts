/**
 * An emulated project's structure from a project design (the design file of `redcap-emulator --design`,
 * conversation fixtures and tests): the same arms, events, form–event mapping and repeating instruments
 * REDCap would report. A repeating event is listed as REDCap lists it: the event with a blank form name.
 */
import type { ProjectDesign } from '../../dictionary/project-design.js';
import type { EmulatorProjectConfig } from './project.js';

export type EmulatorDesign = Pick<EmulatorProjectConfig, 'events' | 'arms' | 'formEventMapping' | 'repeating'>;

export function emulatorDesign(design: ProjectDesign, forms: readonly string[]): EmulatorDesign {
  const longitudinal = design.events.length > 0;
  return {
    ...(longitudinal ? {
      events: design.events.map((event) => ({ unique_event_name: event.name, event_name: event.label, arm_num: event.armNumber })),
      arms: design.arms.map((arm) => ({ arm_num: arm.number, name: arm.name })),
      formEventMapping: design.events.flatMap((event) => (event.forms ?? forms).map((form) => ({ unique_event_name: event.name, form }))),
    } : {}),
    repeating: design.repeating.map((r) => ({ form_name: r.form ?? '', ...(r.event === undefined ? {} : { event_name: r.event }) })),
  };
}

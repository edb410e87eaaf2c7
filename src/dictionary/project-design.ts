/**
 * A REDCap project's design beyond its data dictionary: arms, events in order, which forms each event
 * holds, and which forms (or whole events) repeat. A classic project has no events; a project without
 * repeating instruments has no `repeating` entries. Plain JSON, so a conversation can keep it.
 */

/** One event, in the order REDCap lists them (arm by arm, then by day offset). */
export interface DesignEvent {
  /** The unique event name (`visit_1_arm_1`). */
  name: string;
  /** The label REDCap shows (`Visit 1`). */
  label: string;
  armNumber: number;
  /** REDCap's numeric event id, when known. */
  id?: number;
  /** The forms designated for the event; absent means every form. */
  forms?: readonly string[];
}

export interface DesignArm {
  number: number;
  name: string;
}

/** A repeating instrument (`form` set) or a repeating event (`form` absent), on one event or (classic) none. */
export interface DesignRepeat {
  /** The event it repeats on; absent in a classic project, or to mean every event that holds the form. */
  event?: string;
  form?: string;
}

export interface ProjectDesign {
  arms: readonly DesignArm[];
  events: readonly DesignEvent[];
  repeating: readonly DesignRepeat[];
}

export const CLASSIC_DESIGN: ProjectDesign = { arms: [], events: [], repeating: [] };

export const isLongitudinal = (design: ProjectDesign): boolean => design.events.length > 0;

export function designEvent(design: ProjectDesign, name: string): DesignEvent | undefined {
  return design.events.find((event) => event.name === name);
}

/** The events of the arm `name` belongs to, in order; none when the event is unknown. */
export function armEvents(design: ProjectDesign, name: string): DesignEvent[] {
  const arm = designEvent(design, name)?.armNumber;
  return arm === undefined ? [] : design.events.filter((event) => event.armNumber === arm);
}

export function isDesignatedFor(event: DesignEvent, form: string): boolean {
  return event.forms === undefined || event.forms.includes(form);
}

/** The whole event repeats (REDCap's "repeating event": every form on it shares one instance number). */
export function isRepeatingEvent(design: ProjectDesign, event: string | undefined): boolean {
  return event !== undefined && design.repeating.some((r) => r.form === undefined && r.event === event);
}

/** The form repeats on its own in that event (or, in a classic project, at all). */
export function isRepeatingForm(design: ProjectDesign, event: string | undefined, form: string): boolean {
  return design.repeating.some((r) => r.form === form && (r.event === undefined || r.event === event));
}

/**
 * How a form's data repeats in an event: `''` when the whole event repeats, the form's name when the form
 * repeats, undefined when it does not (REDCap's `redcap_repeat_instrument` column says the same).
 */
export function repeatInstrumentOf(design: ProjectDesign, event: string | undefined, form: string): string | undefined {
  if (isRepeatingEvent(design, event)) return '';
  return isRepeatingForm(design, event, form) ? form : undefined;
}

/** A design from REDCap's API answers (`arm`, `event`, `formEventMapping`, `repeatingFormsEvents`). */
export function designFromApi(api: {
  arms: readonly { arm_num: number; name: string }[];
  events: readonly { unique_event_name: string; event_name: string; arm_num: number; event_id?: number | undefined; custom_event_label?: string | null | undefined }[];
  mapping: readonly { unique_event_name: string; form: string }[];
  repeating: readonly { event_name: string; form_name: string }[];
}): ProjectDesign {
  const formsOf = (event: string) => api.mapping.filter((m) => m.unique_event_name === event).map((m) => m.form);
  return {
    arms: api.arms.map((arm) => ({ number: arm.arm_num, name: arm.name })),
    events: api.events.map((event) => ({
      name: event.unique_event_name,
      label: event.event_name,
      armNumber: event.arm_num,
      ...(event.event_id === undefined ? {} : { id: event.event_id }),
      ...(api.mapping.length === 0 ? {} : { forms: formsOf(event.unique_event_name) }),
    })),
    repeating: api.repeating.map((r) => ({
      ...(r.event_name === '' ? {} : { event: r.event_name }),
      ...(r.form_name === '' ? {} : { form: r.form_name }),
    })),
  };
}

/** The only source of "now" for the engine; production reads the system clock, tests and replay drive a fake one. */
export interface Clock {
  now(): Date;
}

/** Ids for new conversations; sequential and predictable in tests and replay. */
export type IdGenerator = () => string;

/** A logic expression REDCap would not accept, with the 0-based offset of the offending character. */
export class LogicSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = 'LogicSyntaxError';
  }
}

/** True when the runtime knows `zone` as an IANA time zone (Intl throws RangeError otherwise). */
export function isIanaTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * How many texts the dispatcher hands to the provider side by side. A sender keeps its rate only if it has
 * rate × round trip texts in flight (Little's law): at 100 texts a second and Twilio's 100–300 ms per API
 * call that is 10–30, and with a fixed 8 such a sender could never pass 27–80 a second. So the number
 * follows the sender's rate and the send time measured lately, with room for twice that, between a floor
 * (a round trip of a few ms still overlaps claims and records) and the twilio client's sockets per host,
 * past which a send would only queue inside the client (decision 0073).
 */
export const FEWEST_SENDS_AT_ONCE = 8;
export const MOST_SENDS_AT_ONCE = 20;

export function sendsAtOnce(ratePerSecond: number, recentSendMs: number): number {
  const inFlight = Math.ceil((2 * ratePerSecond * Math.max(0, recentSendMs)) / 1000);
  return Math.min(MOST_SENDS_AT_ONCE, Math.max(FEWEST_SENDS_AT_ONCE, inFlight));
}

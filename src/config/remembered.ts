/**
 * Remembers a pure function's results for the strings it is given again and again (every text of a
 * study comes from a few thousand phone numbers). Past `limit` entries it starts over, so memory stays
 * bounded whatever comes in.
 */
export function remembered(compute: (input: string) => string, limit: number): (input: string) => string {
  const results = new Map<string, string>();
  return (input) => {
    const known = results.get(input);
    if (known !== undefined) return known;
    const result = compute(input);
    if (results.size >= limit) results.clear();
    results.set(input, result);
    return result;
  };
}

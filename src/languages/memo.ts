/** A pure function of two objects, computed once per pair and forgotten with either of them. */
export function memoPair<A extends object, B extends object, R>(compute: (a: A, b: B) => R): (a: A, b: B) => R {
  const byFirst = new WeakMap<A, WeakMap<B, R>>();
  return (a, b) => {
    let bySecond = byFirst.get(a);
    if (bySecond === undefined) {
      bySecond = new WeakMap();
      byFirst.set(a, bySecond);
    }
    if (!bySecond.has(b)) bySecond.set(b, compute(a, b));
    return bySecond.get(b) as R;
  };
}

// A small seeded generator (mulberry32) for the perturbation tests: a failure names its
// seed, and the same seed repeats it exactly.
export function generator(seed: number) {
  let s = seed | 0;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)] };
}
export type Rng = ReturnType<typeof generator>;

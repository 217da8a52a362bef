/** Largest distance between the starts of the two measurements of one ratio pair. */
export const MAX_PAIR_GAP_SECONDS = 60;

/** Median of a non-empty list of numbers (NaN for an empty one). */
export function median(values) {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `{ median, min, max, n }` of a list of numbers. */
export function spread(values) {
  const finite = values.filter(Number.isFinite);
  return {
    median: median(finite),
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN,
    n: finite.length,
  };
}

/**
 * Per-case medians and per-ratio medians and spreads. A ratio uses only pairs measured in
 * the same round (seconds apart); its `maxGapSeconds` says how far apart the furthest
 * pair's starts were.
 * @param {{ case: any, ok: boolean, reason?: string, runs: any[] }[]} results
 * @param {import('./cases.mjs').BenchRatio[]} ratios
 */
export function summarize(results, ratios) {
  const byId = new Map(results.map((r) => [r.case.id, r]));
  const cases = results.map((r) => ({
    ...r.case,
    ok: r.ok && r.runs.length > 0,
    reason: r.reason ?? (r.runs.length === 0 ? 'not measured' : undefined),
    rounds: r.runs.length,
    rps: spread(r.runs.map((x) => x.rps)),
    p50: median(r.runs.map((x) => x.p50)),
    p99: median(r.runs.map((x) => x.p99)),
    serverCpuMicroseconds: median(r.runs.map((x) => x.serverCpuMicroseconds)),
    serverCores: median(r.runs.map((x) => x.serverCores)),
    total: r.runs.reduce((s, x) => s + x.total, 0),
    non2xx: r.runs.reduce((s, x) => s + x.non2xx, 0),
    errors: r.runs.reduce((s, x) => s + x.errors, 0),
  }));
  const ratioRows = [];
  for (const ratio of ratios) {
    const num = byId.get(ratio.num);
    const den = byId.get(ratio.den);
    if (!num || !den) continue;
    const values = [];
    let maxGap = 0;
    for (const a of num.runs) {
      const b = den.runs.find((x) => x.round === a.round);
      // A pair measured further apart than this says more about the machine than the code.
      if (!b || !(b.rps > 0) || Math.abs(a.at - b.at) > MAX_PAIR_GAP_SECONDS) continue;
      values.push(a.rps / b.rps);
      maxGap = Math.max(maxGap, Math.abs(a.at - b.at));
    }
    const s = spread(values);
    ratioRows.push({
      ...ratio,
      ...s,
      values,
      maxGapSeconds: maxGap,
      met: ratio.goal === undefined || s.n === 0 ? undefined : s.median >= ratio.goal,
    });
  }
  return { cases, ratios: ratioRows };
}

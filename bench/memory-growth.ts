// How fast memory grows over a batch, from RSS sampled as files finish. One sample's end-to-end change is
// as noisy as the sample (a page's buffers may or may not be live at that moment); a least-squares line
// through many samples is not, and its standard error says whether a slope is distinguishable from flat.
// Samples taken one after another are not independent (memory held for a while shows in several), so
// the error is widened by the residuals' lag-1 autocorrelation r, by sqrt((1 + r) / (1 - r)): the usual
// correction for a trend fitted through AR(1) noise. Without it, two runs of one build read +12.2 ± 1.5
// and +32.3 ± 4.2 MB per 1,000: 4.5 combined standard errors apart.

export interface RssMark {
  /** Files finished when the sample was taken. */
  done: number;
  /** Resident set size then, in MB. */
  mb: number;
}

export interface Growth {
  /** Slope of the fitted line, in MB per 1,000 files. */
  mbPerThousand: number;
  /** Standard error of that slope, same unit. */
  standardError: number;
  samples: number;
  /** Lag-1 autocorrelation of the residuals, which widened the error when positive. */
  autocorrelation: number;
}

/** Least-squares growth over the marks; undefined with fewer than three (no error can be estimated). */
export function growthOf(marks: readonly RssMark[]): Growth | undefined {
  const n = marks.length;
  if (n < 3) return undefined;
  const meanX = marks.reduce((s, m) => s + m.done, 0) / n;
  const meanY = marks.reduce((s, m) => s + m.mb, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const m of marks) {
    sxx += (m.done - meanX) ** 2;
    sxy += (m.done - meanX) * (m.mb - meanY);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const ordered = [...marks].sort((a, b) => a.done - b.done);
  const residuals = ordered.map((m) => m.mb - meanY - slope * (m.done - meanX));
  const squares = residuals.reduce((s, e) => s + e * e, 0);
  const lagged = residuals.reduce((s, e, i) => (i === 0 ? s : s + e * residuals[i - 1]!), 0);
  // Capped below 1, where the widening would be infinite: samples that barely move are still some evidence.
  const r = squares > 0 ? Math.min(lagged / squares, 0.99) : 0;
  const widen = r > 0 ? Math.sqrt((1 + r) / (1 - r)) : 1;
  const standardError = Math.sqrt(squares / (n - 2) / sxx) * widen;
  return { mbPerThousand: slope * 1000, standardError: standardError * 1000, samples: n, autocorrelation: r };
}

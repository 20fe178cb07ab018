// How fast memory grows over a batch, from RSS sampled as files finish. One sample's end-to-end change is
// as noisy as the sample (a page's buffers may or may not be live at that moment); a least-squares line
// through many samples is not, and its standard error says whether a slope is distinguishable from flat.

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
  const residuals = marks.reduce((s, m) => s + (m.mb - meanY - slope * (m.done - meanX)) ** 2, 0);
  const standardError = Math.sqrt(residuals / (n - 2) / sxx);
  return { mbPerThousand: slope * 1000, standardError: standardError * 1000, samples: n };
}

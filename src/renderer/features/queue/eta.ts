// Time left for the batch, from how fast work got done recently. Samples are (time, work done) pairs;
// the rate is measured over a sliding window so a slow start or a pause fades out of the estimate.

export interface WorkSample {
  at: number;
  work: number;
}

const WINDOW_MS = 30_000;
const MAX_SAMPLES = 120;

/** Adds a sample, drops those outside the window; restarts when work went backwards (retry, clear). */
export function addSample(samples: readonly WorkSample[], sample: WorkSample, windowMs = WINDOW_MS): WorkSample[] {
  const last = samples[samples.length - 1];
  if (last && sample.work < last.work) return [sample];
  const kept = samples.filter((s) => sample.at - s.at <= windowMs);
  kept.push(sample);
  return kept.length > MAX_SAMPLES ? kept.slice(kept.length - MAX_SAMPLES) : kept;
}

/** Seconds until `remaining` work is done at the recent rate; null while there is no rate to go by. */
export function secondsLeft(samples: readonly WorkSample[], remaining: number): number | null {
  if (remaining <= 0) return 0;
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.at - first.at < 2_000) return null;
  const rate = (last.work - first.work) / (last.at - first.at);
  if (rate <= 0) return null;
  return Math.ceil(remaining / rate / 1000);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

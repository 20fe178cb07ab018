// Default per-file caps, shared by the walk (cheap pre-filter on stat size) and the read (enforced on bytes).

export const MIB = 1024 * 1024;
export const DEFAULT_MAX_FILE_BYTES = 200 * MIB;
/** Decoding a bigger image would need gigabytes of memory; no receipt needs more than 100 megapixels. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/** One decimal below 10, none above, no trailing ".0": 3 GB, 312 MB, 4.5 KB. */
function round(value: number): string {
  return value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
}

/** Sizes in binary units labelled KB/MB/GB, as file managers show them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MIB) return `${round(bytes / 1024)} KB`;
  if (bytes < 1024 * MIB) return `${round(bytes / MIB)} MB`;
  return `${round(bytes / (1024 * MIB))} GB`;
}

export function tooLargeReason(size: number, limit: number): string {
  return `file is ${formatBytes(size)}; the limit is ${formatBytes(limit)}`;
}

export function tooManyPixelsReason(width: number, height: number, limit: number): string {
  const mp = (n: number) => `${round(n / 1_000_000)} MP`;
  return `image is ${width} × ${height} px (${mp(width * height)}); the limit is ${mp(limit)}`;
}

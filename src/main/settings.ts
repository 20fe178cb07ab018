// App settings: a small JSON file beside the ledger, validated where it is read (it may be hand-edited
// or from an older version). Defaults follow the system locale.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { OCR_ENGINES, type DateOrder, type Settings } from '../shared/model';
import { ocrSpaceUrlSchema } from '../shared/contract';
import { DEFAULT_OCRSPACE_URL } from './ocr/ocrspace';

export type StoredSettings = Omit<Settings, 'ledgerPath' | 'ocrSpaceKeySet' | 'ocrSpaceKeyProtection' | 'localEngineProblem'>;

// Regions that write the month first; everyone else writes the day first (or year first, which is
// unambiguous on receipts anyway).
const MONTH_FIRST_REGIONS = new Set(['US', 'PH', 'CA', 'FM', 'MH', 'PW', 'GU', 'PR', 'AS', 'VI', 'UM']);

const REGION_CURRENCY: Record<string, string> = {
  US: 'USD',
  CA: 'CAD',
  GB: 'GBP',
  AU: 'AUD',
  NZ: 'NZD',
  IN: 'INR',
  JP: 'JPY',
  CN: 'CNY',
  MY: 'MYR',
  SG: 'SGD',
  ID: 'IDR',
  TH: 'THB',
  PH: 'PHP',
  HK: 'HKD',
  KR: 'KRW',
  CH: 'CHF',
  SE: 'SEK',
  NO: 'NOK',
  DK: 'DKK',
  PL: 'PLN',
  CZ: 'CZK',
  HU: 'HUF',
  BR: 'BRL',
  MX: 'MXN',
  ZA: 'ZAR',
  AE: 'AED',
  TR: 'TRY',
  DE: 'EUR',
  FR: 'EUR',
  ES: 'EUR',
  IT: 'EUR',
  NL: 'EUR',
  BE: 'EUR',
  AT: 'EUR',
  IE: 'EUR',
  PT: 'EUR',
  FI: 'EUR',
  GR: 'EUR',
  LU: 'EUR',
  SK: 'EUR',
  SI: 'EUR',
  EE: 'EUR',
  LV: 'EUR',
  LT: 'EUR',
  HR: 'EUR',
};

function localeRegion(locale: string): string | undefined {
  try {
    return new Intl.Locale(locale).maximize().region;
  } catch {
    return undefined;
  }
}

export function defaultSettings(locale = Intl.DateTimeFormat().resolvedOptions().locale): StoredSettings {
  const region = localeRegion(locale) ?? 'US';
  const dateOrder: DateOrder = MONTH_FIRST_REGIONS.has(region) ? 'MDY' : 'DMY';
  return {
    ocrEngine: OCR_ENGINES[0],
    dateOrder,
    defaultCurrency: REGION_CURRENCY[region] ?? 'USD',
    concurrency: availableParallelism(),
    ocrSpaceUrl: DEFAULT_OCRSPACE_URL,
  };
}

const storedSchema = z.object({
  ocrEngine: z.enum(OCR_ENGINES),
  dateOrder: z.enum(['DMY', 'MDY']),
  defaultCurrency: z.string().regex(/^[A-Z]{3}$/),
  concurrency: z.number().int().min(1).max(64),
  // A hand-edited file is held to the same rule as the window: https, or http on this computer only.
  ocrSpaceUrl: ocrSpaceUrlSchema,
});

/** Settings persisted to `path` (or kept in memory when path is undefined, as the CLI does). */
export class SettingsStore {
  private current: StoredSettings;

  constructor(
    private readonly path: string | undefined,
    defaults: StoredSettings = defaultSettings(),
  ) {
    this.current = { ...defaults, ...(path ? readValidFields(path) : {}) };
  }

  get(): StoredSettings {
    return { ...this.current };
  }

  set(patch: Partial<StoredSettings>): StoredSettings {
    this.current = storedSchema.parse({ ...this.current, ...patch });
    if (this.path) {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.current, null, 2));
      renameSync(tmp, this.path);
    }
    return this.get();
  }
}

/** Keeps each valid field of a settings file and drops invalid ones, so one bad value never resets all. */
function readValidFields(path: string): Partial<StoredSettings> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(storedSchema.shape)) {
    const parsed = schema.safeParse((raw as Record<string, unknown>)[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as Partial<StoredSettings>;
}

// From OCR output to the fields of one receipt, each with a confidence, plus the reasons a person
// should look at it. Works on word boxes when the engine gives them, on plain text lines otherwise.
import type { OcrResult } from '../ocr/engine';
import type { DateOrder, ExtractedFields } from '../../shared/model';
import { FIELD_UNCERTAIN_BELOW } from './confidence';
import { detectCurrency } from './currency';
import { pickDate } from './dates';
import { findPlacedItems } from './items';
import { buildRows } from './layout';
import { pickMerchant } from './merchant';
import { findPaymentMethod } from './payment';
import { locateFields } from './provenance';
import { pickTotals, readingFor } from './totals';

export interface ExtractOptions {
  /** The user's day/month order, used when the receipt does not settle it. */
  dateOrder: DateOrder;
  /** ISO 4217 code used when nothing on the receipt names the currency. */
  defaultCurrency: string;
  /** "Now" for future/too-old date checks; defaults to the current time. */
  today?: Date;
}

export function extractFields(ocr: OcrResult, options: ExtractOptions): ExtractedFields {
  const rows = buildRows(ocr);
  const warnings: string[] = [];
  const confidence: ExtractedFields['confidence'] = {};

  const currency = detectCurrency(rows, options.defaultCurrency);
  confidence.currency = currency.confidence;

  const merchant = pickMerchant(rows);
  if (merchant) confidence.merchant = merchant.confidence;
  else warnings.push('no merchant name found');

  const date = pickDate(rows, {
    order: options.dateOrder,
    countryOrder: currency.dateOrder,
    today: options.today ?? new Date(),
  });
  if (date) {
    confidence.date = date.confidence;
    warnings.push(...date.warnings);
  } else warnings.push('no date found');

  const totals = pickTotals(rows, currency.code);
  warnings.push(...totals.warnings);
  if (totals.total) confidence.total = totals.total.confidence;
  if (totals.subtotal) confidence.subtotal = totals.subtotal.confidence;
  if (totals.tax) confidence.tax = totals.tax.confidence;
  if (totals.tip) confidence.tip = totals.tip.confidence;

  const paymentMethod = findPaymentMethod(rows);
  if (paymentMethod) confidence.paymentMethod = 0.7;

  for (const field of ['merchant', 'date', 'total'] as const) {
    const c = confidence[field];
    if (c !== undefined && c < FIELD_UNCERTAIN_BELOW) warnings.push(`${field} is uncertain`);
  }

  const items = findPlacedItems(rows, currency.code);
  const provenance = locateFields(
    ocr,
    rows,
    readingFor(currency.code),
    { merchant: merchant?.name ?? null, date, totals, items },
    options.dateOrder,
  );
  return {
    merchant: merchant?.name ?? null,
    date: date?.iso ?? null,
    totalMinor: totals.total?.minor ?? null,
    subtotalMinor: totals.subtotal?.minor ?? null,
    taxMinor: totals.tax?.minor ?? null,
    tipMinor: totals.tip?.minor ?? null,
    currency: currency.code,
    paymentMethod,
    items: items.map((p) => p.item),
    confidence,
    warnings,
    ...(provenance && { provenance }),
  };
}

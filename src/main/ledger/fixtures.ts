// Builds NewReceipt inputs for tests and benchmarks: a well-read receipt unless overridden.
import { createHash } from 'node:crypto';
import type { ExtractedFields } from '../../shared/model';
import type { NewReceipt } from './receipts';

/** A distinct, valid sha-256 for each seed. */
export function shaOf(seed: string | number): string {
  return createHash('sha256').update(String(seed)).digest('hex');
}

export function newReceipt(
  seed: string | number,
  fields: Partial<ExtractedFields> = {},
  rest: Partial<Omit<NewReceipt, 'fields'>> = {},
): NewReceipt {
  return {
    file: {
      sha256: shaOf(seed),
      size: 1234,
      mime: 'image/jpeg',
      fileName: `receipt-${seed}.jpg`,
      sourcePath: `/scans/receipt-${seed}.jpg`,
    },
    fields: {
      merchant: 'Corner Cafe',
      date: '2024-03-15',
      totalMinor: 3390,
      subtotalMinor: 3000,
      taxMinor: 390,
      tipMinor: null,
      currency: 'USD',
      paymentMethod: 'card',
      items: [{ description: 'Lunch', amountMinor: 3000 }],
      confidence: { merchant: 0.9, date: 0.95, total: 0.92, subtotal: 0.8, tax: 0.8, currency: 0.9 },
      warnings: [],
      ...fields,
    },
    ocrText: `CORNER CAFE\n15/03/2024\nLunch 30.00\nTax 3.90\nTOTAL 33.90\n(receipt ${seed})`,
    ocrConfidence: 0.88,
    engine: 'tesseract',
    ...rest,
  };
}

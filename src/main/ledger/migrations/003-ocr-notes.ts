// How each receipt was read (OcrResult.notes), shown in its detail view.
// A released migration is never edited: later changes go in a new numbered file.
import type { Migration } from '../migrate';

const migration: Migration = {
  version: 3,
  name: 'ocr-notes',
  up(db) {
    // Beside the OCR text: only the detail view reads them. Receipts read before this have none recorded.
    db.exec(`ALTER TABLE receipt_text ADD COLUMN ocr_notes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(ocr_notes))`);
  },
};

export default migration;

// OCR confidence is 0..1 at the OCR seam, as field confidences are; receipts read before stored it as
// tesseract reports it, 0..100 (OCR.space 75, a PDF text layer 100).
// A released migration is never edited: later changes go in a new numbered file.
import type { Migration } from '../migrate';

const migration: Migration = {
  version: 4,
  name: 'ocr-confidence-unit',
  up(db) {
    // Every row written before this version is on the 0..100 scale, deleted and merged ones too.
    db.exec('UPDATE receipts SET ocr_confidence = ocr_confidence / 100.0');
  },
};

export default migration;

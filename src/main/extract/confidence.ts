// Every confidence cutoff, named once. Both kinds are 0..1: an OCR confidence is how surely the engine
// read a word or line (OcrWord.confidence); a field confidence is how sure the extractor is of a field
// it found (ExtractedFields.confidence), and the lowest key field's is the receipt's.

/** OCR: a word read under this is doubtful. Tesseract reads clean print at 0.9+, logo noise and turned pages far lower. */
export const OCR_DOUBTFUL_BELOW = 0.6;
/** OCR: from this a word is read without doubt. OCR.space, which reports no confidence, gets exactly this. */
export const OCR_SURE_FROM = 0.75;

/** Field: under even odds a field is more likely a guess than a reading, and its warning says "uncertain". */
export const FIELD_UNCERTAIN_BELOW = 0.5;
/** Field: a receipt is flagged for review under this; 0.6, a total its own arithmetic repaired or contradicts, carries a warning instead. */
export const REVIEW_CONFIDENCE_THRESHOLD = 0.6;
/** Field: a total or date under this is worth another reading: the receipt's own lines and arithmetic do not clearly back it. */
export const SECOND_PASS_BELOW = 0.7;
/** Field: readings that disagree leave a warning unless the value kept is this sure: the bar that asks for a second reading. */
export const DISAGREEMENT_SURE = 0.7;

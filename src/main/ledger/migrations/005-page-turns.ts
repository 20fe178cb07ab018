// How OCR turned each page it read (OcrResult.pages), so the thumbnail is shown as the receipt was
// read. Until now only the notes said so, in English; they are parsed here once and never again.
// A released migration is never edited: later changes go in a new numbered file.
import type { Migration } from '../migrate';

/** The notes orientation wrote until this version, e.g. "page 2 was sideways; read turned 90° clockwise". */
const TURN_NOTE = /^page (\d+) was (?:upside down; read turned 180°|sideways; read turned 90° (clockwise|anticlockwise))$/;

/** Degrees each page was turned, page 1 first, up to the last turned one; empty when none was. */
function turnsFromNotes(notes: unknown[]): number[] {
  const turns: number[] = [];
  for (const note of notes) {
    const match = typeof note === 'string' ? TURN_NOTE.exec(note) : null;
    if (!match) continue;
    const page = Number(match[1]);
    while (turns.length < page) turns.push(0);
    turns[page - 1] = match[2] === undefined ? 180 : match[2] === 'clockwise' ? 90 : 270;
  }
  return turns;
}

const migration: Migration = {
  version: 5,
  name: 'page-turns',
  up(db) {
    // A JSON array of 0, 90, 180 or 270, one per page read; pages past its end were read as they are.
    db.exec(`ALTER TABLE receipt_text ADD COLUMN page_turns TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(page_turns))`);
    const rows = db.prepare(`SELECT receipt_id AS id, ocr_notes AS notes FROM receipt_text WHERE ocr_notes LIKE '%read turned%'`).all() as {
      id: number;
      notes: string;
    }[];
    const put = db.prepare('UPDATE receipt_text SET page_turns = ? WHERE receipt_id = ?');
    for (const row of rows) {
      const turns = turnsFromNotes(JSON.parse(row.notes) as unknown[]);
      if (turns.length > 0) put.run(JSON.stringify(turns), row.id);
    }
  },
};

export default migration;

// A page read turned: the turn is data on the result (the thumbnail shows the page as it was read),
// and a note says so to the person checking the receipt. Whichever engine turned the page says both.
import { withNotes, type OcrResult, type Turn } from './engine';

/** What the receipt's notes say, for people, about page `page` (1-based) read turned `turn`. */
export const turnNote = (page: number, turn: Turn): string =>
  turn === 180
    ? `page ${page} was upside down; read turned 180°`
    : `page ${page} was sideways; read turned 90° ${turn === 90 ? 'clockwise' : 'anticlockwise'}`;

/** One page's reading (page `index`, 0-based) marked as read turned `turn` degrees clockwise (0: as it is). */
export const readTurned = (result: OcrResult, index: number, turn: Turn): OcrResult =>
  turn === 0 ? result : { ...withNotes(result, turnNote(index + 1, turn)), pages: [{ turn }] };

// Text from files and the network (file names, error messages, OCR'd fields) printed to a terminal:
// an escape sequence in a file name could retitle or clear the terminal, or hide what is printed.

// C0 controls, DEL, C1 controls (U+009B is a one-character CSI to many terminals), and the bidi
// overrides and isolates that reorder what a line appears to say.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1b': '\\e' };

/** `text` with every control character shown as a visible escape (`\e`, `\x07`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/** A JSON line a terminal shows as it is: JSON.stringify leaves C1 controls and bidi marks raw. */
export function printableJson(value: unknown): string {
  return JSON.stringify(value).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

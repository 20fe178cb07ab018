import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newReceipt } from '../ledger/fixtures';
import { Ledger } from '../ledger/ledger';
import type { ExportedReceipt } from '../ledger/rows';
import { CSV_COLUMNS, exportCsv } from './csv';

/** RFC 4180 reader for checking the output: quoted fields, "" escapes, CRLF records, nothing lenient. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote in unquoted field at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i += 1;
      continue;
    }
    if (text.startsWith('\r\n', i)) i += 2;
    else if (i < text.length) throw new Error(`expected CRLF at ${i}, found ${JSON.stringify(text[i])}`);
    records.push(record);
    record = [];
    if (i >= text.length) return records;
  }
}

let dir: string;
let ledger: Ledger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'csv-test-'));
  ledger = Ledger.open(join(dir, 'ledger.db'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

function read(path: string): { bom: boolean; rows: Record<string, string>[]; header: string[]; text: string } {
  const bytes = readFileSync(path);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bytes.subarray(bom ? 3 : 0).toString('utf8');
  const [header, ...records] = parseCsv(text);
  return { bom, header, text, rows: records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

describe('exportCsv', () => {
  it('writes a BOM, the header and one CRLF record per receipt, quoting what needs it', async () => {
    const tricky = ['Smith, Jones & Co', 'The "Best" Diner', 'Line one\nLine two', 'Windows\r\nbreak', 'Ramen 一蘭 — Café Müller 🍜'];
    for (const [i, merchant] of tricky.entries()) ledger.saveReceipt(newReceipt(i, { merchant, date: `2024-01-0${i + 1}` }));
    const out = join(dir, 'out.csv');
    expect(await exportCsv(ledger.exportRows(), out)).toEqual({ rows: tricky.length });

    const { bom, header, rows, text } = read(out);
    expect(bom).toBe(true);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows.map((r) => r.merchant)).toEqual(tricky);
    expect(text).toContain('"Smith, Jones & Co"');
    expect(text).toContain('"The ""Best"" Diner"');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['ledger.db', 'ledger.db-shm', 'ledger.db-wal', 'out.csv']);
  });

  it('neutralises text that a spreadsheet would run as a formula, but never numbers', async () => {
    const attacks = ['=HYPERLINK("http://evil")', '+1+2', '-2+3', '@SUM(A1)', '\tTabbed', '\rReturn', '＝cmd'];
    for (const [i, merchant] of attacks.entries()) {
      ledger.saveReceipt(newReceipt(i, { merchant, date: `2024-02-0${i + 1}`, totalMinor: i === 2 ? -500 : 1000 }));
    }
    const formulaName = newReceipt('file', { date: '2024-03-01', paymentMethod: '=1+1' });
    formulaName.file.fileName = '=evil.jpg';
    ledger.saveReceipt(formulaName);

    const out = join(dir, 'out.csv');
    await exportCsv(ledger.exportRows(), out);
    const { rows, text } = read(out);
    expect(rows.slice(0, attacks.length).map((r) => r.merchant)).toEqual(attacks.map((a) => `'${a}`));
    expect(rows[attacks.length]).toMatchObject({ file_name: "'=evil.jpg", payment_method: "'=1+1" });
    // A refund stays a plain negative number.
    expect(rows[2].total).toBe('-5.00');
    expect(text).toContain(',-5.00,');
  });

  it('neutralises formulas hidden behind whitespace and invisible characters in every text column, as Python’s csv reads them', async () => {
    const hidden = [
      ' =1+1',
      '   @SUM(A1)',
      '\n=1+1',
      '\r\n+1',
      '\u00A0=1+1',
      '\uFEFF=1+1',
      '\u3000=1+1',
      '\u200B=1+1',
      '\u200D\u2060-1+1',
      '\u202E=1',
      '\u3164@x',
    ];
    for (const [i, merchant] of hidden.entries()) {
      const receipt = newReceipt(`hidden-${i}`, { merchant, paymentMethod: merchant, date: `2024-05-${String(i + 1).padStart(2, '0')}` });
      receipt.file.fileName = `${merchant}.jpg`;
      receipt.file.sourcePath = `${merchant}/r.jpg`;
      const saved = ledger.saveReceipt(receipt);
      ledger.update(saved.id, { category: merchant });
    }
    const out = join(dir, 'out.csv');
    await exportCsv(ledger.exportRows(), out);

    // Python's csv module gives each cell as a spreadsheet receives it; the check skips what a spreadsheet
    // may skip (whitespace, control and format characters, fillers) on its own terms, not ours.
    const script = String.raw`
import csv, json, sys, unicodedata
FORMULA = set('=+-@\uff1d\uff0b\uff0d\uff20')
FILLERS = set('\u115f\u1160\u2800\u3164\uffa0')
def skippable(c):
    return c.isspace() or c in FILLERS or unicodedata.category(c) in ('Cc', 'Cf', 'Zs', 'Zl', 'Zp')
live, cells = [], 0
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    rows = list(csv.reader(f))
for row in rows[1:]:
    for cell in row:
        cells += 1
        rest = cell
        while rest and skippable(rest[0]):
            rest = rest[1:]
        if (rest and rest[0] in FORMULA) or cell[:1] in ('\t', '\r'):
            live.append(cell)
print(json.dumps({'rows': len(rows) - 1, 'cells': cells, 'live': live}))
`;
    const result = JSON.parse(execFileSync('python3', ['-c', script, out], { encoding: 'utf8' })) as {
      rows: number;
      cells: number;
      live: string[];
    };
    expect(result.rows).toBe(hidden.length);
    expect(result.cells).toBe(hidden.length * CSV_COLUMNS.length);
    expect(result.live).toEqual([]);
    // Merchant, file name, source path, payment method and the corrected category each got the quote.
    const { rows } = read(out);
    for (const [i, row] of rows.entries()) {
      const value = hidden[i];
      expect(row).toMatchObject({
        merchant: `'${value}`,
        payment_method: `'${value}`,
        category: `'${value}`,
        file_name: `'${value}.jpg`,
        source_path: `'${value}/r.jpg`,
      });
    }
  });

  it('neutralises a formula after any first character a spreadsheet skips, and after no other', async () => {
    ledger.saveReceipt(newReceipt(1));
    const [saved] = [...ledger.exportRows()];
    // Every ASCII character, then some beyond: skipped ones (NBSP, BOM, zero-width space, ideographic space,
    // Hangul filler), a full-width formula start, and plain letters.
    const skipped = ['\u00A0', '\uFEFF', '\u200B', '\u3000', '\u3164', '\uFF1D'];
    const plain = ['é', '一', '🍜'];
    const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
    const firsts = [...ascii, ...skipped, ...plain];
    const cell = (first: string) => `${first}=1+1`;
    const out = join(dir, 'firsts.csv');
    await exportCsv(
      firsts.map((first, i) => ({ ...saved!, id: i + 1, merchant: cell(first) })),
      out,
    );
    // Controls, space and DEL are skipped before the =; = + - @ start a formula themselves.
    const live = (first: string) => {
      const code = first.charCodeAt(0);
      return code <= 0x20 || code === 0x7f || '=+-@'.includes(first) || skipped.includes(first);
    };
    expect(read(out).rows.map((r) => r.merchant)).toEqual(firsts.map((first) => (live(first) ? `'${cell(first)}` : cell(first))));
  });

  it('writes amounts with the currency’s minor digits, flags, and empty cells for missing values', async () => {
    const usd = ledger.saveReceipt(newReceipt('usd', { date: '2024-01-01' }));
    ledger.update(usd.id, { merchant: 'Corner Café', tipMinor: 5, category: 'Meals' });
    ledger.saveReceipt(newReceipt('jpy', { date: '2024-01-02', currency: 'JPY', totalMinor: 1200, subtotalMinor: 1091, taxMinor: 109 }));
    ledger.saveReceipt(newReceipt('kwd', { date: '2024-01-03', currency: 'KWD', totalMinor: 1234, subtotalMinor: null, taxMinor: null }));
    const blank = newReceipt('blank', {
      merchant: null,
      date: null,
      totalMinor: null,
      subtotalMinor: null,
      taxMinor: null,
      currency: null,
      paymentMethod: null,
    });
    ledger.saveReceipt(blank);

    const out = join(dir, 'out.csv');
    await exportCsv(ledger.exportRows(), out);
    const { rows, text } = read(out);
    const [empty, dollars, yen, dinars] = rows; // undated first
    expect(dollars).toMatchObject({
      merchant: 'Corner Café',
      date: '2024-01-01',
      total: '33.90',
      subtotal: '30.00',
      tax: '3.90',
      tip: '0.05',
      currency: 'USD',
      category: 'Meals',
      payment_method: 'card',
      confidence: '0.92',
      needs_review: 'no',
      corrected: 'merchant;tip',
      status: 'ok',
      sha256: usd.sha256,
      source_path: '/scans/receipt-usd.jpg',
    });
    expect(dollars.scanned_at).toBe(usd.scannedAt);
    expect(yen).toMatchObject({ total: '1200', subtotal: '1091', tax: '109', currency: 'JPY' });
    expect(dinars).toMatchObject({ total: '1.234', subtotal: '', tax: '', currency: 'KWD' });
    expect(empty).toMatchObject({
      merchant: '',
      date: '',
      total: '',
      currency: '',
      category: '',
      confidence: '0.00',
      needs_review: 'yes',
      corrected: '',
      status: 'needs review',
    });
    expect(text).not.toContain('"'); // nothing here needed quoting
  });

  it('round-trips a real ledger: every live row, in order, with its values', async () => {
    for (let i = 0; i < 40; i++) {
      ledger.saveReceipt(
        newReceipt(i, { merchant: `Shop ${i}, Ltd "${i % 3}"`, date: `2024-0${1 + (i % 9)}-1${i % 10}`, totalMinor: i * 137 - 900 }),
      );
    }
    ledger.softDelete([3, 4]);
    const expected: ExportedReceipt[] = [...ledger.exportRows()];
    expect(expected).toHaveLength(38);

    const out = join(dir, 'ledger.csv');
    expect(await exportCsv(ledger.exportRows(), out)).toEqual({ rows: 38 });
    const { rows } = read(out);
    expect(rows.map((r) => Number(r.id))).toEqual(expected.map((r) => r.id));
    for (const [i, row] of rows.entries()) {
      const r = expected[i];
      expect(row.merchant).toBe(r.merchant);
      expect(row.date).toBe(r.date);
      expect(Math.round(Number(row.total) * 100)).toBe(r.totalMinor);
    }
  });

  it('names the possible duplicates of each row', async () => {
    const first = ledger.saveReceipt(newReceipt(1));
    const second = ledger.saveReceipt(newReceipt(2));
    const third = ledger.saveReceipt(newReceipt(3));
    ledger.saveReceipt(newReceipt(4, { totalMinor: 1 }));
    const out = join(dir, 'out.csv');
    await exportCsv(ledger.exportRows(), out);
    expect(read(out).rows.map((r) => r.possible_duplicate_of)).toEqual([
      `${second.id};${third.id}`,
      `${first.id};${third.id}`,
      `${first.id};${second.id}`,
      '',
    ]);
  });

  it('keeps every record whole and in order across the chunks it writes', async () => {
    ledger.saveReceipt(newReceipt(1));
    const [saved] = [...ledger.exportRows()];
    const receipt = (id: number): ExportedReceipt => ({ ...saved!, id, merchant: id % 2 ? `Shop "${id}", Ltd` : `Shop ${id}` });
    const ids = Array.from({ length: 1001 }, (_, i) => i + 1);
    const out = join(dir, 'many.csv');
    expect(await exportCsv(ids.map(receipt), out)).toEqual({ rows: 1001 });
    const { rows } = read(out);
    expect(rows.map((r) => Number(r.id))).toEqual(ids);
    expect(rows.map((r) => r.merchant)).toEqual(ids.map((id) => receipt(id).merchant));
  });

  it('writes records longer than a chunk whole, and multi-byte characters intact at chunk edges', async () => {
    ledger.saveReceipt(newReceipt(1));
    const [saved] = [...ledger.exportRows()];
    // 64 KiB chunks: ~90 KB of UTF-8 in one cell, and 3- and 4-byte characters falling on every offset.
    const merchants = [
      'ラーメン一蘭'.repeat(5000),
      ...Array.from({ length: 3000 }, (_, i) => `${'🍜'.repeat(i % 7)}一蘭 ${i}`),
      'Ä'.repeat(70_000),
    ];
    const out = join(dir, 'long.csv');
    await exportCsv(
      merchants.map((merchant, i) => ({ ...saved!, id: i + 1, merchant })),
      out,
    );
    expect(read(out).rows.map((r) => r.merchant)).toEqual(merchants);
  });

  it('writes to a stream', async () => {
    ledger.saveReceipt(newReceipt(1));
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    expect(await exportCsv(ledger.exportRows(), sink)).toEqual({ rows: 1 });
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.startsWith('\uFEFFid,file_name,')).toBe(true);
    expect(parseCsv(text.slice(1))).toHaveLength(2);
  });

  it('leaves no half-written file when the rows fail midway', async () => {
    const out = join(dir, 'out.csv');
    writeFileSync(out, 'previous export');
    function* failing(): Generator<ExportedReceipt> {
      yield* ledger.exportRows();
      throw new Error('disk read failed');
    }
    for (let i = 0; i < 3; i++) ledger.saveReceipt(newReceipt(i));
    await expect(exportCsv(failing(), out)).rejects.toThrow('disk read failed');
    expect(readFileSync(out, 'utf8')).toBe('previous export');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reports a folder that does not exist', async () => {
    await expect(exportCsv(ledger.exportRows(), join(dir, 'missing', 'out.csv'))).rejects.toThrow(/ENOENT/);
  });
});

import { describe, expect, it } from 'vitest';
import { buildRows } from './layout';
import { ocrFromLines, textOnly } from './ocr-fixture';
import { labeledAmounts, pickTotals } from './totals';

const totals = (lines: string[]) => pickTotals(buildRows(ocrFromLines(lines)));

describe('pickTotals', () => {
  it('takes the total, not subtotal, tax, cash or change', () => {
    const t = totals([
      'Coffee        3.00',
      'SUBTOTAL     51.90',
      'TAX           4.68',
      'TOTAL        56.58',
      'CASH        100.00',
      'CHANGE       43.42',
    ]);
    expect(t.total?.minor).toBe(5658);
    expect(t.subtotal?.minor).toBe(5190);
    expect(t.tax?.minor).toBe(468);
    expect(t.warnings).toEqual([]);
    expect(t.total?.confidence).toBeGreaterThan(0.8);
  });

  it('prefers the rounded total after a rounding line', () => {
    const t = totals([
      'TOTAL SALES (INCL GST)   19.99',
      'ROUNDING ADJ              0.01',
      'ROUNDED TOTAL            20.00',
      'CASH                     20.00',
    ]);
    expect(t.total?.minor).toBe(2000);
  });

  it('derives the paid amount from total + rounding when cash confirms it', () => {
    const t = totals(['TOTAL      19.97', 'Rounding   -0.02', 'CASH       50.00', 'CHANGE     30.05']);
    expect(t.total?.minor).toBe(1995);
  });

  it('does not let a misread cash line with no change outvote the printed total', () => {
    // The cash figure is the total with one digit misread; "cash - 0.00" is no arithmetic evidence.
    const t = totals(['SUB-TOTAL 27.27', 'ROUNDING -0.01', 'TOTAL 28.90', 'CASH 58.90', 'CHANGE 0.00']);
    expect(t.total?.minor).toBe(2890);
  });

  it('reads the amount on the next line when the label stands alone', () => {
    const t = totals(['TOTAL', '           RM 9.00']);
    expect(t.total?.minor).toBe(900);
  });

  it('adds printed tip and service charge to the total', () => {
    const t = totals(['Subtotal 40.00', 'Tax 3.20', 'Tip 8.00', 'Total 51.20']);
    expect(t.total?.minor).toBe(5120);
    expect(t.tip?.minor).toBe(800);
  });

  it('adds a service line printed after the total', () => {
    expect(totals(['Totale 442,00', 'Servizio 53,00', 'Tot EURO 495,00']).total?.minor).toBe(49500);
  });

  it('reads a service line above the subtotal as an item, not a charge', () => {
    const t = totals(['Consulting Services 1,150.00', 'Subtotal $1,150.00', 'Tax $84.50', 'Amount Due: $1,234.50']);
    expect(t).toMatchObject({ total: { minor: 123450 }, tip: null, warnings: [] });
  });

  it('ignores suggested tips', () => {
    const t = totals(['Subtotal 40.00', 'Tax 3.20', 'Total 43.20', 'Suggested tip:', '15% = 6.48', '20% = 8.64']);
    expect(t.total?.minor).toBe(4320);
    expect(t.tip).toBeNull();
  });

  it('reads an item table headed "Amount Tax" above the total, and skips the tax-code table below it', () => {
    const t = totals([
      'Description  Qty  Price  Amount  Tax',
      '587 1  7.42      7.42  SR',
      'Total Sales (Excluding GST)  7.00',
      'Total GST                    0.42',
      'Total Sales (Inclusive of GST) (742 )',
      'CASH                         7.42',
      'Change                       0.00',
      'TaxCode  %  Amt(RM)  Tax(RM)',
      'SR       6   7.00    0.42',
      'Total :      7.00    0.42',
    ]);
    expect(t).toMatchObject({ total: { minor: 742 }, subtotal: { minor: 700 }, tax: { minor: 42 } });
  });

  it('takes the total that the section totals above it add up to', () => {
    const t = totals([
      'Bread 2.13 3 6.39',
      'Total 0% supplies: 26.61',
      'Cake 0.72 20 14.40',
      'Total 6% supplies (excl. GST): 14.40',
      'GST: 0.86',
      'Total 6% supplies (Inc. GST): 15.26',
      'Total 0% supplies: 26.61',
      'Total Payable: 41.87',
    ]);
    expect(t.total?.minor).toBe(4187);
    // The subtotal and GST are the 6% section's and add up to its total: nothing to check by hand.
    expect(t.warnings).toEqual([]);
  });

  it('reads a leading 5 as the dollar sign on a receipt that prints $ before every figure', () => {
    const items = ['1 Steak $22.95', '1 Noodle $20.75', '1 Roll $15.85', '2 Tuna $13.00'];
    expect(totals([...items, 'Tax $6.93', 'Total: 593.58']).total?.minor).toBe(9358);
    // Without the signs, 593.58 is just a figure.
    expect(totals([...items.map((l) => l.replace('$', '')), 'Tax 6.93', 'Total: 593.58']).total?.minor).toBe(59358);
  });

  it('takes the total from the tender less a "Balance Return" handed back', () => {
    const t = totals(['Gents Styling 300.00', 'SGST @ 9% 27.00', 'CGST @ 9% 27.00', 'Tender: 504.00', 'Balance Return: 150.00']);
    expect(t.total?.minor).toBe(35400);
  });

  it('takes a payment with a zero balance under it as the bill', () => {
    // The service charge's label misread: the running subtotal's figure is lost, the cash paid says it.
    const lines = ['ESPRESSO 300.00X 900.00', 'SUB TOTAL 900.00', 'Sarvlce Dharge 10 90:00', 'SUB TOTAL', 'CASH 990.00'];
    expect(totals([...lines, 'BALANCE 0.00']).total?.minor).toBe(99000);
    // Without it, the cash may be a round note handed over: the subtotal wins.
    expect(totals(lines).total?.minor).toBe(90000);
  });

  it('reads a leading S as the dollar sign on a receipt that prints $ at all', () => {
    const items = ['BANANAS 0.34', 'SPINACH 1.99'];
    expect(totals([...items, 'SUBTOTAL S2.33', 'Change $0.00']).total?.minor).toBe(233);
    // With no $ anywhere the S is read as the 5 it looks like.
    expect(totals([...items, 'SUBTOTAL S2.33', 'Change 0.00']).total?.minor).toBe(5233);
  });

  it('reads the dollar sign as 5 in a figure printed on the line under its label', () => {
    const items = ['1 Steak $22.95', '1 Noodle $20.75', '1 Roll $15.85', '2 Tuna $13.00'];
    expect(totals([...items, 'Tax $6.93', 'Total:', '593.58']).total?.minor).toBe(9358);
  });

  it('reads a leading S as the dollar sign there too, whatever the figure', () => {
    const items = ['1 Rice $7.10', '1 Tea $1.10', 'GST @6%: $0.46', 'Cash $10.00'];
    expect(totals([...items, 'Nett Total: S8.20']).total?.minor).toBe(820);
    // A 5 before one digit may be the figure's own.
    expect(totals([...items, 'Nett Total: 58.20']).total?.minor).toBe(5820);
  });

  it('does not take a taxable-amount figure as large as the subtotal for the tax', () => {
    const t = totals(['SUBTOTAL 43.40', 'TAX AMT 43.40', 'TOTAL 43.40', 'CASH 43.40']);
    expect(t).toMatchObject({ total: { minor: 4340 }, tax: null, warnings: [] });
  });

  it('does not warn about the sum on a receipt whose prices include the tax', () => {
    const t = totals(['Total Amount: $7.10', 'GST @6%: $0.40', 'Nett Total: $7.10', 'CASH $7.10', '(Price Inclusive Of GST)']);
    expect(t).toMatchObject({ total: { minor: 710 }, warnings: [] });
    // Without that line the same figures do not add up.
    expect(totals(['Total Amount: $7.10', 'GST @6%: $0.40', 'Nett Total: $7.10', 'CASH $7.10']).warnings).toHaveLength(1);
  });

  it('takes a credit printed under the subtotal off the bill', () => {
    const t = totals(['Pasta 12.00', 'Wine 30.00', 'Subtotal 42.00', 'Voucher -5.00', 'Tax 2.96', 'Total 39.96', 'Visa 39.96']);
    expect(t).toMatchObject({ total: { minor: 3996 }, warnings: [] });
    // The credit is what makes the printed total add up.
    expect(totals(['Subtotal 42.00', 'Voucher -5.00', 'Tax 2.96', 'Total 39.96']).total?.confidence).toBeGreaterThan(
      totals(['Subtotal 42.00', 'Voucher 5.00', 'Tax 2.96', 'Total 39.96']).total?.confidence ?? 1,
    );
  });

  it('ignores tax summary tables', () => {
    const t = totals(['TOTAL           10.60', 'GST SUMMARY   AMOUNT   TAX', 'SR @ 6%       10.00   0.60', 'TOTAL         10.00   0.60']);
    expect(t.total?.minor).toBe(1060);
  });

  it('survives OCR confusions in labels and amounts', () => {
    const t = totals(['SUBT0TAL 1O.OO', 'T0TAL 1O.6O', 'CASH 2O.OO', 'CHANGE 9.4O']);
    expect(t.total?.minor).toBe(1060);
  });

  it('warns when subtotal and tax do not add up to the total', () => {
    const t = totals(['SUBTOTAL 10.00', 'TAX 1.00', 'TOTAL 15.00']);
    expect(t.total?.minor).toBe(1500);
    expect(t.warnings[0]).toMatch(/does not equal total/);
    expect(t.total?.confidence).toBeLessThanOrEqual(0.6);
  });

  it('gives change from the amount handed over', () => {
    expect(totals(['Subtotal: £16.35', 'Tendered: £20.00', 'Change: £2.01', 'Cash: £17.99']).total?.minor).toBe(1799);
  });

  it('takes a tax-inclusive subtotal when cash and change confirm it', () => {
    expect(totals(['SUBTOTAL RM96.20', 'GST 6% RM5.45', 'CASH RM100.00', 'YOUR CHANGE RM3.80']).total?.minor).toBe(9620);
  });

  it('falls back to cash minus change without a total label', () => {
    const t = totals(['Bread 4.50', 'Milk 3.00', 'CASH 10.00', 'CHANGE 2.50']);
    expect(t.total?.minor).toBe(750);
  });

  it('guesses the largest line amount when no label was read, not a unit price', () => {
    const t = totals(['2 Taquitos (615.00/ea) 30.00', '1 Mole Enchilada 19.00', 'Sal 49.00']);
    expect(t.total?.minor).toBe(4900);
    expect(t.total?.confidence).toBeLessThan(0.5);
  });

  it('reports no total when nothing is printed', () => {
    const t = totals(['THANK YOU']);
    expect(t.total).toBeNull();
    expect(t.warnings).toContain('no total found');
  });

  it('reads a total whose decimal point was lost when the cash line confirms it', () => {
    const t = totals(['Total Sales Inclusive GST: 3045', 'Cash Received: 30.50', 'Change: 0.05']);
    expect(t.total?.minor).toBe(3045);
  });

  it('treats a large figure on a rounding line as the rounded total', () => {
    expect(totals(['Total Sales 52.08', 'Rounding Adj', 'Rounding 52.10', 'CASH 60.00']).total?.minor).toBe(5210);
    expect(totals(['SUBTOTAL 16.00', 'ROUNDING 5.00', 'TOTAL 16.00']).total?.minor).toBe(1600);
  });

  it('counts a card payment as agreement with the total', () => {
    expect(totals(['Total 88.17', 'Visa 88.17', 'Total Gross 86.17']).total?.minor).toBe(8817);
  });

  it('takes a running subtotal printed after the tax as the total', () => {
    expect(totals(['Sub Total: 48.85', 'Tax: 3.91', 'Sub Total: 52.76', 'Tip not included', '18% 9.50']).total?.minor).toBe(5276);
  });

  it('does not take a table header as the label of the row under it', () => {
    const t = totals(['ITEM QTY U/P AMOUNT', '6194020100124 4 11.32 45.28', 'SUB-TOTAL 45.28', 'TAX 0.00', 'TOTAL 48.00', 'CASH 48.00']);
    expect(t.total?.minor).toBe(4800);
  });

  it('does not hand the first item to a short table header naming the amount column', () => {
    const rows = buildRows(ocrFromLines(['QTY ITEM Amt', '1 HiChk Steak $22.95', '1 Sushi Deluxe $20.75', 'Tax $3.49', 'Total: $47.19']));
    expect(labeledAmounts(rows).map((l) => [l.kind, l.minor])).toEqual([
      ['tax', 349],
      ['total', 4719],
    ]);
  });

  it('does not add up a total from a subtotal whose decimal point was guessed, but checks the printed one against it', () => {
    // "$86.65" read as "58665": the point lost and the sign read as 5. Guessed as 586.65, it plus the tax
    // is "S93.58" read as 593.58; the printed total is 93.58.
    const t = totals(['1 Steak $22.95', '1 Noodle $63.70', 'Subtotal 58665', 'Tax $6.93', 'Total: S93.58']);
    expect(t.total?.minor).toBe(9358);
    expect(t.warnings).toEqual(['subtotal 586.65 + tax 6.93 does not equal total 93.58']);
  });

  it('does not read an invoice number as a lost-point tax', () => {
    const t = totals(['SUBTOTAL RM20.40', 'CASH RM20.40', 'TAX INVOICE NO 223894']);
    expect(t).toMatchObject({ total: { minor: 2040 }, tax: null });
  });

  it('trusts cash arithmetic over a total read through letter-for-digit confusions', () => {
    // "RMS 20" is RM 7.20 with the 7 misread: the figure itself is doubtful, the payment lines are not.
    expect(totals(['Nasi Goreng 7.20', 'TOTAL INCL TAX RMS 20', 'TENDERED 10.00', 'CHANGE 2.80']).total?.minor).toBe(720);
  });

  it('takes a larger running subtotal as the total when the tax line was not read', () => {
    expect(totals(['Sub Total: 40.00', 'Sub Total: 43.30', 'TOTAL : ## ###']).total?.minor).toBe(4330);
    // A rounded subtotal after a rounding line still comes from the first subtotal plus rounding.
    expect(totals(['SUBTOTAL 20.03', 'ROUNDING 0.02', 'SUBTOTAL 20.05', 'CASH 30.50', 'CHANGE 10.05']).total?.minor).toBe(2005);
  });

  it('reads the amount a pay machine accepted as the tender, not the total', () => {
    expect(totals(['Parking fee 5.00', 'Accepted total 10.00', 'Change 5.00']).total?.minor).toBe(500);
  });

  it('corrects a total one poorly read digit away from subtotal + tax, and says so', () => {
    const ocr = ocrFromLines(['SUB-TOTAL 25.22', 'Food Tax 1.74', 'TOTAL 26.90']);
    ocr.lines[2].words[1].confidence = 0.7;
    const t = pickTotals(buildRows(ocr));
    expect(t.total).toEqual({ minor: 2696, confidence: 0.6 });
    expect(t.warnings).toEqual(['total printed as 26.90 read as 26.96, the sum of subtotal and tax (one digit was poorly read)']);
    // Read as surely as its parts, or confirmed by the card charge, the printed total stands.
    expect(totals(['SUB-TOTAL 25.22', 'Food Tax 1.74', 'TOTAL 26.90']).total?.minor).toBe(2690);
    ocr.lines.push({ ...ocr.lines[2], text: 'VISA 26.90', words: [{ ...ocr.lines[2].words[0], text: 'VISA' }, ocr.lines[2].words[1]] });
    ocr.lines[3].words = ocr.lines[3].words.map((w) => ({ ...w, bbox: { ...w.bbox, y0: w.bbox.y0 + 30, y1: w.bbox.y1 + 30 } }));
    expect(pickTotals(buildRows(ocr)).total?.minor).toBe(2690);
  });

  it('keeps a less surely read total that the rounding adjustment or cash less change accounts for', () => {
    const unsure = (lines: string[], row: number) => {
      const ocr = ocrFromLines(lines);
      ocr.lines[row].words.at(-1)!.confidence = 0.7;
      return pickTotals(buildRows(ocr));
    };
    // 8.90 + 0.53 is 9.43, one digit off 9.45; the printed 0.02 makes up the difference.
    const rounded = unsure(
      ['Total Sales (Excluding GST) 8.90', 'Total GST 0.53', 'Rounding 0.02', 'Total Sales (Inclusive of GST) 9.45'],
      3,
    );
    expect(rounded.total?.minor).toBe(945);
    expect(rounded.warnings).toEqual([]);
    expect(unsure(['SUB-TOTAL 25.22', 'Food Tax 1.74', 'TOTAL 26.90', 'CASH 30.00', 'CHANGE 3.10'], 2).total?.minor).toBe(2690);
    // Without either, the sum wins, as above.
    expect(unsure(['Total Sales (Excluding GST) 8.90', 'Total GST 0.53', 'Total Sales (Inclusive of GST) 9.45'], 2).total?.minor).toBe(943);
  });

  it('does not add a tax line that says the tax is included to the subtotal', () => {
    expect(totals(['SALTED F.RICE 8.50', 'SUBTOTAL 28.70', 'INC 6% GST 1.62']).total?.minor).toBe(2870);
    expect(totals(['SALTED F.RICE 8.50', 'SUBTOTAL 28.70', 'GST 6% 1.62']).total?.minor).toBe(3032);
  });

  it('takes a discount under the subtotal off it, printed with a minus sign or not', () => {
    const lines = ['Sub-Total 57.00', 'Coupon Discount : 17.40', 'Payment : 40.00', 'Change Due 0.40', '*6% GST Included : 2.24'];
    expect(totals(lines).total?.minor).toBe(3960);
    expect(totals(lines.map((l) => l.replace(': 17.40', '-17.40'))).total?.minor).toBe(3960);
    // Subtotal less discount is the total when the tax is included: nothing to check by hand.
    expect(totals(['Sub-Total 25.60', 'Coupon Discount 21.70', 'Grand Total 3.90', '*6% GST Included 0.22'])).toMatchObject({
      total: { minor: 390 },
      tax: { minor: 22 },
      warnings: [],
    });
  });

  it("takes the tax under the subtotal as the bill's, not a tax column of the item table above it", () => {
    const t = totals(['SET LUNCH 27.27', 'GST 6% 14.90', 'SUBTOTAL 27.27', 'GST 1.64', 'ROUNDING -0.01', 'TOTAL 28.90']);
    expect(t).toMatchObject({ total: { minor: 2890 }, tax: { minor: 164 }, warnings: [] });
    // With no tax line under the subtotal, one above it is the tax.
    expect(totals(['GST 6% 1.64', 'SUBTOTAL 27.27', 'TOTAL 28.91']).tax?.minor).toBe(164);
  });

  it('takes, of several subtotals, the one its tax adds up to the total with', () => {
    expect(totals(['Sub Total 43.90', 'Total 43.90', 'Sub Total 41.42', 'GST 6% 2.48', 'CASH 100.00', 'CHANGE 56.10'])).toMatchObject({
      total: { minor: 4390 },
      subtotal: { minor: 4142 },
      warnings: [],
    });
    expect(totals(['Food Sub-Total 6.74', 'Best Looking -0.65', 'SUB TOTAL 6.09', 'Sales Tax 0.56', 'TOTAL: 6.65']).subtotal?.minor).toBe(
      609,
    );
  });

  it('does not give a bare total label the figure of a row under it that names its own', () => {
    // "Amount: 114.95" read without its figure: the share of a split bill under it is not the total.
    expect(totals(['SubTotal: 104.50', 'Tax: 10.45', 'Amount:', 'Even Split (4): 28.74']).total?.minor).toBe(11495);
    // A figure alone, or after its currency, is the label's.
    expect(totals(['Cash Advance 9.00', 'Amount:', 'RM: 5.00']).total?.minor).toBe(500);
    expect(totals(['Cash Advance 9.00', 'TOTAL', '$5.00']).total?.minor).toBe(500);
  });

  it('prefers a printed total over a subtotal alone when the tax between them was not read', () => {
    expect(totals(['Pasta 252.98', 'Total: 288.40', 'R252.98 Total Exc']).total?.minor).toBe(28840);
  });

  it('reads a net total that tax and a later total add up to as the subtotal', () => {
    expect(totals(['Net Total 80.00', 'Tax 6.40', 'Total 86.40'])).toMatchObject({
      total: { minor: 8640 },
      subtotal: { minor: 8000 },
      warnings: [],
    });
    expect(totals(['Net Total 80.00', 'Tax 6.40', 'Total 99.00']).subtotal).toBeNull();
  });

  it('takes subtotal + tax when two readings of the total are each one digit off it', () => {
    const t = totals(['Net Total: $80.00', 'Tax $6.40', 'TOTAL: $86.49', 'Amount Due: $36.40']);
    expect(t.total?.minor).toBe(8640);
    expect(t.warnings[0]).toMatch(/read as 86.40/);
  });

  it('takes what was paid with no change due over a net total before VAT', () => {
    const t = totals(['Cash GBP 6.40', 'Net Total. GBP5.33', 'Subtotal GBP6.40', 'Payment GBP 6.40', 'Change Due GBP 0.00']);
    expect(t.total?.minor).toBe(640);
    // Change given back: the cash handed over is not the bill.
    expect(totals(['TOTAL 56.58', 'CASH 60.00', 'CHANGE 3.42']).total?.minor).toBe(5658);
  });

  it('takes the size of a total printed only with a minus sign', () => {
    expect(totals(['Iced Tea 24.00', 'Fruit Salad 22.00', 'Total', 'Card -59.00']).total?.minor).toBe(5900);
    expect(totals(['REFUND', 'TOTAL -3.13']).total?.minor).toBe(313);
    // A negative line beside a positive total is a credit, not the bill.
    expect(totals(['TOTAL 20.00', 'TOTAL SAVED -2.00']).total?.minor).toBe(2000);
  });

  it('reads a money block whose figures sit a row above their labels when only then they add up', () => {
    // 79.50 + 6.76 = 86.26; the total's label has no figure of its own.
    expect(totals(['Tomato', 'Sunomono 79.50', 'Subtotal 6.76', 'SALES TAX 86.26', 'Total', 'THANK YOU']).total?.minor).toBe(8626);
    // Over two subtotals: 0.00 + 19.90 + 1.79 = 21.69.
    const twoSubtotals = ['0.00', 'Bar Subtotal: 19.90', 'Food Subtotal: 1.79', 'Tax 1:', '$21.69', 'AMOUNT DUE:', 'Cash Tendered: 22.00'];
    expect(totals(twoSubtotals).total?.minor).toBe(2169);
    // Figures beside their labels that add up are read as printed, whatever their neighbours make.
    expect(totals(['Soup 4.00', 'Subtotal 4.00', 'Tax 0.32', 'Total 4.32', 'Cash 4.32']).total?.minor).toBe(432);
  });

  it('works on text without boxes', () => {
    expect(pickTotals(buildRows(textOnly(['Sub Total 5.00', 'Total', '5.30']))).total?.minor).toBe(530);
  });
});

describe('pickTotals in the currency minor units', () => {
  it('adds up whole yen', () => {
    const t = pickTotals(buildRows(ocrFromLines(['SUBTOTAL ¥1,164', 'TAX 10% ¥116', 'TOTAL ¥1,280', 'CASH ¥2,000', 'CHANGE ¥720'])), 'JPY');
    expect(t).toMatchObject({ total: { minor: 1280 }, subtotal: { minor: 1164 }, tax: { minor: 116 }, warnings: [] });
  });

  it('adds up dinars in fils and words a mismatch in them', () => {
    const rows = (total: string) => buildRows(ocrFromLines(['SUBTOTAL 3.000', 'VAT 0.150', 'SERVICE 0.100', `TOTAL KWD ${total}`]));
    expect(pickTotals(rows('3.250'), 'KWD')).toMatchObject({
      total: { minor: 3250 },
      tax: { minor: 150 },
      tip: { minor: 100 },
      warnings: [],
    });
    expect(pickTotals(rows('3.500'), 'KWD').warnings).toEqual([
      'subtotal 3.000 + tax 0.150 + tip/service 0.100 does not equal total 3.500',
    ]);
  });
});

describe('labeledAmounts', () => {
  it('takes the rightmost amount of a labelled line', () => {
    const rows = buildRows(ocrFromLines(['TOTAL   3 @ 3.00   9.00']));
    expect(labeledAmounts(rows)).toEqual([
      { kind: 'total', minor: 900, rowIndex: 0, amountRowIndex: 0, weak: false, repaired: false, ocrConfidence: 0.9 },
    ]);
  });
});

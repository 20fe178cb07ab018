import { describe, expect, it } from 'vitest';
import { buildRows } from './layout';
import { pickMerchant } from './merchant';
import { ocrFromLines, textOnly } from './ocr-fixture';

const merchant = (lines: string[]) => pickMerchant(buildRows(ocrFromLines(lines)))?.name ?? null;

describe('pickMerchant', () => {
  it('takes the business name at the top', () => {
    expect(merchant(['GREEN FIELD', '5305 E PACIFIC COAST HWY', 'Long Beach, CA 90804', '(562) 597-0906'])).toBe('GREEN FIELD');
  });

  it('skips a stray lower-case note above the printed header', () => {
    expect(merchant(['john smith', 'KEDAI RUNCIT MAJU SDN BHD', '(123456-X)', 'NO 5, JALAN 3'])).toBe('KEDAI RUNCIT MAJU SDN BHD');
  });

  it('skips logo noise, document titles, registration and tax numbers', () => {
    expect(merchant(['~ ;: ]', 'TAX INVOICE', 'GST ID: 001234567890', 'CO. REG: 98765-A', 'SUNRISE TRADING'])).toBe('SUNRISE TRADING');
  });

  it('prefers a name with a business word over an address line', () => {
    expect(merchant(['12 HIGH STREET', 'BLUE DOOR CAFE'])).toBe('BLUE DOOR CAFE');
  });

  it('joins a name broken over two lines after "&"', () => {
    expect(merchant(['HOME MASTER HARDWARE &', 'ELECTRICAL', 'NO. 113G JALAN SETIA'])).toBe('HOME MASTER HARDWARE & ELECTRICAL');
  });

  it('works on text without boxes and gives up on an empty header', () => {
    expect(pickMerchant(buildRows(textOnly(['The Corner Deli', 'Date 01/02/2019'])))?.name).toBe('The Corner Deli');
    expect(merchant(['12/01/2019 10:22', 'TEL 555-1234'])).toBeNull();
  });
});

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
    expect(merchant(['MOONLIGHT CAKE HOUSE SON BHD 802723-U -', 'NO 1, JALAN 2'])).toBe('MOONLIGHT CAKE HOUSE SDN BHD');
    expect(merchant(['BAKERIES (KL) SDN BHD (139386 X)', 'Lot 3, Jalan 23/1'])).toBe('BAKERIES (KL) SDN BHD');
    expect(merchant(['Dion Realties Sdn Bhd (Co. No:20154-T)'])).toBe('Dion Realties Sdn Bhd');
    expect(merchant(["KING'S BAKERY S/B 273500-U (KSB)", 'NO.41, JALAN 2'])).toBe("KING'S BAKERY S/B");
    expect(merchant(['Dimiliki oleh T PLUS F&B SDN. BHD. ) i'])).toBe('Dimiliki oleh T PLUS F&B SDN BHD.');
    // A title in another language is a title too.
    expect(merchant(['FACTURA SIMPLIFICADA', 'MERCADO SOL', 'CL ATOCHA 22'])).toBe('MERCADO SOL');
    expect(merchant(['RICEVUTA FISCALE', 'BAR CENTRALE', 'VIA ROMA 5'])).toBe('BAR CENTRALE');
  });

  it('repairs a legal form read with one letter wrong and drops a registration number read with letters', () => {
    expect(merchant(['SINAR JAYA SDI BHD', 'NO 5, JALAN 3'])).toBe('SINAR JAYA SDN BHD');
    expect(merchant(['Sinar Jaya Sin Bhd', 'NO 5, JALAN 3'])).toBe('Sinar Jaya Sdn Bhd');
    expect(merchant(['77 MINI MART 5/B', 'NO 5, JALAN 3'])).toBe('77 MINI MART S/B');
    expect(merchant(['SINAR JAYA SDN BHD 5O3Z1o-U', 'NO 5, JALAN 3'])).toBe('SINAR JAYA SDN BHD');
  });

  it('takes the name above a line of trade words, and skips a shopping slogan', () => {
    expect(merchant(['yd', 'OLD OAK', 'BISTRO & CAFE', '12, JALAN 4'])).toBe('OLD OAK');
    expect(merchant(['TQ FOR SHOPPING WITH minimart com', 'SERI MAJU REST AREA', 'LOT 7, JALAN 1'])).toBe('SERI MAJU REST AREA');
  });

  it('takes the fuller form of a name printed twice, but not a branch after it', () => {
    expect(merchant(['LUMIERE) X', 'FISH HOUSE', 'Bellamy Fish House (030)', '12 Main St, Arlington, TX 76011'])).toBe(
      'Bellamy Fish House',
    );
    expect(merchant(['PIZZA PALACE', 'GST NO: 001234', 'PIZZA PALACE TAMAN JAYA', '30, Jln 7, Tmn Jaya'])).toBe('PIZZA PALACE');
  });

  it('knows the name printed twice when one of its readings has a letter wrong, but not in a social-media line', () => {
    expect(merchant(['PAPPADEAUY', 'SEAFOOD KITCHEN', 'Pappadeaux Seafood Kitchen (030)', '1304 Copeland Rd, Arlington, TX 76011'])).toBe(
      'Pappadeaux Seafood Kitchen',
    );
    expect(merchant(['TAY HO OAKLAND', 'Elegant Vietnamese Cuisine', '@tayhooakland #tayhooak1and'])).toBe('TAY HO OAKLAND');
    // In a short name one letter makes another word (MOKA, MOKE).
    expect(merchant(['MOKA', '12 Main St, Springfield, IL 62701', 'HOME MOKE'])).toBe('MOKA');
  });

  it('skips a city printed over its state and ZIP', () => {
    expect(merchant(['Oyaji Ramen', 'SAN FRANCISCO', 'CA 94121', '(415) 379-3604'])).toBe('Oyaji Ramen');
  });

  it('skips a Canadian or British postcode line', () => {
    expect(merchant(['CALGARY AB T2P 1J9', 'Maple Corner'])).toBe('Maple Corner');
    expect(merchant(['LONDON SW1A 1AA', 'Maple Corner'])).toBe('Maple Corner');
  });

  it('keeps the shop name over a legal name printed under the address', () => {
    expect(merchant(['Ozen Zanmai - The Garden:', 'LG K02, The Gardens,', '53200 Kuala Lumpur.', 'Super Sushi Sdn Bhd (758027-D)'])).toBe(
      'Ozen Zanmai - The Garden',
    );
  });

  it('prefers a name with a business word over an address line', () => {
    expect(merchant(['12 HIGH STREET', 'BLUE DOOR CAFE'])).toBe('BLUE DOOR CAFE');
  });

  it('takes a name with a street word but no number over a short line under it', () => {
    expect(merchant(['EAT STREET', 'HIA', 'SALES RECEIPT'])).toBe('EAT STREET');
    expect(merchant(['SUN DINER', 'JALAN BUKIT BINTANG', 'KUALA LUMPUR'])).toBe('SUN DINER');
  });

  it('does not take a street address or a short name for a phone label', () => {
    expect(merchant(['Nancy ss', '255-41 Jericho Turnpike', 'Floral Park, NY 11001'])).toBe('Nancy ss');
    expect(merchant(['#14', 'HP Pho Ga', '8930 Mission Dr. #102', 'Phone (626)288-9999'])).toBe('HP Pho Ga');
  });

  it('does not join logo noise read with low confidence above a name', () => {
    const rows = buildRows(ocrFromLines(['LWQESONS', "Watson's Personal Care Stores Sdn Bhd"]));
    rows[0].confidence = 0.24;
    expect(pickMerchant(rows)?.name).toBe("Watson's Personal Care Stores Sdn Bhd");
  });

  it('joins a line that only names the trade to the name beside it', () => {
    expect(merchant(["MARIANACCI'S", 'RESTAURANT', 'TABLE 4 CHECK 39'])).toBe("MARIANACCI'S RESTAURANT");
    expect(merchant(['RISTORANTE', 'BELLAGIO', 'TELEFONO 031/951888'])).toBe('RISTORANTE BELLAGIO');
  });

  it('does not join the street address under a name that is one trade word', () => {
    expect(merchant(['SUPERMARKET', '2000 AVONDALE DR', 'DURHAM, NC 27704'])).toBe('SUPERMARKET');
  });

  it('skips table headers, money lines and order-number banners', () => {
    expect(merchant(['QTY Each Total', 'Waurn Ponds Deli'])).toBe('Waurn Ponds Deli');
    expect(merchant(['YOUR GUEST NUMBER IS', 'IN-N-OUT BURGER'])).toBe('IN-N-OUT BURGER');
    expect(merchant(['Cafe Latte 4.50', 'Harbor Bakery'])).toBe('Harbor Bakery');
  });

  it('skips a field with its value and a farewell slogan', () => {
    expect(merchant(['ExtraCare Card #: *xxxxx', 'Pharmacy Plus'])).toBe('Pharmacy Plus');
    expect(merchant(['THANK YOU', 'HANA YUU FOR VISITING', 'KOBE SUSHI BISTRO'])).toBe('KOBE SUSHI BISTRO');
    expect(merchant(['Payment Date', 'Harbor Telecom'])).toBe('Harbor Telecom');
  });

  it('drops the time or date printed at the end of the name line', () => {
    expect(merchant(['2012-04-27', 'YOUR GUEST NUMBER IS', '12', 'IN-N-OUT BURGER SANTA CLARA 12:48 PM', '2012-04-27'])).toBe(
      'IN-N-OUT BURGER SANTA CLARA',
    );
    expect(merchant(['CORNER CAFE 14/03/2024', '12 Main St'])).toBe('CORNER CAFE');
    // A line that is only a date and time is still no name.
    expect(merchant(['14/03/2024 12:48', 'CORNER CAFE'])).toBe('CORNER CAFE');
  });

  it('keeps a store number after the name', () => {
    expect(merchant(["CHURCH'S CHICKEN #4717", '7635 WINNETKA', 'CANOGA PARK CA'])).toBe("CHURCH'S CHICKEN #4717");
    expect(merchant(['Er DOUGLAS BURGERS #15 be', '11325 Washington Blvd'])).toBe('DOUGLAS BURGERS #15');
  });

  it('joins a short line in the same mixed case above a legal name, not an address', () => {
    expect(merchant(['Ampang Point', 'First City Parking Sdn Bhd', '(961394-X)', 'A-09-10 Prima Avenue'])).toBe(
      'Ampang Point First City Parking Sdn Bhd',
    );
    expect(merchant(['Jalan Maju 3', 'Kedai Runcit Sdn Bhd', '(961394-X)'])).toBe('Kedai Runcit Sdn Bhd');
    expect(merchant(['Thank you for coming', 'Kedai Runcit Sdn Bhd'])).toBe('Kedai Runcit Sdn Bhd');
  });

  it('skips web addresses', () => {
    expect(merchant(['Www .nancysrestaurant .net', 'Nancys'])).toBe('Nancys');
  });

  it('joins a name broken over two lines after "&"', () => {
    expect(merchant(['HOME MASTER HARDWARE &', 'ELECTRICAL', 'NO. 113G JALAN SETIA'])).toBe('HOME MASTER HARDWARE & ELECTRICAL');
    expect(merchant(['Friendly Reds', 'of Windham', '22 Haverhill Rd'])).toBe('Friendly Reds of Windham');
    expect(merchant(['PASARAYA BORONG PINTAR', 'SDN BHD', '(124525-H)'])).toBe('PASARAYA BORONG PINTAR SDN BHD');
    expect(merchant(['AIK HUAT HARDWARE (SETIA', 'ALAM) SDN BHD'])).toBe('AIK HUAT HARDWARE (SETIA ALAM) SDN BHD');
    expect(merchant(['AIK HUAT HARDWARE', 'ENTERPRISE (SETIA', 'ALAM) SDN BHD', ': 822737-X'])).toBe(
      'AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD',
    );
  });

  it('joins a legal name that starts with "Co." to the name above it, even a trade word', () => {
    expect(merchant(['POPULAR BOOK', 'CO. (M) SDN BHD', '(Co. No. 113825-W)', 'No 8, Jalan 7/118B'])).toBe('POPULAR BOOK CO. (M) SDN BHD');
  });

  it('takes a logo name printed over two lines from the line that writes it out', () => {
    expect(merchant(['PAPPADEAUX', 'SEAFOOD KITCHEN', 'Pappadeaux Seafood Kitchen', '1304 Copeland Rd, Arlington, TX 76011'])).toBe(
      'Pappadeaux Seafood Kitchen',
    );
  });

  it('takes the name above a line that names the kind of food', () => {
    expect(merchant(['Kaiseki', 'Japanese Cuisine', 'West Merrick Rd Valley Stream, NY 11580'])).toBe('Kaiseki');
  });

  it('keeps a legal name with words of its own whole, and joins one of trade words only to the line above', () => {
    expect(merchant(['A PIE THING', 'FOUR QUARTERS SDN BHD (1U79369-P)', 'No.128G JLN SS21/35'])).toBe('FOUR QUARTERS SDN BHD');
    expect(merchant(['FOODTOWN', 'SUPERMARKETS LIMITED', '12 High St'])).toBe('FOODTOWN SUPERMARKETS LIMITED');
  });

  it('does not repeat a logo word printed over the full name', () => {
    expect(merchant(['PREMIO', 'PREMIO STATIONERY SDN BHD', '(Co. No.: 123769-W)', 'F-G-01 JALAN SS 6/5B'])).toBe(
      'PREMIO STATIONERY SDN BHD',
    );
  });

  it('does not join a smaller slogan line under a name ending in "&"', () => {
    const ocr = ocrFromLines(['Tay Ho Oakland &', 'Elegant Vietnamese Cuisine', '12 Main St']);
    // The name is printed large, the slogan under it in the body's type.
    for (const w of ocr.lines[0].words) w.bbox.y1 = w.bbox.y0 + 30;
    expect(pickMerchant(buildRows(ocr))?.name).toBe('Tay Ho Oakland');
  });

  it('joins one trade word printed under the name, in its type or smaller, but not several', () => {
    expect(merchant(['MIAMI SCIENCE', 'MUSEUM', '3280 S Miami Ave'])).toBe('MIAMI SCIENCE MUSEUM');
    expect(merchant(['THREE STOOGES', 'BISTRO & CAFE', '109, SS21/1A,'])).toBe('THREE STOOGES');
    const ocr = ocrFromLines(['CAVALIERE', 'Restaurant', '1010, Wallnerstrasse 4']);
    // A logo name over the trade word in the body's type.
    for (const w of ocr.lines[0].words) w.bbox.y1 = w.bbox.y0 + 30;
    expect(pickMerchant(buildRows(ocr))?.name).toBe('CAVALIERE Restaurant');
  });

  it('reads an article opening a name as a word, and a check or table number as no name', () => {
    expect(merchant(['La Cabana', 'Helen,GA', 'CHK# 29 TBL# 1 5', 'Amber'])).toBe('La Cabana');
  });

  it('takes no name from specks of one or two letters, and drops lower-case specks at the ends of a capital name', () => {
    expect(merchant(['i Bt Ha', 'DOUGLAS BURGERS', '11325 Washington Blvd'])).toBe('DOUGLAS BURGERS');
    expect(merchant(['Ee : PAGOH REST AND SERVICE AREA', 'LOT R1, KWS REHAT'])).toBe('PAGOH REST AND SERVICE AREA');
    expect(merchant(['99 SPEED MART Ein', 'LOT 2, JALAN 1'])).toBe('99 SPEED MART');
  });

  it('skips many specks over a real name, and a city line with a store number', () => {
    expect(merchant(['SBP HS Ui fr «', 'DOUGLAS BURGERS'])).toBe('DOUGLAS BURGERS');
    expect(merchant(['OMAHA, NE #1012', 'Costco Wholesale'])).toBe('Costco Wholesale');
  });

  it('works on text without boxes and gives up on an empty header', () => {
    expect(pickMerchant(buildRows(textOnly(['The Corner Deli', 'Date 01/02/2019'])))?.name).toBe('The Corner Deli');
    expect(merchant(['12/01/2019 10:22', 'TEL 555-1234'])).toBeNull();
  });
});

// How the receipt was paid, from tender lines and card slips.
import type { Row } from './layout';

const METHODS: [string, RegExp][] = [
  ['Visa', /\bVISA\b/],
  ['Mastercard', /\bMASTER\s?CARD\b|\bMASTER\b|\bMC\b/],
  ['American Express', /\bAMEX\b|AMERICAN EXPRESS/],
  ['Discover', /\bDISCOVER\b/],
  ['Debit card', /\bDEBIT\b|\bEFTPOS\b|\bINTERAC\b/],
  ['Credit card', /\bCREDIT\s?CARD\b|\bCREDIT\b/],
  ['E-wallet', /\b(E-?WALLET|GRABPAY|TOUCH ?'?N ?GO|BOOST|APPLE PAY|GOOGLE PAY|PAYPAL)\b/],
  ['Cash', /\bCASH\b|\bTUNAI\b/],
];

export function findPaymentMethod(rows: Row[]): string | null {
  // Card names win over "cash": a card slip may still print "CASH BACK" or "CASH BILL".
  for (const [name, re] of METHODS) {
    if (name === 'Cash') {
      if (rows.some((r) => re.test(r.text.toUpperCase()) && !/CASH\s?(BILL|BACK|IER|SALES?)\b/.test(r.text.toUpperCase()))) return name;
    } else if (rows.some((r) => re.test(r.text.toUpperCase()))) return name;
  }
  return null;
}

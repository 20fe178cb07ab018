// The errors the ledger reports for a request it cannot carry out; callers show their message as is.

/** The file's content is already a live receipt of the ledger. */
export class DuplicateReceiptError extends Error {
  constructor(readonly existingId: number) {
    super(`this file is already in the ledger as receipt ${existingId}`);
    this.name = 'DuplicateReceiptError';
  }
}

export class ReceiptNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`receipt ${id} does not exist or was deleted`);
    this.name = 'ReceiptNotFoundError';
  }
}

/** A value the ledger refuses to store (e.g. a fractional amount or a malformed date). */
export class LedgerInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerInputError';
  }
}

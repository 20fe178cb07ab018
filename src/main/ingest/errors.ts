/** A problem with one input file: the message is shown to the user as that file's error. */
export class ReceiptFileError extends Error {
  constructor(
    message: string,
    /** Machine-readable kind, e.g. 'unsupported_type', 'too_large', 'type_mismatch', 'unreadable'. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'ReceiptFileError';
  }
}

/** A problem with one input file: the message is shown to the user as that file's error. */
export class ReceiptFileError extends Error {
  /** How many bytes of the file were read before the error; set by the reader. */
  bytesRead?: number;

  constructor(
    message: string,
    /**
     * Machine-readable kind: 'unsupported_type', 'type_mismatch', 'too_large', 'too_many_pixels', 'empty',
     * 'changed', 'vanished', 'permission_denied', 'unreadable', 'not_a_file', 'bad_image'.
     */
    readonly code: string,
    details: { bytesRead?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ReceiptFileError';
    if (details.bytesRead !== undefined) this.bytesRead = details.bytesRead;
  }
}

/** A user-readable reason for a failed file-system call on one path (ENOENT, EACCES, ...). */
export function fsErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ENAMETOOLONG':
      return 'path is too long';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EBUSY':
      return 'file is locked by another program';
    case 'EIO':
      return 'input/output error (damaged disk or disconnected drive?)';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

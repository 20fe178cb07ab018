// A multipart/form-data body (RFC 7578) built as a stream: text fields first, then one file read from
// disk chunk by chunk, so a 1 GB upload costs a few 64 KiB buffers, not 1 GB. The exact length is known
// up front, so the request carries Content-Length (servers that refuse chunked uploads still work, and
// upload progress has a total). open() makes a fresh stream for every attempt, so retries can resend.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export interface MultipartFile {
  /** Form field name, e.g. 'file'. */
  field: string;
  /** The name the server sees; chosen by us, never the user's local file name. */
  filename: string;
  contentType: string;
  /** A file on disk of a known size (streamed), or bytes already in memory (small, prepared images). */
  source: { path: string; size: number } | { data: Buffer };
}

export interface MultipartBody {
  /** The Content-Type header value, with the boundary. */
  contentType: string;
  contentLength: number;
  /** A new stream of the whole body; call once per request attempt. */
  open(): Readable;
}

const CRLF = '\r\n';
// Larger than the 64 KiB default: a third of the per-chunk overhead, still a trivial amount of memory.
const READ_CHUNK = 256 * 1024;

// Quoted-string escaping as browsers do it for form data (WHATWG HTML "multipart/form-data encoding"),
// so a name can never end the header or inject another one.
function quote(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

export function multipartBody(fields: Record<string, string>, file: MultipartFile): MultipartBody {
  const boundary = `----ReceiptScanner${randomBytes(16).toString('hex')}`;
  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}${CRLF}Content-Disposition: form-data; name="${quote(name)}"${CRLF}${CRLF}${value}${CRLF}`;
  }
  head +=
    `--${boundary}${CRLF}Content-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.filename)}"` +
    `${CRLF}Content-Type: ${file.contentType.replace(/[\r\n]/g, '')}${CRLF}${CRLF}`;
  const headBytes = Buffer.from(head, 'utf8');
  const tailBytes = Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'utf8');
  const { source } = file;
  const fileSize = 'data' in source ? source.data.length : source.size;

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: headBytes.length + fileSize + tailBytes.length,
    open() {
      return Readable.from(
        (async function* () {
          yield headBytes;
          if ('data' in source) {
            yield source.data;
          } else if (source.size > 0) {
            let sent = 0;
            // end is inclusive; reading exactly `size` bytes keeps the body true to Content-Length.
            for await (const chunk of createReadStream(source.path, { start: 0, end: source.size - 1, highWaterMark: READ_CHUNK })) {
              sent += (chunk as Buffer).length;
              yield chunk as Buffer;
            }
            // A file that shrank since it was measured would leave the server waiting for bytes.
            if (sent !== source.size) throw new Error('the file changed while it was being uploaded');
          }
          yield tailBytes;
        })(),
        { objectMode: false },
      );
    },
  };
}

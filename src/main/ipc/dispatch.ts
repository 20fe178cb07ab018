// Validates every request against the contract's schemas before any handler sees it, and turns
// failures into readable IpcErrors. Expected errors (bad input, not found, a problem the person can fix)
// cross with their own message and are not logged; anything else is a fault: it is logged, and the
// renderer gets a fixed sentence, never a stack trace or a library's raw message. Used by Electron's
// ipcMain binding, the e2e harness and tests alike.
import { z } from 'zod';
import { requests, type InvokeChannel, type IpcError, type IpcResult, type RequestOf, type ResponseOf } from '../../shared/contract';
import { ReceiptFileError } from '../ingest/errors';
import { EditInputError, EditNotFoundError } from '../ledger/edit-errors';
import { LedgerInputError, ReceiptNotFoundError } from '../ledger/ledger';
import { UserError } from '../user-error';

export type Handlers = {
  [C in InvokeChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

/** Thrown by handlers for an id or file that does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

export type Dispatch = (channel: string, request: unknown) => Promise<IpcResult<unknown>>;

export function createDispatch(handlers: Handlers, log: (error: unknown) => void = console.error): Dispatch {
  return async (channel, request) => {
    if (!Object.hasOwn(requests, channel)) {
      return fail('invalid_request', `unknown request "${String(channel).slice(0, 80)}"`);
    }
    const name = channel as InvokeChannel;
    const parsed = requests[name].safeParse(request ?? {});
    if (!parsed.success) return fail('invalid_request', `${name}: ${z.prettifyError(parsed.error)}`);
    try {
      const handler = handlers[name] as (request: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ReceiptNotFoundError || error instanceof EditNotFoundError) {
        return fail('not_found', error.message);
      }
      if (error instanceof LedgerInputError || error instanceof EditInputError) return fail('invalid_request', error.message);
      if (error instanceof UserError || error instanceof ReceiptFileError) return fail('failed', error.message);
      log(error);
      return fail('failed', `${name} failed unexpectedly; the details are in the app's log`);
    }
  };
}

function fail(code: IpcError['code'], message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

import { describe, expect, it } from 'vitest';
import { createDispatch, NotFoundError, type Handlers } from './dispatch';
import { ReceiptFileError } from '../ingest/errors';
import { UserError } from '../user-error';

// Only the channels a test calls are implemented; the rest throw if reached.
function handlers(partial: Partial<Handlers>): Handlers {
  return new Proxy(partial, {
    get: (target, key) =>
      target[key as keyof Handlers] ??
      (() => {
        throw new Error(`unexpected call ${String(key)}`);
      }),
  }) as Handlers;
}

describe('createDispatch', () => {
  const logged: unknown[] = [];
  const dispatch = createDispatch(
    handlers({
      'ledger:get': ({ id }) => {
        if (id === 404) throw new NotFoundError('receipt 404 does not exist');
        if (id === 500) throw new Error('disk I/O error');
        if (id === 422) throw new ReceiptFileError('image is too large', 'too_large');
        if (id === 409) throw new UserError('the folder is gone');
        return { id } as never;
      },
      'ledger:update': ({ id, patch }) => ({ id, ...patch }) as never,
    }),
    (e) => logged.push(e),
  );

  it('passes a valid request to its handler', async () => {
    expect(await dispatch('ledger:get', { id: 7 })).toEqual({ ok: true, value: { id: 7 } });
  });

  it('rejects unknown channels and invalid requests before any handler runs', async () => {
    expect(await dispatch('fs:read', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const bad = await dispatch('ledger:get', { id: -1 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(!bad.ok && bad.error.message).toContain('ledger:get');
    expect(await dispatch('ledger:get', { id: 1, extra: true })).toMatchObject({ ok: false });
    expect(await dispatch('ledger:update', { id: 1, patch: { totalMinor: 1.5 } })).toMatchObject({ ok: false });
    expect(await dispatch('ledger:update', { id: 1, patch: { date: '31/12/2024' } })).toMatchObject({ ok: false });
    expect(await dispatch('ledger:update', { id: 1, patch: { currency: 'usd' } })).toMatchObject({ ok: false });
  });

  it('accepts a valid patch', async () => {
    expect(await dispatch('ledger:update', { id: 1, patch: { totalMinor: 3390, date: '2024-12-31', merchant: null } })).toEqual({
      ok: true,
      value: { id: 1, totalMinor: 3390, date: '2024-12-31', merchant: null },
    });
  });

  it('turns handler errors into readable messages, logging only unexpected ones', async () => {
    expect(await dispatch('ledger:get', { id: 404 })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'receipt 404 does not exist' },
    });
    expect(await dispatch('ledger:get', { id: 422 })).toEqual({ ok: false, error: { code: 'failed', message: 'image is too large' } });
    expect(await dispatch('ledger:get', { id: 409 })).toEqual({ ok: false, error: { code: 'failed', message: 'the folder is gone' } });
    expect(logged).toEqual([]);
    const crash = await dispatch('ledger:get', { id: 500 });
    expect(crash).toEqual({
      ok: false,
      error: { code: 'failed', message: "ledger:get failed unexpectedly; the details are in the app's log" },
    });
    expect(logged).toHaveLength(1);
  });
});

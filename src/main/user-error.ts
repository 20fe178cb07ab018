/**
 * An expected problem the person can act on (a missing folder, no key storage, …). Its message is shown
 * as is; the IPC dispatcher does not log it as a fault. Anything else thrown is treated as a bug.
 */
export class UserError extends Error {
  override name = 'UserError';
}

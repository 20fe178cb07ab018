// Expected refusals of rule and category requests; the IPC layer shows their message as is.

/** A rule or category the ledger refuses (a name already taken, a merchant with nothing to match on). */
export class EditInputError extends Error {
  override name = 'EditInputError';
}

/** A rule or category id that does not exist. */
export class EditNotFoundError extends Error {
  override name = 'EditNotFoundError';
}

import { DomainError } from './errors.ts'

/**
 * Enterprise errors carry the 'validation' code with a translation key, so a
 * route that does not handle them specially still shows a sensible message;
 * the enterprise routes catch them by class to show their details.
 */

export interface ExistingEnterprise {
  id: number
  name: string
  orgName: string
  /** Whether the enterprise already has contacts who could invite the visitor. */
  hasContacts: boolean
  /** Whether the caller may open its profile (never for anonymous visitors). */
  canOpen: boolean
}

/** A credit code is unique: the existing record is named so the UI can point to it. */
export class DuplicateCreditCodeError extends DomainError {
  constructor(readonly existing: ExistingEnterprise) {
    super('validation', `credit code already registered by enterprise ${existing.id}`, {
      field: 'creditCode',
      messageKey: 'enterprise.errors.duplicateCreditCode',
      existingId: existing.id,
    })
  }
}

export interface SimilarEnterprise {
  id: number
  name: string
  orgName: string
  canOpen: boolean
}

/** Enterprises with a similar name exist; the form must be confirmed to save anyway. */
export class SimilarNameError extends DomainError {
  constructor(readonly candidates: SimilarEnterprise[]) {
    super('validation', `${candidates.length} enterprises with a similar name`, {
      field: 'name',
      messageKey: 'enterprise.errors.similarName',
      candidateIds: candidates.map((c) => c.id),
    })
  }
}

export type InvitationProblem = 'notFound' | 'expired' | 'used'

/** The invitation link cannot be used (unknown token, expired or already accepted). */
export class InvitationUnavailableError extends DomainError {
  constructor(readonly problem: InvitationProblem) {
    super('validation', `invitation ${problem}`, {
      field: 'token',
      messageKey: `enterprise.invitation.${problem}`,
    })
  }
}

import type { SimilarOpenItem } from './similar-items.ts'

/** Domain errors; routes map them to HTTP statuses and translated messages. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: number | string) {
    super('notFound', `${what} ${id} not found`, { what, id })
  }
}

/** Someone else changed the record since the caller read it. */
export class ConflictError extends DomainError {
  constructor(expectedVersion: number, actualVersion: number) {
    super('conflict', `expected version ${expectedVersion}, found ${actualVersion}`, {
      expectedVersion,
      actualVersion,
    })
  }
}

/** The event is not allowed in the current state, or not for this actor. */
export class TransitionNotAllowedError extends DomainError {
  constructor(state: string, eventType: string) {
    super('transitionNotAllowed', `${eventType} is not allowed in state ${state}`, {
      state,
      eventType,
    })
  }
}

export class ForbiddenError extends DomainError {
  constructor(reason = 'forbidden') {
    super('forbidden', reason)
  }
}

export class ValidationError extends DomainError {
  constructor(field: string, messageKey: string) {
    super('validation', `${field}: ${messageKey}`, { field, messageKey })
  }
}

/**
 * The enterprise already has open need items like the ones it submits; it
 * may confirm and submit anyway. `details.items` lists them.
 */
export class SimilarItemsError extends DomainError {
  constructor(readonly items: readonly SimilarOpenItem[]) {
    super('similarItems', `${items.length} similar open need item(s)`, { items })
  }
}

import type { SubmissionResult } from '@conform-to/react'
import { data } from '@remix-run/node'
import { ValidationError } from '#workflows/errors.ts'
import { formDomainError } from './http.server.ts'

type Replyable = Parameters<typeof formDomainError>[0] & {
  reply: (options?: {
    formErrors?: string[]
    fieldErrors?: Record<string, string[]>
    hideFields?: string[]
  }) => SubmissionResult<string[]>
}

/**
 * Like formDomainError, but a ValidationError about one item's field (the
 * commands name it, e.g. items[1].category) is shown on that field.
 */
export function needsListFormError(submission: Replyable, err: unknown) {
  if (err instanceof ValidationError) {
    const field = String(err.details.field ?? '')
    const key = String(err.details.messageKey ?? 'errors.badRequest')
    if (/^items\[\d+\]\.\w+$/.test(field)) {
      return data(
        { result: submission.reply({ fieldErrors: { [field]: [key] }, hideFields: ['csrf'] }) },
        { status: 400 },
      )
    }
  }
  return formDomainError(submission, err)
}

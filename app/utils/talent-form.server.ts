import type { SubmissionResult } from '@conform-to/react'
import { data } from '@remix-run/node'
import { DomainError } from '#workflows/errors.ts'
import { domainFormError } from './http.server.ts'

type Replyable = {
  reply: (options?: {
    formErrors?: string[]
    fieldErrors?: Record<string, string[]>
    hideFields?: string[]
  }) => SubmissionResult<string[]>
}

/**
 * A talent-pool form whose command raised a domain error: a validation error
 * naming one of the form's fields shows at that field, anything else on the
 * form (403/404 become error pages, as everywhere).
 */
export function talentFormError(submission: Replyable, err: unknown, fields: readonly string[]) {
  const { key, status } = domainFormError(err)
  const field = err instanceof DomainError ? err.details.field : undefined
  if (typeof field === 'string' && fields.includes(field)) {
    return data(
      { result: submission.reply({ fieldErrors: { [field]: [key] }, hideFields: ['csrf'] }) },
      { status },
    )
  }
  return data({ result: submission.reply({ formErrors: [key], hideFields: ['csrf'] }) }, { status })
}

import type { SubmissionResult } from '@conform-to/react'
import { data } from '@remix-run/node'
import {
  DuplicateCreditCodeError,
  type ExistingEnterprise,
  type SimilarEnterprise,
  SimilarNameError,
} from '#workflows/enterprise-errors.ts'
import { domainFormError } from './http.server.ts'

type Replyable = {
  reply: (options?: {
    formErrors?: string[]
    fieldErrors?: Record<string, string[]>
    hideFields?: string[]
  }) => SubmissionResult<string[]>
}

export interface EnterpriseFormReply {
  result: SubmissionResult<string[]>
  duplicate: ExistingEnterprise | null
  similar: SimilarEnterprise[] | null
}

/**
 * A valid enterprise form whose command refused it: a duplicate credit code
 * (409, with the existing record), similar names (409, with the candidates
 * and a confirmation box to tick), or any other domain error (its message on
 * the field it names, else on the form). Never echoes `hideFields`.
 */
export function enterpriseFormError(submission: Replyable, err: unknown, hideFields: string[]) {
  const hide = ['csrf', ...hideFields]
  if (err instanceof DuplicateCreditCodeError) {
    return data<EnterpriseFormReply>(
      {
        result: submission.reply({
          fieldErrors: { creditCode: ['enterprise.errors.duplicateCreditCode'] },
          hideFields: hide,
        }),
        duplicate: err.existing,
        similar: null,
      },
      { status: 409 },
    )
  }
  if (err instanceof SimilarNameError) {
    return data<EnterpriseFormReply>(
      {
        result: submission.reply({
          fieldErrors: { name: ['enterprise.errors.similarName'] },
          hideFields: hide,
        }),
        duplicate: null,
        similar: err.candidates,
      },
      { status: 409 },
    )
  }
  const { key, status } = domainFormError(err)
  const field =
    err instanceof Error && 'details' in err
      ? (err as { details: Record<string, unknown> }).details.field
      : undefined
  const onField = typeof field === 'string' && field !== 'token' ? field : null
  return data<EnterpriseFormReply>(
    {
      result: submission.reply({
        ...(onField ? { fieldErrors: { [onField]: [key] } } : { formErrors: [key] }),
        hideFields: hide,
      }),
      duplicate: null,
      similar: null,
    },
    { status },
  )
}

/** The absolute link an invitation token is used through (shown once to the inviter). */
export function invitationUrl(request: Request, token: string): string {
  return new URL(`/invitations/${encodeURIComponent(token)}`, request.url).toString()
}

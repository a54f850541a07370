import type { SubmissionResult } from '@conform-to/react'
import { data } from '@remix-run/node'
import { CsrfError, verifyCsrf } from '#app/auth/csrf.server.ts'
import type { AppContext } from '#app/context.ts'
import { DomainError } from '#workflows/errors.ts'

const STATUS_OF: Record<string, number> = {
  notFound: 404,
  forbidden: 403,
  conflict: 409,
  transitionNotAllowed: 409,
  validation: 400,
  rateLimited: 429,
}

/** Reads a form after checking its CSRF token; a bad token is a 403 page. */
export async function readForm(
  request: Request,
  context: Pick<AppContext, 'csrfCookie'>,
): Promise<FormData> {
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    throw new Response('errors.badRequest', { status: 400 })
  }
  try {
    await verifyCsrf(request, context, form)
  } catch (err) {
    if (err instanceof CsrfError) throw new Response('errors.csrf', { status: 403 })
    throw err
  }
  return form
}

/** A positive integer route parameter (ids are PostgreSQL integers), or a 404. */
/** A row id (a positive PostgreSQL integer) written plainly, or null. */
function asId(value: string): number | null {
  const id = Number(value)
  return Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 && String(id) === value
    ? id
    : null
}

export function idParam(value: string | undefined): number {
  const id = value === undefined ? null : asId(value)
  if (id === null) throw new Response('errors.notFound', { status: 404 })
  return id
}

/** An optional id in the query string: null when absent or not an id (the page shows its default). */
export function queryId(params: URLSearchParams, name: string): number | null {
  const raw = params.get(name)
  return raw ? asId(raw) : null
}

/**
 * Domain errors become a translated message for the form (conflicts,
 * validation) or an error page (not found, forbidden); anything else rethrows.
 */
export function domainErrorResult(err: unknown) {
  if (!(err instanceof DomainError)) throw err
  const status = STATUS_OF[err.code] ?? 400
  if (status === 403 || status === 404) throw new Response(`errors.${err.code}`, { status })
  const key =
    err.code === 'validation'
      ? String(err.details.messageKey ?? 'errors.badRequest')
      : `errors.${err.code}`
  return data({ formError: key } as const, { status })
}

/** Optional integer field (e.g. the version a form was rendered with). */
export function intField(form: FormData, name: string): number | undefined {
  const raw = form.get(name)
  if (typeof raw !== 'string' || raw === '') return undefined
  const n = Number(raw)
  return Number.isSafeInteger(n) ? n : undefined
}

/** For a Conform form: the translation key and status a domain error replies with. */
export function domainFormError(err: unknown): { key: string; status: number } {
  const result = domainErrorResult(err)
  return { key: result.data.formError, status: result.init?.status ?? 400 }
}

/** In a loader: 403/404 pages for domain errors; anything else propagates. */
export function throwDomainError(err: unknown): never {
  domainErrorResult(err)
  throw err
}

type Replyable = {
  status?: 'error' | 'success'
  reply: (options?: { formErrors?: string[]; hideFields?: string[] }) => SubmissionResult<string[]>
}

/** A form that failed validation: its errors back to the page (400), the CSRF token not echoed. */
export function invalidForm(submission: Replyable) {
  return data(
    { result: submission.reply({ hideFields: ['csrf'] }) },
    { status: submission.status === 'error' ? 400 : 200 },
  )
}

/** A valid form whose command raised a domain error: the translated message on the form. */
export function formDomainError(submission: Replyable, err: unknown) {
  const { key, status } = domainFormError(err)
  return data({ result: submission.reply({ formErrors: [key], hideFields: ['csrf'] }) }, { status })
}

import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { AppContext } from '#app/context.ts'

export const CSRF_FIELD = 'csrf'

type Ctx = Pick<AppContext, 'csrfCookie'>

/**
 * Double-submit token: a signed, HttpOnly cookie and the same value in every
 * form. Returns the token and, when it is new, the cookie to set.
 */
export async function csrfToken(
  request: Request,
  context: Ctx,
): Promise<{ token: string; setCookie: string | null }> {
  const existing = await context.csrfCookie.parse(request.headers.get('Cookie'))
  if (typeof existing === 'string' && existing.length >= 32)
    return { token: existing, setCookie: null }
  const token = randomBytes(32).toString('base64url')
  return { token, setCookie: await context.csrfCookie.serialize(token) }
}

export class CsrfError extends Error {}

/** Throws CsrfError unless the form carries the token of this browser's cookie. */
export async function verifyCsrf(request: Request, context: Ctx, form: FormData): Promise<void> {
  const cookie = await context.csrfCookie.parse(request.headers.get('Cookie'))
  const field = form.get(CSRF_FIELD)
  if (typeof cookie !== 'string' || typeof field !== 'string') throw new CsrfError('missing token')
  const a = Buffer.from(cookie)
  const b = Buffer.from(field)
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new CsrfError('token mismatch')
}

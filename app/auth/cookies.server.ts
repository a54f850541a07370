import { createCookie } from '@remix-run/node'

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000

/** Built once per process from the validated environment. */
export function createAuthCookies(secret: string, secure: boolean) {
  const base = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, secrets: [secret] }
  return {
    sessionCookie: createCookie('__session', { ...base, maxAge: SESSION_TTL_MS / 1000 }),
    csrfCookie: createCookie('__csrf', base),
  }
}

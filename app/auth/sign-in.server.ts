import type { Db } from '#db/client.server.ts'
import { recentFailures, recordSignInAttempt } from '#db/queries/sign-in-attempts.ts'
import { findUserByEmail } from '#db/queries/users.ts'
import { DUMMY_HASH, verifyPassword } from './password.server.ts'

export const SIGN_IN_WINDOW_MINUTES = 15
export const MAX_FAILURES_PER_EMAIL = 5
export const MAX_FAILURES_PER_IP = 30

export type SignInResult =
  | { ok: true; userId: number }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'rateLimited'; retryAfterMinutes: number }

/**
 * Checks the password, limiting failures per e-mail and per client address
 * over a sliding window kept in the database (shared by every web process).
 */
export async function attemptSignIn(
  db: Db,
  input: { email: string; password: string; ip: string; now: Date },
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase()
  const since = new Date(input.now.getTime() - SIGN_IN_WINDOW_MINUTES * 60_000)
  const failures = await recentFailures(db, { email, ip: input.ip, since })
  if (failures.byEmail >= MAX_FAILURES_PER_EMAIL || failures.byIp >= MAX_FAILURES_PER_IP) {
    return { ok: false, reason: 'rateLimited', retryAfterMinutes: SIGN_IN_WINDOW_MINUTES }
  }
  const user = await findUserByEmail(db, email)
  const valid = await verifyPassword(user?.password_hash ?? DUMMY_HASH, input.password)
  await recordSignInAttempt(db, { email, ip: input.ip, succeeded: Boolean(user && valid) })
  if (!user || !valid) return { ok: false, reason: 'invalid' }
  return { ok: true, userId: user.id }
}

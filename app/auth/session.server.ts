import { randomBytes } from 'node:crypto'
import { redirect } from '@remix-run/node'
import type { AppContext } from '#app/context.ts'
import { createSession, deleteSession, findSessionUser } from '#db/queries/sessions.ts'
import { type MembershipWithOrg, membershipsOf } from '#db/queries/users.ts'
import type { Role } from '#db/schema.ts'
import type { Principal } from '#workflows/access.ts'
import { SESSION_TTL_MS } from './cookies.server.ts'

export interface CurrentUser {
  id: number
  name: string
  email: string
  locale: string
  memberships: MembershipWithOrg[]
}

type Ctx = Pick<AppContext, 'db' | 'sessionCookie' | 'now'>

async function sessionIdOf(request: Request, context: Ctx): Promise<string | null> {
  const value = await context.sessionCookie.parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length > 0 ? value : null
}

export async function getCurrentUser(request: Request, context: Ctx): Promise<CurrentUser | null> {
  const sessionId = await sessionIdOf(request, context)
  if (!sessionId) return null
  const row = await findSessionUser(context.db, sessionId, context.now())
  if (!row) return null
  const memberships = await membershipsOf(context.db, row.id)
  return { id: row.id, name: row.name, email: row.email, locale: row.locale, memberships }
}

/** Sends anonymous visitors to sign in and back here afterwards. */
export async function requireUser(request: Request, context: Ctx): Promise<CurrentUser> {
  const user = await getCurrentUser(request, context)
  if (user) return user
  const url = new URL(request.url)
  const redirectTo = `${url.pathname}${url.search}`
  throw redirect(`/sign-in?${new URLSearchParams({ redirectTo })}`)
}

/** 403 unless the user holds one of `roles` somewhere. */
export async function requireRole(
  request: Request,
  context: Ctx,
  roles: Role[],
): Promise<CurrentUser> {
  const user = await requireUser(request, context)
  if (!user.memberships.some((m) => roles.includes(m.role))) {
    throw new Response('Forbidden', { status: 403 })
  }
  return user
}

export function principalOf(user: CurrentUser): Principal {
  return { userId: user.id, memberships: user.memberships }
}

/** Creates a server-side session and returns its Set-Cookie header. */
export async function startSession(context: Ctx, userId: number): Promise<string> {
  const id = randomBytes(32).toString('base64url')
  await createSession(context.db, {
    id,
    userId,
    expiresAt: new Date(context.now().getTime() + SESSION_TTL_MS),
  })
  return context.sessionCookie.serialize(id)
}

export async function endSession(request: Request, context: Ctx): Promise<string> {
  const sessionId = await sessionIdOf(request, context)
  if (sessionId) await deleteSession(context.db, sessionId)
  return context.sessionCookie.serialize('', { maxAge: 0 })
}

/** Where a user lands after signing in, by their first role. */
export function homePathOf(user: CurrentUser): string {
  const roles = new Set(user.memberships.map((m) => m.role))
  if (roles.has('enterprise_contact')) return '/needs-lists'
  if (roles.has('coordinator') || roles.has('federation_admin')) return '/intake'
  if (roles.has('steward')) return '/workspace'
  if (roles.has('expert')) return '/my-invitations'
  return '/notifications'
}

/** Only same-site relative paths, so a crafted link cannot bounce users elsewhere. */
export function safeRedirect(
  to: FormDataEntryValue | string | null | undefined,
  fallback = '/',
): string {
  if (
    typeof to !== 'string' ||
    !to.startsWith('/') ||
    to.startsWith('//') ||
    to.startsWith('/\\')
  ) {
    return fallback
  }
  return to
}

import type { Role } from '#db/schema.ts'
import { ForbiddenError } from './errors.ts'

export interface PrincipalMembership {
  role: Role
  orgId: number
  orgPath: string
  enterpriseId: number | null
}

/** The signed-in user as authorisation sees them. */
export interface Principal {
  userId: number
  memberships: PrincipalMembership[]
}

export interface ScopedRecord {
  orgPath: string
  enterpriseId: number | null
}

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return p.memberships.some((m) => roles.includes(m.role))
}

/** The membership through which `p` may act on `record` in one of `roles`, if any. */
export function membershipFor(
  p: Principal,
  record: ScopedRecord,
  roles: Role[],
): PrincipalMembership | undefined {
  return p.memberships.find((m) => {
    if (!roles.includes(m.role)) return false
    if (m.role === 'enterprise_contact') return m.enterpriseId === record.enterpriseId
    // Union roles see their org's subtree.
    return record.orgPath.startsWith(m.orgPath)
  })
}

export function canRead(p: Principal, record: ScopedRecord): boolean {
  return (
    membershipFor(p, record, [
      'enterprise_contact',
      'coordinator',
      'federation_admin',
      'steward',
    ]) !== undefined
  )
}

export function requireRead(p: Principal, record: ScopedRecord): void {
  if (!canRead(p, record)) throw new ForbiddenError('not in your scope')
}

export function requireMembership(
  p: Principal,
  record: ScopedRecord,
  roles: Role[],
): PrincipalMembership {
  const m = membershipFor(p, record, roles)
  if (!m) throw new ForbiddenError(`needs role ${roles.join('|')} for this record`)
  return m
}

/** Orgs (by path) whose subtree `p` may watch in one of `roles`. */
export function scopesFor(p: Principal, roles: Role[]): PrincipalMembership[] {
  const scopes = p.memberships.filter((m) => roles.includes(m.role))
  // Drop scopes nested in another scope so subtrees are not counted twice.
  return scopes.filter(
    (m) =>
      !scopes.some((o) => o !== m && o.orgPath !== m.orgPath && m.orgPath.startsWith(o.orgPath)),
  )
}

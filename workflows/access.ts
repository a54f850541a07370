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
  /** The record's dedicated steward (a case's), who may work on it wherever it sits. */
  stewardUserId?: number | null
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
    if (m.role === 'steward' && isAssignedSteward(p, record)) return true
    // Union roles see their org's subtree.
    return record.orgPath.startsWith(m.orgPath)
  })
}

/** Whether `p` is the dedicated steward the record is assigned to. */
export function isAssignedSteward(p: Principal, record: ScopedRecord): boolean {
  return (
    record.stewardUserId !== undefined &&
    record.stewardUserId !== null &&
    record.stewardUserId === p.userId &&
    p.memberships.some((m) => m.role === 'steward')
  )
}

/**
 * Steward write actions: only the record's own dedicated steward (reading by
 * org subtree does not make a steward the one who acts).
 */
export function requireCaseSteward(p: Principal, record: ScopedRecord): PrincipalMembership {
  const m = isAssignedSteward(p, record)
    ? p.memberships.find((x) => x.role === 'steward')
    : undefined
  if (!m) throw new ForbiddenError("only the case's dedicated steward may do this")
  return m
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

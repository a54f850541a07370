import { createHash, randomBytes } from 'node:crypto'
import { hashPassword } from '#app/auth/password.server.ts'
import type { Db, DbOrTrx } from '#db/client.server.ts'
import {
  contactsOf,
  findEnterprise,
  findEnterpriseByCreditCode,
  findInvitationByHash,
  insertEnterprise,
  insertInvitation,
  isContactOf,
  markInvitationAccepted,
  openInvitationsOf,
  orgsInSubtrees,
  orgsOfKinds,
  searchEnterprises,
  setUserMobile,
  similarNameCandidates,
} from '#db/queries/enterprises.ts'
import { needsListsOfEnterprise } from '#db/queries/needs-lists.ts'
import { getOrg } from '#db/queries/orgs.ts'
import { addMembership, createUser, findUserByEmail } from '#db/queries/users.ts'
import type { Role } from '#db/schema.ts'
import {
  canRead,
  membershipFor,
  type Principal,
  requireMembership,
  type ScopedRecord,
  scopesFor,
} from '../access.ts'
import {
  DuplicateCreditCodeError,
  InvitationUnavailableError,
  type SimilarEnterprise,
  SimilarNameError,
} from '../enterprise-errors.ts'
import {
  type AcceptInvitationInput,
  areNamesSimilar,
  type CoordinatorEnterpriseInput,
  type EnterpriseFields,
  type InvitationInput,
  maskMobile,
  normalizeCreditCode,
  normalizeEnterpriseName,
  REGISTRATION_ORG_KINDS,
  type RegistrationInput,
} from '../enterprise-validation.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import { countUse, REGISTRATION_LIMIT, requireUnderLimit } from '../rate-limit.ts'

export interface EnterpriseCommandOptions {
  now?: Date
}

/** How long an invitation link stays valid. */
export const INVITATION_TTL_DAYS = 14

const MANAGER_ROLES: Role[] = ['coordinator', 'federation_admin']
/** Who may invite a contact: the enterprise's own contacts, and the union desk in scope. */
const INVITER_ROLES: Role[] = ['enterprise_contact', 'coordinator', 'federation_admin']

/** Only the SHA-256 of an invitation token is stored; the token is shown once. */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

function newToken(): string {
  return randomBytes(32).toString('base64url')
}

function uniqueViolation(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null
  const e = err as { code?: unknown; constraint?: unknown }
  if (e.code !== '23505') return null
  return typeof e.constraint === 'string' ? e.constraint : ''
}

const scopeOf = (e: { orgPath: string; id: number }): ScopedRecord => ({
  orgPath: e.orgPath,
  enterpriseId: e.id,
})

// ─── Duplicates ───────────────────────────────────────────────────────────

/** Throws DuplicateCreditCodeError when the code is taken; `viewer` decides whether it links. */
async function refuseDuplicateCreditCode(
  db: DbOrTrx,
  creditCode: string,
  viewer: Principal | null,
): Promise<void> {
  const existing = await findEnterpriseByCreditCode(db, creditCode)
  if (!existing) return
  throw new DuplicateCreditCodeError({
    id: existing.id,
    name: existing.name,
    orgName: existing.orgName,
    hasContacts: Number(existing.contactCount ?? 0) > 0,
    canOpen:
      viewer !== null && canRead(viewer, { orgPath: existing.orgPath, enterpriseId: existing.id }),
  })
}

/** Enterprises whose name looks like `name` (see areNamesSimilar), at most `limit`. */
export async function findSimilarEnterprises(
  db: DbOrTrx,
  name: string,
  viewer: Principal | null,
  limit = 10,
): Promise<SimilarEnterprise[]> {
  const normalized = normalizeEnterpriseName(name)
  if (!normalized) return []
  const rows = await similarNameCandidates(db, normalized)
  return rows
    .filter((r) => r.normalized_name !== null && areNamesSimilar(normalized, r.normalized_name))
    .slice(0, limit)
    .map((r) => ({
      id: r.id,
      name: r.name,
      orgName: r.orgName,
      canOpen: viewer !== null && canRead(viewer, { orgPath: r.orgPath, enterpriseId: r.id }),
    }))
}

async function checkBeforeSaving(
  db: DbOrTrx,
  input: Pick<EnterpriseFields, 'name' | 'creditCode' | 'confirmSimilar'>,
  viewer: Principal | null,
) {
  await refuseDuplicateCreditCode(db, input.creditCode, viewer)
  if (!input.confirmSimilar) {
    const similar = await findSimilarEnterprises(db, input.name, viewer)
    if (similar.length > 0) throw new SimilarNameError(similar)
  }
}

function enterpriseValues(input: EnterpriseFields, createdBy: number | null) {
  return {
    orgId: input.orgId,
    name: input.name,
    normalizedName: normalizeEnterpriseName(input.name),
    creditCode: input.creditCode,
    industry: input.industry,
    size: input.size,
    tags: input.tags,
    address: input.address || null,
    district: input.district || null,
    park: input.park || null,
    createdBy,
  }
}

/** A lost race on a unique key becomes the same error the pre-check gives. */
async function mapUniqueViolation(
  db: DbOrTrx,
  err: unknown,
  creditCode: string,
  viewer: Principal | null,
): Promise<never> {
  const constraint = uniqueViolation(err)
  if (constraint?.includes('credit_code')) {
    await refuseDuplicateCreditCode(db, creditCode, viewer)
  }
  if (constraint?.includes('email'))
    throw new ValidationError('email', 'enterprise.errors.emailTaken')
  throw err
}

// ─── Registration and creation ────────────────────────────────────────────

/** Union orgs an enterprise may register under. */
export function registrationOrgs(db: DbOrTrx) {
  return orgsOfKinds(db, REGISTRATION_ORG_KINDS)
}

/**
 * Self-registration by an anonymous visitor: the enterprise and its first
 * contact, a new user who becomes its enterprise_contact in the chosen union
 * org. The caller signs the new user in.
 */
export async function registerEnterprise(
  db: Db,
  input: RegistrationInput,
  options: EnterpriseCommandOptions & { locale?: string; clientIp?: string } = {},
): Promise<{ enterpriseId: number; userId: number }> {
  const now = options.now ?? new Date()
  // Limited per client address when the request comes over HTTP.
  const ipKey = options.clientIp
  if (ipKey) await requireUnderLimit(db, REGISTRATION_LIMIT, ipKey, now)
  const org = await getOrg(db, input.orgId)
  if (!org || !(REGISTRATION_ORG_KINDS as readonly string[]).includes(org.kind)) {
    throw new ValidationError('orgId', 'enterprise.errors.org')
  }
  await checkBeforeSaving(db, input, null)
  if (await findUserByEmail(db, input.email)) {
    throw new ValidationError('email', 'enterprise.errors.emailTaken')
  }
  // Argon2 is slow: hash before the transaction opens.
  const passwordHash = await hashPassword(input.password)
  try {
    return await db.transaction().execute(async (trx) => {
      const user = await createUser(trx, {
        email: input.email,
        name: input.contactName,
        passwordHash,
        locale: options.locale,
      })
      await setUserMobile(trx, user.id, input.mobile)
      const enterprise = await insertEnterprise(trx, enterpriseValues(input, user.id))
      await addMembership(trx, {
        userId: user.id,
        orgId: org.id,
        role: 'enterprise_contact',
        enterpriseId: enterprise.id,
      })
      if (ipKey) await countUse(trx, REGISTRATION_LIMIT, ipKey, now)
      return { enterpriseId: enterprise.id, userId: user.id }
    })
  } catch (err) {
    return mapUniqueViolation(db, err, input.creditCode, null)
  }
}

/** Orgs a coordinator or federation admin may create enterprises in (their subtrees). */
export function creatableOrgs(db: DbOrTrx, principal: Principal) {
  return orgsInSubtrees(
    db,
    scopesFor(principal, MANAGER_ROLES).map((s) => s.orgPath),
  )
}

export interface IssuedInvitation {
  id: number
  /** The secret for the link; only its hash is stored, so it is shown once. */
  token: string
  expiresAt: Date
}

/**
 * A coordinator or federation admin creates an enterprise in an org of their
 * subtree, optionally inviting its first contact at the same time.
 */
export async function createEnterprise(
  db: Db,
  principal: Principal,
  input: CoordinatorEnterpriseInput,
  options: EnterpriseCommandOptions = {},
): Promise<{ enterpriseId: number; invitation: IssuedInvitation | null }> {
  const org = await getOrg(db, input.orgId)
  if (!org) throw new ValidationError('orgId', 'enterprise.errors.org')
  requireMembership(principal, { orgPath: org.path, enterpriseId: null }, MANAGER_ROLES)
  await checkBeforeSaving(db, input, principal)
  const now = options.now ?? new Date()
  try {
    return await db.transaction().execute(async (trx) => {
      const enterprise = await insertEnterprise(trx, enterpriseValues(input, principal.userId))
      const invitation = input.invite
        ? await issueInvitation(trx, enterprise.id, principal.userId, input.invite, now)
        : null
      return { enterpriseId: enterprise.id, invitation }
    })
  } catch (err) {
    return mapUniqueViolation(db, err, input.creditCode, principal)
  }
}

// ─── Reading ──────────────────────────────────────────────────────────────

async function loadScoped(db: DbOrTrx, id: number) {
  const enterprise = await findEnterprise(db, id)
  if (!enterprise) throw new NotFoundError('enterprise', id)
  return { enterprise, scope: scopeOf(enterprise) }
}

/** Its contacts (own enterprise), union roles by subtree, and its dedicated steward. */
function requireProfileRead(
  principal: Principal,
  enterprise: { steward_user_id: number | null },
  scope: ScopedRecord,
) {
  if (canRead(principal, scope)) return
  if (enterprise.steward_user_id !== null && enterprise.steward_user_id === principal.userId) return
  throw new ForbiddenError('not in your scope')
}

function isMemberOf(principal: Principal, enterpriseId: number): boolean {
  return principal.memberships.some(
    (m) => m.role === 'enterprise_contact' && m.enterpriseId === enterpriseId,
  )
}

/**
 * Everything the profile page shows. Contacts' mobile numbers are masked for
 * anyone who is not a contact of the enterprise; drafts stay private to it.
 */
export async function enterpriseProfile(
  db: Db,
  principal: Principal,
  id: number,
  options: EnterpriseCommandOptions = {},
) {
  const { enterprise, scope } = await loadScoped(db, id)
  requireProfileRead(principal, enterprise, scope)
  const member = isMemberOf(principal, id)
  const canInvite = membershipFor(principal, scope, INVITER_ROLES) !== undefined
  const [lists, contacts, invitations] = await Promise.all([
    needsListsOfEnterprise(db, id),
    contactsOf(db, id),
    canInvite ? openInvitationsOf(db, id) : Promise.resolve([]),
  ])
  const now = (options.now ?? new Date()).getTime()
  return {
    enterprise,
    steward:
      enterprise.steward_user_id !== null && enterprise.stewardName !== null
        ? { id: enterprise.steward_user_id, name: enterprise.stewardName }
        : null,
    needsLists: lists
      .filter((l) => member || l.status !== 'draft')
      .map((l) => ({ ...l, itemCount: Number(l.itemCount ?? 0) })),
    contacts: contacts.map((c) => ({
      id: c.id,
      name: c.name,
      email: c.email,
      mobile: c.mobile === null ? null : member ? c.mobile : maskMobile(c.mobile),
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      name: i.name,
      email: i.email,
      createdAt: i.created_at,
      expiresAt: i.expires_at,
      expired: i.expires_at.getTime() <= now,
    })),
    can: {
      invite: canInvite,
      /** The steward section (assignment, history) is for the union side. */
      stewardSection:
        membershipFor(principal, scope, ['coordinator', 'federation_admin', 'steward']) !==
        undefined,
      seeFullMobiles: member,
    },
  }
}

/** The enterprises the principal is a contact of. */
export function ownEnterpriseIds(principal: Principal): number[] {
  return [
    ...new Set(
      principal.memberships.flatMap((m) =>
        m.role === 'enterprise_contact' && m.enterpriseId !== null ? [m.enterpriseId] : [],
      ),
    ),
  ]
}

/**
 * Enterprises in the principal's subtrees (coordinators and federation
 * admins), searched by name (as typed or normalised) or credit-code prefix.
 */
export async function listEnterprises(
  db: Db,
  principal: Principal,
  input: { query?: string; page: number; pageSize: number },
) {
  const scopes = scopesFor(principal, MANAGER_ROLES)
  if (scopes.length === 0) throw new ForbiddenError('coordinators and federation admins only')
  const query = (input.query ?? '').normalize('NFKC').trim().slice(0, 100)
  const code = normalizeCreditCode(query)
  const found = await searchEnterprises(db, {
    orgPaths: scopes.map((s) => s.orgPath),
    name: query || undefined,
    normalizedName: query ? normalizeEnterpriseName(query) || undefined : undefined,
    creditCodePrefix: /^[0-9A-Z]{2,18}$/.test(code) ? code : undefined,
    limit: input.pageSize + 1,
    offset: (input.page - 1) * input.pageSize,
  })
  return {
    rows: found
      .slice(0, input.pageSize)
      .map((r) => ({ ...r, listCount: Number(r.listCount ?? 0) })),
    hasNext: found.length > input.pageSize,
  }
}

// ─── Invitations ──────────────────────────────────────────────────────────

async function issueInvitation(
  db: DbOrTrx,
  enterpriseId: number,
  invitedBy: number,
  input: { name: string; email: string; mobile: string | null },
  now: Date,
): Promise<IssuedInvitation> {
  const token = newToken()
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 24 * 3600 * 1000)
  const row = await insertInvitation(db, {
    enterpriseId,
    email: input.email.trim().toLowerCase(),
    name: input.name,
    mobile: input.mobile,
    tokenHash: hashInvitationToken(token),
    invitedBy,
    expiresAt,
  })
  return { id: row.id, token, expiresAt }
}

/** The invitation form's context; refuses anyone who may not invite for this enterprise. */
export async function invitationFormView(db: Db, principal: Principal, enterpriseId: number) {
  const { enterprise, scope } = await loadScoped(db, enterpriseId)
  requireMembership(principal, scope, INVITER_ROLES)
  return { id: enterprise.id, name: enterprise.name }
}

/** A contact of the enterprise (or the union desk in scope) invites a colleague. */
export async function inviteContact(
  db: Db,
  principal: Principal,
  enterpriseId: number,
  input: InvitationInput,
  options: EnterpriseCommandOptions = {},
): Promise<IssuedInvitation> {
  const { scope } = await loadScoped(db, enterpriseId)
  requireMembership(principal, scope, INVITER_ROLES)
  const existing = await findUserByEmail(db, input.email)
  if (existing && (await isContactOf(db, existing.id, enterpriseId))) {
    throw new ValidationError('email', 'enterprise.errors.alreadyContact')
  }
  return issueInvitation(db, enterpriseId, principal.userId, input, options.now ?? new Date())
}

export type InvitationState = 'valid' | 'expired' | 'used'

/** What the invitation page shows; an unknown token is InvitationUnavailableError('notFound'). */
export async function invitationByToken(
  db: DbOrTrx,
  token: string,
  options: EnterpriseCommandOptions = {},
) {
  const invitation = token ? await findInvitationByHash(db, hashInvitationToken(token)) : undefined
  if (!invitation) throw new InvitationUnavailableError('notFound')
  const now = options.now ?? new Date()
  const state: InvitationState =
    invitation.accepted_at !== null
      ? 'used'
      : invitation.expires_at.getTime() <= now.getTime()
        ? 'expired'
        : 'valid'
  const account = await findUserByEmail(db, invitation.email)
  return {
    state,
    enterpriseId: invitation.enterprise_id,
    enterpriseName: invitation.enterpriseName,
    inviterName: invitation.inviterName,
    name: invitation.name,
    email: invitation.email,
    mobile: invitation.mobile,
    expiresAt: invitation.expires_at,
    accountExists: account !== undefined,
  }
}

export type Invitee =
  /** A signed-in user whose e-mail is the invitation's. */
  | { kind: 'existing'; userId: number }
  /** A newcomer: an account is created with the invitation's e-mail. */
  | { kind: 'new'; input: AcceptInvitationInput; locale?: string }

/**
 * Accepts an invitation: the invitee becomes an enterprise_contact of the
 * enterprise (in its union org). One use only, within its validity; the
 * invitation row is locked so two tabs cannot both use it.
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  invitee: Invitee,
  options: EnterpriseCommandOptions = {},
): Promise<{ userId: number; enterpriseId: number }> {
  const now = options.now ?? new Date()
  const tokenHash = hashInvitationToken(token)
  const preview = await findInvitationByHash(db, tokenHash)
  if (!preview) throw new InvitationUnavailableError('notFound')
  if (preview.accepted_at !== null) throw new InvitationUnavailableError('used')
  if (preview.expires_at.getTime() <= now.getTime()) throw new InvitationUnavailableError('expired')
  let passwordHash = ''
  if (invitee.kind === 'existing') {
    const user = await db
      .selectFrom('app_user')
      .select('email')
      .where('id', '=', invitee.userId)
      .executeTakeFirst()
    if (!user || user.email !== preview.email) {
      throw new ValidationError('token', 'enterprise.invitation.otherAccount')
    }
  } else {
    if (await findUserByEmail(db, preview.email)) {
      throw new ValidationError('token', 'enterprise.invitation.signInFirst')
    }
    // Argon2 is slow: hash before the transaction opens.
    passwordHash = await hashPassword(invitee.input.password)
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const invitation = await findInvitationByHash(trx, tokenHash, true)
      if (!invitation) throw new InvitationUnavailableError('notFound')
      if (invitation.accepted_at !== null) throw new InvitationUnavailableError('used')
      if (invitation.expires_at.getTime() <= now.getTime()) {
        throw new InvitationUnavailableError('expired')
      }
      let userId: number
      if (invitee.kind === 'existing') {
        userId = invitee.userId
      } else {
        const user = await createUser(trx, {
          email: invitation.email,
          name: invitee.input.name,
          passwordHash,
          locale: invitee.locale,
        })
        await setUserMobile(trx, user.id, invitee.input.mobile)
        userId = user.id
      }
      if (!(await isContactOf(trx, userId, invitation.enterprise_id))) {
        await addMembership(trx, {
          userId,
          orgId: invitation.enterpriseOrgId,
          role: 'enterprise_contact',
          enterpriseId: invitation.enterprise_id,
        })
      }
      await markInvitationAccepted(trx, invitation.id, { userId, at: now })
      return { userId, enterpriseId: invitation.enterprise_id }
    })
  } catch (err) {
    if (uniqueViolation(err)?.includes('email')) {
      throw new ValidationError('token', 'enterprise.invitation.signInFirst')
    }
    throw err
  }
}

import type { Db } from '#db/client.server.ts'
import {
  challengesForExpert,
  challengesInSubtrees,
  closeChallengeRow,
  deleteVolunteer,
  expertOfUser,
  findChallenge,
  lockListStatus,
  openChallenge,
  publishableItem,
  publishableItems,
  upsertVolunteer,
  volunteeringOf,
  volunteersOf,
} from '#db/queries/challenges.ts'
import { skillsByIds } from '#db/queries/skills.ts'
import type { Role } from '#db/schema.ts'
import { shanghaiDate } from '#jobs/calendar/working-days.ts'
import {
  hasRole,
  isAssignedSteward,
  membershipFor,
  type Principal,
  type ScopedRecord,
  scopesFor,
} from '../access.ts'
import {
  CHALLENGE_CASE_STATES,
  isChallengeCaseState,
  MAX_CLOSING_DAYS,
  type PublishChallengeInput,
} from '../challenge.schema.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'

/**
 * Open challenges (揭榜挂帅): a confirmed need item published for experts to
 * volunteer for. Who publishes and closes: a coordinator or federation admin
 * whose subtree holds the case, or the case's dedicated steward (who runs its
 * matching). Who volunteers: an expert with a linked talent-pool profile,
 * for challenges in the subtree of the union that manages them.
 */

/** Union roles that see the challenges of their subtree. */
const UNION_READERS: Role[] = ['coordinator', 'federation_admin', 'steward']
const PUBLISHERS: Role[] = ['coordinator', 'federation_admin']

/** The programme's calendar date of `now` ('YYYY-MM-DD', Asia/Shanghai). */
export function todayOf(now: Date): string {
  return shanghaiDate(now)
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** Whether `p` may publish or close a challenge on a case like `record`. */
export function canPublishOn(p: Principal, record: ScopedRecord): boolean {
  return membershipFor(p, record, PUBLISHERS) !== undefined || isAssignedSteward(p, record)
}

function requirePublisher(p: Principal, record: ScopedRecord): void {
  if (!canPublishOn(p, record)) {
    throw new ForbiddenError('only coordinators, admins of the subtree or the case steward publish')
  }
}

/** Why a challenge does not take volunteers now, or null when it does. */
export type ClosedReason = 'closed' | 'expired' | 'caseMoved'

function closedReason(
  c: { status: string; closesOn: string | null; listStatus: string },
  today: string,
): ClosedReason | null {
  if (c.status !== 'open') return 'closed'
  if (!isChallengeCaseState(c.listStatus)) return 'caseMoved'
  if (c.closesOn !== null && c.closesOn < today) return 'expired'
  return null
}

const REFUSAL: Record<ClosedReason, string> = {
  closed: 'challenges.errors.closed',
  expired: 'challenges.errors.expired',
  caseMoved: 'challenges.errors.caseMoved',
}

/** The expert profile of a signed-in expert, or null for anyone else. */
async function expertProfileOf(db: Db, principal: Principal) {
  if (!hasRole(principal, 'expert')) return null
  return (await expertOfUser(db, principal.userId)) ?? null
}

async function requireExpert(db: Db, principal: Principal) {
  if (!hasRole(principal, 'expert')) throw new ForbiddenError('only experts volunteer')
  const expert = await expertOfUser(db, principal.userId)
  if (!expert) throw new ValidationError('expert', 'challenges.errors.noProfile')
  return expert
}

// ─── Publishing ─────────────────────────────────────────────────────────────

/**
 * Publishes a confirmed item of a case before pairing (ready for matching,
 * matching, inviting) as an open challenge; a closed one opens again with
 * the new note and closing date.
 */
export async function publishChallenge(
  db: Db,
  principal: Principal,
  input: PublishChallengeInput,
  now: Date,
): Promise<{ id: number }> {
  const item = await publishableItem(db, input.itemId)
  if (!item) throw new NotFoundError('confirmed_item', input.itemId)
  requirePublisher(principal, {
    orgPath: item.orgPath,
    enterpriseId: item.enterpriseId,
    stewardUserId: item.stewardUserId,
  })
  const today = todayOf(now)
  if (input.closesOn !== null) {
    if (input.closesOn < today)
      throw new ValidationError('closesOn', 'challenges.errors.closesOnPast')
    if (input.closesOn > addDays(today, MAX_CLOSING_DAYS)) {
      throw new ValidationError('closesOn', 'challenges.errors.closesOnTooFar')
    }
  }
  return db.transaction().execute(async (trx) => {
    // The case row stays locked so it cannot move on while the item is published.
    const status = await lockListStatus(trx, item.listId)
    if (status === undefined || !isChallengeCaseState(status)) {
      throw new ValidationError('itemId', 'challenges.errors.caseState')
    }
    const id = await openChallenge(trx, {
      itemId: item.id,
      listId: item.listId,
      orgId: item.orgId,
      note: input.note,
      closesOn: input.closesOn,
      publishedBy: principal.userId,
      now,
    })
    if (id === null) throw new ValidationError('itemId', 'challenges.errors.alreadyOpen')
    return { id }
  })
}

/** Closes (unpublishes) a challenge: no new volunteers, and matching no longer counts them. */
export async function closeChallenge(db: Db, principal: Principal, id: number): Promise<void> {
  const c = await findChallenge(db, id)
  if (!c) throw new NotFoundError('open_challenge', id)
  requirePublisher(principal, c)
  if (!(await closeChallengeRow(db, id))) {
    throw new ValidationError('status', 'challenges.errors.alreadyClosed')
  }
}

// ─── Volunteering ───────────────────────────────────────────────────────────

/** An expert serves the subtree of the union that manages them. */
function servesOrg(expertOrgPath: string, orgPath: string): boolean {
  return orgPath.startsWith(expertOrgPath)
}

/**
 * The expert volunteers (揭榜) for a challenge that takes volunteers; doing it
 * again changes nothing but the note.
 */
export async function volunteerForChallenge(
  db: Db,
  principal: Principal,
  id: number,
  input: { note: string | null },
  now: Date,
): Promise<void> {
  const expert = await requireExpert(db, principal)
  const today = todayOf(now)
  await db.transaction().execute(async (trx) => {
    // Locked against a concurrent close until the volunteer is written.
    const c = await findChallenge(trx, id, { lock: true })
    // Outside the expert's pool the challenge does not exist for them.
    if (!c || !servesOrg(expert.orgPath, c.orgPath)) throw new NotFoundError('open_challenge', id)
    const reason = closedReason(c, today)
    if (reason) throw new ValidationError('challenge', REFUSAL[reason])
    if (expert.status !== 'active') throw new ValidationError('expert', 'challenges.errors.paused')
    await upsertVolunteer(trx, { challengeId: id, expertId: expert.id, note: input.note, now })
  })
}

/** The expert takes their volunteering back while the challenge is open. */
export async function withdrawVolunteering(
  db: Db,
  principal: Principal,
  id: number,
): Promise<void> {
  const expert = await requireExpert(db, principal)
  await db.transaction().execute(async (trx) => {
    const c = await findChallenge(trx, id, { lock: true })
    if (!c || !servesOrg(expert.orgPath, c.orgPath)) throw new NotFoundError('open_challenge', id)
    if (c.status !== 'open') throw new ValidationError('challenge', 'challenges.errors.closed')
    if (!(await deleteVolunteer(trx, id, expert.id))) {
      throw new ValidationError('challenge', 'challenges.errors.notVolunteered')
    }
  })
}

// ─── Pages ──────────────────────────────────────────────────────────────────

async function skillNames(db: Db, ids: number[]) {
  const rows = await skillsByIds(db, [...new Set(ids)])
  return new Map(rows.map((s) => [s.id, { id: s.id, nameZh: s.name_zh, nameEn: s.name_en }]))
}

function namesOf(map: Map<number, { id: number; nameZh: string; nameEn: string }>, ids: number[]) {
  return ids.flatMap((id) => {
    const s = map.get(id)
    return s ? [s] : []
  })
}

export type ChallengeStatusFilter = 'open' | 'closed'

/**
 * /challenges: an expert's open challenges to volunteer for; a union user's
 * challenges of their subtree with their volunteers.
 */
export async function challengesPage(
  db: Db,
  principal: Principal,
  options: { status: ChallengeStatusFilter; now: Date },
) {
  const isExpert = hasRole(principal, 'expert')
  const scopes = scopesFor(principal, UNION_READERS)
  if (!isExpert && scopes.length === 0) throw new ForbiddenError('not an expert nor a union user')
  const today = todayOf(options.now)

  let expert = null
  if (isExpert) {
    const profile = await expertOfUser(db, principal.userId)
    const rows = profile
      ? await challengesForExpert(db, {
          expertId: profile.id,
          expertOrgPath: profile.orgPath,
          today,
          caseStates: CHALLENGE_CASE_STATES,
        })
      : []
    const skills = await skillNames(
      db,
      rows.flatMap((r) => r.skillIds),
    )
    expert = {
      profile: profile ? { id: profile.id, name: profile.name, status: profile.status } : null,
      challenges: rows.map((r) => ({
        ...r,
        skills: namesOf(skills, r.skillIds),
        volunteered: r.volunteeredAt !== null,
        closedReason: closedReason(r, today),
      })),
    }
  }

  let union = null
  if (scopes.length > 0) {
    const rows = await challengesInSubtrees(
      db,
      scopes.map((s) => s.orgPath),
      options.status,
    )
    const [volunteers, skills] = await Promise.all([
      volunteersOf(
        db,
        rows.map((r) => r.id),
      ),
      skillNames(
        db,
        rows.flatMap((r) => r.skillIds),
      ),
    ])
    union = {
      status: options.status,
      canPublish: hasRole(principal, 'coordinator', 'federation_admin', 'steward'),
      challenges: rows.map((r) => ({
        ...r,
        skills: namesOf(skills, r.skillIds),
        closedReason: closedReason(r, today),
        volunteerCount: Number(r.volunteerCount ?? 0),
        volunteers: volunteers
          .filter((v) => v.challengeId === r.id)
          .map((v) => ({ expertId: v.expertId, name: v.name })),
      })),
    }
  }
  return { today, expert, union }
}

/** One challenge as its viewer may see it: the item, and the volunteers for union users. */
export async function challengeView(db: Db, principal: Principal, id: number, now: Date) {
  const c = await findChallenge(db, id)
  const today = todayOf(now)
  const profile = await expertProfileOf(db, principal)
  const unionReader = c ? membershipFor(principal, c, UNION_READERS) : undefined
  const inPool = c !== undefined && profile !== null && servesOrg(profile.orgPath, c.orgPath)
  if (!c || (!unionReader && !inPool)) {
    // Union users learn the challenge is not theirs; anyone else, that there is none.
    if (c && scopesFor(principal, UNION_READERS).length > 0) {
      throw new ForbiddenError('the challenge is outside your subtrees')
    }
    throw new NotFoundError('open_challenge', id)
  }
  const mine = inPool ? await volunteeringOf(db, c.id, profile.id) : undefined
  const reason = closedReason(c, today)
  // An expert sees a closed challenge only when they had volunteered on it.
  if (!unionReader && reason !== null && reason !== 'expired' && !mine) {
    throw new NotFoundError('open_challenge', id)
  }
  const [skills, volunteers] = await Promise.all([
    skillNames(db, c.skillIds),
    unionReader ? volunteersOf(db, [c.id]) : Promise.resolve([]),
  ])
  return {
    today,
    challenge: {
      ...c,
      skills: namesOf(skills, c.skillIds),
      closedReason: reason,
    },
    expert: inPool
      ? {
          expertId: profile.id,
          status: profile.status,
          volunteered: mine !== undefined,
          note: mine?.note ?? null,
          volunteeredAt: mine?.createdAt ?? null,
        }
      : null,
    union: unionReader
      ? {
          canManage: canPublishOn(principal, c),
          volunteers: volunteers.map((v) => ({
            expertId: v.expertId,
            name: v.name,
            employer: v.employer,
            orgName: v.orgName,
            note: v.note,
            createdAt: v.createdAt,
            expertStatus: v.expertStatus,
          })),
        }
      : null,
  }
}

/**
 * The publish page: with an item, that item (authorised); without, the items
 * the principal could publish.
 */
export async function publishPage(db: Db, principal: Principal, itemId: number | null) {
  const scopes = scopesFor(principal, PUBLISHERS)
  const isSteward = hasRole(principal, 'steward')
  if (scopes.length === 0 && !isSteward) throw new ForbiddenError('not a publisher')
  if (itemId === null) {
    const items = await publishableItems(db, {
      orgPaths: scopes.map((s) => s.orgPath),
      stewardUserId: isSteward ? principal.userId : null,
      caseStates: CHALLENGE_CASE_STATES,
    })
    return { item: null, items }
  }
  const item = await publishableItem(db, itemId)
  if (!item) throw new NotFoundError('confirmed_item', itemId)
  requirePublisher(principal, {
    orgPath: item.orgPath,
    enterpriseId: item.enterpriseId,
    stewardUserId: item.stewardUserId,
  })
  return {
    item: {
      id: item.id,
      title: item.title,
      description: item.description,
      headcount: item.headcount,
      listId: item.listId,
      listTitle: item.listTitle,
      listStatus: item.listStatus,
      enterpriseName: item.enterpriseName,
      challengeId: item.challengeId,
      challengeStatus: item.challengeStatus,
      publishable: isChallengeCaseState(item.listStatus) && item.challengeStatus !== 'open',
    },
    items: [],
  }
}

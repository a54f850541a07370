import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'
import { pathLikeSubtree } from './orgs.ts'

/**
 * Confirmed item id -> ids of the experts who volunteered (揭榜) on the item's
 * open challenge. A closed challenge's volunteers do not count; an open one
 * past its closing date still counts (they volunteered in time).
 */
export async function volunteersByItem(
  db: DbOrTrx,
  itemIds: number[],
): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>()
  if (itemIds.length === 0) return out
  const rows = await db
    .selectFrom('challenge_volunteer as v')
    .innerJoin('open_challenge as c', 'c.id', 'v.challenge_id')
    .select(['c.confirmed_item_id', 'v.expert_id'])
    .where('c.confirmed_item_id', 'in', [...new Set(itemIds)])
    .where('c.status', '=', 'open')
    .orderBy('c.confirmed_item_id')
    .orderBy('v.created_at')
    .orderBy('v.expert_id')
    .execute()
  for (const r of rows) {
    const list = out.get(r.confirmed_item_id)
    if (list) list.push(r.expert_id)
    else out.set(r.confirmed_item_id, [r.expert_id])
  }
  return out
}

const windowDates = [
  sql<string | null>`to_char(i.window_start, 'YYYY-MM-DD')`.as('windowStart'),
  sql<string | null>`to_char(i.window_end, 'YYYY-MM-DD')`.as('windowEnd'),
] as const

/** A confirmed item with its case, as publishing needs it (and its challenge, if any). */
export function publishableItem(db: DbOrTrx, itemId: number) {
  return db
    .selectFrom('confirmed_item as i')
    .innerJoin('needs_list as l', 'l.id', 'i.needs_list_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .leftJoin('open_challenge as c', 'c.confirmed_item_id', 'i.id')
    .select([
      'i.id',
      'i.title',
      'i.description',
      'i.category',
      'i.headcount',
      'i.needs_list_id as listId',
      'l.title as listTitle',
      'l.status as listStatus',
      'l.org_id as orgId',
      'l.enterprise_id as enterpriseId',
      'l.steward_user_id as stewardUserId',
      'o.path as orgPath',
      'e.name as enterpriseName',
      'c.id as challengeId',
      'c.status as challengeStatus',
    ])
    .where('i.id', '=', itemId)
    .executeTakeFirst()
}

/** Locks a case row for the duration of the transaction and returns its status. */
export async function lockListStatus(db: DbOrTrx, listId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('needs_list')
    .select('status')
    .where('id', '=', listId)
    .forUpdate()
    .executeTakeFirst()
  return row?.status
}

/**
 * Publishes an item, or re-opens its closed challenge with the new note and
 * closing date (its earlier volunteers stay). Null when it is already open.
 */
export async function openChallenge(
  db: DbOrTrx,
  input: {
    itemId: number
    listId: number
    orgId: number
    note: string | null
    closesOn: string | null
    publishedBy: number
    now: Date
  },
): Promise<number | null> {
  const values = {
    note: input.note,
    closes_on: input.closesOn,
    status: 'open' as const,
    published_by: input.publishedBy,
    published_at: input.now,
    org_id: input.orgId,
  }
  const row = await db
    .insertInto('open_challenge')
    .values({ ...values, confirmed_item_id: input.itemId, needs_list_id: input.listId })
    .onConflict((oc) =>
      oc
        .column('confirmed_item_id')
        .doUpdateSet(values)
        .where('open_challenge.status', '=', 'closed'),
    )
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

/** A challenge with its item, case and enterprise. */
export function findChallenge(db: DbOrTrx, id: number, options: { lock?: boolean } = {}) {
  return db
    .selectFrom('open_challenge as c')
    .innerJoin('confirmed_item as i', 'i.id', 'c.confirmed_item_id')
    .innerJoin('needs_list as l', 'l.id', 'c.needs_list_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'c.org_id')
    .leftJoin('app_user as u', 'u.id', 'c.published_by')
    .select([
      'c.id',
      'c.status',
      'c.note',
      'c.closes_on as closesOn',
      'c.published_at as publishedAt',
      'u.name as publishedByName',
      'c.org_id as orgId',
      'o.path as orgPath',
      'o.name as orgName',
      'i.id as itemId',
      'i.title',
      'i.description',
      'i.category',
      'i.urgency',
      'i.headcount',
      'i.mode',
      'i.place',
      'i.expected_outcome as expectedOutcome',
      'i.skill_ids as skillIds',
      ...windowDates,
      'l.id as listId',
      'l.title as listTitle',
      'l.status as listStatus',
      'l.steward_user_id as stewardUserId',
      'l.enterprise_id as enterpriseId',
      'e.name as enterpriseName',
      'e.district',
      'e.park',
    ])
    .where('c.id', '=', id)
    .$if(options.lock === true, (q) => q.forShare('c'))
    .executeTakeFirst()
}

/** Closes an open challenge; false when it was not open. */
export async function closeChallengeRow(db: DbOrTrx, id: number): Promise<boolean> {
  const result = await db
    .updateTable('open_challenge')
    .set({ status: 'closed' })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Volunteers once; volunteering again keeps the first time and takes the new note. */
export function upsertVolunteer(
  db: DbOrTrx,
  input: { challengeId: number; expertId: number; note: string | null; now: Date },
) {
  return db
    .insertInto('challenge_volunteer')
    .values({
      challenge_id: input.challengeId,
      expert_id: input.expertId,
      note: input.note,
      created_at: input.now,
    })
    .onConflict((oc) => oc.columns(['challenge_id', 'expert_id']).doUpdateSet({ note: input.note }))
    .execute()
}

export async function deleteVolunteer(
  db: DbOrTrx,
  challengeId: number,
  expertId: number,
): Promise<boolean> {
  const result = await db
    .deleteFrom('challenge_volunteer')
    .where('challenge_id', '=', challengeId)
    .where('expert_id', '=', expertId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/** The volunteers of some challenges, first come first. */
export function volunteersOf(db: DbOrTrx, challengeIds: number[]) {
  if (challengeIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('challenge_volunteer as v')
    .innerJoin('expert as x', 'x.id', 'v.expert_id')
    .innerJoin('union_org as o', 'o.id', 'x.org_id')
    .select([
      'v.challenge_id as challengeId',
      'v.expert_id as expertId',
      'v.note',
      'v.created_at as createdAt',
      'x.name',
      'x.employer',
      'x.status as expertStatus',
      'o.name as orgName',
    ])
    .where('v.challenge_id', 'in', challengeIds)
    .orderBy('v.created_at')
    .orderBy('v.expert_id')
    .execute()
}

/** One expert's own volunteering on a challenge, if any. */
export function volunteeringOf(db: DbOrTrx, challengeId: number, expertId: number) {
  return db
    .selectFrom('challenge_volunteer')
    .select(['note', 'created_at as createdAt'])
    .where('challenge_id', '=', challengeId)
    .where('expert_id', '=', expertId)
    .executeTakeFirst()
}

/** The talent-pool profile linked to a sign-in, with the path of the org that manages it. */
export function expertOfUser(db: DbOrTrx, userId: number) {
  return db
    .selectFrom('expert as x')
    .innerJoin('union_org as o', 'o.id', 'x.org_id')
    .select(['x.id', 'x.name', 'x.status', 'x.org_id as orgId', 'o.path as orgPath'])
    .where('x.user_id', '=', userId)
    .orderBy('x.id')
    .executeTakeFirst()
}

const listColumns = [
  'c.id',
  'c.status',
  'c.note',
  'c.closes_on as closesOn',
  'c.published_at as publishedAt',
  'i.id as itemId',
  'i.title',
  'i.description',
  'i.headcount',
  'i.mode',
  'i.place',
  'i.skill_ids as skillIds',
  'l.id as listId',
  'l.title as listTitle',
  'l.status as listStatus',
  'e.name as enterpriseName',
  'e.district',
  'o.name as orgName',
] as const

function challengeList(db: DbOrTrx) {
  return db
    .selectFrom('open_challenge as c')
    .innerJoin('confirmed_item as i', 'i.id', 'c.confirmed_item_id')
    .innerJoin('needs_list as l', 'l.id', 'c.needs_list_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'c.org_id')
}

/**
 * Challenges an expert may serve: open, of a case still before pairing, in
 * the subtree of the org that manages the expert, and still taking
 * volunteers on `today` ('YYYY-MM-DD'); plus those the expert volunteered on.
 */
export function challengesForExpert(
  db: DbOrTrx,
  input: { expertId: number; expertOrgPath: string; today: string; caseStates: readonly string[] },
  limit = 200,
) {
  return challengeList(db)
    .leftJoin('challenge_volunteer as v', (j) =>
      j.onRef('v.challenge_id', '=', 'c.id').on('v.expert_id', '=', input.expertId),
    )
    .select([...listColumns, ...windowDates, 'v.note as myNote', 'v.created_at as volunteeredAt'])
    .where('o.path', 'like', pathLikeSubtree(input.expertOrgPath))
    .where('c.status', '=', 'open')
    .where('l.status', 'in', [...input.caseStates])
    .where((w) =>
      w.or([
        w('c.closes_on', 'is', null),
        w('c.closes_on', '>=', input.today),
        w('v.expert_id', 'is not', null),
      ]),
    )
    .orderBy('c.published_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute()
}

/** Challenges published in some subtrees (a union user's view), newest first. */
export function challengesInSubtrees(
  db: DbOrTrx,
  orgPaths: string[],
  status: 'open' | 'closed',
  limit = 200,
) {
  if (orgPaths.length === 0) return Promise.resolve([])
  return challengeList(db)
    .select([...listColumns, ...windowDates])
    .select((eb) =>
      eb
        .selectFrom('challenge_volunteer as v')
        .whereRef('v.challenge_id', '=', 'c.id')
        .select((s) => s.fn.countAll<string>().as('n'))
        .as('volunteerCount'),
    )
    .where((w) => w.or(orgPaths.map((p) => w('o.path', 'like', pathLikeSubtree(p)))))
    .where('c.status', '=', status)
    .orderBy('c.published_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute()
}

/**
 * Confirmed items that could be published: of cases in `caseStates`, either
 * in the given subtrees or with `stewardUserId` as their dedicated steward,
 * and without an open challenge.
 */
export function publishableItems(
  db: DbOrTrx,
  input: { orgPaths: string[]; stewardUserId: number | null; caseStates: readonly string[] },
  limit = 100,
) {
  if (input.orgPaths.length === 0 && input.stewardUserId === null) return Promise.resolve([])
  return db
    .selectFrom('confirmed_item as i')
    .innerJoin('needs_list as l', 'l.id', 'i.needs_list_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .leftJoin('open_challenge as c', 'c.confirmed_item_id', 'i.id')
    .select([
      'i.id',
      'i.title',
      'i.headcount',
      'l.id as listId',
      'l.title as listTitle',
      'l.status as listStatus',
      'e.name as enterpriseName',
      'c.id as challengeId',
    ])
    .where('l.status', 'in', [...input.caseStates])
    .where((w) =>
      w.or([
        ...input.orgPaths.map((p) => w('o.path', 'like', pathLikeSubtree(p))),
        ...(input.stewardUserId === null ? [] : [w('l.steward_user_id', '=', input.stewardUserId)]),
      ]),
    )
    .where((w) => w.or([w('c.id', 'is', null), w('c.status', '=', 'closed')]))
    .orderBy('l.id', 'desc')
    .orderBy('i.position')
    .limit(limit)
    .execute()
}

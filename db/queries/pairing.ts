import { sql } from 'kysely'
import type { DbOrTrx } from '../client.server.ts'

/** The pairing meeting (专项会议), the one-to-one pairing (一一配对) and the agreement (结对服务协议). */

export interface Attendee {
  name: string
  role: string
}

export function findMeeting(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('pairing_meeting as m')
    .leftJoin('app_user as u', 'u.id', 'm.recorded_by')
    .selectAll('m')
    .select('u.name as recordedByName')
    .where('m.needs_list_id', '=', listId)
    .executeTakeFirst()
}

/** Records (or reschedules) the list's meeting; one per list. */
export function upsertMeeting(
  db: DbOrTrx,
  input: {
    listId: number
    heldAt: Date
    place: string
    attendees: Attendee[]
    notes: string | null
    recordedBy: number
    now: Date
  },
) {
  const values = {
    held_at: input.heldAt,
    place: input.place,
    attendees: JSON.stringify(input.attendees),
    notes: input.notes,
    recorded_by: input.recordedBy,
    updated_at: input.now,
  }
  return db
    .insertInto('pairing_meeting')
    .values({ needs_list_id: input.listId, ...values, created_at: input.now })
    .onConflict((oc) => oc.column('needs_list_id').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function deleteMeeting(db: DbOrTrx, listId: number) {
  await db.deleteFrom('pairing_meeting').where('needs_list_id', '=', listId).execute()
}

export function insertPairings(
  db: DbOrTrx,
  rows: {
    listId: number
    itemId: number
    invitationId: number
    expertId: number
    teamId: number | null
    decision: string | null
  }[],
  now: Date,
) {
  if (rows.length === 0) return Promise.resolve([])
  return db
    .insertInto('pairing')
    .values(
      rows.map((r) => ({
        needs_list_id: r.listId,
        confirmed_item_id: r.itemId,
        invitation_id: r.invitationId,
        expert_id: r.expertId,
        team_id: r.teamId,
        decision: r.decision,
        created_at: now,
      })),
    )
    .returningAll()
    .execute()
}

/** The list's pairings with the expert (or team) and item behind each. */
export function pairingsOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('pairing as p')
    .innerJoin('expert as x', 'x.id', 'p.expert_id')
    .innerJoin('confirmed_item as c', 'c.id', 'p.confirmed_item_id')
    .leftJoin('service_team as t', 't.id', 'p.team_id')
    .selectAll('p')
    .select([
      'x.name as expertName',
      'x.user_id as expertUserId',
      'x.employer',
      'x.job_title as jobTitle',
      't.name as teamName',
      'c.title as itemTitle',
      'c.position as itemPosition',
    ])
    .where('p.needs_list_id', '=', listId)
    .orderBy('c.position')
    .orderBy('p.id')
    .execute()
}

export function findAgreement(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('agreement as a')
    .leftJoin('app_user as u', 'u.id', 'a.generated_by')
    .selectAll('a')
    .select('u.name as generatedByName')
    .where('a.needs_list_id', '=', listId)
    .executeTakeFirst()
}

/**
 * Writes the list's agreement: a new one is numbered 'ZQ-<year>-<6-digit id>';
 * regenerating keeps the number and replaces the terms and content (and the
 * confirmations of the old text no longer count).
 */
export async function saveAgreement(
  db: DbOrTrx,
  input: {
    listId: number
    year: number
    termStart: string
    termEnd: string
    content: Record<string, unknown>
    generatedBy: number
    now: Date
  },
) {
  const existing = await db
    .selectFrom('agreement')
    .select(['id'])
    .where('needs_list_id', '=', input.listId)
    .executeTakeFirst()
  const values = {
    term_start: input.termStart,
    term_end: input.termEnd,
    content: JSON.stringify(input.content),
    generated_by: input.generatedBy,
  }
  if (existing) {
    await db.deleteFrom('agreement_confirmation').where('agreement_id', '=', existing.id).execute()
    return db
      .updateTable('agreement')
      .set({ ...values, created_at: input.now })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow()
  }
  const row = await db
    .insertInto('agreement')
    .values({
      needs_list_id: input.listId,
      number: `pending-${crypto.randomUUID()}`,
      ...values,
      created_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return db
    .updateTable('agreement')
    .set({ number: `ZQ-${input.year}-${String(row.id).padStart(6, '0')}` })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function insertAgreementConfirmation(
  db: DbOrTrx,
  input: {
    agreementId: number
    party: 'enterprise' | 'expert' | 'steward'
    userId: number
    expertId: number | null
    now: Date
  },
) {
  return db
    .insertInto('agreement_confirmation')
    .values({
      agreement_id: input.agreementId,
      party: input.party,
      user_id: input.userId,
      expert_id: input.expertId,
      confirmed_at: input.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function confirmationsOf(db: DbOrTrx, agreementId: number) {
  return db
    .selectFrom('agreement_confirmation as c')
    .innerJoin('app_user as u', 'u.id', 'c.user_id')
    .selectAll('c')
    .select('u.name as userName')
    .where('c.agreement_id', '=', agreementId)
    .orderBy('c.confirmed_at')
    .orderBy('c.id')
    .execute()
}

/** What the agreement names about the parties: enterprise, union org, steward. */
export function agreementParties(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('needs_list as l')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .innerJoin('app_user as c', 'c.id', 'l.created_by')
    .leftJoin('app_user as s', 's.id', 'l.steward_user_id')
    .select([
      'e.name as enterpriseName',
      'e.credit_code as creditCode',
      'e.address',
      'c.name as contactName',
      'c.mobile as contactMobile',
      'c.email as contactEmail',
      'o.name as orgName',
      's.name as stewardName',
      's.mobile as stewardMobile',
      's.email as stewardEmail',
    ])
    .where('l.id', '=', listId)
    .executeTakeFirst()
}

/** Honours of some experts, best level first. */
export function honoursOf(db: DbOrTrx, expertIds: number[]) {
  if (expertIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('expert_honour')
    .select(['expert_id', 'type', 'level', 'year'])
    .where('expert_id', 'in', expertIds)
    .orderBy(
      sql`case level when 'national' then 0 when 'provincial' then 1 when 'city' then 2 when 'district' then 3 else 4 end`,
    )
    .orderBy('year', 'desc')
    .execute()
}

/** The expert profile a user signs in as, if any. */
export function expertOfUser(db: DbOrTrx, userId: number) {
  return db.selectFrom('expert').selectAll().where('user_id', '=', userId).executeTakeFirst()
}

import type { DbOrTrx } from '../client.server.ts'

/** A visit with what its pages and report show about the case around it. */
export function visitHeader(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('visit as v')
    .innerJoin('needs_list as l', 'l.id', 'v.needs_list_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .leftJoin('app_user as s', 's.id', 'l.steward_user_id')
    .leftJoin('app_user as c', 'c.id', 'v.checked_in_by')
    .selectAll('v')
    .select([
      'l.title as listTitle',
      'l.enterprise_id as enterpriseId',
      'l.steward_user_id as stewardUserId',
      'e.name as enterpriseName',
      'e.address as enterpriseAddress',
      'o.name as orgName',
      'o.path as orgPath',
      's.name as stewardName',
      'c.name as checkedInByName',
    ])
    .where('v.id', '=', visitId)
    .executeTakeFirst()
}

export function findReport(db: DbOrTrx, visitId: number) {
  return db
    .selectFrom('visit_report as r')
    .leftJoin('app_user as s', 's.id', 'r.submitted_by')
    .leftJoin('app_user as c', 'c.id', 'r.confirmed_by')
    .selectAll('r')
    .select(['s.name as submitterName', 'c.name as confirmerUserName'])
    .where('r.visit_id', '=', visitId)
    .executeTakeFirst()
}

/** Writes the submitted report; a corrected report replaces the text and the time. */
export function saveSubmittedReport(
  db: DbOrTrx,
  input: {
    visitId: number
    summary: string
    recommendations: string | null
    submittedBy: number
    now: Date
  },
) {
  const values = {
    summary: input.summary,
    recommendations: input.recommendations,
    submitted_by: input.submittedBy,
    submitted_at: input.now,
  }
  return db
    .insertInto('visit_report')
    .values({ visit_id: input.visitId, ...values })
    .onConflict((oc) => oc.column('visit_id').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The enterprise's confirmation: who (signed in), the name as typed, when, and remarks. */
export function saveReportConfirmation(
  db: DbOrTrx,
  input: {
    visitId: number
    confirmedBy: number
    confirmedName: string
    remarks: string | null
    now: Date
  },
) {
  return db
    .updateTable('visit_report')
    .set({
      confirmed_by: input.confirmedBy,
      confirmed_name: input.confirmedName,
      confirmed_at: input.now,
      enterprise_remarks: input.remarks,
    })
    .where('visit_id', '=', input.visitId)
    .returningAll()
    .executeTakeFirst()
}

/** Stamps the check-in on the visit row (same transaction as CHECK_IN). */
export function stampCheckIn(db: DbOrTrx, visitId: number, userId: number, now: Date) {
  return db
    .updateTable('visit')
    .set({ checked_in_at: now, checked_in_by: userId, updated_at: now })
    .where('id', '=', visitId)
    .execute()
}

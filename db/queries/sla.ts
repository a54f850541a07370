import type { DbOrTrx } from '../client.server.ts'

/** The ids of an org path's orgs, root first: '/1/4/9/' → [1, 4, 9]. */
export function orgIdsOfPath(orgPath: string): number[] {
  return orgPath
    .split('/')
    .filter(Boolean)
    .map((id) => Number(id))
    .filter((id) => Number.isSafeInteger(id))
}

/**
 * The rules set along an org path for some stages, nearest org first (a
 * stage's first row is the one that applies).
 */
export function slaRulesAlongPath(db: DbOrTrx, orgPath: string, stages?: readonly string[]) {
  const ids = orgIdsOfPath(orgPath)
  if (ids.length === 0) return Promise.resolve([])
  let q = db
    .selectFrom('sla_policy as p')
    .innerJoin('union_org as o', 'o.id', 'p.org_id')
    .select([
      'p.org_id',
      'p.stage',
      'p.working_days',
      'p.remind_before_working_days',
      'o.name as orgName',
      'o.depth',
    ])
    .where('p.org_id', 'in', ids)
  if (stages) {
    if (stages.length === 0) return Promise.resolve([])
    q = q.where('p.stage', 'in', [...stages])
  }
  return q.orderBy('o.depth', 'desc').execute()
}

export function upsertSlaRule(
  db: DbOrTrx,
  input: {
    orgId: number
    stage: string
    workingDays: number
    remindBefore: number
    updatedBy: number
    now: Date
  },
) {
  return db
    .insertInto('sla_policy')
    .values({
      org_id: input.orgId,
      stage: input.stage,
      working_days: input.workingDays,
      remind_before_working_days: input.remindBefore,
      updated_by: input.updatedBy,
      updated_at: input.now,
    })
    .onConflict((oc) =>
      oc.columns(['org_id', 'stage']).doUpdateSet({
        working_days: input.workingDays,
        remind_before_working_days: input.remindBefore,
        updated_by: input.updatedBy,
        updated_at: input.now,
      }),
    )
    .execute()
}

export async function deleteSlaRule(db: DbOrTrx, orgId: number, stage: string): Promise<boolean> {
  const result = await db
    .deleteFrom('sla_policy')
    .where('org_id', '=', orgId)
    .where('stage', '=', stage)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

// ─── Working-day calendar overrides ─────────────────────────────────────────

/** Overrides on or after `fromDate` ('YYYY-MM-DD'), as the calendar takes them. */
export async function calendarOverridesFrom(
  db: DbOrTrx,
  fromDate: string,
): Promise<Map<string, 'workday' | 'holiday'>> {
  const rows = await db
    .selectFrom('calendar_override')
    .select(['date', 'kind'])
    .where('date', '>=', fromDate)
    .orderBy('date')
    .limit(2000)
    .execute()
  return new Map(rows.map((r) => [r.date, r.kind]))
}

/** Every override, newest date first, with who changed it last. */
export function calendarOverrides(db: DbOrTrx, limit = 500) {
  return db
    .selectFrom('calendar_override as c')
    .leftJoin('app_user as u', 'u.id', 'c.updated_by')
    .select(['c.date', 'c.kind', 'c.note', 'c.updated_at', 'u.name as updatedByName'])
    .orderBy('c.date', 'desc')
    .limit(limit)
    .execute()
}

export function upsertCalendarOverride(
  db: DbOrTrx,
  input: {
    date: string
    kind: 'workday' | 'holiday'
    note: string | null
    updatedBy: number
    now: Date
  },
) {
  return db
    .insertInto('calendar_override')
    .values({
      date: input.date,
      kind: input.kind,
      note: input.note,
      updated_by: input.updatedBy,
      updated_at: input.now,
    })
    .onConflict((oc) =>
      oc.column('date').doUpdateSet({
        kind: input.kind,
        note: input.note,
        updated_by: input.updatedBy,
        updated_at: input.now,
      }),
    )
    .execute()
}

export async function deleteCalendarOverride(db: DbOrTrx, date: string): Promise<boolean> {
  const result = await db
    .deleteFrom('calendar_override')
    .where('date', '=', date)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

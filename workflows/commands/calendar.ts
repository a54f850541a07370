import type { Db } from '#db/client.server.ts'
import {
  calendarOverrides,
  deleteCalendarOverride,
  upsertCalendarOverride,
} from '#db/queries/sla.ts'
import { WorkingDayCalendar } from '#jobs/calendar/working-days.ts'
import { hasRole, type Principal } from '../access.ts'
import { ForbiddenError, ValidationError } from '../errors.ts'
import type { CalendarDayKind } from '../sla.ts'

/** The official calendar alone (no local overrides). */
const official = new WorkingDayCalendar()

function officialKind(date: string): CalendarDayKind {
  return official.isWorkingDay(date) ? 'workday' : 'holiday'
}

function requireFederationAdmin(principal: Principal) {
  if (!hasRole(principal, 'federation_admin')) {
    throw new ForbiddenError('only federation admins see the working-day calendar')
  }
}

/**
 * The overrides apply system-wide, so only admins of a top-level federation
 * (an org without a parent) change them; other federation admins read them.
 */
export function canEditCalendar(principal: Principal): boolean {
  return principal.memberships.some(
    (m) => m.role === 'federation_admin' && m.orgPath.split('/').filter(Boolean).length === 1,
  )
}

function requireCalendarEditor(principal: Principal) {
  requireFederationAdmin(principal)
  if (!canEditCalendar(principal)) {
    throw new ForbiddenError('only admins of a top-level federation change the calendar')
  }
}

export async function calendarPage(db: Db, principal: Principal) {
  requireFederationAdmin(principal)
  const rows = await calendarOverrides(db)
  return {
    canEdit: canEditCalendar(principal),
    coveredUntil: WorkingDayCalendar.coveredUntil(),
    overrides: rows.map((r) => ({ ...r, official: officialKind(r.date) })),
  }
}

/** Makes a day a working day or a day off, unlike the official calendar (validated by calendarOverrideSchema). */
export async function saveCalendarOverride(
  db: Db,
  principal: Principal,
  input: { date: string; kind: CalendarDayKind; note: string | null },
  now: Date,
) {
  requireCalendarEditor(principal)
  if (officialKind(input.date) === input.kind) {
    throw new ValidationError(
      'kind',
      input.kind === 'workday'
        ? 'deadlines.errors.alreadyWorkday'
        : 'deadlines.errors.alreadyHoliday',
    )
  }
  await upsertCalendarOverride(db, { ...input, updatedBy: principal.userId, now })
}

export async function removeCalendarOverride(db: Db, principal: Principal, date: string) {
  requireCalendarEditor(principal)
  if (!(await deleteCalendarOverride(db, date))) {
    throw new ValidationError('date', 'deadlines.errors.noOverride')
  }
}

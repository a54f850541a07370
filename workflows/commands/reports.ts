import type { Db } from '#db/client.server.ts'
import { findingsOf, followUpActionsOf, photosOf } from '#db/queries/findings.ts'
import { visitMembersOf } from '#db/queries/visit-records.ts'
import {
  findReport,
  saveReportConfirmation,
  saveSubmittedReport,
} from '#db/queries/visit-reports.ts'
import { findWorkflowInstance } from '#db/queries/workflow.ts'
import { type Principal, requireMembership } from '../access.ts'
import type { Actor } from '../actor.ts'
import { allowedEvents, dispatchInTransaction } from '../dispatch.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import { deviationOf } from '../inspection/flagging.ts'
import {
  confirmReportSchema,
  firstIssue,
  submitReportSchema,
} from '../inspection/records.schema.ts'
import type { CommandOptions } from './needs-lists.ts'
import { linesOf, visitAccess } from './onsite.ts'

const SUBJECT = 'visit'
const ref = (id: number) => ({ subjectType: SUBJECT, subjectId: id })

function invalid(error: { issues: { path: PropertyKey[]; message: string }[] }) {
  const { field, messageKey } = firstIssue(error)
  return new ValidationError(field, messageKey)
}

/**
 * The case steward submits the inspection report (SUBMIT_REPORT: on_site →
 * reported; again while reported, a corrected report with a fresh
 * confirmation deadline), writing visit_report in the same transaction.
 */
export async function submitReport(
  db: Db,
  principal: Principal,
  visitId: number,
  input: unknown,
  options: CommandOptions = {},
) {
  const access = await visitAccess(db, principal, visitId)
  if (!access.isCaseSteward) throw new ForbiddenError("only the case's steward submits the report")
  const parsed = submitReportSchema.safeParse(input)
  if (!parsed.success) throw invalid(parsed.error)
  const actor: Actor = { userId: principal.userId, role: 'steward' }
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    const result = await dispatchInTransaction(
      trx,
      ref(visitId),
      { type: 'SUBMIT_REPORT', actor },
      { ...options, now },
    )
    await saveSubmittedReport(trx, {
      visitId,
      summary: parsed.data.summary,
      recommendations: parsed.data.recommendations,
      submittedBy: principal.userId,
      now,
    })
    return result
  })
}

/**
 * A contact of the case's enterprise confirms the report (CONFIRM_REPORT:
 * reported → report_confirmed): their name as typed, who signed in, when, and
 * any remarks.
 */
export async function confirmReport(
  db: Db,
  principal: Principal,
  visitId: number,
  input: unknown,
  options: CommandOptions = {},
) {
  const access = await visitAccess(db, principal, visitId)
  requireMembership(principal, access.scope, ['enterprise_contact'])
  const parsed = confirmReportSchema.safeParse(input)
  if (!parsed.success) throw invalid(parsed.error)
  const actor: Actor = { userId: principal.userId, role: 'enterprise_contact' }
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    const result = await dispatchInTransaction(
      trx,
      ref(visitId),
      { type: 'CONFIRM_REPORT', actor, name: parsed.data.name },
      { ...options, now },
    )
    const saved = await saveReportConfirmation(trx, {
      visitId,
      confirmedBy: principal.userId,
      confirmedName: parsed.data.name,
      remarks: parsed.data.remarks,
      now,
    })
    if (!saved) throw new NotFoundError('visit_report', visitId)
    return result
  })
}

/**
 * The inspection report as a document: the plan and what was measured
 * (deviations marked), findings with photos, recommendations, follow-up
 * actions, the team and the time on site. The enterprise sees it once it is
 * submitted; before that only that it is not yet.
 */
export async function reportView(db: Db, principal: Principal, visitId: number) {
  const access = await visitAccess(db, principal, visitId)
  const [report, workflow] = await Promise.all([
    findReport(db, visitId),
    findWorkflowInstance(db, ref(visitId)),
  ])
  const can = (type: string, role: Actor['role']) =>
    workflow !== undefined &&
    allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, [
      { type, actor: { userId: principal.userId, role } },
    ]).length > 0
  const permissions = {
    confirm:
      access.isEnterprise && report !== undefined && can('CONFIRM_REPORT', 'enterprise_contact'),
    submit: access.isCaseSteward && can('SUBMIT_REPORT', 'steward'),
    onsite: access.isUnionReader,
  }
  if (!access.readsRecords) {
    return { visit: access.visit, ready: false as const, can: permissions }
  }
  const [plan, findings, photos, actions, members] = await Promise.all([
    linesOf(db, visitId),
    findingsOf(db, visitId),
    photosOf(db, visitId),
    followUpActionsOf(db, visitId),
    visitMembersOf(db, visitId),
  ])
  const lines = plan.lines.map(({ item, record }) => ({
    item,
    record,
    deviation: record
      ? deviationOf({ kind: item.kind, min: item.min_value, max: item.max_value }, record)
      : null,
  }))
  return {
    visit: access.visit,
    ready: true as const,
    plan: plan.plan,
    lines,
    flaggedCount: lines.filter((l) => l.record?.flagged).length,
    findings: findings.map((f) => ({ ...f, photos: photos.filter((p) => p.finding_id === f.id) })),
    visitPhotos: photos.filter((p) => p.finding_id === null),
    actions,
    members,
    report: report ?? null,
    can: permissions,
  }
}

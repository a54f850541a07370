import type { Db, DbOrTrx } from '#db/client.server.ts'
import { templateItemsOf } from '#db/queries/checklist-templates.ts'
import {
  currentPlan,
  insertPlan,
  insertPlanItems,
  moveLineRecords,
  type PlanLine,
  planItemsOf,
  planVersion,
  planVersions,
  savePlanItemsInPlace,
  updatePlan,
} from '#db/queries/inspection-plans.ts'
import { findVisit, membersOf } from '#db/queries/visits.ts'
import { lockWorkflowInstance } from '#db/queries/workflow.ts'
import { hasRole, isAssignedSteward, type Principal } from '../access.ts'
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TransitionNotAllowedError,
  ValidationError,
} from '../errors.ts'
import { type PlanInput, planSchema } from '../inspection/plan.schema.ts'
import { firstIssue, templatesForPlanning } from './checklist-templates.ts'
import type { CommandOptions } from './needs-lists.ts'
import { requireVisitRead } from './visits.ts'

/** Visit states whose plan is edited in place (version 1, before check-in). */
const IN_PLACE = ['proposed', 'scheduled']
/** Visit states in which every plan change is a new version. */
const VERSIONED = ['on_site']

type Member = Awaited<ReturnType<typeof membersOf>>[number]

/** The case steward and the experts on the team edit the plan. */
export function canEditPlan(
  principal: Principal,
  visit: { orgPath: string; enterpriseId: number | null; stewardUserId: number | null },
  members: readonly Member[],
): boolean {
  if (isAssignedSteward(principal, { ...visit })) return true
  return (
    hasRole(principal, 'expert') &&
    members.some((m) => m.role === 'expert' && m.user_id === principal.userId)
  )
}

function fromRow(r: Awaited<ReturnType<typeof planItemsOf>>[number]): PlanLine {
  return {
    templateItemId: r.template_item_id,
    sectionZh: r.section_zh,
    sectionEn: r.section_en,
    labelZh: r.label_zh,
    labelEn: r.label_en,
    kind: r.kind,
    unit: r.unit,
    min: r.min_value,
    max: r.max_value,
    guidanceZh: r.guidance_zh,
    guidanceEn: r.guidance_en,
  }
}

function fromTemplate(r: Awaited<ReturnType<typeof templateItemsOf>>[number]): PlanLine {
  return {
    templateItemId: r.id,
    sectionZh: r.section_zh,
    sectionEn: r.section_en,
    labelZh: r.label_zh,
    labelEn: r.label_en,
    kind: r.kind,
    unit: r.unit,
    min: r.min_value,
    max: r.max_value,
    guidanceZh: r.guidance_zh,
    guidanceEn: r.guidance_en,
  }
}

export interface SavedPlan {
  planId: number
  version: number
  /** True when the change made a new version (after check-in). */
  newVersion: boolean
}

/**
 * The case steward or a team expert saves the visit's plan: objectives,
 * notes, items served, lines (edited, reordered, removed, custom ones added)
 * and templates whose lines are appended (copied in both languages). Before
 * check-in the plan is changed in place; once the visit is on site every
 * save is a new version (older versions stay readable; what was recorded
 * against a kept line moves with it). Refused after the report.
 */
export async function savePlan(
  db: Db,
  principal: Principal,
  visitId: number,
  input: unknown,
  options: CommandOptions = {},
): Promise<SavedPlan> {
  const visit = await findVisit(db, visitId)
  if (!visit) throw new NotFoundError('visit', visitId)
  const members = await membersOf(db, visitId)
  if (!canEditPlan(principal, visit, members)) {
    throw new ForbiddenError('only the case steward and the team experts edit the plan')
  }
  const parsed = planSchema.safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const p: PlanInput = parsed.data
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    // The visit's workflow row serialises plan saves with check-in.
    const wf = await lockWorkflowInstance(trx, { subjectType: 'visit', subjectId: visitId })
    if (!wf) throw new NotFoundError('workflow', visitId)
    const versioned = VERSIONED.includes(wf.state)
    if (!versioned && !IN_PLACE.includes(wf.state)) {
      throw new TransitionNotAllowedError(wf.state, 'EDIT_PLAN')
    }
    const plan = await currentPlan(trx, visitId)
    if (!plan) throw new NotFoundError('inspection_plan', visitId)
    if (plan.version !== p.basedOn) throw new ConflictError(p.basedOn, plan.version)
    await checkItems(trx, visit.needs_list_id, p.itemIds)
    const current = await planItemsOf(trx, plan.id)
    const byId = new Map(current.map((r) => [r.id, r]))
    for (const line of p.lines) {
      if (line.id !== null && !byId.has(line.id)) {
        throw new ValidationError('lines', 'errors.badRequest')
      }
    }
    const added = await addedTemplateLines(trx, p.addTemplateIds)
    const templateIds = [...new Set([...plan.template_ids, ...p.addTemplateIds])]
    const edited = p.lines.map((l) => ({
      id: l.id,
      templateItemId: l.id === null ? null : (byId.get(l.id)?.template_item_id ?? null),
      sectionZh: l.sectionZh,
      sectionEn: l.sectionEn,
      labelZh: l.labelZh,
      labelEn: l.labelEn,
      kind: l.kind,
      unit: l.unit,
      min: l.min,
      max: l.max,
      guidanceZh: l.guidanceZh,
      guidanceEn: l.guidanceEn,
    }))
    if (edited.length + added.length === 0) {
      throw new ValidationError('lines', 'visits.errors.noLines')
    }
    const fields = {
      objectives: p.objectives,
      notes: p.notes,
      itemIds: p.itemIds,
      templateIds,
    }
    if (!versioned) {
      await updatePlan(trx, plan.id, fields)
      await savePlanItemsInPlace(trx, plan.id, [
        ...edited,
        ...added.map((l) => ({ ...l, id: null })),
      ])
      return { planId: plan.id, version: plan.version, newVersion: false }
    }
    const version = plan.version + 1
    const planId = await insertPlan(trx, {
      visitId,
      version,
      ...fields,
      createdBy: principal.userId,
      now,
    })
    const ids = await insertPlanItems(trx, planId, [
      ...edited.map(({ id: _id, ...line }) => line),
      ...added,
    ])
    const moves = edited
      .map((l, n) => [l.id, ids[n]] as const)
      .filter((m): m is [number, number] => m[0] !== null && m[1] !== undefined)
    await moveLineRecords(trx, moves)
    return { planId, version, newVersion: true }
  })
}

async function checkItems(trx: DbOrTrx, listId: number, itemIds: readonly number[]) {
  const rows = await trx
    .selectFrom('confirmed_item')
    .select('id')
    .where('needs_list_id', '=', listId)
    .execute()
  const own = new Set(rows.map((r) => r.id))
  if (itemIds.some((id) => !own.has(id))) {
    throw new ValidationError('itemIds', 'visits.errors.unknownItem')
  }
}

async function addedTemplateLines(trx: DbOrTrx, ids: readonly number[]): Promise<PlanLine[]> {
  if (ids.length === 0) return []
  const active = await trx
    .selectFrom('checklist_template')
    .select('id')
    .where('id', 'in', [...ids])
    .where('active', '=', true)
    .execute()
  if (active.length !== ids.length) {
    throw new ValidationError('addTemplateIds', 'visits.errors.unknownTemplate')
  }
  return (await templateItemsOf(trx, ids)).map(fromTemplate)
}

/**
 * The plan page: a version of the plan (the current one by default) with its
 * lines, every version's number, the items and templates to choose from, and
 * whether the principal may edit (only the current version, before the report).
 */
export async function planView(db: Db, principal: Principal, visitId: number, version?: number) {
  const { visit, members } = await requireVisitRead(db, principal, visitId)
  const current = await currentPlan(db, visitId)
  if (!current) throw new NotFoundError('inspection_plan', visitId)
  const shown = version === undefined ? current : await planVersion(db, visitId, version)
  if (!shown) throw new NotFoundError('inspection_plan', `${visitId} v${version}`)
  const [lines, versions, items, templates] = await Promise.all([
    planItemsOf(db, shown.id),
    planVersions(db, visitId),
    db
      .selectFrom('confirmed_item')
      .select(['id', 'title', 'position'])
      .where('needs_list_id', '=', visit.needs_list_id)
      .orderBy('position')
      .execute(),
    templatesForPlanning(db),
  ])
  const editable =
    shown.id === current.id &&
    [...IN_PLACE, ...VERSIONED].includes(visit.status) &&
    canEditPlan(principal, visit, members)
  return {
    visit: {
      id: visit.id,
      sequence: visit.sequence,
      kind: visit.kind,
      status: visit.status,
      startsAt: visit.starts_at,
      listId: visit.needs_list_id,
      listTitle: visit.listTitle,
    },
    plan: {
      id: shown.id,
      version: shown.version,
      current: shown.id === current.id,
      currentVersion: current.version,
      objectives: shown.objectives,
      notes: shown.notes,
      itemIds: shown.item_ids,
      templateIds: shown.template_ids,
      createdAt: shown.created_at,
      createdByName: shown.createdByName,
    },
    lines: lines.map((l) => ({ id: l.id, ...fromRow(l) })),
    versions: versions.map((v) => ({
      version: v.version,
      createdAt: v.created_at,
      createdByName: v.createdByName,
    })),
    items: items.map((i) => ({ id: i.id, title: i.title })),
    templates,
    /** After check-in a save makes a new version. */
    versioned: VERSIONED.includes(visit.status),
    can: { edit: editable },
  }
}

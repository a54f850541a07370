import type { Db, DbOrTrx } from '#db/client.server.ts'
import { confirmedItemsOf } from '#db/queries/confirmation.ts'
import { outcomesOf, pairedExpertIdsOf, upsertOutcome, visitFactsOf } from '#db/queries/outcomes.ts'
import { findWorkflowInstance, lockWorkflowInstance } from '#db/queries/workflow.ts'
import { isAssignedSteward, type Principal, requireCaseSteward } from '../access.ts'
import type { Actor } from '../actor.ts'
import { allowedEvents, dispatchInTransaction } from '../dispatch.ts'
import {
  ConflictError,
  NotFoundError,
  TransitionNotAllowedError,
  ValidationError,
} from '../errors.ts'
import { aggregateOutcomes, feedbackReadiness } from '../outcomes/aggregate.ts'
import { type OutcomeInput, outcomeSchema } from '../outcomes/outcome.schema.ts'
import { readableCase } from './case-archive.ts'
import type { CommandOptions } from './needs-lists.ts'

/**
 * Service outcomes per confirmed need item (服务成效), recorded by the case's
 * steward (RECORD_OUTCOME: paired or in_service → outcomes; again in outcomes
 * and feedback to add or correct one), and the request for the enterprise's
 * feedback once every item has one (REQUEST_FEEDBACK: outcomes → feedback).
 * The enterprise and the experts on the case read them; the enterprise may
 * confirm an estimated benefit when it rates the service (commands/rating.ts).
 */

const SUBJECT = 'needs_list'
const ref = (id: number) => ({ subjectType: SUBJECT, subjectId: id })

async function lockAt(trx: DbOrTrx, id: number, expectedVersion: number | undefined) {
  const row = await lockWorkflowInstance(trx, ref(id))
  if (!row) throw new NotFoundError('workflow', id)
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new ConflictError(expectedVersion, row.version)
  }
  return row
}

function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }) {
  const issue = error.issues[0]
  const field = (issue?.path ?? []).map(String).join('.')
  const key = issue?.message ?? ''
  // zod's own (untranslated) messages only come from crafted input.
  return new ValidationError(
    field || 'form',
    /^[a-z]+(\.[A-Za-z]+)+$/.test(key) ? key : 'errors.badRequest',
  )
}

/** The case steward, for a write (others: forbidden; a case nobody may read: not found). */
async function caseSteward(db: DbOrTrx, principal: Principal, listId: number) {
  const { head } = await readableCase(db, principal, listId)
  requireCaseSteward(principal, {
    orgPath: head.orgPath,
    enterpriseId: head.enterpriseId,
    stewardUserId: head.stewardUserId,
  })
  return { head, actor: { userId: principal.userId, role: 'steward' } as Actor }
}

/**
 * The case steward records (or corrects) the outcome of one confirmed item.
 * The first outcome moves the case to `outcomes`; the machine decides in
 * which states it may be recorded.
 */
export async function recordOutcome(
  db: Db,
  principal: Principal,
  listId: number,
  input: unknown,
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  const { actor } = await caseSteward(db, principal, listId)
  const parsed = outcomeSchema.safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const outcome: OutcomeInput = parsed.data
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    await lockAt(trx, listId, expectedVersion)
    const items = await confirmedItemsOf(trx, listId)
    if (!items.some((i) => i.id === outcome.itemId)) {
      throw new ValidationError('itemId', 'outcomes.errors.unknownItem')
    }
    const existing = (await outcomesOf(trx, listId)).find(
      (o) => o.confirmed_item_id === outcome.itemId,
    )
    const result = await dispatchInTransaction(
      trx,
      ref(listId),
      {
        type: 'RECORD_OUTCOME',
        actor,
        itemId: outcome.itemId,
        result: outcome.result,
        corrected: existing !== undefined,
      },
      { ...options, expectedVersion },
    )
    const row = await upsertOutcome(trx, {
      listId,
      itemId: outcome.itemId,
      result: outcome.result,
      description: outcome.description,
      benefitYuan: outcome.benefitYuan,
      benefitStatus: outcome.benefitStatus,
      benefitBasis: outcome.benefitBasis,
      workersTrained: outcome.workersTrained,
      personTimes: outcome.personTimes,
      patents: outcome.patents,
      innovations: outcome.innovations,
      followUpNeeded: outcome.followUpNeeded,
      followUpNote: outcome.followUpNote,
      recordedBy: principal.userId,
      now,
    })
    return { ...result, outcomeId: row.id }
  })
}

/** Outcomes, pairings and visits of a case, summed up; and whether feedback may be asked for. */
export async function caseTotals(db: DbOrTrx, listId: number) {
  const [items, outcomes, pairedExpertIds, visits] = await Promise.all([
    confirmedItemsOf(db, listId),
    outcomesOf(db, listId),
    pairedExpertIdsOf(db, listId),
    visitFactsOf(db, listId),
  ])
  const aggregate = aggregateOutcomes({
    itemIds: items.map((i) => i.id),
    outcomes: outcomes.map((o) => ({
      itemId: o.confirmed_item_id,
      result: o.result,
      benefitYuan: o.benefit_yuan,
      benefitStatus: o.benefit_status,
      workersTrained: o.workers_trained,
      personTimes: o.person_times,
      patents: o.patents,
      innovations: o.innovations,
      followUpNeeded: o.follow_up_needed,
    })),
    pairedExpertIds,
    visits,
  })
  const readiness = feedbackReadiness({ missingItemIds: aggregate.missingItemIds, visits })
  return { items, outcomes, visits, aggregate, readiness }
}

/**
 * The case steward asks the enterprise to rate the service. Refused with the
 * reason while an item has no outcome or a visit is on site (its report not
 * in yet); the machine refuses it outside `outcomes`.
 */
export async function requestFeedback(
  db: Db,
  principal: Principal,
  listId: number,
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  const { actor } = await caseSteward(db, principal, listId)
  return db.transaction().execute(async (trx) => {
    const row = await lockAt(trx, listId, expectedVersion)
    // Not allowed now (another state, or not this actor): say so before what is missing.
    const candidate = { type: 'REQUEST_FEEDBACK', actor, complete: true }
    if (allowedEvents(SUBJECT, row.snapshot, row.machine_version, [candidate]).length === 0) {
      throw new TransitionNotAllowedError(row.state, 'REQUEST_FEEDBACK')
    }
    const { readiness } = await caseTotals(trx, listId)
    if (readiness.missingItemIds.length > 0) {
      throw new ValidationError('outcomes', 'outcomes.errors.incomplete')
    }
    if (readiness.visitsOnSite.length > 0) {
      throw new ValidationError('visits', 'outcomes.errors.visitOnSite')
    }
    return dispatchInTransaction(
      trx,
      ref(listId),
      { type: 'REQUEST_FEEDBACK', actor, complete: readiness.complete },
      { ...options, expectedVersion },
    )
  })
}

/** The outcomes page: each confirmed item with its outcome, the totals, and what the reader may do. */
export async function outcomesView(db: Db, principal: Principal, listId: number) {
  const { head, audience } = await readableCase(db, principal, listId)
  const workflow = await findWorkflowInstance(db, ref(listId))
  if (!workflow) throw new NotFoundError('workflow', listId)
  const totals = await caseTotals(db, listId)
  const isSteward = isAssignedSteward(principal, {
    orgPath: head.orgPath,
    enterpriseId: head.enterpriseId,
    stewardUserId: head.stewardUserId,
  })
  const actor: Actor = { userId: principal.userId, role: 'steward' }
  const allowed = isSteward
    ? new Set(
        allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, [
          { type: 'RECORD_OUTCOME', actor, itemId: 0 },
          { type: 'REQUEST_FEEDBACK', actor, complete: true },
        ]),
      )
    : new Set<string>()
  return {
    list: {
      id: head.id,
      title: head.title,
      status: head.status,
      enterpriseName: head.enterpriseName,
    },
    audience,
    version: workflow.version,
    items: totals.items.map((i) => {
      const o = totals.outcomes.find((x) => x.confirmed_item_id === i.id)
      return {
        id: i.id,
        title: i.title,
        description: i.description,
        expectedOutcome: i.expected_outcome,
        mode: i.mode,
        outcome: o
          ? {
              id: o.id,
              result: o.result,
              description: o.description,
              benefitYuan: o.benefit_yuan,
              benefitStatus: o.benefit_status,
              benefitBasis: o.benefit_basis,
              workersTrained: o.workers_trained,
              personTimes: o.person_times,
              patents: o.patents,
              innovations: o.innovations,
              followUpNeeded: o.follow_up_needed,
              followUpNote: o.follow_up_note,
              recordedByName: o.recordedByName,
              updatedAt: o.updated_at,
            }
          : null,
      }
    }),
    aggregate: totals.aggregate,
    readiness: totals.readiness,
    can: {
      record: allowed.has('RECORD_OUTCOME'),
      requestFeedback: allowed.has('REQUEST_FEEDBACK'),
    },
  }
}

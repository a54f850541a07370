import type { Db, DbOrTrx } from '#db/client.server.ts'
import { confirmEstimatedBenefits, outcomesOf } from '#db/queries/outcomes.ts'
import {
  expertRatingsOf,
  findServiceRating,
  insertExpertRatings,
  insertServiceRating,
  ratedExpertIdsOf,
} from '#db/queries/ratings.ts'
import { findWorkflowInstance, lockWorkflowInstance } from '#db/queries/workflow.ts'
import { membershipFor, type Principal, requireMembership } from '../access.ts'
import type { Actor } from '../actor.ts'
import { allowedEvents, dispatchInTransaction } from '../dispatch.ts'
import {
  ConflictError,
  NotFoundError,
  TransitionNotAllowedError,
  ValidationError,
} from '../errors.ts'
import {
  RATING_QUESTIONS,
  type RatingInput,
  ratingAverage,
  ratingSchema,
} from '../outcomes/rating.schema.ts'
import { readableCase } from './case-archive.ts'
import type { CommandOptions } from './needs-lists.ts'

/**
 * The enterprise rates the service (服务评价) while the case awaits its
 * feedback: 1–5 on each question and a comment. The rating is written with
 * one expert_rating per expert it reaches (the paired experts and the members
 * of paired teams; score = the rating's average, what matching reads as past
 * ratings), any estimated benefit the enterprise confirms becomes confirmed,
 * and RATE closes the case, which is archived in the same transaction
 * (commands/archive.ts). Without a rating the case closes at the feedback
 * deadline (the machine's timer).
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
  return new ValidationError(
    field || 'form',
    /^[a-z]+(\.[A-Za-z]+)+$/.test(key) ? key : 'errors.badRequest',
  )
}

/** The enterprise rates the case's service; the case closes and is archived. */
export async function rateService(
  db: Db,
  principal: Principal,
  listId: number,
  input: unknown,
  expectedVersion?: number,
  options: CommandOptions = {},
) {
  const { head } = await readableCase(db, principal, listId)
  requireMembership(principal, { orgPath: head.orgPath, enterpriseId: head.enterpriseId }, [
    'enterprise_contact',
  ])
  const parsed = ratingSchema.safeParse(input)
  if (!parsed.success) throw firstIssue(parsed.error)
  const rating: RatingInput = parsed.data
  const average = ratingAverage(rating.scores)
  const actor: Actor = { userId: principal.userId, role: 'enterprise_contact' }
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    const row = await lockAt(trx, listId, expectedVersion)
    // Checked before anything is written (a second rating would hit the key).
    const event = { type: 'RATE', actor, average }
    if (allowedEvents(SUBJECT, row.snapshot, row.machine_version, [event]).length === 0) {
      throw new TransitionNotAllowedError(row.state, 'RATE')
    }
    const outcomes = await outcomesOf(trx, listId)
    for (const id of rating.confirmBenefits) {
      if (!outcomes.some((o) => o.id === id)) {
        throw new ValidationError('confirmBenefits', 'outcomes.errors.unknownItem')
      }
    }
    await insertServiceRating(trx, {
      listId,
      enterpriseId: head.enterpriseId,
      scores: { ...rating.scores },
      average,
      comment: rating.comment,
      ratedBy: principal.userId,
      now,
    })
    const expertIds = await ratedExpertIdsOf(trx, listId)
    await insertExpertRatings(trx, {
      listId,
      enterpriseId: head.enterpriseId,
      expertIds,
      score: average,
      now,
    })
    const confirmedItemIds = await confirmEstimatedBenefits(
      trx,
      listId,
      rating.confirmBenefits,
      now,
    )
    const result = await dispatchInTransaction(
      trx,
      ref(listId),
      { ...event, scores: { ...rating.scores }, confirmedBenefits: confirmedItemIds },
      { ...options, expectedVersion },
    )
    // The closing hook archived the case in the same transaction: report where it ended.
    const after = await findWorkflowInstance(trx, ref(listId))
    return {
      fromState: result.fromState,
      state: after?.state ?? result.state,
      version: after?.version ?? result.version,
      average,
      expertIds,
      confirmedItemIds,
    }
  })
}

/** The rating page: the rating once given; for the enterprise in feedback, the form's inputs. */
export async function ratingView(db: Db, principal: Principal, listId: number) {
  const { head, audience } = await readableCase(db, principal, listId)
  const workflow = await findWorkflowInstance(db, ref(listId))
  if (!workflow) throw new NotFoundError('workflow', listId)
  const [rating, experts, outcomes] = await Promise.all([
    findServiceRating(db, listId),
    expertRatingsOf(db, listId),
    outcomesOf(db, listId),
  ])
  const isContact =
    membershipFor(principal, { orgPath: head.orgPath, enterpriseId: head.enterpriseId }, [
      'enterprise_contact',
    ]) !== undefined
  const canRate =
    isContact &&
    !rating &&
    allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, [
      {
        type: 'RATE',
        actor: { userId: principal.userId, role: 'enterprise_contact' },
        average: 5,
      },
    ]).length > 0
  return {
    list: {
      id: head.id,
      title: head.title,
      status: head.status,
      enterpriseName: head.enterpriseName,
      closeKind: head.closeKind,
      closedAt: head.closedAt,
    },
    audience,
    version: workflow.version,
    questions: RATING_QUESTIONS,
    rating: rating
      ? {
          scores: rating.scores as Record<string, number>,
          average: rating.average,
          comment: rating.comment,
          ratedByName: rating.ratedByName,
          ratedAt: rating.rated_at,
          experts: experts.map((e) => ({ name: e.expertName, score: e.score })),
        }
      : null,
    /** Outcomes with an estimated benefit the enterprise may confirm as it rates. */
    estimated: outcomes
      .filter((o) => o.benefit_status === 'estimated' && o.benefit_yuan !== null)
      .map((o) => ({
        id: o.id,
        itemTitle: o.itemTitle,
        benefitYuan: o.benefit_yuan as string,
        benefitBasis: o.benefit_basis,
      })),
    can: { rate: canRate },
  }
}

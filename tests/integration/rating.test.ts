import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refreshDashboard } from '#db/queries/dashboard/refresh.ts'
import { processTimeoutJob } from '#jobs/timeout.job.ts'
import { recordOutcome } from '#workflows/commands/outcomes.ts'
import { rateService, ratingView } from '#workflows/commands/rating.ts'
import type { DeadlinePolicy } from '#workflows/deadlines.ts'
import type { TimeoutJob } from '#workflows/effects.ts'
import { DomainError } from '#workflows/errors.ts'
import { FIXTURE_SCORES, fixtureOutcomes, toFeedback } from '../helpers/closing-world.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase } from '../helpers/visit-world.ts'
import { eventsOf, footprint, instanceOf, listRow, timersOf } from '../helpers/world.ts'

let tdb: TestDatabase

beforeAll(async () => {
  tdb = await createTestDatabase('rating')
})

afterAll(async () => {
  await tdb?.drop()
})

async function refusal(p: Promise<unknown>) {
  try {
    await p
  } catch (err) {
    if (err instanceof DomainError) {
      return { code: err.code, key: (err.details.messageKey as string | undefined) ?? null }
    }
    throw err
  }
  throw new Error('expected a refusal')
}

const ratingRow = (listId: number) =>
  tdb.db
    .selectFrom('service_rating')
    .selectAll()
    .where('needs_list_id', '=', listId)
    .executeTakeFirst()

const expertRatings = (listId: number) =>
  tdb.db
    .selectFrom('expert_rating')
    .selectAll()
    .where('needs_list_id', '=', listId)
    .orderBy('expert_id')
    .execute()

/** Deadlines far enough away that they never fire during a test. */
const far: DeadlinePolicy = (_deadline, from) => ({
  remindAt: new Date(from.getTime() + 3_600_000),
  dueAt: new Date(from.getTime() + 7_200_000),
})

describe('rating the service', () => {
  let world: PairedCase
  beforeAll(async () => {
    world = await buildPairedCase(tdb.db)
  })

  it('is not possible before feedback is requested', async () => {
    await recordOutcome(tdb.db, world.principals.steward, world.listId, fixtureOutcomes(world)[0])
    expect(
      await refusal(
        rateService(tdb.db, world.principals.contact, world.listId, { scores: FIXTURE_SCORES }),
      ),
    ).toMatchObject({ code: 'transitionNotAllowed' })
    expect(await ratingRow(world.listId)).toBeUndefined()
    expect((await ratingView(tdb.db, world.principals.contact, world.listId)).can.rate).toBe(false)
  })

  it('only the enterprise rates, with every score 1–5; refusals change nothing', async () => {
    await toFeedback(tdb.db, world, { deadlines: far })
    const p = world.principals
    const before = await footprint(tdb.db, world.listId)
    const ok = { scores: FIXTURE_SCORES }
    expect(await refusal(rateService(tdb.db, p.steward, world.listId, ok))).toMatchObject({
      code: 'forbidden',
    })
    expect(await refusal(rateService(tdb.db, p.expert, world.listId, ok))).toMatchObject({
      code: 'forbidden',
    })
    expect(await refusal(rateService(tdb.db, p.coordinator, world.listId, ok))).toMatchObject({
      code: 'forbidden',
    })
    expect(await refusal(rateService(tdb.db, p.otherContact, world.listId, ok))).toMatchObject({
      code: 'notFound',
    })
    for (const bad of [0, 6, 3.5, '5', null]) {
      expect(
        await refusal(
          rateService(tdb.db, p.contact, world.listId, {
            scores: { ...FIXTURE_SCORES, expertise: bad },
          }),
        ),
      ).toEqual({ code: 'validation', key: 'outcomes.rating.errors.score' })
    }
    expect(
      await refusal(
        rateService(tdb.db, p.contact, world.listId, { ...ok, comment: 'x'.repeat(1001) }),
      ),
    ).toEqual({ code: 'validation', key: 'errors.tooLong' })
    // Confirming the benefit of an outcome of another case.
    expect(
      await refusal(
        rateService(tdb.db, p.contact, world.listId, { ...ok, confirmBenefits: [999999] }),
      ),
    ).toEqual({ code: 'validation', key: 'outcomes.errors.unknownItem' })
    expect(await footprint(tdb.db, world.listId)).toEqual(before)
    expect(await ratingRow(world.listId)).toBeUndefined()
    expect(await expertRatings(world.listId)).toEqual([])
    const view = await ratingView(tdb.db, p.contact, world.listId)
    expect(view.can.rate).toBe(true)
    expect(view.estimated.map((e) => e.benefitYuan)).toEqual(['120000.50'])
    expect((await ratingView(tdb.db, p.steward, world.listId)).can.rate).toBe(false)
  })

  it('writes the rating, one expert rating per paired expert, and closes and archives the case', async () => {
    const p = world.principals
    const now = new Date('2026-05-06T03:00:00Z')
    const view = await ratingView(tdb.db, p.contact, world.listId)
    const { version } = await instanceOf(tdb.db, world.listId)
    const result = await rateService(
      tdb.db,
      p.contact,
      world.listId,
      {
        scores: FIXTURE_SCORES,
        comment: '专家很专业，响应及时。',
        confirmBenefits: view.estimated.map((e) => e.id),
      },
      version,
      { now },
    )
    // RATE: feedback → closed; the system's ARCHIVE follows in the same transaction.
    expect(result).toMatchObject({ fromState: 'feedback', state: 'archived', average: 4.5 })
    expect((await instanceOf(tdb.db, world.listId)).state).toBe('archived')
    const list = await listRow(tdb.db, world.listId)
    expect(list.status).toBe('archived')
    expect(list.closed_at).toEqual(now)
    expect(list.archived_at).toEqual(now)
    const events = await eventsOf(tdb.db, world.listId)
    expect(
      events.slice(-2).map((e) => [e.event_type, e.from_state, e.to_state, e.actor_role]),
    ).toEqual([
      ['RATE', 'feedback', 'closed', 'enterprise_contact'],
      ['ARCHIVE', 'closed', 'archived', 'system'],
    ])
    expect(events.at(-2)?.payload).toMatchObject({ average: 4.5, scores: FIXTURE_SCORES })
    const instance = await instanceOf(tdb.db, world.listId)
    expect((instance.snapshot as { context: { closeKind: string } }).context.closeKind).toBe(
      'rated',
    )

    expect(await ratingRow(world.listId)).toMatchObject({
      enterprise_id: world.enterprise.id,
      scores: FIXTURE_SCORES,
      average: '4.50',
      comment: '专家很专业，响应及时。',
      rated_by: world.users.contact.id,
      rated_at: now,
    })
    const experts = await expertRatings(world.listId)
    expect(experts.map((r) => [r.expert_id, r.enterprise_id, r.score])).toEqual(
      world.experts
        .map((e) => e.expert.id)
        .sort((a, b) => a - b)
        .map((id) => [id, world.enterprise.id, '4.50']),
    )
    // The estimated benefit the enterprise confirmed is confirmed now.
    const outcomes = await tdb.db
      .selectFrom('item_outcome')
      .select(['benefit_yuan', 'benefit_status'])
      .where('needs_list_id', '=', world.listId)
      .orderBy('confirmed_item_id')
      .execute()
    expect(outcomes).toEqual([
      { benefit_yuan: '120000.50', benefit_status: 'confirmed' },
      { benefit_yuan: '8000.00', benefit_status: 'confirmed' },
    ])
    // No pending timer is left (the feedback deadline was cancelled).
    expect((await timersOf(tdb.db, world.listId)).filter((t) => t.status === 'pending')).toEqual([])
    const shown = await ratingView(tdb.db, p.coordinator, world.listId)
    expect(shown.rating).toMatchObject({ average: '4.50', comment: '专家很专业，响应及时。' })
    expect(shown.can.rate).toBe(false)
  })

  it('a second rating is refused (no second row, no error)', async () => {
    expect(
      await refusal(
        rateService(tdb.db, world.principals.contact2, world.listId, { scores: FIXTURE_SCORES }),
      ),
    ).toMatchObject({ code: 'transitionNotAllowed' })
    expect(await expertRatings(world.listId)).toHaveLength(2)
  })
})

describe('the feedback deadline', () => {
  it('closes and archives the case without a rating, through the timeout job', async () => {
    const world = await buildPairedCase(tdb.db)
    const start = new Date('2026-05-11T02:00:00Z')
    const dueAt = new Date(start.getTime() + 2 * 86_400_000)
    await toFeedback(tdb.db, world, {
      now: start,
      deadlines: (_d, from) => ({ remindAt: new Date(from.getTime() + 86_400_000), dueAt }),
    })
    const breach = await tdb.db
      .selectFrom('outbox')
      .select('payload')
      .where(sql<string>`payload->>'subjectType'`, '=', 'needs_list')
      .where(sql<string>`payload->>'subjectId'`, '=', String(world.listId))
      .where(sql<string>`payload->'timer'->>'stage'`, '=', 'feedback')
      .where(sql<string>`payload->'timer'->>'phase'`, '=', 'breach')
      .executeTakeFirstOrThrow()
    const job = breach.payload as unknown as TimeoutJob
    expect(await processTimeoutJob(tdb.db, job, undefined, () => dueAt)).toBe('delivered')
    const list = await listRow(tdb.db, world.listId)
    expect(list.status).toBe('archived')
    expect(list.closed_at).toEqual(dueAt)
    expect(list.archived_at).toEqual(dueAt)
    const instance = await instanceOf(tdb.db, world.listId)
    expect((instance.snapshot as { context: { closeKind: string } }).context.closeKind).toBe(
      'feedback_timeout',
    )
    const events = await eventsOf(tdb.db, world.listId)
    expect(events.slice(-2).map((e) => [e.event_type, e.to_state, e.actor_role])).toEqual([
      ['DEADLINE', 'closed', 'system'],
      ['ARCHIVE', 'archived', 'system'],
    ])
    expect(await ratingRow(world.listId)).toBeUndefined()
    expect(await expertRatings(world.listId)).toEqual([])
    // The deadline was missed, and the dashboards count it so.
    const timer = await tdb.db
      .selectFrom('workflow_timer as t')
      .innerJoin('workflow_instance as w', 'w.id', 't.workflow_id')
      .select(['t.status', 't.updated_at'])
      .where('w.subject_type', '=', 'needs_list')
      .where('w.subject_id', '=', world.listId)
      .where('t.stage', '=', 'feedback')
      .where('t.phase', '=', 'breach')
      .executeTakeFirstOrThrow()
    expect(timer).toEqual({ status: 'fired', updated_at: dueAt })
    await refreshDashboard(tdb.db)
    const deadline = await tdb.db
      .selectFrom('case_deadline_fact')
      .select('met')
      .where('needs_list_id', '=', world.listId)
      .where('stage', '=', 'feedback')
      .executeTakeFirstOrThrow()
    expect(deadline.met).toBe(false)
    // Delivered again, it is stale: nothing changes.
    const before = await footprint(tdb.db, world.listId)
    // (Its timer row reads 'fired': the breach ended the stage.)
    expect(await processTimeoutJob(tdb.db, job, undefined, () => dueAt)).not.toBe('delivered')
    expect(await footprint(tdb.db, world.listId)).toEqual(before)
    // Too late to rate.
    expect(
      await refusal(
        rateService(tdb.db, world.principals.contact, world.listId, { scores: FIXTURE_SCORES }),
      ),
    ).toMatchObject({ code: 'transitionNotAllowed' })
    const view = await ratingView(tdb.db, world.principals.contact, world.listId)
    expect(view.list.closeKind).toBe('feedback_timeout')
    expect(view.rating).toBeNull()
  })

  it('the reminder before it only reminds the enterprise', async () => {
    const world = await buildPairedCase(tdb.db)
    const start = new Date('2026-05-12T02:00:00Z')
    const remindAt = new Date(start.getTime() + 86_400_000)
    await toFeedback(tdb.db, world, {
      now: start,
      deadlines: (_d, from) => ({ remindAt, dueAt: new Date(from.getTime() + 2 * 86_400_000) }),
    })
    const remind = await tdb.db
      .selectFrom('outbox')
      .select('payload')
      .where(sql<string>`payload->>'subjectId'`, '=', String(world.listId))
      .where(sql<string>`payload->'timer'->>'stage'`, '=', 'feedback')
      .where(sql<string>`payload->'timer'->>'phase'`, '=', 'remind')
      .executeTakeFirstOrThrow()
    expect(
      await processTimeoutJob(
        tdb.db,
        remind.payload as unknown as TimeoutJob,
        undefined,
        () => remindAt,
      ),
    ).toBe('delivered')
    expect((await listRow(tdb.db, world.listId)).status).toBe('feedback')
    const kinds = await tdb.db
      .selectFrom('outbox')
      .select(sql<string>`payload->>'kind'`.as('kind'))
      .where(sql<string>`payload->>'subjectId'`, '=', String(world.listId))
      .where(sql<string>`payload->>'kind'`, '=', 'deadline.feedback.remind')
      .execute()
    expect(kinds).toHaveLength(1)
  })
})

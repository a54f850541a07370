import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeUser } from '#db/factories.ts'
import type { Principal } from '#workflows/access.ts'
import { outcomesView, recordOutcome, requestFeedback } from '#workflows/commands/outcomes.ts'
import { submitReport } from '#workflows/commands/reports.ts'
import { DomainError } from '#workflows/errors.ts'
import { fixtureOutcomes, recordAllOutcomes } from '../helpers/closing-world.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase, scheduleTestVisit } from '../helpers/visit-world.ts'
import {
  eventsOf,
  footprint,
  instanceOf,
  outboxOf,
  principalOf,
  TEST_PASSWORD,
  timersOf,
} from '../helpers/world.ts'

let tdb: TestDatabase

beforeAll(async () => {
  tdb = await createTestDatabase('outcomes')
})

afterAll(async () => {
  await tdb?.drop()
})

/** The refusal a command threw: its code and message key. */
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

function outcomeRows(listId: number) {
  return tdb.db
    .selectFrom('item_outcome')
    .selectAll()
    .where('needs_list_id', '=', listId)
    .orderBy('confirmed_item_id')
    .execute()
}

async function secondSteward(world: PairedCase): Promise<Principal> {
  const user = await makeUser(tdb.db, {
    email: `${world.orgs.district.id}-steward2@zhuqi.test`,
    name: 'second steward',
    password: TEST_PASSWORD,
    role: 'steward',
    orgId: world.orgs.district.id,
  })
  return principalOf(tdb.db, user.id)
}

describe('recording outcomes', () => {
  let world: PairedCase
  beforeAll(async () => {
    world = await buildPairedCase(tdb.db)
  })

  it('only the case steward records: others are refused and nothing changes', async () => {
    const o = fixtureOutcomes(world)[0]
    const before = await footprint(tdb.db, world.listId)
    const p = world.principals
    expect(await refusal(recordOutcome(tdb.db, p.contact, world.listId, o))).toMatchObject({
      code: 'forbidden',
    })
    expect(await refusal(recordOutcome(tdb.db, p.expert, world.listId, o))).toMatchObject({
      code: 'forbidden',
    })
    expect(await refusal(recordOutcome(tdb.db, p.coordinator, world.listId, o))).toMatchObject({
      code: 'forbidden',
    })
    const other = await secondSteward(world)
    expect(await refusal(recordOutcome(tdb.db, other, world.listId, o))).toMatchObject({
      code: 'forbidden',
    })
    // Another enterprise's contact does not learn the case exists.
    expect(await refusal(recordOutcome(tdb.db, p.otherContact, world.listId, o))).toMatchObject({
      code: 'notFound',
    })
    expect(await footprint(tdb.db, world.listId)).toEqual(before)
    expect(await outcomeRows(world.listId)).toEqual([])
  })

  it('bad input is refused with its message key and changes nothing', async () => {
    const [o] = fixtureOutcomes(world)
    const before = await footprint(tdb.db, world.listId)
    const steward = world.principals.steward
    const cases: [Record<string, unknown>, string][] = [
      [{ ...o, result: 'fixed' }, 'outcomes.errors.result'],
      [{ ...o, description: '' }, 'outcomes.errors.description'],
      [{ ...o, benefitYuan: '12.345' }, 'outcomes.errors.benefit'],
      [{ ...o, benefitYuan: '1', benefitStatus: undefined }, 'outcomes.errors.benefitStatus'],
      [{ ...o, benefitBasis: '' }, 'outcomes.errors.benefitBasis'],
      [{ ...o, workersTrained: 30, personTimes: 20 }, 'outcomes.errors.personTimes'],
      [{ ...o, patents: -1 }, 'outcomes.errors.count'],
      [{ ...o, followUpNeeded: true }, 'outcomes.errors.followUpNote'],
      [{ ...o, itemId: 'x' }, 'errors.badRequest'],
    ]
    for (const [input, key] of cases) {
      expect(await refusal(recordOutcome(tdb.db, steward, world.listId, input))).toEqual({
        code: 'validation',
        key,
      })
    }
    // An item of another case.
    const other = await buildPairedCase(tdb.db)
    expect(
      await refusal(
        recordOutcome(tdb.db, steward, world.listId, { ...o, itemId: other.itemIds[0] }),
      ),
    ).toEqual({ code: 'validation', key: 'outcomes.errors.unknownItem' })
    expect(await footprint(tdb.db, world.listId)).toEqual(before)
  })

  it('a stale version is a conflict', async () => {
    const [o] = fixtureOutcomes(world)
    const { version } = await instanceOf(tdb.db, world.listId)
    expect(
      await refusal(recordOutcome(tdb.db, world.principals.steward, world.listId, o, version - 1)),
    ).toMatchObject({ code: 'conflict' })
  })

  it('the first outcome moves a paired case to outcomes; amounts are stored exactly', async () => {
    const [o, second] = fixtureOutcomes(world)
    const now = new Date('2026-04-01T02:00:00Z')
    const { version } = await instanceOf(tdb.db, world.listId)
    const result = await recordOutcome(
      tdb.db,
      world.principals.steward,
      world.listId,
      { ...o, benefitYuan: '123456789012.34' },
      version,
      { now },
    )
    expect(result).toMatchObject({ fromState: 'paired', state: 'outcomes', version: version + 1 })
    const [row] = await outcomeRows(world.listId)
    expect(row).toMatchObject({
      confirmed_item_id: o?.itemId,
      result: 'solved',
      description: o?.description,
      benefit_yuan: '123456789012.34',
      benefit_status: 'estimated',
      benefit_basis: '避免停产损失估算',
      workers_trained: 12,
      person_times: 20,
      patents: 1,
      innovations: 2,
      follow_up_needed: false,
      follow_up_note: null,
      recorded_by: world.users.steward.id,
    })
    expect(row?.recorded_at).toEqual(now)
    const events = await eventsOf(tdb.db, world.listId)
    expect(events.at(-1)).toMatchObject({
      event_type: 'RECORD_OUTCOME',
      from_state: 'paired',
      to_state: 'outcomes',
      payload: { itemId: o?.itemId, result: 'solved', corrected: false },
    })
    // The second item, then a correction of the first: same state, one row per item.
    await recordOutcome(tdb.db, world.principals.steward, world.listId, second)
    await recordOutcome(tdb.db, world.principals.steward, world.listId, {
      ...o,
      result: 'partly_solved',
      benefitYuan: undefined,
    })
    const rows = await outcomeRows(world.listId)
    expect(rows.map((r) => [r.result, r.benefit_yuan, r.benefit_status])).toEqual([
      ['partly_solved', null, null],
      ['partly_solved', '8000.00', 'confirmed'],
    ])
    expect((await instanceOf(tdb.db, world.listId)).state).toBe('outcomes')
    expect((await eventsOf(tdb.db, world.listId)).at(-1)?.payload).toMatchObject({
      corrected: true,
    })
  })

  it('the page: every reader sees the outcomes and totals; only the steward may record', async () => {
    const p = world.principals
    const steward = await outcomesView(tdb.db, p.steward, world.listId)
    expect(steward.can).toEqual({ record: true, requestFeedback: true })
    expect(steward.items.map((i) => i.outcome?.result)).toEqual(['partly_solved', 'partly_solved'])
    expect(steward.aggregate).toMatchObject({
      items: 2,
      recorded: 2,
      problemsSolved: 0,
      partlySolved: 2,
      benefit: { estimated: '0.00', confirmed: '8000.00', total: '8000.00' },
      // Both paired experts served without a visit so far: one participation each.
      expertParticipations: 2,
    })
    expect(steward.readiness).toEqual({ complete: true, missingItemIds: [], visitsOnSite: [] })
    for (const who of [p.contact, p.expert, p.coordinator]) {
      const view = await outcomesView(tdb.db, who, world.listId)
      expect(view.can).toEqual({ record: false, requestFeedback: false })
      expect(view.items).toHaveLength(2)
    }
    expect(await refusal(outcomesView(tdb.db, p.otherContact, world.listId))).toMatchObject({
      code: 'notFound',
    })
  })
})

describe('asking for feedback', () => {
  it('needs every item’s outcome and no visit on site; then the case waits for the rating', async () => {
    const world = await buildPairedCase(tdb.db)
    const steward = world.principals.steward
    // A visit on site: in service.
    const visit = await scheduleTestVisit(tdb.db, world, { checkIn: true })
    const [first] = fixtureOutcomes(world)
    await recordOutcome(tdb.db, steward, world.listId, first)
    expect(await refusal(requestFeedback(tdb.db, steward, world.listId))).toEqual({
      code: 'validation',
      key: 'outcomes.errors.incomplete',
    })
    await recordAllOutcomes(tdb.db, world)
    let before = await footprint(tdb.db, world.listId)
    expect(await refusal(requestFeedback(tdb.db, steward, world.listId))).toEqual({
      code: 'validation',
      key: 'outcomes.errors.visitOnSite',
    })
    expect(await footprint(tdb.db, world.listId)).toEqual(before)
    const view = await outcomesView(tdb.db, steward, world.listId)
    expect(view.readiness).toMatchObject({ complete: false, visitsOnSite: [1] })

    // Not the enterprise, not another steward.
    expect(
      await refusal(requestFeedback(tdb.db, world.principals.contact, world.listId)),
    ).toMatchObject({ code: 'forbidden' })

    // The report is in: the visit is no longer on site.
    await submitReport(tdb.db, steward, visit.visitId, { summary: '总体良好，个别整改。' })
    before = await footprint(tdb.db, world.listId)
    const { version } = await instanceOf(tdb.db, world.listId)
    expect(
      await refusal(requestFeedback(tdb.db, steward, world.listId, version - 1)),
    ).toMatchObject({ code: 'conflict' })
    const now = new Date('2026-04-02T02:00:00Z')
    const result = await requestFeedback(tdb.db, steward, world.listId, version, { now })
    expect(result).toMatchObject({ fromState: 'outcomes', state: 'feedback' })
    expect((await eventsOf(tdb.db, world.listId)).at(-1)).toMatchObject({
      event_type: 'REQUEST_FEEDBACK',
      payload: { complete: true },
    })
    // The enterprise is told, and the feedback deadline runs.
    const outbox = await outboxOf(tdb.db, world.listId)
    expect(
      outbox.filter((r) => (r.payload as { kind?: string }).kind === 'needsList.feedbackRequested'),
    ).toHaveLength(1)
    const timers = (await timersOf(tdb.db, world.listId)).filter((t) => t.stage === 'feedback')
    expect(timers.map((t) => [t.phase, t.status])).toEqual([
      ['remind', 'pending'],
      ['breach', 'pending'],
    ])
    // Asking again is not allowed (already waiting).
    expect(await refusal(requestFeedback(tdb.db, steward, world.listId))).toMatchObject({
      code: 'transitionNotAllowed',
    })
    expect((await instanceOf(tdb.db, world.listId)).state).toBe('feedback')
  })

  it('visits count in the participations once held', async () => {
    const world = await buildPairedCase(tdb.db)
    await scheduleTestVisit(tdb.db, world, {
      checkIn: true,
      expertIds: [world.experts[0]?.expert.id as number],
    })
    await recordAllOutcomes(tdb.db, world)
    const view = await outcomesView(tdb.db, world.principals.steward, world.listId)
    // experts[0] on the visit (1), experts[1] paired and remote (1).
    expect(view.aggregate).toMatchObject({ visitsHeld: 1, expertParticipations: 2 })
  })
})

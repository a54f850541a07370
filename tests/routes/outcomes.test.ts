import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as outcomesPage from '#app/routes/needs-lists.$id.outcomes.tsx'
import * as ratingPage from '#app/routes/needs-lists.$id.rating.tsx'
import { FIXTURE_SCORES, fixtureOutcomes } from '../helpers/closing-world.ts'
import { addExpert } from '../helpers/matching-world.ts'
import {
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase } from '../helpers/visit-world.ts'
import { footprint, instanceOf } from '../helpers/world.ts'

let tdb: TestDatabase
let ctx: TestContext
let world: PairedCase
let as: Record<
  'steward' | 'contact' | 'otherContact' | 'coordinator' | 'expert' | 'bystander',
  Browser
>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_outcomes')
  ctx = buildContext(tdb.db)
  world = await buildPairedCase(tdb.db)
  const bystander = await addExpert(tdb.db, world, { name: '局外专家', skills: [['ppe', 4]] })
  as = {
    steward: await signIn(ctx, world.users.steward.id),
    contact: await signIn(ctx, world.users.contact.id),
    otherContact: await signIn(ctx, world.users.otherContact.id),
    coordinator: await signIn(ctx, world.users.coordinator.id),
    expert: await signIn(ctx, world.experts[0]?.user.id as number),
    bystander: await signIn(ctx, bystander.user?.id as number),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

const outcomesPath = (id: number | string) => `/needs-lists/${id}/outcomes`
const ratingPath = (id: number | string) => `/needs-lists/${id}/rating`
const loadOutcomes = (b: Browser, id: number | string = world.listId) =>
  call(outcomesPage.loader, b.get(outcomesPath(id)), ctx, { id: String(id) })
const postOutcomes = (b: Browser, fields: Record<string, string | number>, options = {}) =>
  call(outcomesPage.action, b.post(outcomesPath(world.listId), fields, options), ctx, {
    id: String(world.listId),
  })
const loadRating = (b: Browser, id: number | string = world.listId) =>
  call(ratingPage.loader, b.get(ratingPath(id)), ctx, { id: String(id) })
const postRating = (b: Browser, fields: [string, string | number][]) =>
  call(ratingPage.action, b.post(ratingPath(world.listId), fields), ctx, {
    id: String(world.listId),
  })

/** The first error a Conform reply carries (form-level first). */
function formError(out: { data: unknown }) {
  const d = out.data as { result?: { error?: Record<string, string[] | null> }; formError?: string }
  if (d?.formError) return d.formError
  const errors = d?.result?.error
  return errors?.['']?.[0] ?? Object.values(errors ?? {}).find((e) => e?.length)?.[0]
}

function fieldError(out: { data: unknown }, field: string) {
  const d = out.data as { result?: { error?: Record<string, string[] | null> } }
  return d?.result?.error?.[field]?.[0]
}

function outcomeFields(
  o: Record<string, unknown>,
  version: number,
): Record<string, string | number> {
  const fields: Record<string, string | number> = { intent: 'record', version }
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue
    fields[k] = v === true ? 'on' : (v as string | number)
  }
  return fields
}

describe('the outcomes page', () => {
  it('readers of the case see it; others get a 404, bad ids too', async () => {
    for (const b of [as.steward, as.contact, as.coordinator, as.expert]) {
      const out = await loadOutcomes(b)
      expect(out.status).toBe(200)
      expect((out.data as { items: unknown[] }).items).toHaveLength(2)
    }
    expect((await loadOutcomes(as.steward)).data).toMatchObject({
      can: { record: true, requestFeedback: false },
    })
    expect((await loadOutcomes(as.contact)).data).toMatchObject({ can: { record: false } })
    for (const b of [as.otherContact, as.bystander]) {
      expect(await loadOutcomes(b)).toMatchObject({ status: 404, body: 'errors.notFound' })
    }
    for (const id of ['0', 'abc', '99999999999', '999999']) {
      expect((await loadOutcomes(as.steward, id)).status).toBe(404)
    }
  })

  it('bad input comes back translated on its field, with a 400, and changes nothing', async () => {
    const { version } = await instanceOf(tdb.db, world.listId)
    const before = await footprint(tdb.db, world.listId)
    const [o] = fixtureOutcomes(world)
    const bad = await postOutcomes(
      as.steward,
      outcomeFields({ ...o, benefitYuan: '12.345', personTimes: 1 }, version),
    )
    expect(bad.status).toBe(400)
    expect(fieldError(bad, 'benefitYuan')).toBe('outcomes.errors.benefit')
    expect((bad.data as { itemId: number }).itemId).toBe(o?.itemId)
    const noResult = await postOutcomes(as.steward, outcomeFields({ ...o, result: '' }, version))
    expect(fieldError(noResult, 'result')).toBe('outcomes.errors.result')
    const words = await postOutcomes(as.steward, outcomeFields({ ...o, patents: 'many' }, version))
    expect(words.status).toBe(400)
    expect(fieldError(words, 'patents')).toBe('outcomes.errors.count')
    const missing = await postOutcomes(as.steward, { intent: 'record', version })
    expect(missing.status).toBe(400)
    const unknown = await postOutcomes(as.steward, { intent: 'explode', version })
    expect(unknown).toMatchObject({ status: 400, data: { formError: 'errors.badRequest' } })
    const noCsrf = await postOutcomes(as.steward, outcomeFields(o ?? {}, version), { csrf: null })
    expect(noCsrf).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await footprint(tdb.db, world.listId)).toEqual(before)
  })

  it('the enterprise cannot record: 403; another enterprise: 404; a stale form: 409', async () => {
    const { version } = await instanceOf(tdb.db, world.listId)
    const [o] = fixtureOutcomes(world)
    expect(await postOutcomes(as.contact, outcomeFields(o ?? {}, version))).toMatchObject({
      status: 403,
      body: 'errors.forbidden',
    })
    expect(await postOutcomes(as.otherContact, outcomeFields(o ?? {}, version))).toMatchObject({
      status: 404,
    })
    const stale = await postOutcomes(as.steward, outcomeFields(o ?? {}, version - 1))
    expect(stale.status).toBe(409)
    expect(formError(stale)).toBe('errors.conflict')
  })

  it('feedback cannot be asked for while items lack an outcome', async () => {
    const { version } = await instanceOf(tdb.db, world.listId)
    const [o] = fixtureOutcomes(world)
    const saved = await postOutcomes(as.steward, outcomeFields(o ?? {}, version))
    expect(saved).toMatchObject({
      status: 302,
      location: `${outcomesPath(world.listId)}?done=recorded`,
    })
    const early = await postOutcomes(as.steward, {
      intent: 'requestFeedback',
      version: version + 1,
    })
    expect(early).toMatchObject({ status: 400, data: { formError: 'outcomes.errors.incomplete' } })
    expect(
      await postOutcomes(as.contact, { intent: 'requestFeedback', version: version + 1 }),
    ).toMatchObject({
      status: 403,
    })
  })

  it('every item recorded, the steward asks for feedback', async () => {
    const [, second] = fixtureOutcomes(world)
    let { version } = await instanceOf(tdb.db, world.listId)
    const saved = await postOutcomes(as.steward, outcomeFields(second ?? {}, version))
    expect(saved.status).toBe(302)
    const page = await loadOutcomes(as.steward)
    expect(page.data).toMatchObject({
      notice: null,
      readiness: { complete: true },
      can: { record: true, requestFeedback: true },
      aggregate: { problemsSolved: 1, partlySolved: 1, benefit: { total: '128000.50' } },
    })
    ;({ version } = await instanceOf(tdb.db, world.listId))
    const asked = await postOutcomes(as.steward, { intent: 'requestFeedback', version })
    expect(asked).toMatchObject({
      status: 302,
      location: `${outcomesPath(world.listId)}?done=feedbackRequested`,
    })
    expect(ctx.pokes).toBeGreaterThan(0)
    expect((await instanceOf(tdb.db, world.listId)).state).toBe('feedback')
  })
})

describe('the rating page', () => {
  const scoreFields = (scores: Record<string, string | number>): [string, string | number][] =>
    Object.entries(scores).map(([q, s]) => [`scores.${q}`, s])

  it('readers see it; the enterprise may rate; others get a 404', async () => {
    const contact = await loadRating(as.contact)
    expect(contact.data).toMatchObject({ can: { rate: true }, rating: null })
    expect((await loadRating(as.steward)).data).toMatchObject({ can: { rate: false } })
    expect((await loadRating(as.expert)).status).toBe(200)
    for (const b of [as.otherContact, as.bystander]) {
      expect((await loadRating(b)).status).toBe(404)
    }
  })

  it('refuses bad scores translated, and the steward with a 403; nothing changes', async () => {
    const { version } = await instanceOf(tdb.db, world.listId)
    const before = await footprint(tdb.db, world.listId)
    const missing = await postRating(as.contact, [
      ['version', version],
      ...scoreFields({ responsiveness: 5, expertise: 4, effectiveness: 4 }),
    ])
    expect(missing.status).toBe(400)
    expect(fieldError(missing, 'scores.attitude')).toBe('outcomes.rating.errors.score')
    const outOfRange = await postRating(as.contact, [
      ['version', version],
      ...scoreFields({ ...FIXTURE_SCORES, expertise: 9 }),
    ])
    expect(fieldError(outOfRange, 'scores.expertise')).toBe('outcomes.rating.errors.score')
    const text = await postRating(as.contact, [
      ['version', version],
      ...scoreFields({ ...FIXTURE_SCORES, expertise: 'great' }),
    ])
    expect(text.status).toBe(400)
    const badConfirm = await postRating(as.contact, [
      ['version', version],
      ...scoreFields(FIXTURE_SCORES),
      ['confirmBenefits', 'abc'],
    ])
    expect(badConfirm.status).toBe(400)
    expect(
      await postRating(as.steward, [['version', version], ...scoreFields(FIXTURE_SCORES)]),
    ).toMatchObject({ status: 403 })
    expect(
      await postRating(as.otherContact, [['version', version], ...scoreFields(FIXTURE_SCORES)]),
    ).toMatchObject({ status: 404 })
    expect(await footprint(tdb.db, world.listId)).toEqual(before)
  })

  it('the enterprise rates, confirming an estimated benefit: the case is closed and archived', async () => {
    const { version } = await instanceOf(tdb.db, world.listId)
    const page = await loadRating(as.contact)
    const estimated = (page.data as { estimated: { id: number }[] }).estimated
    expect(estimated).toHaveLength(1)
    const out = await postRating(as.contact, [
      ['version', version],
      ...scoreFields(FIXTURE_SCORES),
      ['comment', '满意'],
      ['confirmBenefits', estimated[0]?.id as number],
    ])
    expect(out).toMatchObject({ status: 302, location: `${ratingPath(world.listId)}?done=rated` })
    expect((await instanceOf(tdb.db, world.listId)).state).toBe('archived')
    const after = await call(
      ratingPage.loader,
      as.coordinator.get(`${ratingPath(world.listId)}?done=rated`),
      ctx,
      { id: String(world.listId) },
    )
    expect(after.data).toMatchObject({
      notice: 'outcomes.notice.rated',
      can: { rate: false },
      rating: { average: '4.50', comment: '满意' },
      estimated: [],
    })
    // Again: not allowed any more, said on the form.
    const again = await postRating(as.contact, [
      ['version', version + 2],
      ...scoreFields(FIXTURE_SCORES),
    ])
    expect(again.status).toBe(409)
    expect(formError(again)).toBe('errors.transitionNotAllowed')
  })
})

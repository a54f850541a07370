import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeEnterprise, makeUser } from '#db/factories.ts'
import { loadMatchInput } from '#db/queries/matching-input.ts'
import type { Principal } from '#workflows/access.ts'
import {
  excludeCandidate,
  pinCandidate,
  removeConstraint,
  replaceProposal,
  resourceListView,
  runBatchMatching,
  runMatching,
  sendInvitations,
} from '#workflows/commands/resource-list.ts'
import { DomainError, ForbiddenError } from '#workflows/errors.ts'
import { DEFAULT_WEIGHTS, matchBatch } from '#workflows/matching/index.ts'
import {
  addExpert,
  addTeam,
  buildMatchingWorld,
  invitationInstance,
  invitationsOf,
  liveProposals,
  type MatchingWorld,
  proposalsOf,
  readyList,
  runsOfList,
} from '../helpers/matching-world.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import {
  eventsOf,
  footprint,
  instanceOf,
  outboxOf,
  principalOf,
  TEST_PASSWORD,
} from '../helpers/world.ts'

let tdb: TestDatabase
let world: MatchingWorld
let otherSteward: Principal

beforeAll(async () => {
  tdb = await createTestDatabase('resource_list')
  world = await buildMatchingWorld(tdb.db, 'rl')
  const second = await makeUser(tdb.db, {
    email: 'rl-steward2@zhuqi.test',
    name: 'rl steward2',
    password: TEST_PASSWORD,
    role: 'steward',
    orgId: world.orgs.district.id,
  })
  otherSteward = await principalOf(tdb.db, second.id)
})

afterAll(async () => {
  await tdb?.drop()
})

async function refused(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(DomainError)
  return err as DomainError
}

/** Everything matching writes for a list, to show a refused command changed nothing. */
async function everything(listId: number) {
  return {
    ...(await footprint(tdb.db, listId)),
    proposals: (await proposalsOf(tdb.db, listId)).map((p) => [p.id, p.status]),
    runs: (await runsOfList(tdb.db, listId)).map((r) => r.id),
    constraints: (
      await tdb.db
        .selectFrom('match_constraint')
        .select('id')
        .where('needs_list_id', '=', listId)
        .execute()
    ).map((c) => c.id),
    invitations: (await invitationsOf(tdb.db, listId)).map((i) => [i.id, i.status]),
  }
}

describe('building the resource list', () => {
  it('the steward runs the engine: proposals with scores and factors, a run, MATCH into matching', async () => {
    const star = await addExpert(tdb.db, world, {
      name: 'Build Star',
      skills: [['boxes', 5]],
      honours: [{ type: 'national_model_worker', level: 'national' }],
      parks: ['软件园'],
    })
    const sibling = await addExpert(tdb.db, world, {
      name: 'Build Sibling',
      skills: [['leakage', 3]],
    })
    // Another city's union does not serve this district: never a candidate.
    await addExpert(tdb.db, world, {
      name: 'Build Outsider',
      orgId: world.orgs.otherCity.id,
      skills: [['boxes', 5]],
    })
    // Paused profiles are not proposed.
    await addExpert(tdb.db, world, {
      name: 'Build Paused',
      skills: [['boxes', 5]],
      status: 'paused',
    })
    // The province manages one: it serves the whole province, this district too.
    const provincial = await addExpert(tdb.db, world, {
      name: 'Build Provincial',
      orgId: world.orgs.province.id,
      skills: [['harmonics', 4]],
    })
    const list = await readyList(tdb.db, world, 'Build', [
      { title: 'Boxes', headcount: 2, skills: ['boxes'] },
      { title: 'Harmonics', headcount: 1, skills: ['harmonics'] },
    ])
    const [boxes, harmonics] = list.itemIds as [number, number]

    const run = await runMatching(tdb.db, world.principals.steward, list.id, list.version)
    expect(run).toMatchObject({ proposals: 3, missing: 0, state: 'matching' })
    expect(await liveProposals(tdb.db, list.id)).toEqual(
      [
        { itemId: boxes, key: star.key, status: 'proposed', source: 'engine' },
        { itemId: boxes, key: sibling.key, status: 'proposed', source: 'engine' },
        { itemId: harmonics, key: provincial.key, status: 'proposed', source: 'engine' },
      ].sort((a, b) => a.itemId - b.itemId || a.key.localeCompare(b.key)),
    )
    const rows = await proposalsOf(tdb.db, list.id)
    const starRow = rows.find((r) => r.expert_id === star.expert.id)
    const siblingRow = rows.find((r) => r.expert_id === sibling.expert.id)
    expect(starRow?.score).toBeGreaterThan(siblingRow?.score ?? Number.POSITIVE_INFINITY)
    expect(starRow?.run_id).toBe(run.runId)
    const factors = starRow?.factors as { factor: string; detail: Record<string, unknown> }[]
    expect(factors.find((f) => f.factor === 'skill')?.detail).toMatchObject({
      fit: 'exact',
      skillId: world.skills.boxes,
    })
    expect(factors.find((f) => f.factor === 'honour')?.detail).toMatchObject({
      type: 'national_model_worker',
    })
    expect(factors.find((f) => f.factor === 'proximity')?.detail).toMatchObject({ match: 'park' })
    const sibFactors = siblingRow?.factors as { factor: string; detail: Record<string, unknown> }[]
    expect(sibFactors.find((f) => f.factor === 'skill')?.detail).toMatchObject({ fit: 'sibling' })

    const [runRow] = await runsOfList(tdb.db, list.id)
    expect(runRow).toMatchObject({ id: run.runId, created_by: world.users.steward.id })
    expect(runRow?.total_score).toBeCloseTo(
      (starRow?.score ?? 0) +
        (siblingRow?.score ?? 0) +
        (rows.find((r) => r.expert_id === provincial.expert.id)?.score ?? 0),
      3,
    )
    expect(runRow?.unfilled).toEqual([])
    expect(runRow?.stats).toMatchObject({ kind: 'run', itemIds: [boxes, harmonics], proposals: 3 })

    const instance = await instanceOf(tdb.db, list.id)
    expect(instance.state).toBe('matching')
    expect((instance.snapshot as { context: { matchingRuns: number } }).context.matchingRuns).toBe(
      1,
    )
    const match = (await eventsOf(tdb.db, list.id)).at(-1)
    expect(match).toMatchObject({
      event_type: 'MATCH',
      actor_user_id: world.users.steward.id,
      from_state: 'ready_for_matching',
      to_state: 'matching',
    })
    expect(match?.payload).toEqual({ runId: run.runId, proposals: 3, unfilled: 0 })

    // Matching again supersedes the draft and writes a new one.
    const again = await runMatching(tdb.db, world.principals.steward, list.id)
    expect(again.runId).toBeGreaterThan(run.runId)
    const all = await proposalsOf(tdb.db, list.id)
    expect(all.filter((p) => p.run_id === run.runId).map((p) => p.status)).toEqual([
      'superseded',
      'superseded',
      'superseded',
    ])
    expect(all.filter((p) => p.run_id === again.runId)).toHaveLength(3)
    expect((await instanceOf(tdb.db, list.id)).state).toBe('matching')

    // The page: coverage per item and the explanation's factors; the enterprise sees names only.
    const view = await resourceListView(tdb.db, world.principals.steward, list.id)
    expect(view.audience).toBe('steward')
    expect(view.can).toMatchObject({ run: true, constrain: true, invite: true, answer: false })
    expect(view.items.map((i) => [i.title, i.coverage.covered, i.coverage.full])).toEqual([
      ['Boxes', 2, true],
      ['Harmonics', 1, true],
    ])
    const seen = await resourceListView(tdb.db, world.principals.contact, list.id)
    expect(seen.audience).toBe('enterprise')
    expect(seen.can).toEqual({ run: false, constrain: false, invite: false, answer: false })
    expect(seen.items[0]?.candidates.map((c) => [c.name, c.score, c.factors, c.mobile])).toEqual([
      ['Build Star', null, [], null],
      ['Build Sibling', null, [], null],
    ])
    expect(seen.runs).toEqual([])
    const coordinator = await resourceListView(tdb.db, world.principals.coordinator, list.id)
    expect(coordinator.audience).toBe('union')
    expect(coordinator.can).toMatchObject({ run: true, constrain: false, invite: false })
  })

  it('only the case steward or a coordinator or admin of the subtree runs matching; refusals change nothing', async () => {
    await addExpert(tdb.db, world, { name: 'Auth Expert', skills: [['boxes', 4]] })
    const list = await readyList(tdb.db, world, 'Auth', [
      { title: 'Boxes', headcount: 1, skills: ['boxes'] },
    ])
    const before = await everything(list.id)
    for (const principal of [
      world.principals.contact,
      otherSteward,
      world.principals.otherCoordinator,
      world.principals.otherContact,
    ]) {
      await expect(runMatching(tdb.db, principal, list.id)).rejects.toBeInstanceOf(ForbiddenError)
    }
    // A stale version is a conflict.
    const stale = await refused(
      runMatching(tdb.db, world.principals.steward, list.id, list.version - 1),
    )
    expect(stale.code).toBe('conflict')
    expect(await everything(list.id)).toEqual(before)

    // A coordinator of the city may run it (and the event names them).
    const run = await runMatching(tdb.db, world.principals.coordinator, list.id)
    expect(run.state).toBe('matching')
    expect((await eventsOf(tdb.db, list.id)).at(-1)).toMatchObject({
      event_type: 'MATCH',
      actor_role: 'coordinator',
      actor_user_id: world.users.coordinator.id,
    })
    // Pins and invitations are the case steward's alone.
    const item = list.itemIds[0] as number
    const [p] = await proposalsOf(tdb.db, list.id)
    const candidate = `expert:${p?.expert_id}`
    const after = await everything(list.id)
    for (const principal of [
      world.principals.coordinator,
      otherSteward,
      world.principals.contact,
    ]) {
      await expect(
        pinCandidate(tdb.db, principal, list.id, { itemId: item, candidate }),
      ).rejects.toBeInstanceOf(ForbiddenError)
      await expect(sendInvitations(tdb.db, principal, list.id)).rejects.toBeInstanceOf(
        ForbiddenError,
      )
    }
    expect(await everything(list.id)).toEqual(after)
  })

  it('without anybody suitable the run records why, and the list stays ready for matching', async () => {
    const list = await readyList(tdb.db, world, 'Nobody', [
      { title: 'PPE', headcount: 2, skills: ['ppe'] },
    ])
    const run = await runMatching(tdb.db, world.principals.steward, list.id)
    expect(run).toMatchObject({ proposals: 0, missing: 2, state: 'ready_for_matching' })
    expect(run.unfilled).toEqual([
      expect.objectContaining({ itemId: list.itemIds[0], missing: 2, reason: 'no_skill' }),
    ])
    expect((await instanceOf(tdb.db, list.id)).state).toBe('ready_for_matching')
    expect((await eventsOf(tdb.db, list.id)).some((e) => e.event_type === 'MATCH')).toBe(false)
    const view = await resourceListView(tdb.db, world.principals.steward, list.id)
    expect(view.items[0]?.unfilled).toMatchObject({ reason: 'no_skill', missing: 2 })
    expect(view.can.invite).toBe(false)
    const nothing = await refused(sendInvitations(tdb.db, world.principals.steward, list.id))
    expect(nothing.details).toMatchObject({ messageKey: 'matching.errors.nothingToInvite' })
  })
})

describe('pins, exclusions and replacements', () => {
  it('pins survive re-runs, exclusions keep a candidate out, replacing excludes and re-runs', async () => {
    const a = await addExpert(tdb.db, world, {
      name: 'Pin Alpha',
      skills: [['gmaw', 5]],
      honours: [{ type: 'great_craftsman', level: 'national' }],
    })
    const b = await addExpert(tdb.db, world, { name: 'Pin Bravo', skills: [['gmaw', 4]] })
    const c = await addExpert(tdb.db, world, { name: 'Pin Charlie', skills: [['gmaw', 2]] })
    // Outside the skill's field and domain: the engine would never propose them.
    const d = await addExpert(tdb.db, world, { name: 'Pin Delta', skills: [['cnc', 3]] })
    const list = await readyList(tdb.db, world, 'Pins', [
      { title: 'Welding', headcount: 1, skills: ['gmaw'] },
    ])
    const item = list.itemIds[0] as number
    const steward = world.principals.steward
    await runMatching(tdb.db, steward, list.id)
    // Only a, b and c weld; a is the best of them.
    expect((await liveProposals(tdb.db, list.id)).map((p) => p.key)).toEqual([a.key])

    // Pin d by hand: d takes the only place, whatever the score.
    const pinned = await pinCandidate(tdb.db, steward, list.id, { itemId: item, candidate: d.key })
    expect(await liveProposals(tdb.db, list.id)).toEqual([
      { itemId: item, key: d.key, status: 'proposed', source: 'pinned' },
    ])
    // The page says which rule the pin overrides.
    const pinnedView = await resourceListView(tdb.db, steward, list.id)
    expect(pinnedView.items[0]?.candidates.map((c) => [c.name, c.warnings])).toEqual([
      ['Pin Delta', ['no_fit']],
    ])
    const pinEvent = (await eventsOf(tdb.db, list.id)).at(-1)
    expect(pinEvent?.event_type).toBe('MATCH')
    expect(pinEvent?.payload).toMatchObject({
      runId: pinned.runId,
      change: { kind: 'pin', itemId: item, candidate: d.key },
    })
    // A plain re-run keeps the pin.
    await runMatching(tdb.db, steward, list.id)
    expect((await liveProposals(tdb.db, list.id)).map((p) => [p.key, p.source])).toEqual([
      [d.key, 'pinned'],
    ])

    // Dropping the pin gives the place back to the engine's choice.
    const constraints = await tdb.db
      .selectFrom('match_constraint')
      .selectAll()
      .where('needs_list_id', '=', list.id)
      .execute()
    expect(constraints.map((x) => [x.kind, x.expert_id, x.created_by])).toEqual([
      ['pin', d.expert.id, world.users.steward.id],
    ])
    await removeConstraint(tdb.db, steward, list.id, constraints[0]?.id as number)
    expect((await liveProposals(tdb.db, list.id)).map((p) => p.key)).toEqual([a.key])

    // Excluding a (with a reason) proposes the next best; the exclusion holds on re-runs.
    await excludeCandidate(tdb.db, steward, list.id, {
      itemId: item,
      candidate: a.key,
      reason: 'Abroad this month',
    })
    expect((await liveProposals(tdb.db, list.id)).map((p) => p.key)).toEqual([b.key])
    await runMatching(tdb.db, steward, list.id)
    expect((await liveProposals(tdb.db, list.id)).map((p) => p.key)).toEqual([b.key])
    const excluded = await tdb.db
      .selectFrom('match_constraint')
      .selectAll()
      .where('needs_list_id', '=', list.id)
      .execute()
    expect(excluded.map((x) => [x.kind, x.expert_id, x.reason])).toEqual([
      ['exclude', a.expert.id, 'Abroad this month'],
    ])

    // Replacing b: b is excluded too and the next one comes.
    const [bRow] = (await proposalsOf(tdb.db, list.id)).filter((p) => p.status === 'proposed')
    await replaceProposal(tdb.db, steward, list.id, { proposalId: bRow?.id as number })
    const now = await liveProposals(tdb.db, list.id)
    expect(now).toHaveLength(1)
    expect([a.key, b.key]).not.toContain(now[0]?.key)
    expect(now[0]?.key).toBe(c.key)
    const replaceEvent = (await eventsOf(tdb.db, list.id)).at(-1)
    expect(replaceEvent?.payload).toMatchObject({
      change: { kind: 'replace', candidate: b.key, proposalId: bRow?.id },
    })

    // Bad input is refused and changes nothing.
    const before = await everything(list.id)
    const other = await readyList(tdb.db, world, 'Other list', [
      { title: 'Other', headcount: 1, skills: ['ppe'] },
    ])
    const checks: [() => Promise<unknown>, string][] = [
      [
        () => pinCandidate(tdb.db, steward, list.id, { itemId: item, candidate: 'robot:1' }),
        'matching.errors.candidate',
      ],
      [
        () =>
          pinCandidate(tdb.db, steward, list.id, {
            itemId: other.itemIds[0] as number,
            candidate: d.key,
          }),
        'matching.errors.unknownItem',
      ],
      [
        () => pinCandidate(tdb.db, steward, list.id, { itemId: item, candidate: 'expert:999999' }),
        'matching.errors.notInPool',
      ],
      [
        () => replaceProposal(tdb.db, steward, list.id, { proposalId: bRow?.id as number }),
        'matching.errors.notDrafted',
      ],
      [
        () => removeConstraint(tdb.db, steward, list.id, 999_999),
        'matching.errors.unknownConstraint',
      ],
    ]
    for (const [attempt, key] of checks) {
      const err = await refused(attempt())
      expect(err.details).toMatchObject({ messageKey: key })
    }
    expect(await everything(list.id)).toEqual(before)
  })

  it('a service team is one candidate with its members’ skills and honours; its leader is invited', async () => {
    const leader = await addExpert(tdb.db, world, { name: 'Team Leader', skills: [['plc', 2]] })
    const member = await addExpert(tdb.db, world, {
      name: 'Team Member',
      skills: [['robot', 5]],
      honours: [{ type: 'may_day_medal', level: 'national' }],
      signIn: false,
    })
    const team = await addTeam(tdb.db, world, {
      name: 'RL Squad',
      leaderId: leader.expert.id,
      memberIds: [member.expert.id],
    })
    const list = await readyList(tdb.db, world, 'Team', [
      { title: 'Robots', headcount: 1, skills: ['robot'] },
    ])
    const loaded = await loadMatchInput(tdb.db, { listIds: [list.id], weights: DEFAULT_WEIGHTS })
    const unit = loaded.input.candidates.find((c) => c.kind === 'team' && c.id === team.team.id)
    expect(unit).toMatchObject({
      name: 'RL Squad',
      capacity: 1,
      load: 0,
      honours: [{ type: 'may_day_medal', level: 'national', year: null }],
    })
    expect(unit?.skills).toEqual(
      expect.arrayContaining([
        { skillId: world.skills.plc, proficiency: 2 },
        { skillId: world.skills.robot, proficiency: 5 },
      ]),
    )
    // Pin the team and invite: the invitation goes to the leader, on behalf of the team.
    await runMatching(tdb.db, world.principals.steward, list.id)
    await pinCandidate(tdb.db, world.principals.steward, list.id, {
      itemId: list.itemIds[0] as number,
      candidate: team.key,
    })
    await sendInvitations(tdb.db, world.principals.steward, list.id)
    const [inv] = await invitationsOf(tdb.db, list.id)
    expect(inv).toMatchObject({
      expert_id: leader.expert.id,
      team_id: team.team.id,
      status: 'pending',
    })
    const instance = await invitationInstance(tdb.db, inv?.id as number)
    expect(
      (instance.snapshot as { context: { inviteeUserId: number } }).context.inviteeUserId,
    ).toBe(leader.user?.id)
  })
})

describe('open challenges', () => {
  it('a volunteer is proposed for the item they volunteered for, even from outside the subtree', async () => {
    // Welder-certification skills: nobody else in this file has them.
    // Local takes one engagement only: the outsider (capacity 2) would be the obvious pick
    // for the other item, were it not outside their subtree.
    const local = await addExpert(tdb.db, world, {
      name: 'Volunteer Local',
      skills: [['welder', 3]],
      capacity: 1,
    })
    const outsider = await addExpert(tdb.db, world, {
      name: 'Volunteer Outsider',
      orgId: world.orgs.otherCity.id,
      skills: [['welder', 2]],
    })
    const list = await readyList(tdb.db, world, 'Challenge', [
      { title: 'Welder certification', headcount: 2, skills: ['welder'] },
      { title: 'More certification', headcount: 1, skills: ['welder'] },
    ])
    const [item, other] = list.itemIds as [number, number]
    const challenge = await tdb.db
      .insertInto('open_challenge')
      .values({ confirmed_item_id: item, needs_list_id: list.id, org_id: world.orgs.city.id })
      .returning('id')
      .executeTakeFirstOrThrow()
    await tdb.db
      .insertInto('challenge_volunteer')
      .values({ challenge_id: challenge.id, expert_id: outsider.expert.id })
      .execute()
    await runMatching(tdb.db, world.principals.steward, list.id)
    const live = await liveProposals(tdb.db, list.id)
    expect(live).toEqual(
      expect.arrayContaining([
        { itemId: item, key: outsider.key, status: 'proposed', source: 'volunteer' },
      ]),
    )
    expect(live.filter((p) => p.key === local.key)).toHaveLength(1)
    // Outside their subtree they are not proposed for the list's other items.
    expect(live.filter((p) => p.itemId === other).map((p) => p.key)).not.toContain(outsider.key)
    const row = (await proposalsOf(tdb.db, list.id)).find(
      (p) => p.expert_id === outsider.expert.id && p.status === 'proposed',
    )
    const factors = row?.factors as { factor: string }[]
    expect(factors.map((f) => f.factor)).toContain('volunteer')
  })
})

describe('batch matching across lists', () => {
  it('a capacity-1 expert wanted by two lists goes where the batch total is higher', async () => {
    // S fits SPC exactly and FMEA as a sibling; W only shares the quality domain with both.
    const s = await addExpert(tdb.db, world, { name: 'Batch S', skills: [['spc', 5]], capacity: 1 })
    const w = await addExpert(tdb.db, world, { name: 'Batch W', skills: [['iso', 3]], capacity: 1 })
    // List B comes first: matching it alone first would give it S.
    const b = await readyList(
      tdb.db,
      world,
      'Batch B',
      [{ title: 'FMEA', headcount: 1, skills: ['fmea'] }],
      { contact: world.principals.otherContact },
    )
    const a = await readyList(tdb.db, world, 'Batch A', [
      { title: 'SPC', headcount: 1, skills: ['spc'] },
    ])
    // Every list waiting in the coordinator's subtree is in the batch (other tests' too).
    const outcome = await runBatchMatching(tdb.db, world.principals.coordinator)
    expect(outcome.lists.map((l) => l.listId)).toEqual(expect.arrayContaining([a.id, b.id]))
    expect(await liveProposals(tdb.db, a.id)).toEqual([
      { itemId: a.itemIds[0], key: s.key, status: 'proposed', source: 'engine' },
    ])
    expect(await liveProposals(tdb.db, b.id)).toEqual([
      { itemId: b.itemIds[0], key: w.key, status: 'proposed', source: 'engine' },
    ])
    const [runA] = await runsOfList(tdb.db, a.id)
    const [runB] = await runsOfList(tdb.db, b.id)
    expect(runA?.stats).toMatchObject({ kind: 'batch', itemIds: a.itemIds })
    expect(runB?.stats).toMatchObject({ kind: 'batch', itemIds: b.itemIds })
    expect(outcome.totalScore).toBeCloseTo(
      outcome.lists.reduce((sum, l) => sum + l.totalScore, 0),
      3,
    )
    for (const id of [a.id, b.id]) {
      expect((await instanceOf(tdb.db, id)).state).toBe('matching')
      expect((await eventsOf(tdb.db, id)).at(-1)).toMatchObject({
        event_type: 'MATCH',
        actor_role: 'coordinator',
        actor_user_id: world.users.coordinator.id,
      })
    }
    // Alone, list B would have taken S: the batch gave up that pair for a higher total.
    const alone = await runMatching(tdb.db, world.principals.steward, b.id)
    expect(alone.proposals).toBe(1)
    expect((await liveProposals(tdb.db, b.id)).map((p) => p.key)).toEqual([s.key])

    // The coordinator of another city has none of these; stewards have no batch.
    const elsewhere = await runBatchMatching(tdb.db, world.principals.otherCoordinator)
    expect(elsewhere.lists.map((l) => l.listId)).not.toContain(a.id)
    await expect(runBatchMatching(tdb.db, world.principals.steward)).rejects.toBeInstanceOf(
      ForbiddenError,
    )
  })

  it('across orgs, an expert is only paired with the lists of the subtree their union manages', async () => {
    const far = await makeEnterprise(tdb.db, {
      orgId: world.orgs.otherCity.id,
      name: 'rl far works',
    })
    const farSteward = await makeUser(tdb.db, {
      email: 'rl-far-steward@zhuqi.test',
      name: 'rl far steward',
      password: TEST_PASSWORD,
      role: 'steward',
      orgId: world.orgs.otherCity.id,
    })
    await tdb.db
      .updateTable('enterprise')
      .set({ steward_user_id: farSteward.id })
      .where('id', '=', far.id)
      .execute()
    const farContact = await makeUser(tdb.db, {
      email: 'rl-far-contact@zhuqi.test',
      name: 'rl far contact',
      password: TEST_PASSWORD,
      role: 'enterprise_contact',
      orgId: world.orgs.otherCity.id,
      enterpriseId: far.id,
    })
    const here = await addExpert(tdb.db, world, { name: 'Scope Here', skills: [['kaizen', 5]] })
    const there = await addExpert(tdb.db, world, {
      name: 'Scope There',
      orgId: world.orgs.otherCity.id,
      skills: [['kaizen', 5]],
    })
    const near = await readyList(tdb.db, world, 'Scope near', [
      { title: 'Kaizen', headcount: 2, skills: ['kaizen'] },
    ])
    const away = await readyList(
      tdb.db,
      world,
      'Scope far',
      [{ title: 'Kaizen', headcount: 2, skills: ['kaizen'] }],
      {
        contact: await principalOf(tdb.db, farContact.id),
        coordinator: world.principals.otherCoordinator,
        steward: await principalOf(tdb.db, farSteward.id),
      },
    )
    const loaded = await loadMatchInput(tdb.db, {
      listIds: [near.id, away.id],
      weights: DEFAULT_WEIGHTS,
    })
    const nearItem = near.itemIds[0] as number
    const awayItem = away.itemIds[0] as number
    expect(loaded.input.constraints?.excluded).toEqual(
      expect.arrayContaining([
        { itemId: nearItem, key: there.key },
        { itemId: awayItem, key: here.key },
      ]),
    )
    expect(loaded.outOfScope).toBeGreaterThanOrEqual(2)
    const result = matchBatch(loaded.input)
    const pairs = result.assignments.map((x) => [x.itemId, x.key])
    expect(pairs).toEqual(
      expect.arrayContaining([
        [nearItem, here.key],
        [awayItem, there.key],
      ]),
    )
    expect(pairs).not.toContainEqual([nearItem, there.key])
    expect(pairs).not.toContainEqual([awayItem, here.key])
  })
})

describe('sending invitations', () => {
  it('invites every drafted proposal: invitation workflows, proposals invited, the case inviting', async () => {
    const e1 = await addExpert(tdb.db, world, {
      name: 'Invite One',
      skills: [['lockout', 5]],
      capacity: 5,
    })
    const list = await readyList(tdb.db, world, 'Invite', [
      { title: 'Lockout', headcount: 1, skills: ['lockout'] },
    ])
    await runMatching(tdb.db, world.principals.steward, list.id)
    const { version } = await instanceOf(tdb.db, list.id)
    const sent = await sendInvitations(tdb.db, world.principals.steward, list.id, version)
    expect(sent).toEqual({ invitations: 1, version: version + 1 })
    expect((await instanceOf(tdb.db, list.id)).state).toBe('inviting')
    const [inv] = await invitationsOf(tdb.db, list.id)
    expect(inv).toMatchObject({ expert_id: e1.expert.id, team_id: null, status: 'pending' })
    expect(inv?.due_at).toBeInstanceOf(Date)
    expect(await liveProposals(tdb.db, list.id)).toEqual([
      expect.objectContaining({ key: e1.key, status: 'invited' }),
    ])
    const instance = await invitationInstance(tdb.db, inv?.id as number)
    expect(instance.state).toBe('pending')
    expect(instance.snapshot).toMatchObject({
      context: { inviteeUserId: e1.user?.id, stewardId: world.users.steward.id },
    })
    const listOutbox = await outboxOf(tdb.db, list.id)
    expect(listOutbox.at(-1)?.payload).toMatchObject({
      kind: 'needsList.invitationsSent',
      audience: 'enterprise',
    })
    const received = await tdb.db
      .selectFrom('outbox')
      .select('payload')
      .where('queue', '=', 'notify')
      .execute()
    expect(
      received.some(
        (r) =>
          (r.payload as { kind?: string }).kind === 'invitation.received' &&
          (r.payload as { subjectId?: number }).subjectId === inv?.id &&
          JSON.stringify((r.payload as { userIds?: number[] }).userIds) ===
            JSON.stringify([e1.user?.id]),
      ),
    ).toBe(true)
    // Nothing left to invite.
    const again = await refused(sendInvitations(tdb.db, world.principals.steward, list.id))
    expect(again.details).toMatchObject({ messageKey: 'matching.errors.nothingToInvite' })
    // An invited candidate cannot be pinned or excluded for the item again.
    const pinAgain = await refused(
      excludeCandidate(tdb.db, world.principals.steward, list.id, {
        itemId: list.itemIds[0] as number,
        candidate: e1.key,
      }),
    )
    expect(pinAgain.details).toMatchObject({ messageKey: 'matching.errors.alreadyInvited' })
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeUser } from '#db/factories.ts'
import type { Principal } from '#workflows/access.ts'
import { answerInvitation } from '#workflows/commands/invitations.ts'
import {
  agreementView,
  cancelMeeting,
  confirmAgreement,
  confirmPairing,
  generateAgreement,
  pairingView,
  scheduleMeeting,
} from '#workflows/commands/pairing.ts'
import { runMatching, sendInvitations } from '#workflows/commands/resource-list.ts'
import { DomainError, ForbiddenError } from '#workflows/errors.ts'
import {
  addExpert,
  buildMatchingWorld,
  invitationsOf,
  type MatchingWorld,
  readyList,
  type SkillName,
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
  tdb = await createTestDatabase('pairing')
  world = await buildMatchingWorld(tdb.db, 'pr')
  await tdb.db
    .updateTable('enterprise')
    .set({ credit_code: '91350200MA2XYZ1234', address: '厦门市思明区软件园二期 1 号' })
    .where('id', '=', world.enterprise.id)
    .execute()
  const second = await makeUser(tdb.db, {
    email: 'pr-steward2@zhuqi.test',
    name: 'pr steward2',
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

const MEETING = {
  heldAt: '2026-03-10T14:30',
  place: '软件园工会会议室',
  attendees: [
    { name: '王企业', role: '企业负责人' },
    { name: '', role: '' },
  ],
  notes: '对接配电设备诊断需求',
}

async function meetingRows(listId: number) {
  return tdb.db
    .selectFrom('pairing_meeting')
    .selectAll()
    .where('needs_list_id', '=', listId)
    .execute()
}

/**
 * A case inviting three experts for two items (first skill × 2, second × 1);
 * each test takes skills of its own domains so earlier tests' experts stay out.
 */
async function inviting(label: string, [first, second]: [SkillName, SkillName]) {
  const a = await addExpert(tdb.db, world, {
    name: `${label} A`,
    skills: [[first, 5]],
    honours: [{ type: 'national_model_worker', level: 'national' }],
  })
  const b = await addExpert(tdb.db, world, { name: `${label} B`, skills: [[first, 4]] })
  const c = await addExpert(tdb.db, world, { name: `${label} C`, skills: [[second, 5]] })
  const list = await readyList(tdb.db, world, label, [
    { title: 'Boxes', headcount: 2, skills: [first] },
    { title: 'Harmonics', headcount: 1, skills: [second] },
  ])
  await runMatching(tdb.db, world.principals.steward, list.id)
  await sendInvitations(tdb.db, world.principals.steward, list.id)
  const invitations = await invitationsOf(tdb.db, list.id)
  const of = (e: { expert: { id: number } }) => {
    const inv = invitations.find((i) => i.expert_id === e.expert.id)
    if (!inv) throw new Error('not invited')
    return inv
  }
  return { list, a, b, c, inv: { a: of(a), b: of(b), c: of(c) } }
}

describe('the pairing meeting', () => {
  it('needs an acceptance; only the case steward schedules, updates and cancels it', async () => {
    const { list, a, inv } = await inviting('Meet', ['boxes', 'harmonics'])
    const steward = world.principals.steward
    const before = await footprint(tdb.db, list.id)
    const early = await refused(scheduleMeeting(tdb.db, steward, list.id, MEETING))
    expect(early.details).toMatchObject({ messageKey: 'matching.errors.noAcceptance' })
    expect(await footprint(tdb.db, list.id)).toEqual(before)
    expect(await meetingRows(list.id)).toEqual([])

    if (!a.principal) throw new Error('fixture')
    await answerInvitation(tdb.db, a.principal, inv.a.id, { accept: true })
    for (const principal of [
      world.principals.coordinator,
      world.principals.contact,
      otherSteward,
      a.principal,
    ]) {
      await expect(scheduleMeeting(tdb.db, principal, list.id, MEETING)).rejects.toBeInstanceOf(
        ForbiddenError,
      )
    }
    // Bad input: translated keys, nothing written.
    for (const [input, key] of [
      [{ ...MEETING, heldAt: '2026-02-31T10:00' }, 'matching.errors.heldAt'],
      [{ ...MEETING, place: ' ' }, 'matching.errors.place'],
      [{ ...MEETING, attendees: [{ name: '', role: 'x' }] }, 'matching.errors.attendees'],
    ] as const) {
      const err = await refused(scheduleMeeting(tdb.db, steward, list.id, input))
      expect(err.details).toMatchObject({ messageKey: key })
    }
    expect(await meetingRows(list.id)).toEqual([])

    const { version } = await instanceOf(tdb.db, list.id)
    const scheduled = await scheduleMeeting(tdb.db, steward, list.id, MEETING, version)
    expect(scheduled).toMatchObject({
      fromState: 'inviting',
      state: 'pairing',
      version: version + 1,
    })
    const [meeting] = await meetingRows(list.id)
    expect(meeting).toMatchObject({
      place: '软件园工会会议室',
      attendees: [{ name: '王企业', role: '企业负责人' }],
      notes: '对接配电设备诊断需求',
      recorded_by: world.users.steward.id,
    })
    // 14:30 in Beijing.
    expect(meeting?.held_at.toISOString()).toBe('2026-03-10T06:30:00.000Z')
    const event = (await eventsOf(tdb.db, list.id)).at(-1)
    expect(event).toMatchObject({ event_type: 'SCHEDULE_MEETING', to_state: 'pairing' })
    expect(event?.payload).toMatchObject({ meetingId: meeting?.id, accepted: 1 })
    expect((await outboxOf(tdb.db, list.id)).at(-1)?.payload).toMatchObject({
      kind: 'needsList.meetingScheduled',
      audience: 'enterprise',
    })

    // Updating dispatches again and keeps the one meeting row.
    await scheduleMeeting(tdb.db, steward, list.id, { ...MEETING, place: '企业三楼会议室' })
    const rows = await meetingRows(list.id)
    expect(rows.map((r) => [r.id, r.place])).toEqual([[meeting?.id, '企业三楼会议室']])
    expect(
      (await eventsOf(tdb.db, list.id)).filter((e) => e.event_type === 'SCHEDULE_MEETING'),
    ).toHaveLength(2)
    expect((await instanceOf(tdb.db, list.id)).state).toBe('pairing')

    // Cancelling needs a reason and returns to inviting.
    const noReason = await refused(cancelMeeting(tdb.db, steward, list.id, ' '))
    expect(noReason.details).toMatchObject({ messageKey: 'matching.errors.reasonRequired' })
    await expect(
      cancelMeeting(tdb.db, world.principals.contact, list.id, 'Busy'),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await cancelMeeting(tdb.db, steward, list.id, 'The enterprise asked to postpone')
    expect((await instanceOf(tdb.db, list.id)).state).toBe('inviting')
    expect(await meetingRows(list.id)).toEqual([])
    expect((await eventsOf(tdb.db, list.id)).at(-1)?.payload).toMatchObject({
      reason: 'The enterprise asked to postpone',
      meetingId: meeting?.id,
    })
  })
})

describe('pairing and the agreement', () => {
  it('the meeting pairs accepted experts per item; the case is paired with their sign-ins', async () => {
    const { list, a, b, c, inv } = await inviting('Pair', ['spc', 'kaizen'])
    const steward = world.principals.steward
    if (!a.principal || !b.principal || !c.principal) throw new Error('fixture')
    await answerInvitation(tdb.db, a.principal, inv.a.id, { accept: true })
    await answerInvitation(tdb.db, c.principal, inv.c.id, { accept: true })
    await scheduleMeeting(tdb.db, steward, list.id, MEETING)
    const [boxes, harmonics] = list.itemIds as [number, number]

    // b has not answered: not pairable; an item must be the list's; someone must be chosen.
    for (const [decisions, key] of [
      [[{ itemId: boxes, invitationIds: [inv.b.id] }], 'matching.errors.notAccepted'],
      [[{ itemId: harmonics, invitationIds: [inv.a.id] }], 'matching.errors.notAccepted'],
      [[{ itemId: 999_999, invitationIds: [inv.a.id] }], 'matching.errors.unknownItem'],
      [[{ itemId: boxes, invitationIds: [] }], 'matching.errors.noPairing'],
    ] as const) {
      const err = await refused(confirmPairing(tdb.db, steward, list.id, { decisions }))
      expect(err.details).toMatchObject({ messageKey: key })
    }
    await expect(
      confirmPairing(tdb.db, world.principals.coordinator, list.id, {
        decisions: [{ itemId: boxes, invitationIds: [inv.a.id] }],
      }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect((await instanceOf(tdb.db, list.id)).state).toBe('pairing')

    const done = await confirmPairing(tdb.db, steward, list.id, {
      decisions: [
        { itemId: boxes, invitationIds: [inv.a.id], decision: '每月到企业诊断一次' },
        { itemId: harmonics, invitationIds: [inv.c.id] },
      ],
    })
    expect(done).toMatchObject({ state: 'paired', pairings: 2 })
    const instance = await instanceOf(tdb.db, list.id)
    expect(instance.state).toBe('paired')
    expect(
      [
        ...(instance.snapshot as { context: { pairedUserIds: number[] } }).context.pairedUserIds,
      ].sort(),
    ).toEqual([a.user?.id, c.user?.id].sort())
    const pairings = await tdb.db
      .selectFrom('pairing')
      .selectAll()
      .where('needs_list_id', '=', list.id)
      .orderBy('id')
      .execute()
    expect(
      pairings.map((p) => [p.confirmed_item_id, p.expert_id, p.invitation_id, p.decision]),
    ).toEqual([
      [boxes, a.expert.id, inv.a.id, '每月到企业诊断一次'],
      [harmonics, c.expert.id, inv.c.id, null],
    ])
    const event = (await eventsOf(tdb.db, list.id)).at(-1)
    expect(event).toMatchObject({ event_type: 'CONFIRM_PAIRING', to_state: 'paired' })
    // b's open invitation is withdrawn; nobody is invited in their place.
    const invitations = await invitationsOf(tdb.db, list.id)
    expect(invitations.map((i) => [i.expert_id, i.status])).toEqual(
      expect.arrayContaining([
        [a.expert.id, 'accepted'],
        [b.expert.id, 'withdrawn'],
        [c.expert.id, 'accepted'],
      ]),
    )
    expect(invitations).toHaveLength(3)
    // Answers are over once the pairing is confirmed.
    const late = await refused(
      answerInvitation(tdb.db, a.principal, inv.a.id, { decline: true, reason: 'Changed my mind' }),
    )
    expect(late.code).toBe('transitionNotAllowed')
    const view = await pairingView(tdb.db, world.principals.contact, list.id)
    expect(view.items.map((i) => i.pairings.map((p) => p.name))).toEqual([['Pair A'], ['Pair C']])
    expect(view.can).toEqual({ schedule: false, cancel: false, confirm: false, generate: false })
  })

  it('the agreement is generated from the pairing and confirmed once by each party', async () => {
    const { list, a, b, inv } = await inviting('Agree', ['hazop', 'cad'])
    const steward = world.principals.steward
    if (!a.principal || !b.principal) throw new Error('fixture')
    await answerInvitation(tdb.db, a.principal, inv.a.id, { accept: true })
    await scheduleMeeting(tdb.db, steward, list.id, MEETING)
    // Not paired yet: no agreement.
    const early = await refused(generateAgreement(tdb.db, steward, list.id, {}))
    expect(early.code).toBe('transitionNotAllowed')
    await confirmPairing(tdb.db, steward, list.id, {
      decisions: [
        {
          itemId: list.itemIds[0] as number,
          invitationIds: [inv.a.id],
          decision: '先做一次全面诊断',
        },
      ],
    })

    const badTerm = await refused(
      generateAgreement(tdb.db, steward, list.id, {
        termStart: '2026-05-01',
        termEnd: '2026-04-01',
      }),
    )
    expect(badTerm.details).toMatchObject({ messageKey: 'matching.errors.termOrder' })
    await expect(
      generateAgreement(tdb.db, world.principals.contact, list.id, {}),
    ).rejects.toBeInstanceOf(ForbiddenError)

    const now = new Date('2026-03-12T02:00:00Z')
    const generated = await generateAgreement(tdb.db, steward, list.id, {}, undefined, { now })
    expect(generated.number).toMatch(/^ZQ-2026-\d{6}$/)
    expect(generated.number).toBe(`ZQ-2026-${String(generated.agreementId).padStart(6, '0')}`)
    const row = await tdb.db
      .selectFrom('agreement')
      .selectAll()
      .where('needs_list_id', '=', list.id)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      term_start: '2026-03-12',
      term_end: '2027-03-11',
      generated_by: world.users.steward.id,
    })
    expect(row.content).toMatchObject({
      parties: {
        enterprise: {
          name: world.enterprise.name,
          creditCode: '91350200MA2XYZ1234',
          contact: { name: world.users.contact.name },
        },
        union: { name: world.orgs.district.name },
        steward: { name: world.users.steward.name },
        experts: [
          {
            expertId: a.expert.id,
            userId: a.user?.id,
            name: 'Agree A',
            employer: 'Agree A Works',
            honours: [{ type: 'national_model_worker', level: 'national', year: null }],
          },
        ],
      },
      items: [{ title: 'Boxes', experts: ['Agree A'], decision: '先做一次全面诊断' }],
    })
    expect((await eventsOf(tdb.db, list.id)).at(-1)).toMatchObject({
      event_type: 'GENERATE_AGREEMENT',
      to_state: 'paired',
    })
    expect((await outboxOf(tdb.db, list.id)).slice(-2).map((o) => o.payload)).toEqual([
      expect.objectContaining({ kind: 'needsList.agreementReady', audience: 'enterprise' }),
      expect.objectContaining({
        kind: 'needsList.agreementReady',
        audience: 'users',
        userIds: [a.user?.id],
      }),
    ])

    // Strangers are refused: another enterprise's contact, another steward, an expert not paired.
    for (const principal of [world.principals.otherContact, otherSteward, b.principal]) {
      await expect(confirmAgreement(tdb.db, principal, list.id)).rejects.toBeInstanceOf(
        ForbiddenError,
      )
    }
    const contactConfirms = await confirmAgreement(
      tdb.db,
      world.principals.contact,
      list.id,
      undefined,
      { now },
    )
    expect(contactConfirms.party).toBe('enterprise')
    // The enterprise confirms once, whoever of its contacts tries again.
    const twice = await refused(confirmAgreement(tdb.db, world.principals.contact2, list.id))
    expect(twice.code).toBe('transitionNotAllowed')
    await confirmAgreement(tdb.db, a.principal, list.id)
    await confirmAgreement(tdb.db, steward, list.id)
    const again = await refused(confirmAgreement(tdb.db, a.principal, list.id))
    expect(again.code).toBe('transitionNotAllowed')
    const confirmations = await tdb.db
      .selectFrom('agreement_confirmation')
      .selectAll()
      .where('agreement_id', '=', generated.agreementId)
      .orderBy('id')
      .execute()
    expect(confirmations.map((c) => [c.party, c.user_id, c.expert_id])).toEqual([
      ['enterprise', world.users.contact.id, null],
      ['expert', a.user?.id, a.expert.id],
      ['steward', world.users.steward.id, null],
    ])
    const context = (
      (await instanceOf(tdb.db, list.id)).snapshot as {
        context: { agreementConfirmedBy: string[] }
      }
    ).context
    expect(context.agreementConfirmedBy).toEqual(['enterprise', `expert:${a.user?.id}`, 'steward'])
    const page = await agreementView(tdb.db, a.principal, list.id)
    expect(page.agreement?.number).toBe(generated.number)
    expect(page.confirmations.map((c) => c.party)).toEqual(['enterprise', 'expert', 'steward'])
    expect(page.can.confirm).toBe(false)
    await expect(agreementView(tdb.db, b.principal, list.id)).rejects.toBeInstanceOf(ForbiddenError)

    // Generating again keeps the number and asks everyone to confirm anew.
    const regenerated = await generateAgreement(tdb.db, steward, list.id, {
      termStart: '2026-04-01',
      termEnd: '2026-12-31',
    })
    expect(regenerated.number).toBe(generated.number)
    const after = await agreementView(tdb.db, world.principals.contact, list.id)
    expect(after.confirmations).toEqual([])
    expect(after.agreement).toMatchObject({ termStart: '2026-04-01', termEnd: '2026-12-31' })
    expect(after.can.confirm).toBe(true)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as agreementPage from '#app/routes/needs-lists.$id.agreement.tsx'
import * as pairingPage from '#app/routes/needs-lists.$id.pairing.tsx'
import { makeUser } from '#db/factories.ts'
import { answerInvitation } from '#workflows/commands/invitations.ts'
import { runMatching, sendInvitations } from '#workflows/commands/resource-list.ts'
import {
  addExpert,
  buildMatchingWorld,
  invitationsOf,
  type MatchingWorld,
  readyList,
} from '../helpers/matching-world.ts'
import {
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { footprint, instanceOf, TEST_PASSWORD } from '../helpers/world.ts'

let tdb: TestDatabase
let world: MatchingWorld
let ctx: TestContext
let paired: Awaited<ReturnType<typeof addExpert>>
let bystander: Awaited<ReturnType<typeof addExpert>>
let as: Record<
  'steward' | 'otherSteward' | 'contact' | 'otherContact' | 'coordinator' | 'expert' | 'bystander',
  Browser
>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_pairing')
  world = await buildMatchingWorld(tdb.db, 'rp')
  ctx = buildContext(tdb.db)
  ctx.setNow(new Date('2026-03-12T02:00:00Z'))
  const second = await makeUser(tdb.db, {
    email: 'rp-steward2@zhuqi.test',
    name: 'rp steward2',
    password: TEST_PASSWORD,
    role: 'steward',
    orgId: world.orgs.district.id,
  })
  paired = await addExpert(tdb.db, world, { name: '林工', skills: [['boxes', 5]] })
  bystander = await addExpert(tdb.db, world, { name: '郑工', skills: [['ppe', 5]] })
  as = {
    steward: await signIn(ctx, world.users.steward.id),
    otherSteward: await signIn(ctx, second.id),
    contact: await signIn(ctx, world.users.contact.id),
    otherContact: await signIn(ctx, world.users.otherContact.id),
    coordinator: await signIn(ctx, world.users.coordinator.id),
    expert: await signIn(ctx, paired.user?.id as number),
    bystander: await signIn(ctx, bystander.user?.id as number),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

const pairingPath = (id: number) => `/needs-lists/${id}/pairing`
const agreementPath = (id: number) => `/needs-lists/${id}/agreement`
const loadPairing = (b: Browser, id: number) =>
  call(pairingPage.loader, b.get(pairingPath(id)), ctx, { id: String(id) })
const postPairing = (b: Browser, id: number, fields: [string, string | number][]) =>
  call(pairingPage.action, b.post(pairingPath(id), fields), ctx, { id: String(id) })
const loadAgreement = (b: Browser, id: number) =>
  call(agreementPage.loader, b.get(agreementPath(id)), ctx, { id: String(id) })
const postAgreement = (b: Browser, id: number, fields: Record<string, string | number>) =>
  call(agreementPage.action, b.post(agreementPath(id), fields), ctx, { id: String(id) })

function formError(out: { data: unknown }) {
  const result = (out.data as { result?: { error?: Record<string, string[] | null> } }).result
  return result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
}

const meetingFields = (
  version: number,
  extra: [string, string][] = [],
): [string, string | number][] => [
  ['intent', 'schedule'],
  ['version', version],
  ['heldAt', '2026-03-16T09:30'],
  ['place', '园区工会会议室'],
  ['attendees[0].name', '企业负责人'],
  ['attendees[0].role', '企业'],
  ['attendees[1].name', ''],
  ['attendees[1].role', ''],
  ['notes', ''],
  ...extra,
]

describe('the pairing and agreement pages', () => {
  it('from the meeting to the confirmed agreement, with refusals and translated errors on the way', async () => {
    const list = await readyList(tdb.db, world, '配对流程', [
      { title: '配电箱诊断', headcount: 1, skills: ['boxes'] },
    ])
    await runMatching(tdb.db, world.principals.steward, list.id)
    await sendInvitations(tdb.db, world.principals.steward, list.id)
    const [inv] = await invitationsOf(tdb.db, list.id)
    if (!inv || !paired.principal) throw new Error('fixture')

    // Readers: outsiders get 403; before any acceptance the steward cannot schedule.
    for (const b of [as.otherContact, as.bystander]) {
      expect(await loadPairing(b, list.id)).toMatchObject({ status: 403, body: 'errors.forbidden' })
    }
    const early = await loadPairing(as.steward, list.id)
    expect(early.data).toMatchObject({ can: { schedule: false, confirm: false }, acceptedCount: 0 })
    let { version } = await instanceOf(tdb.db, list.id)
    const tooEarly = await postPairing(as.steward, list.id, meetingFields(version))
    expect(tooEarly.status).toBe(400)
    expect(formError(tooEarly)).toBe('matching.errors.noAcceptance')

    await answerInvitation(tdb.db, paired.principal, inv.id, { accept: true })
    const before = await footprint(tdb.db, list.id)
    // The enterprise and another steward cannot schedule; bad input is a translated 400.
    for (const b of [as.contact, as.otherSteward, as.coordinator]) {
      expect(await postPairing(b, list.id, meetingFields(version))).toMatchObject({
        status: 403,
        body: 'errors.forbidden',
      })
    }
    const noPlace = await postPairing(
      as.steward,
      list.id,
      meetingFields(version).map(
        ([k, v]) => [k, k === 'place' ? '' : v] as [string, string | number],
      ),
    )
    expect(noPlace.status).toBe(400)
    expect(formError(noPlace)).toBe('matching.errors.place')
    const badTime = await postPairing(
      as.steward,
      list.id,
      meetingFields(version).map(
        ([k, v]) => [k, k === 'heldAt' ? 'tomorrow' : v] as [string, string | number],
      ),
    )
    expect(formError(badTime)).toBe('matching.errors.heldAt')
    expect(await footprint(tdb.db, list.id)).toEqual(before)

    const scheduled = await postPairing(as.steward, list.id, meetingFields(version))
    expect(scheduled).toMatchObject({
      status: 302,
      location: `${pairingPath(list.id)}?done=scheduled`,
    })
    const page = await loadPairing(as.steward, list.id)
    expect(page.data).toMatchObject({
      list: { status: 'pairing' },
      meeting: {
        heldAtValue: '2026-03-16T09:30',
        place: '园区工会会议室',
        attendees: [{ name: '企业负责人', role: '企业' }],
      },
      can: { schedule: true, cancel: true, confirm: true, generate: false },
    })

    // Confirm the pairing through the form.
    ;({ version } = await instanceOf(tdb.db, list.id))
    const item = list.itemIds[0] as number
    const confirm = await postPairing(as.steward, list.id, [
      ['intent', 'confirm'],
      ['version', version],
      ['decisions[0].itemId', item],
      ['decisions[0].invitationIds', inv.id],
      ['decisions[0].decision', '三月底前完成首次诊断'],
    ])
    expect(confirm).toMatchObject({ status: 302, location: `${pairingPath(list.id)}?done=paired` })
    expect((await instanceOf(tdb.db, list.id)).state).toBe('paired')

    // Generating from the pairing page leads to the agreement; a reversed term is refused.
    ;({ version } = await instanceOf(tdb.db, list.id))
    const reversed = await postPairing(as.steward, list.id, [
      ['intent', 'generate'],
      ['version', version],
      ['termStart', '2026-06-01'],
      ['termEnd', '2026-05-01'],
    ])
    expect(reversed.status).toBe(400)
    expect(formError(reversed)).toBe('matching.errors.termOrder')
    const generated = await postPairing(as.steward, list.id, [
      ['intent', 'generate'],
      ['version', version],
      ['termStart', ''],
      ['termEnd', ''],
    ])
    expect(generated).toMatchObject({
      status: 302,
      location: `${agreementPath(list.id)}?done=generated`,
    })

    // The agreement: the paired expert and the enterprise read it; strangers do not.
    for (const b of [as.otherContact, as.bystander]) {
      expect(await loadAgreement(b, list.id)).toMatchObject({
        status: 403,
        body: 'errors.forbidden',
      })
    }
    const doc = await loadAgreement(as.expert, list.id)
    expect(doc.data).toMatchObject({
      agreement: {
        number: expect.stringMatching(/^ZQ-2026-\d{6}$/),
        termStart: '2026-03-12',
        termEnd: '2027-03-11',
        content: {
          items: [{ title: '配电箱诊断', experts: ['林工'], decision: '三月底前完成首次诊断' }],
        },
      },
      confirmations: [],
      can: { confirm: true, generate: false },
    })
    ;({ version } = await instanceOf(tdb.db, list.id))
    expect(
      await postAgreement(as.bystander, list.id, { intent: 'confirm', version }),
    ).toMatchObject({
      status: 403,
      body: 'errors.forbidden',
    })
    const byExpert = await postAgreement(as.expert, list.id, { intent: 'confirm', version })
    expect(byExpert).toMatchObject({
      status: 302,
      location: `${agreementPath(list.id)}?done=confirmed`,
    })
    // A stale version is a conflict; confirming twice is refused.
    const stale = await postAgreement(as.contact, list.id, { intent: 'confirm', version })
    expect(stale.status).toBe(409)
    ;({ version } = await instanceOf(tdb.db, list.id))
    const twice = await postAgreement(as.expert, list.id, { intent: 'confirm', version })
    expect(twice.status).toBe(409)
    expect(formError(twice)).toBe('errors.transitionNotAllowed')
    expect(await postAgreement(as.contact, list.id, { intent: 'confirm', version })).toMatchObject({
      status: 302,
    })
    ;({ version } = await instanceOf(tdb.db, list.id))
    expect(await postAgreement(as.steward, list.id, { intent: 'confirm', version })).toMatchObject({
      status: 302,
    })
    const done = await loadAgreement(as.contact, list.id)
    expect(
      (done.data as { confirmations: { party: string; userName: string }[] }).confirmations.map(
        (c) => [c.party, c.userName],
      ),
    ).toEqual([
      ['expert', '林工'],
      ['enterprise', world.users.contact.name],
      ['steward', world.users.steward.name],
    ])
    expect((done.data as { can: { confirm: boolean } }).can.confirm).toBe(false)
  })
})

import type { Principal } from '#workflows/access.ts'
import { approveRevision, filedItems, proposeRevision } from '#workflows/commands/confirmation.ts'
import { answerInvitation } from '#workflows/commands/invitations.ts'
import {
  createNeedsList,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import {
  confirmAgreement,
  confirmPairing,
  generateAgreement,
  scheduleMeeting,
} from '#workflows/commands/pairing.ts'
import { pinCandidate, sendInvitations } from '#workflows/commands/resource-list.ts'
import { initialDraft } from '#workflows/confirmation.ts'
import type { NeedsListInput } from '#workflows/needs-list.schema.ts'
import type { Db } from './client.server.ts'
import { membershipsOf } from './queries/users.ts'

export const READY_CASE_TITLE = '配电系统谐波治理与安全培训需求'
export const PAIRED_CASE_TITLE = '配电房设备健康诊断需求'

interface DemoPeople {
  enterprise: string
  steward: string
  coordinator: string
}

/**
 * One demo case approved by the enterprise and waiting for matching, for the
 * demo steward 陈志远 (海湾新能源's dedicated steward): the start of the
 * resource list, invitations and pairing. Windows are relative to today so the
 * pool's availability means something whenever the demo runs.
 */
export async function seedReadyForMatching(
  db: Db,
  emails: DemoPeople,
  today = new Date(),
): Promise<number> {
  const skills = await demoSkillIds(db)
  const day = dayFrom(today)
  return approvedCase(db, emails, {
    title: READY_CASE_TITLE,
    items: [
      {
        category: 'equipment_diagnosis',
        title: '配电系统谐波检测与治理',
        description: '变频设备增多后配电系统谐波超标，电容柜频繁跳闸，需检测并提出治理方案',
        urgency: 'high',
        headcount: 1,
        skillIds: skills('power.power-quality.harmonic-analysis', 'power.power-quality.monitoring'),
        windowStart: day(7),
        windowEnd: day(28),
        mode: 'onsite',
        place: '鹭江高新技术产业园 3 号厂房配电房',
        expectedOutcome: '总谐波畸变率降至 5% 以下，电容柜不再跳闸',
      },
      {
        category: 'skills_training',
        title: '电工持证上岗培训',
        description: '为 12 名新进电工开展低压电工作业证培训与实操指导',
        urgency: 'normal',
        headcount: 1,
        skillIds: skills('training.certification.electrician', 'training.courses.hands-on'),
        windowStart: day(14),
        windowEnd: day(45),
        mode: 'onsite',
        place: '公司培训中心',
        expectedOutcome: '12 名电工取得低压电工作业证',
      },
      {
        category: 'safety',
        title: '车间电气安全隐患排查',
        description: '对机加工车间和钣金车间开展电气安全隐患排查',
        urgency: 'normal',
        headcount: 2,
        skillIds: skills(
          'safety.electrical.electrical-inspection',
          'safety.hazards.hazard-identification',
        ),
        windowStart: day(10),
        windowEnd: day(31),
        mode: 'onsite',
        place: '鹭江高新技术产业园 1、2 号车间',
        expectedOutcome: '形成隐患清单和整改建议，重大隐患清零',
      },
    ],
  })
}

/**
 * One demo case already paired with 王建国 (agreement confirmed by all three
 * parties), ready for the on-site inspection: the start of visits, the report,
 * outcomes, the rating and the archive.
 */
export async function seedPairedCase(
  db: Db,
  emails: DemoPeople & { expert: string },
  today = new Date(),
): Promise<number> {
  const skills = await demoSkillIds(db)
  const day = dayFrom(today)
  const id = await approvedCase(db, emails, {
    title: PAIRED_CASE_TITLE,
    items: [
      {
        category: 'equipment_diagnosis',
        title: '配电箱与漏电保护器健康诊断',
        description: '3 号厂房配电房配电箱发热、漏电保护器偶发误动作，需全面诊断',
        urgency: 'high',
        headcount: 1,
        skillIds: skills(
          'power.equipment.distribution-box-diagnosis',
          'power.equipment.leakage-protector-testing',
        ),
        windowStart: day(3),
        windowEnd: day(24),
        mode: 'onsite',
        place: '鹭江高新技术产业园 3 号厂房配电房',
        expectedOutcome: '出具配电设备健康诊断报告，消除发热和误动作隐患',
      },
    ],
  })
  const [steward, expert, contact] = await Promise.all([
    principalByEmail(db, emails.steward),
    principalByEmail(db, emails.expert),
    principalByEmail(db, emails.enterprise),
  ])
  const expertRow = await db
    .selectFrom('expert')
    .select('id')
    .where('user_id', '=', expert.userId)
    .executeTakeFirstOrThrow()
  const item = await db
    .selectFrom('confirmed_item')
    .select('id')
    .where('needs_list_id', '=', id)
    .executeTakeFirstOrThrow()
  // The steward pins the demo expert (the pin takes the item's one slot), so the pairing is always him.
  await pinCandidate(db, steward, id, { itemId: item.id, candidate: `expert:${expertRow.id}` })
  await sendInvitations(db, steward, id)
  const invitation = await db
    .selectFrom('invitation')
    .select('id')
    .where('needs_list_id', '=', id)
    .where('expert_id', '=', expertRow.id)
    .executeTakeFirstOrThrow()
  await answerInvitation(db, expert, invitation.id, { accept: true })
  await scheduleMeeting(db, steward, id, {
    heldAt: `${day(1)}T09:30`,
    place: '鹭江高新技术产业园区工会会议室',
    attendees: [
      { name: '吴振华', role: '企业联系人' },
      { name: '王建国', role: '劳模工匠' },
      { name: '陈志远', role: '专属管家' },
    ],
  })
  await confirmPairing(db, steward, id, {
    decisions: [
      { itemId: item.id, invitationIds: [invitation.id], decision: '一周内完成现场勘查' },
    ],
  })
  await generateAgreement(db, steward, id, {})
  for (const party of [contact, steward, expert]) await confirmAgreement(db, party, id)
  return id
}

const dayFrom = (today: Date) => (n: number) =>
  new Date(today.getTime() + n * 86_400_000).toISOString().slice(0, 10)

/**
 * A needs list of the demo enterprise taken through intake and confirmation to
 * ready_for_matching by its dedicated steward. 海湾新能源 has one (陈志远); 鹭江智造
 * deliberately has none, so its lists show the steward assignment.
 */
async function approvedCase(
  db: Db,
  emails: DemoPeople,
  input: { title: string; items: NeedsListInput['items'] },
): Promise<number> {
  const [contact, stewardUser, coordinator] = await Promise.all([
    principalByEmail(db, emails.enterprise),
    principalByEmail(db, emails.steward),
    principalByEmail(db, emails.coordinator),
  ])
  const enterpriseId = contact.memberships.find(
    (m) => m.role === 'enterprise_contact',
  )?.enterpriseId
  if (!enterpriseId) throw new Error('demo seed: the enterprise contact has no enterprise')
  await db
    .updateTable('enterprise')
    .set({ steward_user_id: stewardUser.userId })
    .where('id', '=', enterpriseId)
    .where('steward_user_id', 'is', null)
    .execute()
  const id = await createNeedsList(db, contact, input)
  await submitNeedsList(db, contact, id, undefined)
  // The enterprise has a dedicated steward, so accepting sends the case straight to them.
  await triageNeedsList(db, coordinator, id, { type: 'ACCEPT' }, undefined)
  const steward = await principalOf(db, (await currentSteward(db, id)) ?? stewardUser.userId)
  const proposed = await proposeRevision(
    db,
    steward,
    id,
    undefined,
    initialDraft(await filedItems(db, id)),
  )
  await approveRevision(db, contact, id, proposed.revision, undefined)
  return id
}

async function principalByEmail(db: Db, email: string): Promise<Principal> {
  const user = await db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return principalOf(db, user.id)
}

async function currentSteward(db: Db, id: number) {
  const row = await db
    .selectFrom('needs_list')
    .select('steward_user_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return row.steward_user_id
}

/** Skill ids by code for the demo items; a code missing from the taxonomy is a bug here. */
export async function demoSkillIds(db: Db) {
  const rows = await db.selectFrom('skill').select(['id', 'code']).execute()
  const ids = new Map(rows.map((r) => [r.code, r.id]))
  return (...codes: string[]) =>
    codes.map((code) => {
      const id = ids.get(code)
      if (id === undefined) throw new Error(`demo seed: no skill ${code}`)
      return id
    })
}

export async function principalOf(db: Db, userId: number): Promise<Principal> {
  return { userId, memberships: await membershipsOf(db, userId) }
}

import type { Principal } from '#workflows/access.ts'
import { approveRevision, filedItems, proposeRevision } from '#workflows/commands/confirmation.ts'
import {
  createNeedsList,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import { initialDraft } from '#workflows/confirmation.ts'
import type { Db } from './client.server.ts'
import { membershipsOf } from './queries/users.ts'

export const READY_CASE_TITLE = '配电系统谐波治理与安全培训需求'

/**
 * One demo case approved by the enterprise and waiting for matching, for the
 * demo steward 陈志远 (鹭江智造's dedicated steward): the start of the resource
 * list, invitations and pairing. Windows are relative to today so the pool's
 * availability means something whenever the demo runs.
 */
export async function seedReadyForMatching(
  db: Db,
  emails: { enterprise: string; steward: string; coordinator: string },
  today = new Date(),
): Promise<number> {
  const user = (email: string) =>
    db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirstOrThrow()
  const [contactUser, stewardUser, coordinatorUser] = await Promise.all([
    user(emails.enterprise),
    user(emails.steward),
    user(emails.coordinator),
  ])
  const contact = await principalOf(db, contactUser.id)
  const enterpriseId = contact.memberships.find(
    (m) => m.role === 'enterprise_contact',
  )?.enterpriseId
  if (!enterpriseId) throw new Error('demo seed: the enterprise contact has no enterprise')
  const enterprise = await db
    .selectFrom('enterprise')
    .select('steward_user_id')
    .where('id', '=', enterpriseId)
    .executeTakeFirstOrThrow()
  if (enterprise.steward_user_id === null) {
    await db
      .updateTable('enterprise')
      .set({ steward_user_id: stewardUser.id })
      .where('id', '=', enterpriseId)
      .execute()
  }

  const skills = await skillIds(db)
  const day = (n: number) => new Date(today.getTime() + n * 86_400_000).toISOString().slice(0, 10)
  const id = await createNeedsList(db, contact, {
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
  await submitNeedsList(db, contact, id, undefined)
  // The enterprise has a dedicated steward, so accepting sends the case straight to them.
  await triageNeedsList(
    db,
    await principalOf(db, coordinatorUser.id),
    id,
    { type: 'ACCEPT' },
    undefined,
  )
  const steward = await principalOf(db, (await currentSteward(db, id)) ?? stewardUser.id)
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

async function currentSteward(db: Db, id: number) {
  const row = await db
    .selectFrom('needs_list')
    .select('steward_user_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return row.steward_user_id
}

async function skillIds(db: Db) {
  const rows = await db.selectFrom('skill').select(['id', 'code']).execute()
  const ids = new Map(rows.map((r) => [r.code, r.id]))
  return (...codes: string[]) =>
    codes.map((code) => {
      const id = ids.get(code)
      if (id === undefined) throw new Error(`demo seed: no skill ${code}`)
      return id
    })
}

async function principalOf(db: Db, userId: number): Promise<Principal> {
  return { userId, memberships: await membershipsOf(db, userId) }
}

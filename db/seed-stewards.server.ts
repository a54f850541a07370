import { membershipFor, type Principal } from '#workflows/access.ts'
import { triageNeedsList } from '#workflows/commands/needs-lists.ts'
import { assignSteward } from '#workflows/commands/stewards.ts'
import type { Db } from './client.server.ts'
import { makeUser } from './factories.ts'
import { upsertStewardProfile } from './queries/stewards.ts'
import { membershipsOf } from './queries/users.ts'

/** Invented demo stewards beyond the original one (password as every demo user). */
export const DEMO_STEWARDS = {
  industry: 'guanjia2@demo.zhuqi.test',
  district: 'guanjia3@demo.zhuqi.test',
} as const

async function orgId(db: Db, name: string): Promise<number> {
  const row = await db
    .selectFrom('union_org')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
  return row.id
}

async function userId(db: Db, email: string): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.id
}

async function principalOf(db: Db, id: number): Promise<Principal> {
  return { userId: id, memberships: await membershipsOf(db, id) }
}

/**
 * Steward profiles for the demo: the park's steward 陈志远, a second steward
 * at the industry-union federation (above the park, so the park's desk sees a
 * choice) and a third at the district union (a sibling branch, which only the
 * city federation's desk can call on). The energy company's submitted list is
 * accepted and handed to 陈志远, so his workspace has a case waiting on him;
 * 鹭江智造 keeps no steward, so accepting its lists shows the ranked choice.
 */
export async function seedStewards(db: Db, password: string): Promise<void> {
  const park = await orgId(db, '鹭江高新技术产业园区工会')
  const industry = await orgId(db, '鹭江市机电冶金产业工会联合会')
  const district = await orgId(db, '鹭江市海湾区总工会')

  const chen = await userId(db, 'guanjia@demo.zhuqi.test')
  await upsertStewardProfile(db, {
    userId: chen,
    orgId: park,
    capacity: 8,
    districts: ['海湾区'],
    parks: ['鹭江高新技术产业园'],
    industries: ['C'],
    active: true,
  })
  const li = await makeUser(db, {
    email: DEMO_STEWARDS.industry,
    name: '李雅琴',
    password,
    role: 'steward',
    orgId: industry,
  })
  await upsertStewardProfile(db, {
    userId: li.id,
    orgId: industry,
    capacity: 12,
    districts: ['海湾区', '翔云区'],
    parks: [],
    industries: ['C', 'D'],
    active: true,
  })
  const guo = await makeUser(db, {
    email: DEMO_STEWARDS.district,
    name: '郭明辉',
    password,
    role: 'steward',
    orgId: district,
  })
  await upsertStewardProfile(db, {
    userId: guo.id,
    orgId: district,
    capacity: 6,
    districts: ['海湾区'],
    parks: [],
    industries: ['D', 'E'],
    active: true,
  })

  // The park coordinator takes in the energy company's list and assigns 陈志远.
  const coordinator = await principalOf(db, await userId(db, 'xietiao@demo.zhuqi.test'))
  const list = await db
    .selectFrom('needs_list as l')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .select(['l.id', 'l.enterprise_id', 'l.org_id'])
    .where('e.name', '=', '海湾新能源科技有限公司')
    .where('l.status', '=', 'submitted')
    .orderBy('l.id')
    .executeTakeFirst()
  if (!list) return
  const org = await db
    .selectFrom('union_org')
    .select('path')
    .where('id', '=', list.org_id)
    .executeTakeFirstOrThrow()
  if (!membershipFor(coordinator, { orgPath: org.path, enterpriseId: null }, ['coordinator'])) {
    return
  }
  await triageNeedsList(db, coordinator, list.id, { type: 'ACCEPT' }, undefined)
  await assignSteward(db, coordinator, {
    enterpriseId: list.enterprise_id,
    stewardId: chen,
    reason: '园区专职管家，熟悉新能源企业',
  })
}

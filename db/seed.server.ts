import type { Principal } from '#workflows/access.ts'
import { createNeedsList, submitNeedsList } from '#workflows/commands/needs-lists.ts'
import type { Db } from './client.server.ts'
import { makeEnterprise, makeOrg, makeUser } from './factories.ts'
import { membershipsOf } from './queries/users.ts'

/** Every demo user signs in with this password (documented in the README). */
export const DEMO_PASSWORD = 'zhuqi2026'

export const DEMO_USERS = {
  enterprise: 'qiye@demo.zhuqi.test',
  enterprise2: 'qiye2@demo.zhuqi.test',
  steward: 'guanjia@demo.zhuqi.test',
  expert: 'zhuanjia@demo.zhuqi.test',
  coordinator: 'xietiao@demo.zhuqi.test',
  cityCoordinator: 'shizonggonghui@demo.zhuqi.test',
  admin: 'admin@demo.zhuqi.test',
} as const

export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('union_org').select('id').limit(1).executeTakeFirst()
  return row === undefined
}

/**
 * Invented demo data: a city federation, an industry-union federation under it,
 * a park union under that, enterprises in the park and one user per role.
 */
export async function seedDemo(db: Db): Promise<void> {
  const ids = await db.transaction().execute(async (trx) => {
    const city = await makeOrg(trx, '鹭江市总工会', 'city_federation')
    const industry = await makeOrg(
      trx,
      '鹭江市机电冶金产业工会联合会',
      'industry_federation',
      city.id,
    )
    const district = await makeOrg(trx, '鹭江市海湾区总工会', 'district_union', city.id)
    const park = await makeOrg(trx, '鹭江高新技术产业园区工会', 'park_union', industry.id)

    const precision = await makeEnterprise(trx, {
      orgId: park.id,
      name: '鹭江智造精密机械有限公司',
      creditCode: '91350200MA2Y4Q8K3A',
      district: '海湾区',
      park: '鹭江高新技术产业园',
    })
    const energy = await makeEnterprise(trx, {
      orgId: park.id,
      name: '海湾新能源科技有限公司',
      creditCode: '91350211MA8T5LXW2B',
      district: '海湾区',
      park: '鹭江高新技术产业园',
    })
    await makeEnterprise(trx, {
      orgId: district.id,
      name: '鹭岛电气设备有限公司',
      creditCode: '91350205MA33R7NE6E',
      district: '海湾区',
    })

    const password = DEMO_PASSWORD
    const enterpriseUser = await makeUser(trx, {
      email: DEMO_USERS.enterprise,
      name: '林晓梅',
      password,
      role: 'enterprise_contact',
      orgId: park.id,
      enterpriseId: precision.id,
    })
    const enterprise2User = await makeUser(trx, {
      email: DEMO_USERS.enterprise2,
      name: '吴振华',
      password,
      role: 'enterprise_contact',
      orgId: park.id,
      enterpriseId: energy.id,
    })
    await makeUser(trx, {
      email: DEMO_USERS.steward,
      name: '陈志远',
      password,
      role: 'steward',
      orgId: park.id,
    })
    await makeUser(trx, {
      email: DEMO_USERS.expert,
      name: '王建国',
      password,
      role: 'expert',
      orgId: industry.id,
    })
    await makeUser(trx, {
      email: DEMO_USERS.coordinator,
      name: '黄丽娟',
      password,
      role: 'coordinator',
      orgId: park.id,
    })
    await makeUser(trx, {
      email: DEMO_USERS.cityCoordinator,
      name: '周文斌',
      password,
      role: 'coordinator',
      orgId: city.id,
    })
    await makeUser(trx, {
      email: DEMO_USERS.admin,
      name: '郑海峰',
      password,
      role: 'federation_admin',
      orgId: city.id,
    })
    return { enterpriseUser: enterpriseUser.id, enterprise2User: enterprise2User.id }
  })

  // A few lists through the real commands, so they have workflows and history.
  const contact = await principalOf(db, ids.enterpriseUser)
  const submitted = await createNeedsList(db, contact, {
    title: '2026年第四季度设备与工艺需求',
    items: [
      {
        category: 'equipment_diagnosis',
        description: '配电箱、漏电保护器及供电线路健康诊断',
        urgency: 'high',
        headcount: 2,
      },
      {
        category: 'process_improvement',
        description: '数控钣金折弯工艺改进，降低返工率',
        urgency: 'normal',
        headcount: 1,
      },
    ],
  })
  await submitNeedsList(db, contact, submitted, undefined)
  await createNeedsList(db, contact, {
    title: '焊工技能培训需求（草稿）',
    items: [
      {
        category: 'skills_training',
        description: '为20名焊工开展技能提升培训',
        urgency: 'normal',
        headcount: 1,
      },
    ],
  })
  const contact2 = await principalOf(db, ids.enterprise2User)
  const energyList = await createNeedsList(db, contact2, {
    title: '光伏屋顶建设咨询',
    items: [
      {
        category: 'new_energy',
        description: '厂房屋顶分布式光伏建设咨询与并网方案评估',
        urgency: 'normal',
        headcount: 1,
      },
    ],
  })
  await submitNeedsList(db, contact2, energyList, undefined)
}

async function principalOf(db: Db, userId: number): Promise<Principal> {
  const memberships = await membershipsOf(db, userId)
  return { userId, memberships }
}

import {
  createNeedsList,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import type { Db } from './client.server.ts'
import { makeEnterprise, makeOrg, makeUser } from './factories.ts'
import { setUserMobile } from './queries/enterprises.ts'
import { syncReferenceData } from './reference/sync.server.ts'
import { DASHBOARD_DEMO_USERS, seedDashboard } from './seed-dashboard.server.ts'
import {
  demoSkillIds,
  principalOf,
  seedPairedCase,
  seedReadyForMatching,
} from './seed-matching.server.ts'
import { seedStewards } from './seed-stewards.server.ts'
import { seedTalent } from './seed-talent.server.ts'

/** Every demo user signs in with this password (documented in the README). */
export const DEMO_PASSWORD = 'zhuqi2026'

export const DEMO_USERS = {
  enterprise: 'qiye@demo.zhuqi.test',
  enterprise2: 'qiye2@demo.zhuqi.test',
  steward: 'guanjia@demo.zhuqi.test',
  expert: 'zhuanjia@demo.zhuqi.test',
  expert2: 'zhuanjia2@demo.zhuqi.test',
  expert3: 'zhuanjia3@demo.zhuqi.test',
  coordinator: 'xietiao@demo.zhuqi.test',
  cityCoordinator: 'shizonggonghui@demo.zhuqi.test',
  admin: 'admin@demo.zhuqi.test',
  parkAdmin: DASHBOARD_DEMO_USERS.parkAdmin,
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
  await syncReferenceData(db)
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
      industry: 'C',
      size: 'small',
      tags: ['innovative_sme', 'srdi_provincial'],
      address: '鹭江市海湾区创新路 88 号',
    })
    const energy = await makeEnterprise(trx, {
      orgId: park.id,
      name: '海湾新能源科技有限公司',
      creditCode: '91350211MA8T5LXW2B',
      district: '海湾区',
      park: '鹭江高新技术产业园',
      industry: 'D',
      size: 'medium',
      tags: ['little_giant'],
      address: '鹭江市海湾区光伏大道 16 号',
    })
    await makeEnterprise(trx, {
      orgId: district.id,
      name: '鹭岛电气设备有限公司',
      creditCode: '91350205MA33R7NE6E',
      district: '海湾区',
      industry: 'C',
      size: 'micro',
      tags: [],
      address: '鹭江市海湾区港湾路 3 号',
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
    // Invented mobile numbers for the demo contacts (shown masked to union users).
    await setUserMobile(trx, enterpriseUser.id, '13859201001')
    await setUserMobile(trx, enterprise2User.id, '13959202002')
    return { enterpriseUser: enterpriseUser.id, enterprise2User: enterprise2User.id }
  })

  // A few lists through the real commands, so they have workflows and history.
  const skills = await demoSkillIds(db)
  const contact = await principalOf(db, ids.enterpriseUser)
  const submitted = await createNeedsList(db, contact, {
    title: '2026年第四季度设备与工艺需求',
    items: [
      {
        category: 'equipment_diagnosis',
        title: '配电设备健康诊断',
        description: '配电箱、漏电保护器及供电线路健康诊断',
        urgency: 'high',
        headcount: 2,
        skillIds: skills(
          'power.equipment.distribution-box-diagnosis',
          'power.equipment.leakage-protector-testing',
          'power.distribution.supply-line-inspection',
          'power.equipment.infrared-thermography',
        ),
        windowStart: '2026-12-07',
        windowEnd: '2026-12-18',
        mode: 'onsite',
        place: '鹭江高新技术产业园 3 号厂房配电房',
        expectedOutcome: '出具配电设备健康诊断报告，列明隐患及整改建议',
      },
      {
        category: 'process_improvement',
        title: '钣金折弯工艺改进',
        description: '数控钣金折弯工艺改进，降低返工率',
        urgency: 'normal',
        headcount: 1,
        skillIds: skills('machining.sheet-metal.press-brake', 'machining.sheet-metal.unfolding'),
        windowStart: '2026-12-14',
        windowEnd: '2027-01-15',
        mode: 'either',
        place: '鹭江高新技术产业园 1 号钣金车间',
        expectedOutcome: '折弯返工率由 6% 降至 2% 以下',
      },
    ],
  })
  await submitNeedsList(db, contact, submitted, undefined)
  await createNeedsList(db, contact, {
    title: '焊工技能培训需求（草稿）',
    items: [
      {
        category: 'skills_training',
        title: '焊工技能提升培训',
        description: '为20名焊工开展技能提升培训',
        urgency: 'normal',
        headcount: 1,
        skillIds: skills(
          'welding.arc.gmaw',
          'welding.quality.defect-analysis',
          'training.courses.hands-on',
        ),
        windowStart: '2027-01-04',
        windowEnd: '2027-01-29',
        mode: 'onsite',
        place: '公司培训中心',
        expectedOutcome: '20 名焊工完成培训，合格率不低于 90%',
      },
    ],
  })
  const contact2 = await principalOf(db, ids.enterprise2User)
  const energyList = await createNeedsList(db, contact2, {
    title: '光伏屋顶建设咨询',
    items: [
      {
        category: 'new_energy',
        title: '屋顶分布式光伏咨询',
        description: '厂房屋顶分布式光伏建设咨询与并网方案评估',
        urgency: 'normal',
        headcount: 1,
        skillIds: skills('energy.pv.rooftop-pv-design', 'energy.pv.grid-connection'),
        windowStart: '2026-12-01',
        windowEnd: '2026-12-31',
        mode: 'remote',
        expectedOutcome: '形成屋顶光伏建设与并网方案评估意见',
      },
    ],
  })
  await submitNeedsList(db, contact2, energyList, undefined)
  await seedStewards(db, DEMO_PASSWORD)
  await seedConfirmation(db)
  await seedTalent(db, DEMO_PASSWORD, DEMO_USERS)
  const people = {
    enterprise: DEMO_USERS.enterprise2,
    steward: DEMO_USERS.steward,
    coordinator: DEMO_USERS.coordinator,
    expert: DEMO_USERS.expert,
  }
  await seedReadyForMatching(db, people)
  await seedPairedCase(db, people)
  // A year of history for the dashboards, after the cases above (their ids stay as they were).
  await seedDashboard(db, DEMO_PASSWORD)
}

// --- Needs confirmation (需求确认) -------------------------------------------

/**
 * One demo case must wait in confirming for the demo steward 陈志远. The
 * steward seeding above normally hands him the energy company's list; if no
 * case is in confirming, 鹭江智造 gets him as its dedicated steward and the
 * park coordinator accepts its submitted list, which goes straight to him.
 */
async function seedConfirmation(db: Db): Promise<void> {
  const waiting = await db
    .selectFrom('needs_list')
    .select('id')
    .where('status', '=', 'confirming')
    .where('steward_user_id', 'is not', null)
    .executeTakeFirst()
  if (waiting) return
  const steward = await db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', DEMO_USERS.steward)
    .executeTakeFirstOrThrow()
  const enterprise = await db
    .selectFrom('enterprise')
    .select(['id', 'steward_user_id'])
    .where('name', '=', '鹭江智造精密机械有限公司')
    .executeTakeFirstOrThrow()
  if (enterprise.steward_user_id === null) {
    await db
      .updateTable('enterprise')
      .set({ steward_user_id: steward.id })
      .where('id', '=', enterprise.id)
      .execute()
  }
  const list = await db
    .selectFrom('needs_list')
    .select('id')
    .where('enterprise_id', '=', enterprise.id)
    .where('status', '=', 'submitted')
    .orderBy('id')
    .executeTakeFirst()
  if (!list) return
  const coordinator = await db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', DEMO_USERS.coordinator)
    .executeTakeFirstOrThrow()
  await triageNeedsList(
    db,
    await principalOf(db, coordinator.id),
    list.id,
    { type: 'ACCEPT' },
    undefined,
  )
}

import { processTimeoutJob } from '#jobs/timeout.job.ts'
import type { Principal } from '#workflows/access.ts'
import { approveRevision, filedItems, proposeRevision } from '#workflows/commands/confirmation.ts'
import { saveTargets } from '#workflows/commands/dashboard.ts'
import { answerInvitation } from '#workflows/commands/invitations.ts'
import {
  createNeedsList,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import { checkIn } from '#workflows/commands/onsite.ts'
import { recordOutcome, requestFeedback } from '#workflows/commands/outcomes.ts'
import {
  confirmAgreement,
  confirmPairing,
  generateAgreement,
  scheduleMeeting,
} from '#workflows/commands/pairing.ts'
import { rateService } from '#workflows/commands/rating.ts'
import { confirmReport, submitReport } from '#workflows/commands/reports.ts'
import { pinCandidate, sendInvitations } from '#workflows/commands/resource-list.ts'
import { confirmVisit, scheduleVisit } from '#workflows/commands/visits.ts'
import { initialDraft } from '#workflows/confirmation.ts'
import type { TargetMetric } from '#workflows/dashboard/metrics.ts'
import type { TimeoutJob } from '#workflows/effects.ts'
import type { NeedsListInput } from '#workflows/needs-list.schema.ts'
import type { OutcomeResult } from '#workflows/outcomes/aggregate.ts'
import { beijingLocalValue } from '#workflows/resource-list/schema.ts'
import type { Db, DbOrTrx } from './client.server.ts'
import { makeEnterprise, makeUser } from './factories.ts'
import { findTemplateByCode } from './queries/checklist-templates.ts'
import { rebuildDashboard } from './queries/dashboard/refresh.ts'
import { demoSkillIds, principalOf } from './seed-matching.server.ts'

/**
 * A year of programme history for the demo city (2026), so the federation
 * dashboards, lists and the periodic report have real figures: invented
 * enterprises under the park union, the industry-union federation and the
 * district union, each with cases taken through the real commands at past
 * moments (explicit `now`), most of them rated, closed and archived, a few
 * still open (two of them overdue). Deadline timers that fall due between two
 * steps are delivered through the real timeout handler at their due time, so
 * met and missed deadlines are genuine. Yearly targets and a park federation
 * admin come with it.
 */

export const DASHBOARD_DEMO_USERS = {
  /** Federation admin of 鹭江高新技术产业园区工会: sees the park's subtree only. */
  parkAdmin: 'yuanqu@demo.zhuqi.test',
} as const

export const DASHBOARD_DEMO_YEAR = 2026

const PARK_NAME = '鹭江高新技术产业园'
const PORT_PARK = '海湾临港工业园'
const LAKE_PARK = '湖滨智能制造产业园'

type OrgKey = 'city' | 'industry' | 'park' | 'district'
type StewardEmail =
  | 'guanjia@demo.zhuqi.test'
  | 'guanjia2@demo.zhuqi.test'
  | 'guanjia3@demo.zhuqi.test'

interface EnterpriseSpec {
  key: string
  org: Exclude<OrgKey, 'city'>
  name: string
  industry: string
  size: 'micro' | 'small' | 'medium' | 'large'
  tags: string[]
  district: string
  park?: string
  address: string
  contact: { email: string; name: string }
  steward: StewardEmail
}

const CHEN = 'guanjia@demo.zhuqi.test'
const LI = 'guanjia2@demo.zhuqi.test'
const GUO = 'guanjia3@demo.zhuqi.test'
const CITY_ADMIN = 'admin@demo.zhuqi.test'

const ENTERPRISES: EnterpriseSpec[] = [
  {
    key: 'xinlian',
    org: 'park',
    name: '鹭江芯联微电子有限公司',
    industry: 'C',
    size: 'small',
    tags: ['innovative_sme', 'srdi_provincial'],
    district: '海湾区',
    park: PARK_NAME,
    address: '鹭江市海湾区创新路 126 号',
    contact: { email: 'qiye-xinlian@demo.zhuqi.test', name: '蔡雨桐' },
    steward: CHEN,
  },
  {
    key: 'yuntu',
    org: 'park',
    name: '鹭江云途软件科技有限公司',
    industry: 'I',
    size: 'micro',
    tags: ['innovative_sme'],
    district: '海湾区',
    park: PARK_NAME,
    address: '鹭江市海湾区软件大道 9 号',
    contact: { email: 'qiye-yuntu@demo.zhuqi.test', name: '钱思远' },
    steward: CHEN,
  },
  {
    key: 'hengli',
    org: 'park',
    name: '鹭江恒力液压机械有限公司',
    industry: 'C',
    size: 'medium',
    tags: ['little_giant'],
    district: '海湾区',
    park: PARK_NAME,
    address: '鹭江市海湾区精工路 52 号',
    contact: { email: 'qiye-hengli@demo.zhuqi.test', name: '范志强' },
    steward: LI,
  },
  {
    key: 'zhongji',
    org: 'industry',
    name: '鹭江重型机床有限公司',
    industry: 'C',
    size: 'large',
    tags: ['srdi_provincial'],
    district: '翔云区',
    park: PORT_PARK,
    address: '鹭江市翔云区临港大道 1 号',
    contact: { email: 'qiye-zhongji@demo.zhuqi.test', name: '易建伟' },
    steward: LI,
  },
  {
    key: 'jinlu',
    org: 'industry',
    name: '鹭江金鹭精密铸造有限公司',
    industry: 'C',
    size: 'medium',
    tags: [],
    district: '翔云区',
    park: PORT_PARK,
    address: '鹭江市翔云区铸业路 18 号',
    contact: { email: 'qiye-jinlu@demo.zhuqi.test', name: '邱海涛' },
    steward: LI,
  },
  {
    key: 'huaye',
    org: 'industry',
    name: '鹭江华冶特钢有限公司',
    industry: 'C',
    size: 'large',
    tags: ['little_giant', 'srdi_provincial'],
    district: '湖滨区',
    park: LAKE_PARK,
    address: '鹭江市湖滨区钢城路 66 号',
    contact: { email: 'qiye-huaye@demo.zhuqi.test', name: '陆文华' },
    steward: LI,
  },
  {
    key: 'lvneng',
    org: 'industry',
    name: '鹭江绿能电力工程有限公司',
    industry: 'D',
    size: 'small',
    tags: ['innovative_sme'],
    district: '湖滨区',
    address: '鹭江市湖滨区环湖东路 207 号',
    contact: { email: 'qiye-lvneng@demo.zhuqi.test', name: '魏晓东' },
    steward: LI,
  },
  {
    key: 'gangtong',
    org: 'district',
    name: '海湾港通物流有限公司',
    industry: 'G',
    size: 'medium',
    tags: [],
    district: '海湾区',
    address: '鹭江市海湾区港口路 8 号',
    contact: { email: 'qiye-gangtong@demo.zhuqi.test', name: '贺春燕' },
    steward: GUO,
  },
  {
    key: 'lvyuan',
    org: 'district',
    name: '海湾绿源环保科技有限公司',
    industry: 'N',
    size: 'small',
    tags: ['innovative_sme'],
    district: '海湾区',
    address: '鹭江市海湾区滨海西路 31 号',
    contact: { email: 'qiye-lvyuan@demo.zhuqi.test', name: '江丽萍' },
    steward: GUO,
  },
  {
    key: 'jiangong',
    org: 'district',
    name: '海湾建工集团有限公司',
    industry: 'E',
    size: 'large',
    tags: [],
    district: '海湾区',
    address: '鹭江市海湾区建设路 100 号',
    contact: { email: 'qiye-jiangong@demo.zhuqi.test', name: '石国梁' },
    steward: GUO,
  },
]

type Category = NeedsListInput['items'][number]['category']

interface ItemSpec {
  category: Category
  title: string
  skills: string[]
  /** A pool expert without a sign-in (the steward answers the invitation for them). */
  expert: string
  result: OutcomeResult
  /** Yuan and whether the enterprise confirms it with its rating. */
  benefit?: [string, 'estimated' | 'confirmed']
  workers?: number
}

type OpenStage =
  | 'confirming'
  | 'awaiting_approval'
  | 'ready_for_matching'
  | 'paired'
  | 'in_service'
  | 'outcomes'

interface CaseSpec {
  enterprise: string
  title: string
  /** Filed on this Beijing date (month, day) of the demo year. */
  filed: [number, number]
  /** Multiplies the days between steps: 1 brisk, 3 slow enough to miss deadlines. */
  pace: number
  items: ItemSpec[]
  /** Visits held (0: a remote service; 2: an inspection and a training follow-up). */
  visits: 0 | 1 | 2
  /** Average of the four scores is this (1–5); 'timeout': no rating, closed at the deadline. */
  rating: number | 'timeout'
  /** Where an open case stops (default: rated, closed and archived). */
  stop?: OpenStage
}

const item = (
  category: Category,
  title: string,
  skills: string[],
  expert: string,
  result: OutcomeResult,
  benefit?: [string, 'estimated' | 'confirmed'],
  workers?: number,
): ItemSpec => ({ category, title, skills, expert, result, benefit, workers })

/** A case: its enterprise, title, filing date, how it runs, and its items. */
const kase = (
  enterprise: string,
  title: string,
  filed: [number, number],
  run: Pick<CaseSpec, 'pace' | 'visits' | 'rating' | 'stop'>,
  items: ItemSpec[],
): CaseSpec => ({ enterprise, title, filed, ...run, items })

const S = {
  boxes: 'power.equipment.distribution-box-diagnosis',
  harmonics: 'power.power-quality.harmonic-analysis',
  cable: 'power.equipment.cable-fault-location',
  motor: 'power.motors.motor-fault-diagnosis',
  cnc: 'machining.cnc.cnc-maintenance',
  brake: 'machining.sheet-metal.press-brake',
  gmaw: 'welding.arc.gmaw',
  hazards: 'safety.hazards.hazard-identification',
  pv: 'energy.pv.rooftop-pv-design',
  audit: 'energy.efficiency.energy-audit',
  handsOn: 'training.courses.hands-on',
  plc: 'automation.plc.plc-programming',
  iso: 'quality.systems.iso-9001',
  lean: 'management.lean.5s',
  tpm: 'management.lean.tpm',
  mes: 'digital.mes.mes-implementation',
  noise: 'health.hazards.noise',
  robot: 'automation.robotics.robot-programming',
  mould: 'machining.tooling.mould-repair',
  cmm: 'quality.inspection.cmm',
  fire: 'safety.fire.fire-systems',
  lifting: 'safety.machinery.lifting',
  water: 'chemical.environment.wastewater',
  grading: 'training.vocational.skill-grading',
  switchgear: 'power.equipment.switchgear-maintenance',
  pvOps: 'energy.pv.pv-operation',
} as const

const CASES: CaseSpec[] = [
  // January–February
  kase('xinlian', '洁净车间配电系统隐患排查', [1, 6], { pace: 1, visits: 1, rating: 5 }, [
    item('equipment_diagnosis', '洁净车间配电柜诊断', [S.boxes], '田宏伟', 'solved', [
      '86000',
      'confirmed',
    ]),
    item('safety', '防静电与接地检查', [S.hazards], '吴晓燕', 'solved'),
  ]),
  kase('zhongji', '大型龙门铣床数控系统维修', [1, 13], { pace: 1.4, visits: 1, rating: 4.5 }, [
    item('equipment_diagnosis', '龙门铣数控系统故障诊断', [S.cnc], '郑志军', 'solved', [
      '240000',
      'estimated',
    ]),
  ]),
  kase('gangtong', '仓储叉车与起重设备安全评估', [2, 3], { pace: 1.2, visits: 1, rating: 4.25 }, [
    item('safety', '起重设备安全评估', [S.lifting], '于海波', 'solved', ['35000', 'estimated']),
    item('skills_training', '叉车司机安全操作培训', [S.handsOn], '叶小红', 'solved', undefined, 36),
  ]),
  kase('huaye', '电弧炉谐波治理', [2, 17], { pace: 3.4, visits: 2, rating: 4 }, [
    item('equipment_diagnosis', '电弧炉谐波检测', [S.harmonics], '黄美玲', 'partly_solved', [
      '150000',
      'estimated',
    ]),
    item('new_energy', '余热利用节能评估', [S.audit], '罗春梅', 'solved', ['420000', 'confirmed']),
  ]),
  // March–April
  kase('yuntu', '软件研发团队精益管理提升', [3, 2], { pace: 1, visits: 0, rating: 4.75 }, [
    item('management', '研发班组 5S 与看板管理', [S.lean], '冯雪梅', 'solved', [
      '18000',
      'confirmed',
    ]),
  ]),
  kase('jinlu', '铸造车间粉尘与噪声治理', [3, 9], { pace: 1.6, visits: 1, rating: 4 }, [
    item('occupational_health', '噪声危害检测与防护', [S.noise], '许文静', 'solved', undefined, 48),
    item('process_improvement', '砂型铸造缺陷分析', [S.cmm], '曾秋菊', 'not_feasible'),
  ]),
  kase('lvyuan', '污水处理站自动化改造咨询', [3, 23], { pace: 1.1, visits: 1, rating: 4.5 }, [
    item('digital', '自控系统数字化升级', [S.mes], '邓丽君', 'solved', ['56000', 'estimated']),
    item('safety', '污水处理站安全检查', [S.water], '董淑珍', 'solved'),
  ]),
  kase('hengli', '液压件生产线机器人焊接导入', [4, 7], { pace: 1.3, visits: 2, rating: 5 }, [
    item('tech_breakthrough', '机器人焊接工艺攻关', [S.robot], '潘国良', 'solved', [
      '380000',
      'confirmed',
    ]),
    item('skills_training', '焊接机器人操作培训', [S.gmaw], '孙建华', 'solved', undefined, 24),
  ]),
  kase('lvneng', '光伏电站运维能力提升', [4, 20], { pace: 3.2, visits: 1, rating: 3.75 }, [
    item('new_energy', '分布式光伏电站巡检', [S.pvOps], '唐振东', 'partly_solved', [
      '60000',
      'estimated',
    ]),
  ]),
  // May–June
  kase('xinlian', '封装产线质量体系完善', [5, 11], { pace: 1, visits: 1, rating: 4.5 }, [
    item('management', 'ISO 9001 体系内审辅导', [S.iso], '何秀兰', 'solved', [
      '25000',
      'confirmed',
    ]),
    item('skills_training', '质检员技能等级培训', [S.grading], '叶小红', 'solved', undefined, 30),
  ]),
  kase(
    'jiangong',
    '施工现场临时用电安全排查',
    [5, 18],
    { pace: 1.5, visits: 1, rating: 'timeout' },
    [item('safety', '临时用电隐患排查', [S.cable], '陈立新', 'solved', ['120000', 'estimated'])],
  ),
  kase('gangtong', '冷链仓库消防系统评估', [6, 15], { pace: 1, visits: 1, rating: 5 }, [
    item('safety', '冷库消防设施检测', [S.fire], '蒋卫东', 'solved'),
  ]),
  // July–August
  kase('hengli', '液压试验台电机故障诊断', [7, 6], { pace: 1.8, visits: 1, rating: 4 }, [
    item('equipment_diagnosis', '试验台电机振动诊断', [S.motor], '周国强', 'solved', [
      '95000',
      'confirmed',
    ]),
  ]),
  kase('huaye', '轧钢产线 TPM 推进', [7, 14], { pace: 1.1, visits: 1, rating: 4.5 }, [
    item('management', '设备全员生产维护推进', [S.tpm], '曹国华', 'solved', [
      '520000',
      'estimated',
    ]),
    item('skills_training', '点检员技能培训', [S.handsOn], '叶小红', 'solved', undefined, 60),
  ]),
  kase('yuntu', '制造执行系统实施咨询', [8, 4], { pace: 1, visits: 0, rating: 4 }, [
    item('digital', 'MES 选型与实施路线', [S.mes], '邓丽君', 'partly_solved', [
      '40000',
      'estimated',
    ]),
  ]),
  kase('lvyuan', '环保设备配电改造', [8, 17], { pace: 3.6, visits: 1, rating: 3.5 }, [
    item('equipment_diagnosis', '配电电缆改造', [S.cable], '陈立新', 'not_feasible'),
    item('new_energy', '厂区屋顶光伏可行性', [S.pv], '宋玉洁', 'solved', ['88000', 'estimated']),
  ]),
  // September–November
  kase('xinlian', '变频设备谐波复查', [9, 14], { pace: 1, visits: 1, rating: 5 }, [
    item('equipment_diagnosis', '谐波复测与滤波器调试', [S.harmonics], '黄美玲', 'solved', [
      '64000',
      'confirmed',
    ]),
  ]),
  kase('lvneng', '储能电站安全培训', [10, 9], { pace: 1, visits: 1, rating: 4.75 }, [
    item('skills_training', '储能运维安全培训', [S.grading], '叶小红', 'solved', undefined, 42),
    item('safety', '储能舱消防检查', [S.fire], '蒋卫东', 'solved', ['30000', 'estimated']),
  ]),
  kase('hengli', '液压阀块加工中心维修', [10, 26], { pace: 1, visits: 1, rating: 4.5 }, [
    item('equipment_diagnosis', '加工中心主轴故障', [S.cnc], '郑志军', 'solved', [
      '72000',
      'estimated',
    ]),
  ]),
  // Still open.
  kase(
    'jiangong',
    '塔吊安全监测系统咨询',
    [9, 21],
    { pace: 1.2, visits: 1, rating: 4, stop: 'outcomes' },
    [
      item('safety', '塔吊安全监测评估', [S.lifting], '于海波', 'solved', ['50000', 'estimated']),
      item('digital', '监测平台数据接入', [S.mes], '邓丽君', 'partly_solved'),
    ],
  ),
  kase(
    'zhongji',
    '数控车间电气柜改造',
    [10, 12],
    { pace: 1, visits: 0, rating: 4, stop: 'paired' },
    [item('equipment_diagnosis', '电气柜散热改造', [S.boxes], '程建设', 'solved')],
  ),
  kase(
    'huaye',
    '连铸设备润滑管理',
    [10, 22],
    { pace: 1, visits: 1, rating: 4, stop: 'in_service' },
    [item('management', '设备润滑标准化', [S.tpm], '曹国华', 'solved')],
  ),
  kase(
    'hengli',
    '液压泵装配工艺改进',
    [11, 16],
    { pace: 1, visits: 0, rating: 4, stop: 'ready_for_matching' },
    [item('process_improvement', '柱塞泵装配工艺', [S.brake], '任春花', 'solved')],
  ),
  kase(
    'gangtong',
    '港区配电房年度检测',
    [11, 18],
    { pace: 1, visits: 0, rating: 4, stop: 'confirming' },
    [item('equipment_diagnosis', '配电房电缆预防性试验', [S.cable], '陈立新', 'solved')],
  ),
  kase(
    'jinlu',
    '熔炼炉节能改造',
    [11, 23],
    { pace: 1, visits: 0, rating: 4, stop: 'awaiting_approval' },
    [item('new_energy', '中频炉节能评估', [S.audit], '罗春梅', 'solved')],
  ),
]

/** Yearly targets per org (demo year); the city's exceed the sum of its two children's. */
const TARGETS: Partial<Record<OrgKey, Record<TargetMetric, string>>> = {
  city: {
    enterprises_served: '30',
    problems_solved: '45',
    expert_participations: '60',
    workers_trained: '300',
    benefit_yuan: '5000000',
    agreements_signed: '32',
  },
  industry: {
    enterprises_served: '18',
    problems_solved: '26',
    expert_participations: '36',
    workers_trained: '180',
    benefit_yuan: '3200000',
    agreements_signed: '20',
  },
  district: {
    enterprises_served: '8',
    problems_solved: '12',
    expert_participations: '16',
    workers_trained: '80',
    benefit_yuan: '1000000',
    agreements_signed: '10',
  },
  park: {
    enterprises_served: '8',
    problems_solved: '12',
    expert_participations: '16',
    workers_trained: '100',
    benefit_yuan: '1500000',
    agreements_signed: '10',
  },
}

const TEMPLATE_OF: Partial<Record<Category, string>> = {
  equipment_diagnosis: 'electrical_health',
  new_energy: 'new_energy_consulting',
  process_improvement: 'cnc_sheet_metal_review',
  tech_breakthrough: 'cnc_sheet_metal_review',
  digital: 'cnc_sheet_metal_review',
  skills_training: 'skills_training',
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A Beijing wall-clock moment of the demo year. */
function beijing(month: number, day: number, hour = 9, minute = 0): Date {
  return new Date(Date.UTC(DASHBOARD_DEMO_YEAR, month - 1, day, hour - 8, minute))
}

/** The same moment moved to the next working day if it falls on a weekend (Beijing). */
function weekday(at: Date): Date {
  const local = new Date(at.getTime() + 8 * HOUR).getUTCDay()
  return local === 6
    ? new Date(at.getTime() + 2 * DAY)
    : local === 0
      ? new Date(at.getTime() + DAY)
      : at
}

/** Beijing 'YYYY-MM-DD' of a moment. */
const ymd = (at: Date) => beijingLocalValue(at).slice(0, 10)

export async function isDashboardSeeded(db: DbOrTrx): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', DASHBOARD_DEMO_USERS.parkAdmin)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Seeds the history once (nothing when the park admin exists already), then
 * rebuilds the dashboard summaries. Runs after the rest of the demo seed: it
 * relies on its orgs, stewards, coordinators and talent pool.
 */
export async function seedDashboard(db: Db, password: string): Promise<void> {
  if (await isDashboardSeeded(db)) return
  const orgs = await orgIds(db)
  const users = await db.transaction().execute(async (trx) => {
    const stewards = await idsByEmail(trx, [CHEN, LI, GUO])
    const contacts = new Map<string, number>()
    for (const e of ENTERPRISES) {
      const enterprise = await makeEnterprise(trx, {
        orgId: orgs[e.org],
        name: e.name,
        district: e.district,
        park: e.park,
        industry: e.industry,
        size: e.size,
        tags: e.tags,
        address: e.address,
        stewardUserId: stewards.get(e.steward) ?? null,
      })
      const contact = await makeUser(trx, {
        email: e.contact.email,
        name: e.contact.name,
        password,
        role: 'enterprise_contact',
        orgId: orgs[e.org],
        enterpriseId: enterprise.id,
      })
      contacts.set(e.key, contact.id)
    }
    const parkAdmin = await makeUser(trx, {
      email: DASHBOARD_DEMO_USERS.parkAdmin,
      name: '郑晓红',
      password,
      role: 'federation_admin',
      orgId: orgs.park,
    })
    return { contacts, parkAdmin: parkAdmin.id }
  })

  const people = await demoPeople(db, users.contacts)
  const skills = await demoSkillIds(db)
  const experts = await poolExperts(db)
  const templates = new Map<string, number>()
  for (const code of new Set(Object.values(TEMPLATE_OF) as string[])) {
    const t = await findTemplateByCode(db, code)
    if (t) templates.set(code, t.id)
  }
  const fallbackTemplate = (await findTemplateByCode(db, 'safety_walkthrough'))?.id
  const ctx: SeedContext = { db, people, skills, experts, templates, fallbackTemplate }
  const outboxBefore = await lastOutboxId(db)
  for (const spec of CASES) {
    await runCase(ctx, spec).catch((err: unknown) => {
      throw new Error(`dashboard seed: case ${spec.title}`, { cause: err })
    })
  }

  await seedTargets(db, orgs, users.parkAdmin)
  // Deadlines of the open cases that fell due since: delivered now, as the worker would.
  const now = new Date()
  await deliverDueTimers(db, now)
  await markHistoryRelayed(db, outboxBefore, now)
  await rebuildDashboard(db)
}

// ---------------------------------------------------------------------------

interface DemoPeople {
  contact: (enterprise: string) => Principal
  steward: (enterprise: string) => Principal
  coordinator: (enterprise: string) => Principal
  contactName: (enterprise: string) => string
}

interface SeedContext {
  db: Db
  people: DemoPeople
  skills: Awaited<ReturnType<typeof demoSkillIds>>
  experts: Map<string, number>
  templates: Map<string, number>
  fallbackTemplate: number | undefined
}

async function orgIds(db: Db): Promise<Record<OrgKey, number>> {
  const names: Record<OrgKey, string> = {
    city: '鹭江市总工会',
    industry: '鹭江市机电冶金产业工会联合会',
    park: '鹭江高新技术产业园区工会',
    district: '鹭江市海湾区总工会',
  }
  const rows = await db
    .selectFrom('union_org')
    .select(['id', 'name'])
    .where('name', 'in', Object.values(names))
    .execute()
  const byName = new Map(rows.map((r) => [r.name, r.id]))
  return Object.fromEntries(
    Object.entries(names).map(([key, name]) => {
      const id = byName.get(name)
      if (id === undefined) throw new Error(`dashboard seed: no org ${name}`)
      return [key, id]
    }),
  ) as Record<OrgKey, number>
}

async function idsByEmail(db: DbOrTrx, emails: string[]): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('app_user')
    .select(['id', 'email'])
    .where('email', 'in', emails)
    .execute()
  return new Map(rows.map((r) => [r.email, r.id]))
}

async function demoPeople(db: Db, contacts: Map<string, number>): Promise<DemoPeople> {
  const park = 'xietiao@demo.zhuqi.test'
  const city = 'shizonggonghui@demo.zhuqi.test'
  const ids = await idsByEmail(db, [CHEN, LI, GUO, park, city])
  const principals = new Map<number, Principal>()
  const load = async (id: number | undefined) => {
    if (id === undefined) throw new Error('dashboard seed: a demo user is missing')
    if (!principals.has(id)) principals.set(id, await principalOf(db, id))
  }
  for (const id of [...ids.values(), ...contacts.values()]) await load(id)
  const spec = (key: string) => {
    const e = ENTERPRISES.find((x) => x.key === key)
    if (!e) throw new Error(`dashboard seed: no enterprise ${key}`)
    return e
  }
  const get = (id: number | undefined) => principals.get(id ?? -1) as Principal
  return {
    contact: (key) => get(contacts.get(key)),
    steward: (key) => get(ids.get(spec(key).steward)),
    // The park's desk takes in the park's lists; the city's desk everything else.
    coordinator: (key) => get(ids.get(spec(key).org === 'park' ? park : city)),
    contactName: (key) => spec(key).contact.name,
  }
}

async function poolExperts(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('expert')
    .select(['id', 'name'])
    .where('user_id', 'is', null)
    .where('status', '=', 'active')
    .execute()
  return new Map(rows.map((r) => [r.name, r.id]))
}

/**
 * Delivers every pending deadline timer due by `until`, oldest first, each at
 * its due time, through the timeout handler the worker runs: the seed moves
 * the clock forward as the worker would have seen it.
 */
async function deliverDueTimers(db: Db, until: Date): Promise<void> {
  for (;;) {
    const due = await db
      .selectFrom('workflow_timer as t')
      .innerJoin('outbox as o', 'o.id', 't.outbox_id')
      .select(['t.due_at', 'o.payload'])
      .where('t.status', '=', 'pending')
      .where('t.due_at', '<=', until)
      .orderBy('t.due_at')
      .orderBy('t.id')
      .limit(1)
      .executeTakeFirst()
    if (!due) return
    const at = new Date(due.due_at)
    await processTimeoutJob(db, due.payload as unknown as TimeoutJob, undefined, () => at)
  }
}

async function lastOutboxId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  return Number(row?.id ?? 0)
}

/**
 * The history's notices and reminders were due months ago: they count as
 * delivered at their time, so starting the demo does not replay a year of
 * notifications and e-mails (or leave them as a relay backlog). Jobs still
 * ahead (the open cases' coming deadlines) stay for the relay.
 */
async function markHistoryRelayed(db: Db, afterId: number, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({ relayed_at: eb.ref('run_at') }))
    .where('id', '>', afterId)
    .where('run_at', '<=', now)
    .where('relayed_at', 'is', null)
    .execute()
}

/** One case from filing to where its spec stops, every step at its own past moment. */
async function runCase(ctx: SeedContext, spec: CaseSpec): Promise<void> {
  const { db, people, skills } = ctx
  const key = spec.enterprise
  const contact = people.contact(key)
  const steward = people.steward(key)
  const coordinator = people.coordinator(key)
  const start = beijing(spec.filed[0], spec.filed[1], 9, 10)
  let clock = start.getTime()
  /** Moves the clock on by `days` (scaled by the pace), delivering deadlines due meanwhile. */
  const at = async (days: number, scaled = true): Promise<Date> => {
    clock += Math.round((scaled ? days * spec.pace : days) * DAY)
    const now = new Date(clock)
    await deliverDueTimers(db, now)
    return now
  }
  const opts = (now: Date) => ({ now })
  const windowStart = ymd(new Date(clock + 10 * DAY))
  const windowEnd = ymd(new Date(clock + 60 * DAY))

  const listId = await createNeedsList(
    db,
    contact,
    {
      title: spec.title,
      items: spec.items.map((i) => ({
        category: i.category,
        title: i.title,
        description: `${i.title}：请劳模工匠到企业现场指导，提出改进建议`,
        urgency: 'normal' as const,
        headcount: 1,
        skillIds: skills(...i.skills),
        windowStart,
        windowEnd,
        mode: 'onsite' as const,
        expectedOutcome: `${i.title}问题得到解决`,
      })),
    },
    opts(new Date(clock)),
  )
  await submitNeedsList(db, contact, listId, undefined, opts(await at(10 / 1440, false)))
  await triageNeedsList(db, coordinator, listId, { type: 'ACCEPT' }, undefined, opts(await at(1)))
  if (spec.stop === 'confirming') return
  const proposed = await proposeRevision(
    db,
    steward,
    listId,
    undefined,
    initialDraft(await filedItems(db, listId)),
    opts(await at(0.6)),
  )
  if (spec.stop === 'awaiting_approval') return
  await approveRevision(db, contact, listId, proposed.revision, undefined, opts(await at(1)))
  if (spec.stop === 'ready_for_matching') return

  // Matching: the steward pins one pool expert per item and invites them.
  const items = await db
    .selectFrom('confirmed_item')
    .select('id')
    .where('needs_list_id', '=', listId)
    .orderBy('position')
    .execute()
  const itemIds = items.map((i) => i.id)
  const expertIds = spec.items.map((i) => {
    const id = ctx.experts.get(i.expert)
    if (id === undefined) throw new Error(`dashboard seed: no pool expert ${i.expert}`)
    return id
  })
  let now = await at(0.8)
  for (const [n, itemId] of itemIds.entries()) {
    await pinCandidate(
      db,
      steward,
      listId,
      { itemId, candidate: `expert:${expertIds[n]}` },
      undefined,
      opts(now),
    )
  }
  await sendInvitations(db, steward, listId, undefined, opts(now))
  // The experts have no sign-in: the steward records their answers (by phone).
  const invitations = await db
    .selectFrom('invitation')
    .select(['id', 'confirmed_item_id', 'expert_id'])
    .where('needs_list_id', '=', listId)
    .orderBy('id')
    .execute()
  now = await at(0.7)
  const chosen: { itemId: number; invitationIds: number[]; decision: string }[] = []
  for (const [n, itemId] of itemIds.entries()) {
    const inv = invitations.find(
      (i) => i.confirmed_item_id === itemId && i.expert_id === expertIds[n],
    )
    if (!inv) throw new Error(`dashboard seed: ${spec.items[n]?.expert} was not invited`)
    await answerInvitation(db, steward, inv.id, { accept: true }, opts(now))
    chosen.push({ itemId, invitationIds: [inv.id], decision: '按确认事项开展服务' })
  }
  const held = await at(1.5)
  await scheduleMeeting(
    db,
    steward,
    listId,
    {
      heldAt: beijingLocalValue(new Date(held.getTime() + DAY)),
      place: '工会服务站会议室',
      attendees: [
        { name: people.contactName(key), role: '企业联系人' },
        ...spec.items.map((i) => ({ name: i.expert, role: '劳模工匠' })),
      ],
    },
    undefined,
    opts(held),
  )
  await confirmPairing(
    db,
    steward,
    listId,
    { decisions: chosen },
    undefined,
    opts(await at(1, false)),
  )
  await generateAgreement(db, steward, listId, {}, undefined, opts(await at(1 / 24, false)))
  await confirmAgreement(db, steward, listId, undefined, opts(await at(2 / 24, false)))
  await confirmAgreement(db, contact, listId, undefined, opts(await at(0.8)))
  if (spec.stop === 'paired') return

  // Visits: an inspection serving every item, then (for two) a training follow-up.
  const template =
    ctx.templates.get(TEMPLATE_OF[spec.items[0]?.category as Category] ?? '') ??
    ctx.fallbackTemplate
  for (let v = 0; v < spec.visits; v++) {
    const scheduledAt = await at(v === 0 ? 1.2 : 4)
    const startsAt = weekday(new Date(scheduledAt.getTime() + Math.round(3 * spec.pace) * DAY))
    const startsAtNine = new Date(
      startsAt.getTime() - ((startsAt.getTime() + 8 * HOUR) % DAY) + 9.5 * HOUR,
    )
    const visit = await scheduleVisit(
      db,
      steward,
      listId,
      {
        kind: v === 0 ? 'inspection' : 'training',
        startsAt: beijingLocalValue(startsAtNine),
        durationMinutes: 180,
        expertIds,
        templateIds: template ? [template] : [],
        itemIds,
        objectives: v === 0 ? '现场勘查，查明问题原因' : '现场带教培训，巩固整改成效',
        acknowledgeConflicts: true,
      },
      { now: scheduledAt },
    )
    await confirmVisit(db, contact, visit.visitId, {
      now: new Date(scheduledAt.getTime() + 3 * HOUR),
    })
    clock = startsAtNine.getTime()
    await checkIn(db, steward, visit.visitId, opts(await at(10 / 1440, false)))
    await submitReport(
      db,
      steward,
      visit.visitId,
      {
        summary: `${spec.title}：现场勘查完成，问题原因已查明并提出整改建议。`,
        recommendations: '按整改清单逐项落实，一个月内回访。',
      },
      opts(await at(4 / 24, false)),
    )
    await confirmReport(
      db,
      contact,
      visit.visitId,
      { name: people.contactName(key), remarks: '情况属实' },
      opts(await at(1)),
    )
  }
  if (spec.stop === 'in_service') return

  // Outcomes of every item, then the request for feedback.
  now = await at(2)
  const outcomes = spec.stop === 'outcomes' ? spec.items.slice(0, 1) : spec.items
  for (const [n, o] of outcomes.entries()) {
    await recordOutcome(
      db,
      steward,
      listId,
      {
        itemId: itemIds[n],
        result: o.result,
        description:
          o.result === 'solved'
            ? `${o.title}已完成，问题得到解决`
            : o.result === 'partly_solved'
              ? `${o.title}部分完成，后续持续跟进`
              : `${o.title}受场地和投资条件限制，暂不具备实施条件`,
        benefitYuan: o.benefit?.[0] ?? null,
        benefitStatus: o.benefit ? 'estimated' : null,
        benefitBasis: o.benefit ? '企业测算的年度节约与增效' : undefined,
        workersTrained: o.workers ?? 0,
        personTimes: o.workers ?? 0,
        patents: 0,
        innovations: o.result === 'solved' ? 1 : 0,
        followUpNeeded: o.result === 'partly_solved',
        followUpNote: o.result === 'partly_solved' ? '三个月后回访' : undefined,
      },
      undefined,
      opts(now),
    )
  }
  if (spec.stop === 'outcomes') return
  await requestFeedback(db, steward, listId, undefined, opts(await at(1 / 24, false)))

  if (spec.rating === 'timeout') {
    // No rating: the feedback deadline closes (and archives) the case.
    await at(20, false)
    return
  }
  // Benefits marked 'confirmed' in the spec are confirmed by the enterprise with its rating.
  const confirmed = await db
    .selectFrom('item_outcome')
    .select(['id', 'confirmed_item_id'])
    .where('needs_list_id', '=', listId)
    .execute()
  const confirmBenefits = confirmed
    .filter((o) => spec.items[itemIds.indexOf(o.confirmed_item_id)]?.benefit?.[1] === 'confirmed')
    .map((o) => o.id)
  await rateService(
    db,
    contact,
    listId,
    {
      scores: scoresFor(spec.rating),
      comment: '劳模工匠服务专业，解决了实际问题',
      confirmBenefits,
    },
    undefined,
    opts(await at(1.5)),
  )
}

/** Four whole scores averaging `average` (to a quarter point). */
function scoresFor(average: number) {
  const total = Math.round(average * 4)
  const base = Math.floor(total / 4)
  const extra = total - base * 4
  const s = [0, 1, 2, 3].map((i) => Math.min(5, base + (i < extra ? 1 : 0)))
  return { responsiveness: s[0], expertise: s[1], effectiveness: s[2], attitude: s[3] }
}

/** The city federation admin sets the year's targets (park ones by the park's admin). */
async function seedTargets(db: Db, orgs: Record<OrgKey, number>, parkAdmin: number) {
  const [admin] = (await idsByEmail(db, [CITY_ADMIN])).values()
  if (admin === undefined) throw new Error('dashboard seed: no city federation admin')
  const city = await principalOf(db, admin)
  const park = await principalOf(db, parkAdmin)
  for (const [org, values] of Object.entries(TARGETS)) {
    await saveTargets(db, org === 'park' ? park : city, {
      orgId: orgs[org as OrgKey],
      year: DASHBOARD_DEMO_YEAR,
      values: values ?? {},
      now: beijing(1, 5, 10),
    })
  }
}

import type { HonourType } from '#workflows/talent/honours.ts'
import type { Db, DbOrTrx } from './client.server.ts'
import { makeExpert, makeServiceTeam, makeUser } from './factories.ts'
import type { HonourLevel } from './schema.ts'

/**
 * The demo talent pool (人才库): about forty invented model workers and
 * craftsmen managed by the city federation (鹭江市总工会) and the industry
 * federation (鹭江市机电冶金产业工会联合会), with specialties matching the
 * demo enterprises' needs (power equipment diagnosis, CNC sheet metal, new
 * energy, work safety, training…), honours, coverage, availability and
 * three service teams. The demo expert 王建国 and two more expert users are
 * linked to their profiles. Every name and number is invented.
 */

type Org = 'city' | 'industry'
type Honour = [type: HonourType, level: HonourLevel, year: number | null]

interface DemoExpert {
  name: string
  gender: 'male' | 'female'
  org: Org
  employer: string
  jobTitle: string
  grade: string
  skills: [code: string, proficiency: number][]
  honours?: Honour[]
  districts: string[]
  parks?: string[]
  weekdays?: number[]
  capacity?: number
  status?: 'active' | 'paused'
  blackouts?: [from: string, to: string, note?: string][]
  bio: string
  /** Which demo account signs in as this expert. */
  account?: 'expert' | 'expert2' | 'expert3'
}

const HIGH_TECH_PARK = '鹭江高新技术产业园'
const PORT_PARK = '海湾临港工业园'
const LAKE_PARK = '湖滨智能制造产业园'

export const DEMO_EXPERTS: readonly DemoExpert[] = [
  {
    name: '王建国',
    gender: 'male',
    org: 'industry',
    employer: '鹭江供电服务有限公司',
    jobTitle: '配电运维班班长',
    grade: 'senior_technician',
    skills: [
      ['power.equipment.distribution-box-diagnosis', 5],
      ['power.equipment.leakage-protector-testing', 5],
      ['power.equipment.infrared-thermography', 4],
      ['power.distribution.supply-line-inspection', 5],
      ['power.equipment.switchgear-maintenance', 4],
      ['safety.electrical.electrical-inspection', 4],
    ],
    honours: [
      ['national_model_worker', 'national', 2015],
      ['innovation_studio_lead', 'city', 2018],
    ],
    districts: ['海湾区', '湖滨区'],
    parks: [HIGH_TECH_PARK],
    capacity: 3,
    blackouts: [['2026-12-21', '2026-12-25', '全国劳模疗休养']],
    bio: '从事配电设备运维 28 年，带领创新工作室完成配电箱快速诊断方法 12 项。',
    account: 'expert',
  },
  {
    name: '李秀英',
    gender: 'female',
    org: 'industry',
    employer: '鹭江重型机床厂',
    jobTitle: '数控钣金车间技术主管',
    grade: 'senior_technician',
    skills: [
      ['machining.sheet-metal.press-brake', 5],
      ['machining.sheet-metal.unfolding', 5],
      ['machining.sheet-metal.laser-cutting', 4],
      ['machining.cnc.cnc-programming', 4],
      ['training.courses.hands-on', 4],
    ],
    honours: [
      ['provincial_model_worker', 'provincial', 2019],
      ['craftsman', 'city', 2017],
    ],
    districts: ['海湾区', '翔云区'],
    parks: [HIGH_TECH_PARK, PORT_PARK],
    weekdays: [1, 2, 3, 4, 5, 6],
    capacity: 2,
    bio: '钣金折弯工艺专家，主持的折弯回弹补偿方法使返工率下降七成。',
    account: 'expert2',
  },
  {
    name: '赵海峰',
    gender: 'male',
    org: 'city',
    employer: '鹭江新能源工程有限公司',
    jobTitle: '光伏事业部总工程师',
    grade: 'senior_engineer',
    skills: [
      ['energy.pv.rooftop-pv-design', 5],
      ['energy.pv.grid-connection', 5],
      ['energy.pv.pv-operation', 4],
      ['energy.storage.battery-storage-design', 3],
    ],
    honours: [['craftsman', 'city', 2022]],
    districts: ['海湾区', '湖滨区', '鹭岛区'],
    parks: [HIGH_TECH_PARK],
    weekdays: [1, 3, 5],
    capacity: 2,
    blackouts: [['2026-12-28', '2027-01-03', '年底并网高峰']],
    bio: '主持设计分布式屋顶光伏项目 60 余个，熟悉工商业光伏并网流程。',
    account: 'expert3',
  },
  {
    name: '陈立新',
    gender: 'male',
    org: 'city',
    employer: '鹭江电力检修公司',
    jobTitle: '电缆班技术员',
    grade: 'technician',
    skills: [
      ['power.equipment.cable-fault-location', 5],
      ['power.distribution.grounding-lightning', 4],
      ['power.equipment.transformer-maintenance', 3],
    ],
    honours: [['craftsman', 'city', 2020]],
    districts: ['海湾区'],
    capacity: 2,
    bio: '擅长电缆故障精确定位，十年累计处理故障 800 余次。',
  },
  {
    name: '黄美玲',
    gender: 'female',
    org: 'city',
    employer: '鹭江电能质量检测中心',
    jobTitle: '检测室主任',
    grade: 'senior_engineer',
    skills: [
      ['power.power-quality.harmonic-analysis', 5],
      ['power.power-quality.reactive-compensation', 4],
      ['power.power-quality.monitoring', 5],
    ],
    honours: [['may_day_medal', 'national', 2021]],
    districts: ['湖滨区', '鹭岛区'],
    parks: [LAKE_PARK],
    capacity: 2,
    bio: '电能质量治理专家，为 40 余家制造企业出具谐波治理方案。',
  },
  {
    name: '周国强',
    gender: 'male',
    org: 'industry',
    employer: '鹭江机电集团',
    jobTitle: '首席技师',
    grade: 'special_technician',
    skills: [
      ['power.motors.motor-fault-diagnosis', 5],
      ['power.motors.vfd-tuning', 5],
      ['power.motors.soft-starter', 4],
      ['digital.iiot.predictive-maintenance', 3],
    ],
    honours: [
      ['great_craftsman', 'national', 2020],
      ['chief_technician', 'enterprise', 2016],
    ],
    districts: ['海湾区', '翔云区'],
    parks: [PORT_PARK],
    capacity: 1,
    bio: '电机与变频驱动专家，“大国工匠”，长期为中小企业义务诊断电机故障。',
  },
  {
    name: '吴晓燕',
    gender: 'female',
    org: 'city',
    employer: '鹭江安全生产技术服务中心',
    jobTitle: '注册安全工程师',
    grade: 'senior_engineer',
    skills: [
      ['safety.hazards.hazard-identification', 5],
      ['safety.hazards.risk-grading', 5],
      ['safety.electrical.electrical-inspection', 4],
      ['safety.fire.emergency-drill', 4],
    ],
    honours: [['city_model_worker', 'city', 2019]],
    districts: ['海湾区', '湖滨区', '翔云区', '鹭岛区'],
    capacity: 3,
    bio: '从事企业安全生产隐患排查 15 年，熟悉双重预防机制建设。',
  },
  {
    name: '郑志军',
    gender: 'male',
    org: 'industry',
    employer: '鹭江数控设备有限公司',
    jobTitle: '维修部经理',
    grade: 'senior_technician',
    skills: [
      ['machining.cnc.cnc-maintenance', 5],
      ['machining.cnc.five-axis', 4],
      ['machining.cnc.tool-management', 4],
    ],
    honours: [['craftsman', 'city', 2021]],
    districts: ['海湾区'],
    parks: [HIGH_TECH_PARK],
    capacity: 2,
    blackouts: [['2026-12-14', '2026-12-16', '外出培训']],
    bio: '数控机床维修能手，精通主流数控系统的故障诊断。',
  },
  {
    name: '林海燕',
    gender: 'female',
    org: 'industry',
    employer: '鹭江精工机械有限公司',
    jobTitle: '工艺工程师',
    grade: 'engineer',
    skills: [
      ['machining.sheet-metal.press-brake', 4],
      ['machining.sheet-metal.punching', 4],
      ['machining.sheet-metal.stamping-die', 3],
    ],
    districts: ['翔云区'],
    parks: [PORT_PARK],
    capacity: 2,
    bio: '钣金冲压工艺工程师，擅长模具调试与工艺改进。',
  },
  {
    name: '孙建华',
    gender: 'male',
    org: 'industry',
    employer: '鹭江船舶重工',
    jobTitle: '焊接高级技师',
    grade: 'senior_technician',
    skills: [
      ['welding.arc.gmaw', 5],
      ['welding.arc.gtaw', 5],
      ['welding.quality.defect-analysis', 5],
      ['welding.materials.pressure-vessel', 4],
      ['training.certification.welder', 4],
    ],
    honours: [
      ['national_technical_expert', 'national', 2014],
      ['craftsman', 'provincial', 2018],
    ],
    districts: ['海湾区', '翔云区'],
    parks: [PORT_PARK],
    capacity: 2,
    bio: '焊接技能大师，培养高级焊工 200 余名。',
  },
  {
    name: '马丽华',
    gender: 'female',
    org: 'city',
    employer: '鹭江职业技术学院',
    jobTitle: '焊接专业带头人',
    grade: 'senior_engineer',
    skills: [
      ['welding.quality.wps-pqr', 5],
      ['welding.quality.ndt', 4],
      ['training.courses.curriculum', 5],
      ['training.courses.hands-on', 4],
    ],
    honours: [['innovation_talent', 'provincial', 2022]],
    districts: ['湖滨区', '鹭岛区'],
    weekdays: [2, 4, 6],
    capacity: 2,
    bio: '焊接工艺评定与实训课程开发专家。',
  },
  {
    name: '胡志明',
    gender: 'male',
    org: 'industry',
    employer: '鹭江自动化工程有限公司',
    jobTitle: '电气自动化工程师',
    grade: 'senior_engineer',
    skills: [
      ['automation.plc.plc-programming', 5],
      ['automation.plc.hmi-scada', 4],
      ['automation.plc.motion-control', 4],
      ['automation.plc.fieldbus', 3],
    ],
    honours: [['craftsman', 'city', 2023]],
    districts: ['海湾区', '湖滨区'],
    parks: [HIGH_TECH_PARK, LAKE_PARK],
    capacity: 3,
    bio: '产线自动化改造专家，主导完成 30 余条产线的 PLC 改造。',
  },
  {
    name: '何秀兰',
    gender: 'female',
    org: 'city',
    employer: '鹭江质量技术服务中心',
    jobTitle: '质量体系审核员',
    grade: 'senior_engineer',
    skills: [
      ['quality.systems.iso-9001', 5],
      ['quality.systems.internal-audit', 5],
      ['quality.tools.fmea', 4],
      ['quality.tools.spc', 4],
    ],
    districts: ['湖滨区'],
    capacity: 3,
    bio: '帮助 50 余家中小企业建立质量管理体系。',
  },
  {
    name: '高建平',
    gender: 'male',
    org: 'industry',
    employer: '鹭江机器人科技有限公司',
    jobTitle: '应用工程部经理',
    grade: 'senior_engineer',
    skills: [
      ['automation.robotics.robot-programming', 5],
      ['automation.robotics.machine-vision', 4],
      ['welding.advanced.robot-welding', 4],
      ['automation.robotics.cobot', 3],
    ],
    honours: [['innovation_talent', 'city', 2021]],
    districts: ['湖滨区'],
    parks: [LAKE_PARK],
    capacity: 2,
    bio: '工业机器人集成应用专家，擅长焊接与搬运机器人工作站调试。',
  },
  {
    name: '罗春梅',
    gender: 'female',
    org: 'city',
    employer: '鹭江节能服务有限公司',
    jobTitle: '能源审计师',
    grade: 'engineer',
    skills: [
      ['energy.efficiency.energy-audit', 5],
      ['energy.efficiency.compressed-air', 4],
      ['energy.efficiency.lighting-retrofit', 4],
      ['energy.efficiency.hvac-efficiency', 3],
    ],
    honours: [['craftsman', 'city', 2022]],
    districts: ['海湾区', '鹭岛区'],
    capacity: 2,
    bio: '完成企业能源审计 120 余项，平均节能率 12%。',
  },
  {
    name: '梁永刚',
    gender: 'male',
    org: 'city',
    employer: '鹭江储能技术有限公司',
    jobTitle: '储能系统总工',
    grade: 'professor_engineer',
    skills: [
      ['energy.storage.battery-storage-design', 5],
      ['energy.storage.bms', 5],
      ['energy.storage.storage-safety', 5],
    ],
    honours: [['may_day_medal', 'national', 2023]],
    districts: ['海湾区', '湖滨区'],
    parks: [HIGH_TECH_PARK],
    weekdays: [1, 2, 3, 4],
    capacity: 1,
    bio: '工商业储能系统设计与安全评估专家。',
  },
  {
    name: '宋玉洁',
    gender: 'female',
    org: 'city',
    employer: '鹭江充电设施运营有限公司',
    jobTitle: '运维主管',
    grade: 'technician',
    skills: [
      ['energy.ev-charging.charger-installation', 5],
      ['energy.ev-charging.charger-maintenance', 5],
      ['energy.ev-charging.load-management', 3],
    ],
    districts: ['鹭岛区', '翔云区'],
    capacity: 2,
    bio: '负责全市 1500 余台充电桩的运维。',
  },
  {
    name: '唐振东',
    gender: 'male',
    org: 'industry',
    employer: '鹭江钢结构工程有限公司',
    jobTitle: '安装公司副经理',
    grade: 'senior_technician',
    skills: [
      ['energy.pv.pv-operation', 4],
      ['energy.pv.module-testing', 4],
      ['safety.hazards.work-at-height', 5],
      ['safety.machinery.lifting', 4],
    ],
    honours: [['craftsman', 'city', 2019]],
    districts: ['翔云区', '海湾区'],
    parks: [PORT_PARK],
    capacity: 2,
    blackouts: [['2027-01-20', '2027-02-05', '春节返乡']],
    bio: '新能源电站建设与高处作业安全管理经验丰富。',
  },
  {
    name: '许文静',
    gender: 'female',
    org: 'city',
    employer: '鹭江市职业病防治院',
    jobTitle: '职业卫生科主任',
    grade: 'senior_engineer',
    skills: [
      ['health.hazards.noise', 4],
      ['health.hazards.dust', 5],
      ['health.surveillance.health-checks', 4],
      ['health.surveillance.ppe', 4],
    ],
    districts: ['湖滨区', '海湾区'],
    capacity: 2,
    bio: '职业病危害因素检测与防治专家。',
  },
  {
    name: '韩德明',
    gender: 'male',
    org: 'industry',
    employer: '鹭江冶金设备厂',
    jobTitle: '液压技师',
    grade: 'technician',
    skills: [
      ['automation.fluid-power.hydraulic-diagnosis', 5],
      ['automation.fluid-power.pneumatics', 4],
      ['automation.fluid-power.lubrication', 4],
    ],
    honours: [['craftsman', 'city', 2018]],
    districts: ['翔云区'],
    parks: [PORT_PARK],
    capacity: 2,
    status: 'paused',
    bio: '液压系统故障诊断能手（目前暂停接受服务）。',
  },
  {
    name: '冯雪梅',
    gender: 'female',
    org: 'city',
    employer: '鹭江精益管理咨询有限公司',
    jobTitle: '精益顾问',
    grade: 'engineer',
    skills: [
      ['management.lean.5s', 5],
      ['management.lean.value-stream', 4],
      ['management.lean.kaizen', 5],
      ['management.team.team-leader', 4],
    ],
    honours: [['city_model_worker', 'city', 2021]],
    districts: ['海湾区', '湖滨区', '鹭岛区'],
    capacity: 3,
    bio: '推动 40 余家企业开展 6S 与持续改善活动。',
  },
  {
    name: '曹国华',
    gender: 'male',
    org: 'industry',
    employer: '鹭江汽车零部件有限公司',
    jobTitle: '设备部部长',
    grade: 'senior_engineer',
    skills: [
      ['management.lean.tpm', 5],
      ['digital.iiot.data-acquisition', 4],
      ['digital.iiot.predictive-maintenance', 4],
      ['quality.systems.iatf-16949', 3],
    ],
    honours: [['provincial_model_worker', 'provincial', 2017]],
    districts: ['湖滨区'],
    parks: [LAKE_PARK],
    capacity: 2,
    bio: 'TPM 与设备数字化管理专家。',
  },
  {
    name: '邓丽君',
    gender: 'female',
    org: 'city',
    employer: '鹭江工业互联网研究院',
    jobTitle: '解决方案架构师',
    grade: 'senior_engineer',
    skills: [
      ['digital.mes.mes-implementation', 5],
      ['digital.mes.traceability', 4],
      ['digital.data.dashboards', 4],
      ['digital.data.analytics', 4],
    ],
    districts: ['湖滨区', '海湾区'],
    parks: [LAKE_PARK, HIGH_TECH_PARK],
    weekdays: [1, 2, 3, 4, 5],
    capacity: 3,
    bio: '中小企业数字化转型顾问，实施 MES 项目 25 个。',
  },
  {
    name: '彭志刚',
    gender: 'male',
    org: 'industry',
    employer: '鹭江模具有限公司',
    jobTitle: '模具钳工',
    grade: 'senior_technician',
    skills: [
      ['machining.tooling.mould-repair', 5],
      ['machining.precision.fitting', 5],
      ['machining.tooling.fixture-design', 4],
      ['machining.tooling.smed', 3],
    ],
    honours: [
      ['great_craftsman', 'national', 2022],
      ['innovation_studio_lead', 'provincial', 2019],
    ],
    districts: ['海湾区'],
    parks: [HIGH_TECH_PARK],
    capacity: 1,
    bio: '模具钳工大师，“大国工匠”，带徒 60 余人。',
  },
  {
    name: '曾秋菊',
    gender: 'female',
    org: 'industry',
    employer: '鹭江精密仪器有限公司',
    jobTitle: '计量检测工程师',
    grade: 'engineer',
    skills: [
      ['quality.inspection.cmm', 5],
      ['machining.precision.measurement', 5],
      ['quality.tools.msa', 4],
      ['quality.inspection.gauge-calibration', 4],
    ],
    districts: ['海湾区', '湖滨区'],
    capacity: 2,
    bio: '精密测量与测量系统分析专家。',
  },
  {
    name: '蒋卫东',
    gender: 'male',
    org: 'city',
    employer: '鹭江消防技术服务有限公司',
    jobTitle: '技术负责人',
    grade: 'senior_engineer',
    skills: [
      ['safety.fire.fire-systems', 5],
      ['safety.fire.evacuation', 4],
      ['safety.fire.emergency-drill', 5],
    ],
    honours: [['craftsman', 'city', 2020]],
    districts: ['鹭岛区', '翔云区', '海湾区'],
    capacity: 3,
    bio: '消防设施检测与应急演练组织专家。',
  },
  {
    name: '沈玉兰',
    gender: 'female',
    org: 'city',
    employer: '鹭江化工园区安全服务中心',
    jobTitle: '工艺安全专家',
    grade: 'professor_engineer',
    skills: [
      ['chemical.process-safety.hazop', 5],
      ['chemical.process-safety.psm', 5],
      ['chemical.hazmat.storage', 4],
      ['chemical.hazmat.leak-response', 4],
    ],
    honours: [['may_day_medal', 'national', 2018]],
    districts: ['翔云区'],
    weekdays: [1, 2, 3],
    capacity: 1,
    blackouts: [['2026-12-07', '2026-12-11', '省级安全检查']],
    bio: '化工过程安全管理专家，主持 HAZOP 分析百余次。',
  },
  {
    name: '杜建军',
    gender: 'male',
    org: 'industry',
    employer: '鹭江电气成套设备有限公司',
    jobTitle: '电气高级技师',
    grade: 'senior_technician',
    skills: [
      ['power.equipment.switchgear-maintenance', 5],
      ['power.distribution.relay-protection', 4],
      ['power.distribution.low-voltage-design', 4],
      ['power.equipment.distribution-box-diagnosis', 4],
    ],
    honours: [['craftsman', 'city', 2021]],
    districts: ['海湾区', '湖滨区'],
    parks: [HIGH_TECH_PARK],
    capacity: 2,
    bio: '高低压成套设备装调与检修专家。',
  },
  {
    name: '叶小红',
    gender: 'female',
    org: 'city',
    employer: '鹭江市总工会职工技能培训中心',
    jobTitle: '培训部主任',
    grade: 'senior_technician',
    skills: [
      ['training.vocational.skill-grading', 5],
      ['training.vocational.apprenticeship', 4],
      ['training.courses.trainers', 5],
      ['training.certification.electrician', 4],
    ],
    honours: [['city_model_worker', 'city', 2020]],
    districts: ['海湾区', '湖滨区', '翔云区', '鹭岛区'],
    weekdays: [1, 2, 3, 4, 5, 6],
    capacity: 4,
    bio: '职业技能等级认定与内训师培养专家。',
  },
  {
    name: '潘国良',
    gender: 'male',
    org: 'industry',
    employer: '鹭江焊接技术有限公司',
    jobTitle: '焊接机器人工程师',
    grade: 'engineer',
    skills: [
      ['welding.advanced.robot-welding', 5],
      ['welding.advanced.laser-welding', 4],
      ['welding.materials.aluminium', 4],
    ],
    districts: ['湖滨区'],
    parks: [LAKE_PARK],
    capacity: 2,
    bio: '焊接自动化改造与铝合金焊接工艺专家。',
  },
  {
    name: '袁桂芳',
    gender: 'female',
    org: 'industry',
    employer: '鹭江机械制造有限公司',
    jobTitle: '班组长',
    grade: 'technician',
    skills: [
      ['management.team.team-leader', 5],
      ['management.team.standard-work', 5],
      ['management.team.shift-handover', 4],
      ['quality.tools.qc-circle', 4],
    ],
    honours: [['craftsman', 'city', 2022]],
    districts: ['海湾区'],
    capacity: 2,
    bio: '班组建设标兵，QC 小组成果多次获省级奖项。',
  },
  {
    name: '于海波',
    gender: 'male',
    org: 'city',
    employer: '鹭江起重机械检验所',
    jobTitle: '检验师',
    grade: 'engineer',
    skills: [
      ['safety.machinery.lifting', 5],
      ['safety.machinery.forklift', 4],
      ['training.certification.special-equipment', 4],
    ],
    districts: ['翔云区', '海湾区'],
    parks: [PORT_PARK],
    capacity: 3,
    bio: '起重机械与厂内机动车辆安全检验专家。',
  },
  {
    name: '董淑珍',
    gender: 'female',
    org: 'city',
    employer: '鹭江环保科技有限公司',
    jobTitle: '环保工程师',
    grade: 'senior_engineer',
    skills: [
      ['chemical.environment.wastewater', 5],
      ['chemical.environment.vocs', 4],
      ['chemical.environment.solid-waste', 4],
    ],
    districts: ['翔云区', '鹭岛区'],
    capacity: 2,
    bio: '工业废水与废气治理方案设计专家。',
  },
  {
    name: '钟伟明',
    gender: 'male',
    org: 'industry',
    employer: '鹭江精密机械有限公司',
    jobTitle: '数控车间主任',
    grade: 'senior_technician',
    skills: [
      ['machining.cnc.cnc-programming', 5],
      ['machining.cnc.cam-software', 5],
      ['machining.cnc.five-axis', 5],
      ['machining.precision.grinding', 3],
    ],
    honours: [
      ['national_model_worker', 'national', 2020],
      ['chief_technician', 'enterprise', 2015],
    ],
    districts: ['海湾区'],
    parks: [HIGH_TECH_PARK],
    capacity: 1,
    blackouts: [['2026-12-01', '2026-12-04', '全国劳模座谈会']],
    bio: '五轴数控加工专家，全国劳动模范。',
  },
  {
    name: '萧晓玲',
    gender: 'female',
    org: 'city',
    employer: '鹭江知识产权服务中心',
    jobTitle: '专利代理师',
    grade: 'engineer',
    skills: [
      ['management.innovation.patents', 5],
      ['management.innovation.suggestions', 4],
      ['management.innovation.innovation-studio', 4],
    ],
    districts: ['湖滨区', '海湾区'],
    capacity: 3,
    bio: '帮助职工创新成果申请专利 300 余项。',
  },
  {
    name: '程建设',
    gender: 'male',
    org: 'industry',
    employer: '鹭江变压器有限公司',
    jobTitle: '试验站站长',
    grade: 'senior_engineer',
    skills: [
      ['power.equipment.transformer-maintenance', 5],
      ['power.distribution.substation-operation', 4],
      ['power.equipment.infrared-thermography', 4],
    ],
    honours: [['craftsman', 'provincial', 2021]],
    districts: ['海湾区', '翔云区'],
    capacity: 2,
    bio: '变压器试验与运维专家。',
  },
  {
    name: '谢丽萍',
    gender: 'female',
    org: 'city',
    employer: '鹭江人机工效研究所',
    jobTitle: '研究员',
    grade: 'professor_engineer',
    skills: [
      ['health.hazards.ergonomics', 5],
      ['management.team.standard-work', 3],
    ],
    districts: ['湖滨区'],
    weekdays: [2, 4],
    capacity: 1,
    bio: '岗位人机工效评估与改善专家。',
  },
  {
    name: '田宏伟',
    gender: 'male',
    org: 'industry',
    employer: '鹭江电气设备有限公司',
    jobTitle: '电工',
    grade: 'senior_worker',
    skills: [
      ['power.equipment.leakage-protector-testing', 4],
      ['safety.electrical.lockout-tagout', 4],
      ['safety.electrical.live-work', 3],
    ],
    districts: ['海湾区'],
    parks: [HIGH_TECH_PARK],
    capacity: 2,
    bio: '青年电工骨干，擅长漏电保护器检测与上锁挂牌管理。',
  },
  {
    name: '任春花',
    gender: 'female',
    org: 'industry',
    employer: '鹭江钣金制品有限公司',
    jobTitle: '激光切割班长',
    grade: 'technician',
    skills: [
      ['machining.sheet-metal.laser-cutting', 5],
      ['machining.sheet-metal.unfolding', 4],
    ],
    honours: [['craftsman', 'city', 2023]],
    districts: ['翔云区', '海湾区'],
    parks: [PORT_PARK],
    capacity: 2,
    bio: '激光切割工艺能手，擅长薄板高精度切割。',
  },
  {
    name: '姚国栋',
    gender: 'male',
    org: 'city',
    employer: '鹭江软件园',
    jobTitle: '工业软件工程师',
    grade: 'engineer',
    skills: [
      ['digital.industrial-software.cad', 5],
      ['digital.industrial-software.cae', 4],
      ['digital.industrial-software.plm', 3],
    ],
    districts: ['鹭岛区', '湖滨区'],
    capacity: 2,
    bio: '三维设计与仿真分析应用专家。',
  },
  {
    name: '方淑贞',
    gender: 'female',
    org: 'city',
    employer: '鹭江企业管理协会',
    jobTitle: '成本管理顾问',
    grade: 'senior_engineer',
    skills: [
      ['management.planning.cost-control', 5],
      ['management.planning.inventory', 4],
      ['management.planning.scheduling', 4],
    ],
    districts: ['海湾区', '湖滨区'],
    capacity: 2,
    status: 'paused',
    bio: '生产计划与成本控制顾问（休假中，暂停服务）。',
  },
]

/** Three demo service teams, led by a profile of the list (names as above). */
const DEMO_TEAMS: {
  name: string
  org: Org
  leader: string
  members: string[]
  capacity: number
  bio: string
}[] = [
  {
    name: '配电设备健康诊断服务队',
    org: 'industry',
    leader: '王建国',
    members: ['杜建军', '陈立新', '田宏伟', '程建设'],
    capacity: 2,
    bio: '为园区企业开展配电箱、漏电保护器和供电线路健康诊断。',
  },
  {
    name: '数控钣金工艺攻关小分队',
    org: 'industry',
    leader: '李秀英',
    members: ['林海燕', '任春花', '钟伟明'],
    capacity: 1,
    bio: '数控折弯、激光切割与钣金展开工艺攻关。',
  },
  {
    name: '新能源建设服务队',
    org: 'city',
    leader: '赵海峰',
    members: ['梁永刚', '唐振东', '宋玉洁'],
    capacity: 2,
    bio: '屋顶光伏、储能和充电设施建设咨询。',
  },
]

async function orgIdByName(db: DbOrTrx, name: string): Promise<number> {
  const row = await db
    .selectFrom('union_org')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
  return row.id
}

/** Invented mobiles 139 5930 0001… in list order. */
export const demoExpertMobile = (index: number) => `1395930${String(index + 1).padStart(4, '0')}`

/**
 * Seeds the pool once (nothing when experts exist already). The demo expert
 * users: `users.expert` exists already (seedDemo); expert2 and expert3 are
 * created here with `password` and the expert role in the industry / city
 * federation.
 */
export async function seedTalent(
  db: Db,
  password: string,
  users: { expert: string; expert2: string; expert3: string },
): Promise<void> {
  const any = await db.selectFrom('expert').select('id').limit(1).executeTakeFirst()
  if (any) return
  const skills = await db.selectFrom('skill').select(['id', 'code']).execute()
  const skillId = new Map(skills.map((s) => [s.code, s.id]))
  await db.transaction().execute(async (trx) => {
    const orgs: Record<Org, number> = {
      city: await orgIdByName(trx, '鹭江市总工会'),
      industry: await orgIdByName(trx, '鹭江市机电冶金产业工会联合会'),
    }
    const accounts: Record<'expert' | 'expert2' | 'expert3', number> = {
      expert: (
        await trx
          .selectFrom('app_user')
          .select('id')
          .where('email', '=', users.expert)
          .executeTakeFirstOrThrow()
      ).id,
      expert2: (
        await makeUser(trx, {
          email: users.expert2,
          name: '李秀英',
          password,
          role: 'expert',
          orgId: orgs.industry,
        })
      ).id,
      expert3: (
        await makeUser(trx, {
          email: users.expert3,
          name: '赵海峰',
          password,
          role: 'expert',
          orgId: orgs.city,
        })
      ).id,
    }
    const ids = new Map<string, number>()
    for (const [i, e] of DEMO_EXPERTS.entries()) {
      const expert = await makeExpert(trx, {
        orgId: orgs[e.org],
        userId: e.account ? accounts[e.account] : null,
        name: e.name,
        mobile: demoExpertMobile(i),
        gender: e.gender,
        employer: e.employer,
        jobTitle: e.jobTitle,
        grade: e.grade,
        districts: e.districts,
        parks: e.parks ?? [],
        weekdays: e.weekdays ?? [1, 2, 3, 4, 5],
        capacity: e.capacity ?? 2,
        status: e.status ?? 'active',
        bio: e.bio,
        skills: e.skills.map(([code, proficiency]) => {
          const id = skillId.get(code)
          if (id === undefined) throw new Error(`talent seed: no skill ${code}`)
          return { skillId: id, proficiency }
        }),
        honours: (e.honours ?? []).map(([type, level, year]) => ({ type, level, year })),
        blackouts: (e.blackouts ?? []).map(([startsOn, endsOn, note]) => ({
          startsOn,
          endsOn,
          note,
        })),
      })
      ids.set(e.name, expert.id)
    }
    const idOf = (name: string) => {
      const id = ids.get(name)
      if (id === undefined) throw new Error(`talent seed: no expert ${name}`)
      return id
    }
    for (const team of DEMO_TEAMS) {
      const made = await makeServiceTeam(trx, {
        orgId: orgs[team.org],
        name: team.name,
        leaderId: idOf(team.leader),
        memberIds: team.members.map(idOf),
        capacity: team.capacity,
      })
      await trx
        .updateTable('service_team')
        .set({ bio: team.bio })
        .where('id', '=', made.id)
        .execute()
    }
  })
}

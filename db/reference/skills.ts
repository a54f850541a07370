/**
 * The skills taxonomy the programme starts with: domain → field → skill.
 *
 * A node's stable code is its segments joined with dots, e.g.
 * 'power.equipment.distribution-box-diagnosis'. Codes never change once
 * shipped (need items and expert profiles point at the rows); a renamed
 * segment would be a new node. syncReferenceData inserts the nodes that are
 * missing and leaves existing rows alone.
 */

type Names = readonly [zh: string, en: string]

interface SkillNode {
  key: string
  name: Names
}
interface FieldNode extends SkillNode {
  skills: readonly SkillNode[]
}
interface DomainNode extends SkillNode {
  fields: readonly FieldNode[]
}

const s = (key: string, zh: string, en: string): SkillNode => ({ key, name: [zh, en] })
const field = (key: string, zh: string, en: string, skills: SkillNode[]): FieldNode => ({
  key,
  name: [zh, en],
  skills,
})
const domain = (key: string, zh: string, en: string, fields: FieldNode[]): DomainNode => ({
  key,
  name: [zh, en],
  fields,
})

export const SKILL_TAXONOMY: readonly DomainNode[] = [
  domain('power', '供配电与电气设备', 'Power supply and electrical equipment', [
    field('equipment', '电气设备运维', 'Electrical equipment maintenance', [
      s('distribution-box-diagnosis', '配电箱健康诊断', 'Distribution box health diagnosis'),
      s('leakage-protector-testing', '漏电保护器检测', 'Residual-current device testing'),
      s('transformer-maintenance', '变压器运行维护', 'Transformer operation and maintenance'),
      s('switchgear-maintenance', '高低压开关柜检修', 'HV/LV switchgear overhaul'),
      s('cable-fault-location', '电缆故障定位', 'Cable fault location'),
      s('infrared-thermography', '红外测温诊断', 'Infrared thermography'),
    ]),
    field('power-quality', '电能质量', 'Power quality', [
      s('harmonic-analysis', '谐波分析与治理', 'Harmonic analysis and mitigation'),
      s('reactive-compensation', '无功补偿', 'Reactive power compensation'),
      s('voltage-sag', '电压暂降治理', 'Voltage sag mitigation'),
      s('monitoring', '电能质量监测', 'Power quality monitoring'),
    ]),
    field('distribution', '供配电系统', 'Power distribution systems', [
      s('low-voltage-design', '低压配电系统设计', 'Low-voltage distribution design'),
      s('supply-line-inspection', '供电线路巡检', 'Supply line inspection'),
      s('grounding-lightning', '接地与防雷检测', 'Earthing and lightning protection testing'),
      s('relay-protection', '继电保护整定', 'Protection relay settings'),
      s('substation-operation', '变配电所运行管理', 'Substation operation'),
    ]),
    field('motors', '电机与驱动', 'Motors and drives', [
      s('motor-fault-diagnosis', '电机故障诊断', 'Motor fault diagnosis'),
      s('vfd-tuning', '变频器调试', 'Variable-frequency drive tuning'),
      s('motor-rewinding', '电机绕组修复', 'Motor rewinding'),
      s('soft-starter', '软启动与电机节能改造', 'Soft starters and motor efficiency retrofits'),
    ]),
  ]),
  domain('energy', '新能源与节能', 'New energy and energy saving', [
    field('pv', '光伏发电', 'Photovoltaics', [
      s('rooftop-pv-design', '分布式屋顶光伏设计', 'Rooftop distributed PV design'),
      s('grid-connection', '光伏并网方案', 'PV grid connection'),
      s('pv-operation', '光伏电站运维', 'PV plant operation and maintenance'),
      s('module-testing', '光伏组件检测（EL/IV）', 'PV module testing (EL/IV)'),
    ]),
    field('storage', '储能', 'Energy storage', [
      s('battery-storage-design', '储能系统设计', 'Battery storage system design'),
      s('bms', '电池管理系统', 'Battery management systems'),
      s('storage-safety', '储能安全评估', 'Energy storage safety assessment'),
    ]),
    field('ev-charging', '充电设施', 'EV charging', [
      s('charger-installation', '充电桩安装', 'Charger installation'),
      s('charger-maintenance', '充电桩运维', 'Charger maintenance'),
      s('load-management', '充电负荷管理', 'Charging load management'),
    ]),
    field('efficiency', '节能降耗', 'Energy efficiency', [
      s('energy-audit', '能源审计', 'Energy audit'),
      s('compressed-air', '空压系统节能', 'Compressed-air system efficiency'),
      s('waste-heat-recovery', '余热回收', 'Waste heat recovery'),
      s('lighting-retrofit', '照明节能改造', 'Lighting retrofit'),
      s('hvac-efficiency', '暖通空调节能', 'HVAC efficiency'),
    ]),
  ]),
  domain('machining', '机械加工', 'Machining, CNC and sheet metal', [
    field('cnc', '数控加工', 'CNC machining', [
      s('cnc-programming', '数控编程', 'CNC programming'),
      s('five-axis', '五轴加工', 'Five-axis machining'),
      s('cnc-maintenance', '数控机床维修', 'CNC machine repair'),
      s('cam-software', 'CAM 软件应用', 'CAM software'),
      s('tool-management', '刀具选型与寿命管理', 'Cutting tool selection and life management'),
    ]),
    field('sheet-metal', '钣金加工', 'Sheet metal', [
      s('press-brake', '数控折弯', 'CNC press brake bending'),
      s('laser-cutting', '激光切割', 'Laser cutting'),
      s('punching', '数控冲压', 'CNC punching'),
      s('unfolding', '钣金展开与工艺设计', 'Flat-pattern development and process design'),
      s('stamping-die', '冲压模具', 'Stamping dies'),
    ]),
    field('precision', '精密加工与装配', 'Precision machining and assembly', [
      s('grinding', '精密磨削', 'Precision grinding'),
      s('fitting', '钳工装配', 'Bench fitting and assembly'),
      s('measurement', '精密测量', 'Precision measurement'),
      s('tolerance-analysis', '公差分析', 'Tolerance analysis'),
    ]),
    field('tooling', '工装与模具', 'Tooling and moulds', [
      s('fixture-design', '夹具设计', 'Fixture design'),
      s('mould-repair', '模具维修', 'Mould repair'),
      s('smed', '快速换型（SMED）', 'Quick changeover (SMED)'),
    ]),
  ]),
  domain('welding', '焊接', 'Welding', [
    field('arc', '电弧焊', 'Arc welding', [
      s('gmaw', '熔化极气体保护焊', 'Gas metal arc welding (MIG/MAG)'),
      s('gtaw', '钨极氩弧焊', 'Gas tungsten arc welding (TIG)'),
      s('smaw', '焊条电弧焊', 'Shielded metal arc welding'),
      s('saw', '埋弧焊', 'Submerged arc welding'),
    ]),
    field('advanced', '先进焊接', 'Advanced welding', [
      s('robot-welding', '焊接机器人编程', 'Welding robot programming'),
      s('laser-welding', '激光焊接', 'Laser welding'),
      s('friction-stir', '搅拌摩擦焊', 'Friction stir welding'),
    ]),
    field('materials', '材料焊接', 'Welding of materials', [
      s('stainless-steel', '不锈钢焊接', 'Stainless steel welding'),
      s('aluminium', '铝合金焊接', 'Aluminium alloy welding'),
      s('pressure-vessel', '压力容器焊接', 'Pressure vessel welding'),
      s('pipe', '管道焊接', 'Pipe welding'),
    ]),
    field('quality', '焊接质量', 'Weld quality', [
      s('wps-pqr', '焊接工艺评定', 'Welding procedure qualification (WPS/PQR)'),
      s('ndt', '无损检测（UT/RT/MT/PT）', 'Non-destructive testing (UT/RT/MT/PT)'),
      s('defect-analysis', '焊接缺陷分析', 'Weld defect analysis'),
      s('distortion-control', '焊接变形控制', 'Welding distortion control'),
    ]),
  ]),
  domain('automation', '自动化与机器人', 'Automation and robotics', [
    field('plc', 'PLC 与控制系统', 'PLC and control systems', [
      s('plc-programming', 'PLC 编程', 'PLC programming'),
      s('hmi-scada', '组态与 SCADA', 'HMI and SCADA'),
      s('motion-control', '运动控制', 'Motion control'),
      s('fieldbus', '工业总线与网络', 'Fieldbus and industrial networks'),
    ]),
    field('robotics', '工业机器人', 'Industrial robots', [
      s('robot-programming', '工业机器人编程', 'Industrial robot programming'),
      s('robot-maintenance', '机器人维护保养', 'Robot maintenance'),
      s('machine-vision', '机器视觉', 'Machine vision'),
      s('cobot', '协作机器人应用', 'Collaborative robots'),
    ]),
    field('instrumentation', '仪器仪表', 'Instrumentation', [
      s('calibration', '传感器与仪表校准', 'Sensor and instrument calibration'),
      s('process-control', '过程控制（PID）', 'Process control (PID)'),
      s('dcs', 'DCS 系统', 'Distributed control systems'),
    ]),
    field('fluid-power', '液压与气动', 'Hydraulics and pneumatics', [
      s('hydraulic-diagnosis', '液压系统故障诊断', 'Hydraulic fault diagnosis'),
      s('pneumatics', '气动系统', 'Pneumatic systems'),
      s('lubrication', '润滑管理', 'Lubrication management'),
    ]),
  ]),
  domain('quality', '质量管理', 'Quality', [
    field('systems', '质量体系', 'Quality systems', [
      s('iso-9001', 'ISO 9001 质量管理体系', 'ISO 9001 quality management'),
      s('iatf-16949', 'IATF 16949 汽车质量体系', 'IATF 16949 automotive quality'),
      s('internal-audit', '体系内审', 'Internal audit'),
    ]),
    field('tools', '质量工具', 'Quality tools', [
      s('spc', '统计过程控制（SPC）', 'Statistical process control (SPC)'),
      s('fmea', '失效模式分析（FMEA）', 'Failure mode and effects analysis (FMEA)'),
      s('msa', '测量系统分析（MSA）', 'Measurement system analysis (MSA)'),
      s('six-sigma', '六西格玛', 'Six Sigma'),
      s('qc-circle', 'QC 小组活动', 'QC circles'),
    ]),
    field('inspection', '检验检测', 'Inspection and testing', [
      s('incoming-inspection', '来料检验', 'Incoming inspection'),
      s('cmm', '三坐标测量', 'Coordinate measuring machines'),
      s('gauge-calibration', '计量器具校准', 'Gauge calibration'),
    ]),
  ]),
  domain('safety', '安全生产', 'Work safety', [
    field('electrical', '电气安全', 'Electrical safety', [
      s('electrical-inspection', '电气安全检查', 'Electrical safety inspection'),
      s('live-work', '带电作业安全', 'Live working safety'),
      s('lockout-tagout', '上锁挂牌（LOTO）', 'Lockout/tagout'),
    ]),
    field('hazards', '隐患排查治理', 'Hazard identification and control', [
      s('hazard-identification', '危险源辨识', 'Hazard identification'),
      s('risk-grading', '风险分级管控', 'Risk grading and control'),
      s('confined-space', '有限空间作业', 'Confined space work'),
      s('work-at-height', '高处作业', 'Work at height'),
    ]),
    field('fire', '消防与应急', 'Fire and emergency', [
      s('fire-systems', '消防设施检查', 'Fire protection system inspection'),
      s('emergency-drill', '应急预案与演练', 'Emergency plans and drills'),
      s('evacuation', '疏散管理', 'Evacuation management'),
    ]),
    field('machinery', '机械安全', 'Machinery safety', [
      s('guarding', '机械防护', 'Machine guarding'),
      s('lifting', '起重作业安全', 'Lifting operations safety'),
      s('forklift', '厂内机动车辆安全', 'Forklift and in-plant vehicle safety'),
    ]),
  ]),
  domain('chemical', '化工与过程安全', 'Chemical and process safety', [
    field('process-safety', '工艺安全', 'Process safety', [
      s('hazop', 'HAZOP 分析', 'HAZOP studies'),
      s('sis', '安全仪表系统', 'Safety instrumented systems'),
      s('psm', '工艺安全管理', 'Process safety management'),
    ]),
    field('hazmat', '危险化学品', 'Hazardous chemicals', [
      s('storage', '危化品储存管理', 'Hazardous chemical storage'),
      s('sds', '化学品安全技术说明书', 'Safety data sheets'),
      s('leak-response', '泄漏应急处置', 'Leak emergency response'),
    ]),
    field('environment', '环保治理', 'Environmental protection', [
      s('wastewater', '废水处理', 'Wastewater treatment'),
      s('vocs', '废气（VOCs）治理', 'VOC exhaust treatment'),
      s('solid-waste', '固废管理', 'Solid waste management'),
    ]),
  ]),
  domain('digital', '数字化与工业软件', 'Digital and industrial software', [
    field('mes', '生产管理系统', 'Manufacturing systems', [
      s('mes-implementation', 'MES 实施', 'MES implementation'),
      s('erp-integration', 'ERP 集成', 'ERP integration'),
      s('traceability', '条码追溯', 'Barcode traceability'),
    ]),
    field('iiot', '工业物联网', 'Industrial IoT', [
      s('data-acquisition', '设备数据采集', 'Machine data acquisition'),
      s('predictive-maintenance', '预测性维护', 'Predictive maintenance'),
      s('edge-computing', '边缘计算', 'Edge computing'),
    ]),
    field('industrial-software', '工业软件', 'Industrial software', [
      s('cad', '三维 CAD 建模', '3D CAD modelling'),
      s('cae', '仿真分析（CAE）', 'Simulation (CAE)'),
      s('plm', '产品生命周期管理（PLM）', 'Product lifecycle management (PLM)'),
    ]),
    field('data', '数据分析', 'Data analysis', [
      s('dashboards', '生产看板', 'Production dashboards'),
      s('analytics', '工业数据分析', 'Industrial data analytics'),
      s('ai-inspection', 'AI 视觉检测', 'AI visual inspection'),
    ]),
  ]),
  domain('management', '管理提升与班组建设', 'Management and team building', [
    field('lean', '精益生产', 'Lean production', [
      s('5s', '5S/6S 现场管理', '5S/6S workplace organisation'),
      s('value-stream', '价值流分析', 'Value stream mapping'),
      s('kaizen', '持续改善', 'Kaizen'),
      s('tpm', '全员生产维护（TPM）', 'Total productive maintenance (TPM)'),
    ]),
    field('team', '班组建设', 'Team building', [
      s('team-leader', '班组长能力提升', 'Team leader development'),
      s('shift-handover', '交接班管理', 'Shift handover'),
      s('standard-work', '标准化作业', 'Standard work'),
    ]),
    field('planning', '生产计划与成本', 'Planning and cost', [
      s('scheduling', '生产排程', 'Production scheduling'),
      s('inventory', '库存管理', 'Inventory management'),
      s('cost-control', '成本控制', 'Cost control'),
    ]),
    field('innovation', '创新管理', 'Innovation', [
      s('innovation-studio', '劳模创新工作室建设', 'Model-worker innovation studios'),
      s('patents', '专利挖掘与申请', 'Patent filing'),
      s('suggestions', '合理化建议', 'Employee suggestion schemes'),
    ]),
  ]),
  domain('training', '技能培训', 'Skills training', [
    field('vocational', '职业技能', 'Vocational skills', [
      s('skill-grading', '职业技能等级认定', 'Vocational skill grading'),
      s('apprenticeship', '师带徒', 'Master–apprentice pairing'),
      s('competition', '技能竞赛辅导', 'Skills competition coaching'),
    ]),
    field('courses', '培训课程', 'Training courses', [
      s('curriculum', '培训课程开发', 'Curriculum development'),
      s('trainers', '内训师培养', 'In-house trainer development'),
      s('hands-on', '实操培训', 'Hands-on training'),
    ]),
    field('certification', '持证上岗', 'Certification', [
      s('electrician', '电工作业证培训', 'Electrician licence training'),
      s('welder', '焊工作业证培训', 'Welder licence training'),
      s('special-equipment', '特种设备作业培训', 'Special equipment operator training'),
    ]),
  ]),
  domain('health', '职业健康', 'Occupational health', [
    field('hazards', '职业病危害防治', 'Occupational hazard control', [
      s('noise', '噪声治理', 'Noise control'),
      s('dust', '粉尘防治', 'Dust control'),
      s('ergonomics', '人机工效', 'Ergonomics'),
    ]),
    field('surveillance', '健康监护', 'Health surveillance', [
      s('health-checks', '职业健康检查', 'Occupational health checks'),
      s('ppe', '个体防护装备', 'Personal protective equipment'),
    ]),
  ]),
]

export type SkillLevel = 'domain' | 'field' | 'skill'

/** One taxonomy node as a row to insert, parents before children. */
export interface ReferenceSkill {
  code: string
  parentCode: string | null
  level: SkillLevel
  nameZh: string
  nameEn: string
  position: number
}

/** The taxonomy flattened, parents before their children, positions within each parent. */
export function referenceSkills(
  taxonomy: readonly DomainNode[] = SKILL_TAXONOMY,
): ReferenceSkill[] {
  const rows: ReferenceSkill[] = []
  const node = (
    code: string,
    parentCode: string | null,
    level: SkillLevel,
    n: SkillNode,
    index: number,
  ): ReferenceSkill => ({
    code,
    parentCode,
    level,
    nameZh: n.name[0],
    nameEn: n.name[1],
    position: (index + 1) * 10,
  })
  taxonomy.forEach((d, di) => {
    rows.push(node(d.key, null, 'domain', d, di))
    d.fields.forEach((f, fi) => {
      const fieldCode = `${d.key}.${f.key}`
      rows.push(node(fieldCode, d.key, 'field', f, fi))
      f.skills.forEach((sk, si) => {
        rows.push(node(`${fieldCode}.${sk.key}`, fieldCode, 'skill', sk, si))
      })
    })
  })
  return rows
}

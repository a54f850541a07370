/**
 * The checklist templates (勘查清单模板) the programme starts with. Codes are
 * stable; federation admins may edit names, lines and ranges afterwards, and
 * syncReferenceData only inserts templates whose code is missing, so those
 * edits survive every start.
 */
export type ChecklistKind = 'check' | 'measurement' | 'count' | 'text'

export interface ReferenceTemplateItem {
  sectionZh: string
  sectionEn: string
  labelZh: string
  labelEn: string
  kind: ChecklistKind
  unit?: string
  min?: number
  max?: number
  guidanceZh?: string
  guidanceEn?: string
}

export interface ReferenceTemplate {
  code: string
  nameZh: string
  nameEn: string
  descriptionZh: string
  descriptionEn: string
  /** need_category.code the template usually serves. */
  category: string
  items: readonly ReferenceTemplateItem[]
}

const check = (
  sectionZh: string,
  sectionEn: string,
  labelZh: string,
  labelEn: string,
  guidanceZh?: string,
  guidanceEn?: string,
): ReferenceTemplateItem => ({
  sectionZh,
  sectionEn,
  labelZh,
  labelEn,
  kind: 'check',
  guidanceZh,
  guidanceEn,
})

const DISTRIBUTION = ['配电箱（柜）', 'Distribution boxes'] as const
const LEAKAGE = ['漏电保护器', 'Leakage protectors'] as const
const LINES = ['供电线路', 'Supply lines'] as const
const QUALITY = ['电能质量', 'Power quality'] as const

export const REFERENCE_TEMPLATES: readonly ReferenceTemplate[] = [
  {
    code: 'electrical_health',
    nameZh: '配电设备健康诊断',
    nameEn: 'Electrical equipment health diagnosis',
    descriptionZh: '配电箱、漏电保护器与供电线路的现场检查和电气参数测量。',
    descriptionEn:
      'On-site checks of distribution boxes, leakage protectors and supply lines, with electrical measurements.',
    category: 'equipment_diagnosis',
    items: [
      check(
        ...DISTRIBUTION,
        '箱体完好、门锁有效、无积尘进水',
        'Enclosure intact, lockable, free of dust and water',
      ),
      check(
        ...DISTRIBUTION,
        '回路标识清晰、与图纸一致',
        'Circuits clearly labelled and matching the drawings',
      ),
      check(
        ...DISTRIBUTION,
        '保护接地（PE）连接可靠',
        'Protective earth (PE) reliably connected',
        '目视检查并用万用表核对接地连续性。',
        'Inspect visually and confirm earth continuity with a multimeter.',
      ),
      {
        sectionZh: DISTRIBUTION[0],
        sectionEn: DISTRIBUTION[1],
        labelZh: '线电压',
        labelEn: 'Line voltage',
        kind: 'measurement',
        unit: 'V',
        min: 353.4,
        max: 406.6,
        guidanceZh: '380 V 系统允许偏差 ±7%。',
        guidanceEn: '380 V system, ±7% allowed.',
      },
      {
        sectionZh: DISTRIBUTION[0],
        sectionEn: DISTRIBUTION[1],
        labelZh: '频率',
        labelEn: 'Frequency',
        kind: 'measurement',
        unit: 'Hz',
        min: 49.5,
        max: 50.5,
      },
      {
        sectionZh: DISTRIBUTION[0],
        sectionEn: DISTRIBUTION[1],
        labelZh: '接线端子温度',
        labelEn: 'Terminal temperature',
        kind: 'measurement',
        unit: '°C',
        max: 70,
        guidanceZh: '红外测温，带载运行 30 分钟后测量。',
        guidanceEn: 'Infrared thermometer, after 30 minutes under load.',
      },
      check(
        ...LEAKAGE,
        '试验按钮动作正常',
        'Test button trips the device',
        '每台漏电保护器按试验按钮一次。',
        'Press the test button of every device once.',
      ),
      {
        sectionZh: LEAKAGE[0],
        sectionEn: LEAKAGE[1],
        labelZh: '漏电电流',
        labelEn: 'Leakage current',
        kind: 'measurement',
        unit: 'mA',
        max: 30,
        guidanceZh: '末端回路动作电流不应大于 30 mA。',
        guidanceEn: 'Final circuits: tripping current at most 30 mA.',
      },
      check(...LINES, '线缆无破损、老化、过热变色', 'Cables free of damage, ageing, heat marks'),
      {
        sectionZh: LINES[0],
        sectionEn: LINES[1],
        labelZh: '电缆温度',
        labelEn: 'Cable temperature',
        kind: 'measurement',
        unit: '°C',
        max: 70,
      },
      {
        sectionZh: LINES[0],
        sectionEn: LINES[1],
        labelZh: '绝缘电阻',
        labelEn: 'Insulation resistance',
        kind: 'measurement',
        unit: 'MΩ',
        min: 0.5,
        guidanceZh: '断电后用 500 V 兆欧表测量。',
        guidanceEn: 'De-energised, 500 V insulation tester.',
      },
      {
        sectionZh: QUALITY[0],
        sectionEn: QUALITY[1],
        labelZh: '电压总谐波畸变率',
        labelEn: 'Voltage total harmonic distortion',
        kind: 'measurement',
        unit: '%',
        max: 5,
        guidanceZh: '电能质量分析仪记录不少于 10 分钟。',
        guidanceEn: 'Record with a power-quality analyser for at least 10 minutes.',
      },
      {
        sectionZh: QUALITY[0],
        sectionEn: QUALITY[1],
        labelZh: '其他发现',
        labelEn: 'Other observations',
        kind: 'text',
      },
    ],
  },
  {
    code: 'new_energy_consulting',
    nameZh: '新能源建设咨询',
    nameEn: 'New-energy construction consulting',
    descriptionZh: '屋顶光伏、储能与用能情况的现场勘查。',
    descriptionEn: 'Site survey for rooftop PV, storage and energy use.',
    category: 'new_energy',
    items: [
      check(
        '屋面条件',
        'Roof',
        '屋面结构与荷载资料齐全',
        'Roof structure and load documents available',
      ),
      {
        sectionZh: '屋面条件',
        sectionEn: 'Roof',
        labelZh: '可利用屋面面积',
        labelEn: 'Usable roof area',
        kind: 'measurement',
        unit: 'm²',
        min: 0,
      },
      check('屋面条件', 'Roof', '无明显遮挡', 'No significant shading'),
      {
        sectionZh: '用能情况',
        sectionEn: 'Energy use',
        labelZh: '年用电量',
        labelEn: 'Annual consumption',
        kind: 'measurement',
        unit: 'kWh',
        min: 0,
      },
      {
        sectionZh: '用能情况',
        sectionEn: 'Energy use',
        labelZh: '变压器容量',
        labelEn: 'Transformer capacity',
        kind: 'measurement',
        unit: 'kVA',
        min: 0,
      },
      check(
        '并网与储能',
        'Grid and storage',
        '并网接入点已确认',
        'Grid connection point confirmed',
      ),
      check(
        '并网与储能',
        'Grid and storage',
        '储能设备安装位置满足消防要求',
        'Storage location meets fire-safety rules',
      ),
      {
        sectionZh: '并网与储能',
        sectionEn: 'Grid and storage',
        labelZh: '建议方案',
        labelEn: 'Recommended scheme',
        kind: 'text',
      },
    ],
  },
  {
    code: 'cnc_sheet_metal_review',
    nameZh: '数控钣金工艺评审',
    nameEn: 'CNC sheet-metal process review',
    descriptionZh: '数控冲剪折弯工艺、程序与质量控制的评审。',
    descriptionEn:
      'Review of CNC punching, cutting and bending processes, programs and quality control.',
    category: 'process_improvement',
    items: [
      check(
        '图纸与程序',
        'Drawings and programs',
        '展开图与折弯系数经过验证',
        'Flat patterns and bend allowances verified',
      ),
      check(
        '图纸与程序',
        'Drawings and programs',
        '数控程序有版本管理',
        'CNC programs under version control',
      ),
      check('设备', 'Machines', '折弯机模具完好、分类存放', 'Press-brake tools intact and sorted'),
      {
        sectionZh: '设备',
        sectionEn: 'Machines',
        labelZh: '折弯角度偏差',
        labelEn: 'Bend angle deviation',
        kind: 'measurement',
        unit: '°',
        min: -0.5,
        max: 0.5,
      },
      {
        sectionZh: '质量',
        sectionEn: 'Quality',
        labelZh: '首件尺寸偏差',
        labelEn: 'First-article dimensional deviation',
        kind: 'measurement',
        unit: 'mm',
        min: -0.2,
        max: 0.2,
      },
      {
        sectionZh: '质量',
        sectionEn: 'Quality',
        labelZh: '抽检不良件数',
        labelEn: 'Defective parts in the sample',
        kind: 'count',
        min: 0,
      },
      {
        sectionZh: '质量',
        sectionEn: 'Quality',
        labelZh: '工艺改进建议',
        labelEn: 'Process improvement suggestions',
        kind: 'text',
      },
    ],
  },
  {
    code: 'safety_walkthrough',
    nameZh: '安全生产巡查',
    nameEn: 'Workplace safety walk-through',
    descriptionZh: '车间安全通道、消防、防护用品与危险作业管理的巡查。',
    descriptionEn:
      'Walk-through of aisles, fire safety, protective equipment and hazardous work control.',
    category: 'safety',
    items: [
      check('现场', 'Shop floor', '安全通道畅通、标识清晰', 'Aisles clear and marked'),
      check(
        '消防',
        'Fire safety',
        '灭火器在有效期内、位置正确',
        'Extinguishers in date and in place',
      ),
      check(
        '消防',
        'Fire safety',
        '应急照明与疏散指示有效',
        'Emergency lights and exit signs working',
      ),
      check('防护', 'Protection', '作业人员正确佩戴防护用品', 'Workers wear the right PPE'),
      check('危险作业', 'Hazardous work', '检修执行上锁挂牌', 'Maintenance follows lockout-tagout'),
      {
        sectionZh: '隐患',
        sectionEn: 'Hazards',
        labelZh: '发现隐患数',
        labelEn: 'Hazards found',
        kind: 'count',
        min: 0,
      },
      {
        sectionZh: '隐患',
        sectionEn: 'Hazards',
        labelZh: '整改要求',
        labelEn: 'Corrective actions required',
        kind: 'text',
      },
    ],
  },
  {
    code: 'skills_training',
    nameZh: '技能培训',
    nameEn: 'Skills-training session',
    descriptionZh: '劳模工匠授课、实操指导与出勤登记。',
    descriptionEn: 'Teaching and hands-on coaching by model workers, with attendance.',
    category: 'skills_training',
    items: [
      {
        sectionZh: '出勤',
        sectionEn: 'Attendance',
        labelZh: '参训人数',
        labelEn: 'Attendees',
        kind: 'count',
        min: 0,
      },
      {
        sectionZh: '出勤',
        sectionEn: 'Attendance',
        labelZh: '授课场次',
        labelEn: 'Sessions',
        kind: 'count',
        min: 0,
      },
      {
        sectionZh: '出勤',
        sectionEn: 'Attendance',
        labelZh: '授课学时',
        labelEn: 'Teaching hours',
        kind: 'measurement',
        unit: 'h',
        min: 0,
      },
      check('内容', 'Content', '培训讲义已发放', 'Course materials handed out'),
      check('内容', 'Content', '包含实操演练', 'Includes hands-on practice'),
      {
        sectionZh: '效果',
        sectionEn: 'Results',
        labelZh: '考核合格人数',
        labelEn: 'Attendees who passed the assessment',
        kind: 'count',
        min: 0,
      },
      {
        sectionZh: '效果',
        sectionEn: 'Results',
        labelZh: '学员反馈',
        labelEn: 'Trainee feedback',
        kind: 'text',
      },
    ],
  },
]

/**
 * The need categories the programme starts with. Codes are stable (they are
 * stored on need items); names and order may be changed by federation admins
 * afterwards, and syncReferenceData never overwrites those edits.
 */
export interface ReferenceCategory {
  code: string
  nameZh: string
  nameEn: string
  position: number
}

export const REFERENCE_CATEGORIES: readonly ReferenceCategory[] = [
  { code: 'tech_breakthrough', nameZh: '技术攻关', nameEn: 'Technical breakthrough' },
  { code: 'equipment_diagnosis', nameZh: '设备诊断', nameEn: 'Equipment diagnosis' },
  { code: 'process_improvement', nameZh: '工艺改进', nameEn: 'Process improvement' },
  { code: 'skills_training', nameZh: '技能培训', nameEn: 'Skills training' },
  { code: 'management', nameZh: '管理提升/班组建设', nameEn: 'Management / team building' },
  { code: 'safety', nameZh: '安全生产', nameEn: 'Workplace safety' },
  { code: 'new_energy', nameZh: '新能源/节能', nameEn: 'New energy / energy saving' },
  { code: 'digital', nameZh: '数字化转型', nameEn: 'Digital transformation' },
  { code: 'occupational_health', nameZh: '职业健康', nameEn: 'Occupational health' },
  { code: 'other', nameZh: '其他', nameEn: 'Other' },
].map((c, i) => ({ ...c, position: (i + 1) * 10 }))

/**
 * Technical grades (技术等级): the vocational skill levels (职业技能等级) and
 * the engineering titles (工程技术职称). expert.grade stores the code.
 */
export const TECHNICAL_GRADES = [
  'special_technician',
  'senior_technician',
  'technician',
  'senior_worker',
  'intermediate_worker',
  'junior_worker',
  'professor_engineer',
  'senior_engineer',
  'engineer',
  'assistant_engineer',
] as const
export type TechnicalGrade = (typeof TECHNICAL_GRADES)[number]

export const TECHNICAL_GRADE_LABELS: Record<TechnicalGrade, { zh: string; en: string }> = {
  special_technician: { zh: '特级技师', en: 'Special-grade technician' },
  senior_technician: { zh: '高级技师', en: 'Senior technician' },
  technician: { zh: '技师', en: 'Technician' },
  senior_worker: { zh: '高级工', en: 'Senior worker' },
  intermediate_worker: { zh: '中级工', en: 'Intermediate worker' },
  junior_worker: { zh: '初级工', en: 'Junior worker' },
  professor_engineer: { zh: '正高级工程师', en: 'Professor-level senior engineer' },
  senior_engineer: { zh: '高级工程师', en: 'Senior engineer' },
  engineer: { zh: '工程师', en: 'Engineer' },
  assistant_engineer: { zh: '助理工程师', en: 'Assistant engineer' },
}

const fold = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase()

export function isTechnicalGrade(value: unknown): value is TechnicalGrade {
  return typeof value === 'string' && (TECHNICAL_GRADES as readonly string[]).includes(value)
}

/** A grade from its code or its Chinese or English name. */
export function resolveGrade(raw: string): TechnicalGrade | null {
  const key = fold(raw)
  if (!key) return null
  for (const code of TECHNICAL_GRADES) {
    const l = TECHNICAL_GRADE_LABELS[code]
    if (key === code || key === fold(l.zh) || key === fold(l.en)) return code
  }
  return null
}

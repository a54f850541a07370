import { HONOUR_LEVELS, type HonourLevel } from '#db/schema.ts'

/**
 * Honours a model worker or craftsman may hold (荣誉). The stored code is
 * expert_honour.type; the level (national … enterprise) says who awarded it,
 * e.g. a craftsman title of a province or of a city.
 */
export const HONOUR_TYPES = [
  'national_model_worker',
  'may_day_medal',
  'great_craftsman',
  'national_technical_expert',
  'provincial_model_worker',
  'city_model_worker',
  'craftsman',
  'innovation_talent',
  'chief_technician',
  'innovation_studio_lead',
] as const
export type HonourType = (typeof HONOUR_TYPES)[number]

export { HONOUR_LEVELS, type HonourLevel }

type Labels = { zh: string; en: string }

export const HONOUR_TYPE_LABELS: Record<HonourType, Labels> = {
  national_model_worker: { zh: '全国劳动模范', en: 'National model worker' },
  may_day_medal: { zh: '全国五一劳动奖章', en: 'National May Day Labour Medal' },
  great_craftsman: { zh: '大国工匠', en: 'Great craftsman of the nation' },
  national_technical_expert: { zh: '全国技术能手', en: 'National technical expert' },
  provincial_model_worker: { zh: '省级劳动模范', en: 'Provincial model worker' },
  city_model_worker: { zh: '市级劳动模范', en: 'City model worker' },
  craftsman: { zh: '工匠', en: 'Craftsman' },
  innovation_talent: { zh: '五一创新能手', en: 'May Day innovation talent' },
  chief_technician: { zh: '首席技师', en: 'Chief technician' },
  innovation_studio_lead: {
    zh: '劳模（工匠）创新工作室领衔人',
    en: 'Lead of a model worker (craftsman) innovation studio',
  },
}

export const HONOUR_LEVEL_LABELS: Record<HonourLevel, Labels> = {
  national: { zh: '国家级', en: 'National' },
  provincial: { zh: '省级', en: 'Provincial' },
  city: { zh: '市级', en: 'City' },
  district: { zh: '区县级', en: 'District' },
  enterprise: { zh: '企业级', en: 'Enterprise' },
}

/** The level an honour has when none is given: the one its name implies. */
export const IMPLIED_LEVEL: Partial<Record<HonourType, HonourLevel>> = {
  national_model_worker: 'national',
  may_day_medal: 'national',
  great_craftsman: 'national',
  national_technical_expert: 'national',
  provincial_model_worker: 'provincial',
  city_model_worker: 'city',
}

/** Other names people write in spreadsheets, with the level they imply. */
const TYPE_ALIASES: Record<string, { type: HonourType; level?: HonourLevel }> = {
  全国劳模: { type: 'national_model_worker' },
  五一劳动奖章: { type: 'may_day_medal' },
  省级劳模: { type: 'provincial_model_worker' },
  省劳动模范: { type: 'provincial_model_worker' },
  省劳模: { type: 'provincial_model_worker' },
  市级劳模: { type: 'city_model_worker' },
  市劳动模范: { type: 'city_model_worker' },
  市劳模: { type: 'city_model_worker' },
  省级工匠: { type: 'craftsman', level: 'provincial' },
  省工匠: { type: 'craftsman', level: 'provincial' },
  市级工匠: { type: 'craftsman', level: 'city' },
  市工匠: { type: 'craftsman', level: 'city' },
  区级工匠: { type: 'craftsman', level: 'district' },
  企业工匠: { type: 'craftsman', level: 'enterprise' },
  创新能手: { type: 'innovation_talent' },
  劳模创新工作室领衔人: { type: 'innovation_studio_lead' },
  工匠创新工作室领衔人: { type: 'innovation_studio_lead' },
  创新工作室领衔人: { type: 'innovation_studio_lead' },
}

const LEVEL_ALIASES: Record<string, HonourLevel> = {
  国家: 'national',
  全国: 'national',
  省: 'provincial',
  省部级: 'provincial',
  市: 'city',
  地市级: 'city',
  区: 'district',
  区级: 'district',
  县级: 'district',
  企业: 'enterprise',
}

const fold = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase()

/** An honour type from its code, Chinese or English name, or a common alias. */
export function resolveHonourType(raw: string): { type: HonourType; level?: HonourLevel } | null {
  const key = fold(raw)
  if (!key) return null
  for (const code of HONOUR_TYPES) {
    const l = HONOUR_TYPE_LABELS[code]
    if (key === code || key === fold(l.zh) || key === fold(l.en)) return { type: code }
  }
  const alias = Object.entries(TYPE_ALIASES).find(([name]) => fold(name) === key)
  return alias ? alias[1] : null
}

/** An honour level from its code, Chinese or English name, or a common alias. */
export function resolveHonourLevel(raw: string): HonourLevel | null {
  const key = fold(raw)
  if (!key) return null
  for (const code of HONOUR_LEVELS) {
    const l = HONOUR_LEVEL_LABELS[code]
    if (key === code || key === fold(l.zh) || key === fold(l.en)) return code
  }
  const alias = Object.entries(LEVEL_ALIASES).find(([name]) => fold(name) === key)
  return alias ? alias[1] : null
}

export function isHonourType(value: unknown): value is HonourType {
  return typeof value === 'string' && (HONOUR_TYPES as readonly string[]).includes(value)
}

export function isHonourLevel(value: unknown): value is HonourLevel {
  return typeof value === 'string' && (HONOUR_LEVELS as readonly string[]).includes(value)
}

export const MIN_HONOUR_YEAR = 1950
export const MAX_HONOUR_YEAR = 2100

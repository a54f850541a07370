import type { InitOptions } from 'i18next'
import { archiveMessages } from './features/archive.ts'
import { challengesMessages } from './features/challenges.ts'
import { confirmationMessages } from './features/confirmation.ts'
import { dashboardMessages } from './features/dashboard.ts'
import { deadlinesMessages } from './features/deadlines.ts'
import { deliveryMessages } from './features/delivery.ts'
import { devmailMessages } from './features/devmail.ts'
import { enterpriseMessages } from './features/enterprise.ts'
import { matchingMessages } from './features/matching.ts'
import { matchingWeightsMessages } from './features/matching-weights.ts'
import { onsiteMessages } from './features/onsite.ts'
import { outcomesMessages } from './features/outcomes.ts'
import { periodicMessages } from './features/periodic.ts'
import { reportsMessages } from './features/reports.ts'
import { stewardMessages } from './features/steward.ts'
import { talentMessages } from './features/talent.ts'
import { taxonomyMessages } from './features/taxonomy.ts'
import { triageMessages } from './features/triage.ts'
import { visitsMessages } from './features/visits.ts'
import { en } from './locales/en.ts'
import { zhCN } from './locales/zh-CN.ts'

/** Feature namespaces, each kept in its own file: t('<namespace>.<key>'). */
const features = {
  enterprise: enterpriseMessages,
  taxonomy: taxonomyMessages,
  triage: triageMessages,
  steward: stewardMessages,
  confirmation: confirmationMessages,
  delivery: deliveryMessages,
  deadlines: deadlinesMessages,
  devmail: devmailMessages,
  talent: talentMessages,
  matchingWeights: matchingWeightsMessages,
  challenges: challengesMessages,
  matching: matchingMessages,
  outcomes: outcomesMessages,
  archive: archiveMessages,
  visits: visitsMessages,
  onsite: onsiteMessages,
  dashboard: dashboardMessages,
  reports: reportsMessages,
  periodic: periodicMessages,
}

function withFeatures<T extends object>(base: T, lang: 'zh' | 'en') {
  return {
    ...base,
    ...Object.fromEntries(Object.entries(features).map(([ns, m]) => [ns, m[lang]])),
  } as T & { [K in keyof typeof features]: (typeof features)[K][typeof lang] }
}

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'

export const resources = {
  'zh-CN': { translation: withFeatures(zhCN, 'zh') },
  en: { translation: withFeatures(en, 'en') },
} as const

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

export function i18nOptions(lng: Locale): InitOptions {
  return {
    lng,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    resources,
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  } as InitOptions
}

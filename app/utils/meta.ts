import { DEFAULT_LOCALE, isLocale, resources } from '#app/i18n/config.ts'

type MatchLike = { id: string; data: unknown }

function lookup(dict: unknown, key: string): string | undefined {
  let node: unknown = dict
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string' ? node : undefined
}

/**
 * A translated <title>: "[lead · ]label · app name", in the locale the root
 * loader chose (meta functions cannot use hooks).
 */
export function pageTitle(matches: MatchLike[], key: string, lead?: string | null) {
  const root = matches.find((m) => m.id === 'root')?.data as { locale?: unknown } | undefined
  const locale = isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE
  const dict = resources[locale].translation
  const label = lookup(dict, key) ?? key
  return [{ title: [lead, label, dict.app.name].filter(Boolean).join(' · ') }]
}

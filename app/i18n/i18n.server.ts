import { createCookie } from '@remix-run/node'
import i18next, { type TFunction } from 'i18next'
import { DEFAULT_LOCALE, i18nOptions, isLocale, type Locale } from './config.ts'

/** The chosen UI language; readable by anyone, it holds no secret. */
export const localeCookie = createCookie('lng', {
  path: '/',
  sameSite: 'lax',
  httpOnly: true,
  maxAge: 365 * 24 * 3600,
})

export async function localeOf(request: Request): Promise<Locale> {
  const value = await localeCookie.parse(request.headers.get('Cookie'))
  return isLocale(value) ? value : DEFAULT_LOCALE
}

const fixed = new Map<Locale, TFunction>()

export function tFor(locale: Locale): TFunction {
  let t = fixed.get(locale)
  if (!t) {
    const instance = i18next.createInstance()
    instance.init(i18nOptions(locale))
    t = instance.t.bind(instance) as TFunction
    fixed.set(locale, t)
  }
  return t
}

export async function translatorFor(request: Request) {
  const locale = await localeOf(request)
  return { locale, t: tFor(locale) }
}

import i18next, { type TFunction } from 'i18next'
import { DEFAULT_LOCALE, i18nOptions, isLocale, type Locale } from '#app/i18n/config.ts'
import { formatDateTime } from '#app/utils/format.ts'

/**
 * Server-side rendering of a notification for e-mail and SMS, from the same
 * kind, params and translations (notifications.kinds.*) as the in-app inbox,
 * in the recipient's language.
 */
export interface RenderedMessage {
  subject: string
  html: string
  text: string
  /** One line for SMS. */
  sms: string
}

export interface NotificationContent {
  kind: string
  params: unknown
  link: string | null
}

export interface RenderTarget {
  name: string
  locale: string
}

const translators = new Map<Locale, TFunction>()

export function translatorFor(locale: string): { t: TFunction; locale: Locale } {
  const lng = isLocale(locale) ? locale : DEFAULT_LOCALE
  let t = translators.get(lng)
  if (!t) {
    const instance = i18next.createInstance()
    instance.init(i18nOptions(lng))
    t = instance.t.bind(instance) as TFunction
    translators.set(lng, t)
  }
  return { t, locale: lng }
}

/** Only same-site paths become links, as in the inbox. */
export function absoluteLink(appUrl: string, link: string | null): string {
  const base = appUrl.replace(/\/+$/, '')
  if (!link?.startsWith('/') || link.startsWith('//') || link.startsWith('/\\')) {
    return `${base}/notifications`
  }
  return `${base}${link}`
}

function paramsOf(params: unknown): Record<string, unknown> {
  return typeof params === 'object' && params !== null && !Array.isArray(params)
    ? (params as Record<string, unknown>)
    : {}
}

export function sentenceOf(t: TFunction, n: NotificationContent): string {
  return String(
    t(`notifications.kinds.${n.kind}`, {
      ...paramsOf(n.params),
      defaultValue: t('delivery.email.generic'),
    }),
  )
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

function layout(lang: Locale, body: string, footer: string, settingsUrl: string): string {
  return [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"></head>`,
    "<body style=\"font-family: -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif; color: #1f2933; line-height: 1.6\">",
    body,
    `<p style="color: #6b7280; font-size: 12px">${escapeHtml(footer)}<a href="${escapeHtml(settingsUrl)}">${escapeHtml(settingsUrl)}</a></p>`,
    '</body></html>',
  ].join('\n')
}

export function renderNotification(
  n: NotificationContent,
  to: RenderTarget,
  appUrl: string,
): RenderedMessage {
  const { t, locale } = translatorFor(to.locale)
  const sentence = sentenceOf(t, n)
  const url = absoluteLink(appUrl, n.link)
  const settingsUrl = absoluteLink(appUrl, '/settings/notifications')
  const greeting = t('delivery.email.greeting', { name: to.name })
  const open = t('delivery.email.open')
  const footer = t('delivery.email.footer')
  const html = layout(
    locale,
    [
      `<p>${escapeHtml(greeting)}</p>`,
      `<p>${escapeHtml(sentence)}</p>`,
      `<p><a href="${escapeHtml(url)}">${escapeHtml(open)}</a></p>`,
    ].join('\n'),
    footer,
    settingsUrl,
  )
  const text = [greeting, '', sentence, '', `${open}: ${url}`, '', '--', `${footer}${settingsUrl}`]
    .join('\n')
    .concat('\n')
  return {
    subject: t('delivery.email.subject', { text: sentence }),
    html,
    text,
    sms: t('delivery.sms.text', { text: sentence, url }),
  }
}

export interface DigestItem extends NotificationContent {
  createdAt: Date
}

export function renderDigest(
  items: DigestItem[],
  to: RenderTarget,
  appUrl: string,
): RenderedMessage {
  const { t, locale } = translatorFor(to.locale)
  const count = items.length
  const settingsUrl = absoluteLink(appUrl, '/settings/notifications')
  const greeting = t('delivery.email.greeting', { name: to.name })
  const intro = t('delivery.digest.intro', { count })
  const open = t('delivery.digest.open')
  const footer = t('delivery.email.footer')
  const lines = items.map((item) => ({
    when: formatDateTime(item.createdAt, locale),
    sentence: sentenceOf(t, item),
    url: absoluteLink(appUrl, item.link),
  }))
  const html = layout(
    locale,
    [
      `<p>${escapeHtml(greeting)}</p>`,
      `<p>${escapeHtml(intro)}</p>`,
      '<ol>',
      ...lines.map(
        (l) =>
          `<li><span style="color: #6b7280">${escapeHtml(l.when)}</span> ${escapeHtml(l.sentence)} <a href="${escapeHtml(l.url)}">${escapeHtml(open)}</a></li>`,
      ),
      '</ol>',
    ].join('\n'),
    footer,
    settingsUrl,
  )
  const text = [
    greeting,
    '',
    intro,
    '',
    ...lines.map((l, i) => `${i + 1}. ${l.when} ${l.sentence}\n   ${l.url}`),
    '',
    '--',
    `${footer}${settingsUrl}`,
  ]
    .join('\n')
    .concat('\n')
  const subject = t('delivery.digest.subject', { count })
  return { subject, html, text, sms: subject }
}

/** Outcomes an action may announce after redirecting (post/redirect/get). */
export const NOTICES = ['created', 'saved', 'submitted', 'accepted', 'returned'] as const
export type Notice = (typeof NOTICES)[number]

const PARAM = 'done'

/** `path` with the outcome to announce after the redirect. */
export function withNotice(path: string, notice: string): string {
  const url = new URL(path, 'http://local')
  url.searchParams.set(PARAM, notice)
  return `${url.pathname}${url.search}${url.hash}`
}

/**
 * The translation key of the outcome a page was redirected with: `keys` maps
 * each outcome the page knows to its message; anything else shows nothing.
 */
export function readNotice(
  request: Request,
  keys: Readonly<Record<string, string>>,
): string | null {
  const value = new URL(request.url).searchParams.get(PARAM) ?? ''
  return Object.hasOwn(keys, value) ? (keys[value] ?? null) : null
}

/** Message keys `<namespace>.<outcome>` for a page's outcomes. */
export function noticeKeys(namespace: string, outcomes: readonly string[]): Record<string, string> {
  return Object.fromEntries(outcomes.map((o) => [o, `${namespace}.${o}`]))
}

const NEEDS_LIST_NOTICES = noticeKeys('needsList', NOTICES)

/** The needs-list pages' own outcomes. */
export function noticeOf(request: Request): string | null {
  return readNotice(request, NEEDS_LIST_NOTICES)
}

/** Outcomes an action may announce after redirecting (post/redirect/get). */
export const NOTICES = ['created', 'saved', 'submitted', 'accepted', 'returned'] as const
export type Notice = (typeof NOTICES)[number]

const PARAM = 'done'

/** `path` with the notice to show after the redirect. */
export function withNotice(path: string, notice: Notice): string {
  const url = new URL(path, 'http://local')
  url.searchParams.set(PARAM, notice)
  return `${url.pathname}${url.search}`
}

/** The translation key of the notice a page was redirected with, if it is one we know. */
export function noticeOf(request: Request): string | null {
  const value = new URL(request.url).searchParams.get(PARAM)
  return (NOTICES as readonly string[]).includes(value ?? '') ? `needsList.${value}` : null
}

import { useFetcher } from '@remix-run/react'
import { useCallback, useEffect, useRef, useState } from 'react'

/**
 * What the on-site page's action answers a script (fetcher) submission, and
 * what its clientAction answers when the request never reached the server.
 */
export interface OnsiteReply {
  intent?: string
  ok?: boolean
  /** notice key (onsite.notice.*) of a success. */
  notice?: string
  /** Translation key of a refusal. */
  error?: string
  /** The saved line (intent record). */
  saved?: {
    planItemId: number
    value: string
    note: string
    passed: boolean | null
    flagged: boolean
    recordedAt: string | null
  }
  planItemId?: number
  /** The request did not get through (no connection): nothing changed, retry later. */
  offline?: boolean
}

/** Set by a script's save that changes nothing any other part of the page shows (a line). */
export const NO_REVALIDATE_FIELD = 'noRevalidate'

/**
 * For shouldRevalidate (the on-site route and the root layout): after a line
 * save, or a request that never got through, the other loaders keep their
 * data. Reloading them would cost a request per keystroke pause on a weak
 * connection, and offline it would fail and replace the page with an error.
 */
export function skipsRevalidation({
  formData,
  actionResult,
}: {
  formData?: FormData
  actionResult?: unknown
}): boolean {
  if (formData?.get(NO_REVALIDATE_FIELD) === '1') return true
  return (
    typeof actionResult === 'object' &&
    actionResult !== null &&
    (actionResult as OnsiteReply).offline === true
  )
}

/** Whether the page has been hydrated (scripts run): hides the no-script buttons. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}

/**
 * A random key for a new finding or action, so a retried save never makes a
 * second one. crypto.randomUUID needs a secure context; getRandomValues does not.
 */
export function newClientKey(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

const RETRY_MS = 10_000

type SubmitOptions = { action: string; encType?: 'multipart/form-data' }

/**
 * A fetcher that keeps what it sent until the server answered: when the
 * connection is down it says so and sends the same form again once the
 * browser is back online (and every few seconds meanwhile). The forms it
 * sends carry client keys, so a repeat never duplicates anything.
 */
export function useResilientSubmit(key: string) {
  const fetcher = useFetcher<OnsiteReply>({ key })
  const last = useRef<{ data: FormData; options: SubmitOptions } | null>(null)
  const awaiting = useRef(false)
  const [offline, setOffline] = useState(false)
  const [reply, setReply] = useState<OnsiteReply | null>(null)
  const submitRef = useRef(fetcher.submit)
  submitRef.current = fetcher.submit

  const send = useCallback(() => {
    const pending = last.current
    if (!pending || awaiting.current) return
    awaiting.current = true
    submitRef.current(pending.data, { method: 'post', ...pending.options })
  }, [])

  const submit = useCallback(
    (data: FormData, options: SubmitOptions) => {
      data.set('js', '1')
      last.current = { data, options }
      awaiting.current = false
      setReply(null)
      send()
    },
    [send],
  )

  useEffect(() => {
    if (fetcher.state !== 'idle' || !awaiting.current) return
    awaiting.current = false
    const data = fetcher.data
    if (!data || data.offline) {
      setOffline(true)
      return
    }
    last.current = null
    setOffline(false)
    setReply(data)
  }, [fetcher.state, fetcher.data])

  useEffect(() => {
    if (!offline) return
    window.addEventListener('online', send)
    const timer = setInterval(send, RETRY_MS)
    return () => {
      window.removeEventListener('online', send)
      clearInterval(timer)
    }
  }, [offline, send])

  return { submit, reply, offline, busy: fetcher.state !== 'idle' || offline }
}

/** localStorage drafts of the lines, keyed by visit and line; absent storage is no draft. */
export interface LineDraft {
  value: string
  note: string
}

const draftKey = (visitId: number, planItemId: number) => `zhuqi:onsite:${visitId}:${planItemId}`

export function readDraft(visitId: number, planItemId: number): LineDraft | null {
  try {
    const raw = window.localStorage.getItem(draftKey(visitId, planItemId))
    if (!raw) return null
    const parsed = JSON.parse(raw) as Partial<LineDraft>
    return typeof parsed.value === 'string' && typeof parsed.note === 'string'
      ? { value: parsed.value, note: parsed.note }
      : null
  } catch {
    return null
  }
}

export function writeDraft(visitId: number, planItemId: number, draft: LineDraft) {
  try {
    window.localStorage.setItem(
      draftKey(visitId, planItemId),
      JSON.stringify({ ...draft, at: Date.now() }),
    )
  } catch {
    // Storage full or disabled: the save still goes to the server.
  }
}

export function clearDraft(visitId: number, planItemId: number) {
  try {
    window.localStorage.removeItem(draftKey(visitId, planItemId))
  } catch {
    // Nothing to clear.
  }
}

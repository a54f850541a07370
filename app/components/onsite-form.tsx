import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { CsrfInput } from './csrf-input.tsx'
import { type OnsiteReply, useResilientSubmit } from './onsite-sync.tsx'

/**
 * A form of the on-site page that works without scripts (it posts, the page
 * redirects back) and, with them, saves through a fetcher that survives a
 * lost connection: the form's values are kept and sent again once online.
 */
export function OnsiteForm({
  id,
  action,
  intent,
  multipart,
  className,
  submitLabel,
  submitClass,
  error,
  onSaved,
  confirmText,
  children,
}: {
  /** Distinguishes the form's fetcher from every other on the page. */
  id: string
  action: string
  intent: string
  multipart?: boolean
  className?: string
  submitLabel: string
  submitClass?: string
  /** A no-script refusal of this form, shown until the next attempt. */
  error?: string | null
  onSaved?: (reply: OnsiteReply, form: HTMLFormElement) => void
  /** Asks before sending (deletions). */
  confirmText?: string
  children?: React.ReactNode
}) {
  const { t } = useTranslation()
  const { submit, reply, offline, busy } = useResilientSubmit(`onsite-${id}`)
  const formRef = useRef<HTMLFormElement>(null)
  const onSavedRef = useRef(onSaved)
  onSavedRef.current = onSaved

  useEffect(() => {
    if (reply?.ok && formRef.current) onSavedRef.current?.(reply, formRef.current)
  }, [reply])

  const shownError = reply?.error ?? (reply ? null : error)
  return (
    <form
      ref={formRef}
      method="post"
      action={action}
      encType={multipart ? 'multipart/form-data' : undefined}
      className={className}
      onSubmit={(e) => {
        e.preventDefault()
        if (confirmText && !window.confirm(confirmText)) return
        const data = new FormData(e.currentTarget)
        submit(data, { action, encType: multipart ? 'multipart/form-data' : undefined })
      }}
    >
      {/* First: an upload's token must come before its files. */}
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {children}
      {shownError ? (
        <p className="form-error" role="alert">
          {t(shownError)}
        </p>
      ) : null}
      {offline ? (
        <p className="offline-note" role="status">
          {t('onsite.offline')}
        </p>
      ) : reply?.notice ? (
        <p className="notice" role="status">
          {t(reply.notice)}
        </p>
      ) : null}
      <button type="submit" className={submitClass} disabled={busy}>
        {submitLabel}
      </button>
    </form>
  )
}

import { useFetcher } from '@remix-run/react'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useRootData } from '#app/utils/root-data.ts'
import { evaluateLine, hasRange, type LineKind } from '#workflows/inspection/flagging.ts'
import { CsrfInput } from './csrf-input.tsx'
import {
  clearDraft,
  type LineDraft,
  NO_REVALIDATE_FIELD,
  type OnsiteReply,
  readDraft,
  useHydrated,
  writeDraft,
} from './onsite-sync.tsx'

export type LineStatus = 'idle' | 'dirty' | 'saving' | 'saved' | 'offline' | 'error'

export interface OnsiteLineItem {
  id: number
  kind: LineKind
  section_zh: string | null
  section_en: string | null
  label_zh: string
  label_en: string
  unit: string | null
  min_value: number | null
  max_value: number | null
  guidance_zh: string | null
  guidance_en: string | null
}

export interface OnsiteLineRecord {
  value: string
  note: string
  flagged: boolean
  fromVersion: number | null
  recorderName: string | null
}

const SAVE_DELAY_MS = 700
const RETRY_MS = 10_000

/** A line's range in words, or null without one. */
export function rangeText(
  t: (key: string, values?: Record<string, unknown>) => string,
  item: Pick<OnsiteLineItem, 'min_value' | 'max_value' | 'unit'>,
): string | null {
  const unit = item.unit ?? ''
  if (item.min_value !== null && item.max_value !== null) {
    return t('onsite.line.rangeBetween', { min: item.min_value, max: item.max_value, unit })
  }
  if (item.min_value !== null) return t('onsite.line.rangeMin', { min: item.min_value, unit })
  if (item.max_value !== null) return t('onsite.line.rangeMax', { max: item.max_value, unit })
  return null
}

/**
 * One checklist line on the phone: typed values are kept as a draft in
 * localStorage at once and saved (debounced, one request at a time) through
 * a fetcher; offline saves wait and retry. Without scripts it is a plain
 * form with a save button that posts and comes back.
 */
export function OnsiteLine({
  visitId,
  item,
  record,
  editable,
  action,
  rejected,
  onStatus,
}: {
  visitId: number
  item: OnsiteLineItem
  record: OnsiteLineRecord | null
  editable: boolean
  action: string
  /** What a no-script post of this line was refused with, and the values it sent. */
  rejected?: { error: string; value: string; note: string } | null
  onStatus?: (planItemId: number, status: LineStatus) => void
}) {
  const { t, i18n } = useTranslation()
  const en = i18n.language === 'en'
  const hydrated = useHydrated()
  const fetcher = useFetcher<OnsiteReply>({ key: `line-${visitId}-${item.id}` })
  const [value, setValue] = useState(rejected?.value ?? record?.value ?? '')
  const [note, setNote] = useState(rejected?.note ?? record?.note ?? '')
  const [status, setStatus] = useState<LineStatus>(rejected ? 'error' : record ? 'saved' : 'idle')
  const [error, setError] = useState<string | null>(rejected?.error ?? null)
  const [recovered, setRecovered] = useState(false)
  const [serverFlag, setServerFlag] = useState<boolean | null>(record?.flagged ?? null)
  const pending = useRef<LineDraft | null>(null)
  const sent = useRef<LineDraft | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const submitRef = useRef(fetcher.submit)
  submitRef.current = fetcher.submit
  const root = useRootData()
  const csrfRef = useRef(root?.csrf ?? '')
  csrfRef.current = root?.csrf ?? ''
  const spec = { kind: item.kind, min: item.min_value, max: item.max_value }
  const specRef = useRef(spec)
  specRef.current = spec

  const flush = useCallback(() => {
    clearTimeout(timer.current)
    const next = pending.current
    // One request at a time, in order: the answer to this one sends the next.
    if (!next || sent.current) return
    const check = evaluateLine(specRef.current, next.value)
    if (!check.ok) {
      pending.current = null
      setError(`onsite.errors.${check.error}`)
      setStatus('error')
      return
    }
    pending.current = null
    sent.current = next
    setStatus('saving')
    const form = new FormData()
    form.set('csrf', csrfRef.current)
    form.set('intent', 'record')
    form.set('js', '1')
    form.set(NO_REVALIDATE_FIELD, '1')
    form.set('planItemId', String(item.id))
    form.set('value', next.value)
    form.set('note', next.note)
    submitRef.current(form, { method: 'post', action })
  }, [action, item.id])

  const queue = useCallback(
    (draft: LineDraft, delay: number) => {
      pending.current = draft
      clearTimeout(timer.current)
      timer.current = setTimeout(flush, delay)
    },
    [flush],
  )

  // A value typed before a reload (or a lost connection) comes back from the draft.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount
  useEffect(() => {
    if (!editable) return
    const draft = readDraft(visitId, item.id)
    if (!draft) return
    if (draft.value === (record?.value ?? '') && draft.note === (record?.note ?? '')) {
      clearDraft(visitId, item.id)
      return
    }
    setValue(draft.value)
    setNote(draft.note)
    setRecovered(true)
    setStatus('dirty')
    queue(draft, SAVE_DELAY_MS)
  }, [])

  useEffect(() => () => clearTimeout(timer.current), [])

  useEffect(() => {
    if (fetcher.state !== 'idle' || !sent.current) return
    const done = sent.current
    sent.current = null
    const reply = fetcher.data
    if (!reply || reply.offline) {
      pending.current ??= done
      setStatus('offline')
      return
    }
    if (reply.error) {
      setError(reply.error)
      setStatus('error')
    } else if (reply.saved) {
      const draft = readDraft(visitId, item.id)
      if (draft && draft.value === done.value && draft.note === done.note) {
        clearDraft(visitId, item.id)
      }
      setServerFlag(reply.saved.flagged)
      setError(null)
      setStatus('saved')
    }
    if (pending.current) flush()
  }, [fetcher.state, fetcher.data, flush, visitId, item.id])

  useEffect(() => {
    if (status !== 'offline') return
    const retry = () => flush()
    window.addEventListener('online', retry)
    const every = setInterval(retry, RETRY_MS)
    return () => {
      window.removeEventListener('online', retry)
      clearInterval(every)
    }
  }, [status, flush])

  useEffect(() => onStatus?.(item.id, status), [onStatus, item.id, status])

  const edit = (next: LineDraft, delay = SAVE_DELAY_MS) => {
    setValue(next.value)
    setNote(next.note)
    setError(null)
    setRecovered(false)
    setStatus('dirty')
    writeDraft(visitId, item.id, next)
    queue(next, delay)
  }

  const live = evaluateLine(spec, value)
  const deviation = live.ok ? live.deviation : null
  const flagged = live.ok ? live.flagged : (serverFlag ?? false)
  const label = en ? item.label_en : item.label_zh
  const guidance = en ? item.guidance_en : item.guidance_zh
  const range = rangeText(t, item)
  const inputId = `line-${item.id}-value`
  const stateText = t(`onsite.line.state.${status}`)
  const shownError =
    error ?? (!live.ok && value.trim() !== '' ? `onsite.errors.${live.error}` : null)
  const verdict =
    !live.ok || live.empty
      ? null
      : deviation
        ? t(`onsite.line.flag.${deviation}`)
        : item.kind === 'check'
          ? t('onsite.line.flag.passed')
          : hasRange(spec)
            ? t('onsite.line.flag.inside')
            : null

  return (
    <li
      id={`line-${item.id}`}
      className={`onsite-line${flagged ? ' is-flagged' : ''}`}
      data-testid={`line-${item.id}`}
      data-flagged={flagged ? 'true' : 'false'}
    >
      <form
        method="post"
        action={action}
        onSubmit={(e) => {
          e.preventDefault()
          edit({ value, note }, 0)
        }}
      >
        <CsrfInput />
        <input type="hidden" name="intent" value="record" />
        <input type="hidden" name="planItemId" value={item.id} />
        <div className="line-head">
          {item.kind === 'check' ? (
            <span className="line-label" id={`${inputId}-label`}>
              {label}
            </span>
          ) : (
            <label className="line-label" htmlFor={inputId}>
              {label}
            </label>
          )}
          {range ? <span className="line-range">{range}</span> : null}
        </div>
        {guidance ? <p className="line-guidance">{guidance}</p> : null}
        {item.kind === 'check' ? (
          <div className="pass-fail" role="radiogroup" aria-labelledby={`${inputId}-label`}>
            {(['pass', 'fail'] as const).map((v) => (
              <label key={v} className={`choice choice-${v}${value === v ? ' chosen' : ''}`}>
                <input
                  type="radio"
                  name="value"
                  value={v}
                  checked={value === v}
                  disabled={!editable}
                  onChange={() => edit({ value: v, note }, 0)}
                />
                {t(`onsite.line.${v}`)}
              </label>
            ))}
          </div>
        ) : item.kind === 'text' ? (
          <textarea
            id={inputId}
            name="value"
            rows={2}
            value={value}
            readOnly={!editable}
            onChange={(e) => edit({ value: e.target.value, note })}
          />
        ) : (
          <div className="value-row">
            <input
              id={inputId}
              name="value"
              type="text"
              inputMode={item.kind === 'count' ? 'numeric' : 'decimal'}
              autoComplete="off"
              enterKeyHint="done"
              value={value}
              readOnly={!editable}
              aria-invalid={shownError ? true : undefined}
              aria-describedby={`${inputId}-verdict`}
              onChange={(e) => edit({ value: e.target.value, note })}
            />
            {item.unit ? <span className="unit">{item.unit}</span> : null}
          </div>
        )}
        <p id={`${inputId}-verdict`} className="line-verdict" aria-live="polite">
          {verdict ? (
            <span className={deviation ? 'flag' : 'pass'} data-testid="verdict">
              {verdict}
            </span>
          ) : null}
          {shownError ? (
            <span className="form-error" role="alert">
              {t(shownError)}
            </span>
          ) : null}
        </p>
        <div className="line-note">
          <label htmlFor={`${inputId}-note`}>{t('onsite.line.note')}</label>
          <input
            id={`${inputId}-note`}
            name="note"
            type="text"
            autoComplete="off"
            value={note}
            readOnly={!editable}
            onChange={(e) => edit({ value, note: e.target.value })}
          />
        </div>
        <div className="line-foot">
          <span className={`save-state state-${status}`} data-testid="save-state">
            {recovered ? `${t('onsite.line.state.recovered')} · ` : ''}
            {stateText}
          </span>
          {record?.fromVersion && status === 'saved' ? (
            <span className="muted">
              {t('onsite.line.carried', { version: record.fromVersion })}
            </span>
          ) : null}
          {editable && !hydrated ? (
            <button type="submit" className="secondary">
              {t('onsite.line.save')}
            </button>
          ) : null}
        </div>
      </form>
    </li>
  )
}

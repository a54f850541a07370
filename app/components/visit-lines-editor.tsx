import { useTranslation } from 'react-i18next'

export const LINE_KINDS = ['check', 'measurement', 'count', 'text'] as const

/** A checklist line as the form shows it (strings; blank for empty). */
export interface LineValue {
  id: string
  sectionZh: string
  sectionEn: string
  labelZh: string
  labelEn: string
  kind: string
  unit: string
  min: string
  max: string
  guidanceZh: string
  guidanceEn: string
}

export const BLANK_LINE: LineValue = {
  id: '',
  sectionZh: '',
  sectionEn: '',
  labelZh: '',
  labelEn: '',
  kind: 'check',
  unit: '',
  min: '',
  max: '',
  guidanceZh: '',
  guidanceEn: '',
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v))

/** A stored line (template item or plan item) as form values. */
export function lineValue(l: {
  id: number | null
  sectionZh?: string | null
  sectionEn?: string | null
  labelZh: string
  labelEn: string
  kind: string
  unit?: string | null
  min?: number | null
  max?: number | null
  guidanceZh?: string | null
  guidanceEn?: string | null
}): LineValue {
  return {
    id: str(l.id),
    sectionZh: str(l.sectionZh),
    sectionEn: str(l.sectionEn),
    labelZh: l.labelZh,
    labelEn: l.labelEn,
    kind: l.kind,
    unit: str(l.unit),
    min: str(l.min),
    max: str(l.max),
    guidanceZh: str(l.guidanceZh),
    guidanceEn: str(l.guidanceEn),
  }
}

/** The rows a form posted back (after an error), or undefined. */
export function postedLines(initialValue: unknown): LineValue[] | undefined {
  const lines = (initialValue as { lines?: unknown } | undefined)?.lines
  if (!Array.isArray(lines)) return undefined
  return lines.map((raw) => {
    const r = (raw ?? {}) as Record<string, unknown>
    return {
      id: str(r.id),
      sectionZh: str(r.sectionZh),
      sectionEn: str(r.sectionEn),
      labelZh: str(r.labelZh),
      labelEn: str(r.labelEn),
      kind: str(r.kind) || 'check',
      unit: str(r.unit),
      min: str(r.min),
      max: str(r.max),
      guidanceZh: str(r.guidanceZh),
      guidanceEn: str(r.guidanceEn),
    }
  })
}

/**
 * Checklist lines as fixed form rows (works without JavaScript): the order
 * number, both languages, kind, unit and range, guidance, and "remove".
 * Rows without an id are new lines; blank ones are ignored by the server.
 */
export function VisitLinesEditor({
  rows,
  blankRows = 3,
}: {
  rows: readonly LineValue[]
  blankRows?: number
}) {
  const { t } = useTranslation()
  const all = [...rows, ...Array.from({ length: blankRows }, () => BLANK_LINE)]
  return (
    <ol className="candidates" data-testid="lines-editor">
      {all.map((line, i) => {
        const name = (f: string) => `lines[${i}].${f}`
        const label = (key: string) => `${t(key)} ${i + 1}`
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: fixed rows of a form without JavaScript
          <li key={i}>
            <fieldset className="item-grid">
              <legend className="muted">{line.id ? `#${i + 1}` : t('visits.plan.newLines')}</legend>
              <input type="hidden" name={name('id')} value={line.id} />
              <label className="field">
                {t('visits.plan.position')}
                <input
                  type="number"
                  name={name('position')}
                  min={0}
                  max={10000}
                  defaultValue={String((i + 1) * 10)}
                  aria-label={label('visits.plan.position')}
                />
              </label>
              <label className="field">
                {t('visits.plan.section')}（{t('visits.plan.zh')}）
                <input
                  type="text"
                  name={name('sectionZh')}
                  maxLength={100}
                  defaultValue={line.sectionZh}
                />
              </label>
              <label className="field">
                {t('visits.plan.section')}（{t('visits.plan.en')}）
                <input
                  type="text"
                  name={name('sectionEn')}
                  maxLength={100}
                  defaultValue={line.sectionEn}
                />
              </label>
              <label className="field">
                {t('visits.plan.label')}（{t('visits.plan.zh')}）
                <input
                  type="text"
                  name={name('labelZh')}
                  maxLength={200}
                  defaultValue={line.labelZh}
                  aria-label={label('visits.plan.label')}
                />
              </label>
              <label className="field">
                {t('visits.plan.label')}（{t('visits.plan.en')}）
                <input
                  type="text"
                  name={name('labelEn')}
                  maxLength={200}
                  defaultValue={line.labelEn}
                />
              </label>
              <label className="field">
                {t('visits.field.kind')}
                <select name={name('kind')} defaultValue={line.kind || 'check'}>
                  {LINE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`visits.lineKind.${k}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                {t('visits.plan.unit')}
                <input type="text" name={name('unit')} maxLength={20} defaultValue={line.unit} />
              </label>
              <label className="field">
                {t('visits.plan.min')}
                <input type="text" inputMode="decimal" name={name('min')} defaultValue={line.min} />
              </label>
              <label className="field">
                {t('visits.plan.max')}
                <input type="text" inputMode="decimal" name={name('max')} defaultValue={line.max} />
              </label>
              <label className="field">
                {t('visits.plan.guidance')}（{t('visits.plan.zh')}）
                <input
                  type="text"
                  name={name('guidanceZh')}
                  maxLength={1000}
                  defaultValue={line.guidanceZh}
                />
              </label>
              <label className="field">
                {t('visits.plan.guidance')}（{t('visits.plan.en')}）
                <input
                  type="text"
                  name={name('guidanceEn')}
                  maxLength={1000}
                  defaultValue={line.guidanceEn}
                />
              </label>
              {line.id ? (
                <label className="checkbox">
                  <input type="checkbox" name={name('remove')} /> {t('visits.plan.remove')}
                </label>
              ) : null}
            </fieldset>
          </li>
        )
      })}
    </ol>
  )
}

/** A line's acceptable range as text ('353.4–406.6 V', '≤ 70 °C', '≥ 0.5 MΩ'). */
export function rangeText(l: { min: number | null; max: number | null; unit: string | null }) {
  const unit = l.unit ? ` ${l.unit}` : ''
  if (l.min !== null && l.max !== null) return `${l.min}–${l.max}${unit}`
  if (l.max !== null) return `≤ ${l.max}${unit}`
  if (l.min !== null) return `≥ ${l.min}${unit}`
  return ''
}

import { z } from 'zod'
import { idSchema } from '../resource-list/schema.ts'

// Pure (zod only): commands and pages share these. Messages are translation keys.

export const CHECKLIST_KINDS = ['check', 'measurement', 'count', 'text'] as const
export type ChecklistKindName = (typeof CHECKLIST_KINDS)[number]

export const MAX_LINES = 100
export const TEMPLATE_CODE = /^[a-z][a-z0-9_]{1,39}$/

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'errors.tooLong' })
    .nullish()
    .transform((v) => (v ? v : null))

/** A number field: blank or null is none; anything else must be a finite number. */
const bound = z
  .union([z.null(), z.number(), z.string()], { error: 'visits.checklists.errors.number' })
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return null
    const n = Number(v)
    if (!Number.isFinite(n) || Math.abs(n) >= 1e12) {
      ctx.addIssue({ code: 'custom', message: 'visits.checklists.errors.number' })
      return z.NEVER
    }
    return n
  })

/** Blank or null: absent. */
const blankable = <T extends z.ZodType>(schema: T, error = 'errors.badRequest') =>
  z
    .union([z.null(), z.literal(''), schema], { error })
    .optional()
    .transform((v) => (v === null || v === '' || v === undefined ? undefined : (v as z.output<T>)))

const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.boolean()], { error: 'errors.badRequest' })
  .optional()
  .transform((v) => v === true || v === 'on' || v === 'true')

/**
 * One checklist line as a form posts it (templates and plans): blank rows
 * (no label, no id) are dropped by the list schema; `remove` drops a row;
 * `position` reorders without JavaScript.
 */
export const lineSchema = z
  .object({
    id: blankable(idSchema),
    position: blankable(z.coerce.number({ error: 'errors.badRequest' }).int().min(0).max(10_000)),
    sectionZh: text(100),
    sectionEn: text(100),
    labelZh: text(200),
    labelEn: text(200),
    kind: blankable(z.enum(CHECKLIST_KINDS), 'visits.checklists.errors.kind').transform(
      (v) => v ?? 'check',
    ),
    unit: text(20),
    min: bound,
    max: bound,
    guidanceZh: text(1000),
    guidanceEn: text(1000),
    remove: checkbox,
  })
  .transform((l) => ({
    ...l,
    // Ranges and units belong to numbers only.
    unit: l.kind === 'measurement' ? l.unit : null,
    min: l.kind === 'measurement' || l.kind === 'count' ? l.min : null,
    max: l.kind === 'measurement' || l.kind === 'count' ? l.max : null,
  }))

export type LineInput = z.output<typeof lineSchema>

/** A line that made it through: both labels (English defaults to Chinese), a valid range. */
export interface CleanLine {
  id: number | null
  sectionZh: string | null
  sectionEn: string | null
  labelZh: string
  labelEn: string
  kind: ChecklistKindName
  unit: string | null
  min: number | null
  max: number | null
  guidanceZh: string | null
  guidanceEn: string | null
}

export const linesSchema = z
  .array(lineSchema)
  .max(MAX_LINES * 2, { error: 'errors.tooManyItems' })
  .optional()
  .default([])
  .transform((rows, ctx): CleanLine[] => {
    const kept = rows
      .map((row, index) => ({ row, index }))
      .filter(({ row }) => !row.remove && (row.id !== undefined || row.labelZh || row.labelEn))
      .sort(
        (a, b) =>
          (a.row.position ?? a.index + 1) - (b.row.position ?? b.index + 1) || a.index - b.index,
      )
    const out: CleanLine[] = []
    for (const { row, index } of kept) {
      if (!row.labelZh) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'labelZh'],
          message: 'visits.checklists.errors.label',
        })
        return z.NEVER
      }
      if (row.min !== null && row.max !== null && row.min > row.max) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'max'],
          message: 'visits.checklists.errors.range',
        })
        return z.NEVER
      }
      out.push({
        id: row.id ?? null,
        sectionZh: row.sectionZh,
        sectionEn: row.sectionEn ?? row.sectionZh,
        labelZh: row.labelZh,
        labelEn: row.labelEn ?? row.labelZh,
        kind: row.kind,
        unit: row.unit,
        min: row.min,
        max: row.max,
        guidanceZh: row.guidanceZh,
        guidanceEn: row.guidanceEn,
      })
    }
    if (out.length > MAX_LINES) {
      ctx.addIssue({ code: 'custom', path: [], message: 'errors.tooManyItems' })
      return z.NEVER
    }
    return out
  })

export const templateSchema = z.object({
  code: z
    .string({ error: 'visits.checklists.errors.code' })
    .trim()
    .regex(TEMPLATE_CODE, { error: 'visits.checklists.errors.code' }),
  nameZh: z
    .string({ error: 'visits.checklists.errors.name' })
    .trim()
    .min(2, { error: 'visits.checklists.errors.name' })
    .max(100, { error: 'errors.tooLong' }),
  nameEn: text(100),
  descriptionZh: text(1000),
  descriptionEn: text(1000),
  category: text(40),
  active: checkbox,
  lines: linesSchema,
})

export type TemplateInput = z.output<typeof templateSchema>

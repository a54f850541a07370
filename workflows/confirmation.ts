/**
 * Needs confirmation (需求确认): the steward turns the items an enterprise filed
 * into confirmed items. Pure: no I/O, used by the commands, the page and its form.
 *
 * The confirmed-needs document is what every needs_revision row of kind 'edit'
 * stores (in its `items` JSON column): `{ items, dropped }`.
 *
 * - Each confirmed item carries a stable `key` assigned when the item is created
 *   (`f<need item id>` for the initial draft, `n<k>` for items the steward adds,
 *   splits off or creates), so diffs match items across revisions however they
 *   are reordered.
 * - `sourceItemIds` names the filed need items a confirmed item comes from:
 *   a split is two confirmed items with the same source, a merge one item with
 *   several sources, an item the steward adds may have none.
 * - Coverage rule: every filed item must be carried into at least one confirmed
 *   item, or be explicitly dropped with a reason (`dropped`). Removing a
 *   confirmed item therefore needs a reason only when it leaves a filed item
 *   uncovered; a reason given for an item that is still covered is discarded.
 */
import { z } from 'zod'
import { needItemSchema, URGENCIES } from './needs-list.schema.ts'

export const MAX_CONFIRMED_ITEMS = 30

/** Keys: lower-case letters, digits and dashes; `f<id>` and `n<k>` in practice. */
export const KEY_PATTERN = /^[a-z][a-z0-9-]{0,39}$/

export interface ConfirmedItem {
  key: string
  sourceItemIds: number[]
  category: string
  title: string
  description: string
  urgency: string
  headcount: number
  skillIds: number[]
  windowStart: string | null
  windowEnd: string | null
  mode: string
  place: string | null
  expectedOutcome: string | null
}

export interface DroppedItem {
  sourceItemId: number
  reason: string
}

export interface ConfirmationDocument {
  items: ConfirmedItem[]
  dropped: DroppedItem[]
}

/** A need item as the enterprise filed it (dates as YYYY-MM-DD). */
export interface FiledItem {
  id: number
  category: string
  title: string | null
  description: string
  urgency: string
  headcount: number
  skillIds: number[]
  windowStart: string | null
  windowEnd: string | null
  mode: string
  place: string | null
  expectedOutcome: string | null
}

// ---------------------------------------------------------------------------
// Validation. Messages are translation keys.

const idList = z.array(z.coerce.number().int().positive(), { error: 'errors.badRequest' })

/** One confirmed item: the filed item's fields, a required title, its key and sources. */
export const confirmedItemSchema = needItemSchema.safeExtend({
  key: z
    .string({ error: 'confirmation.errors.badKey' })
    .regex(KEY_PATTERN, { error: 'confirmation.errors.badKey' }),
  title: z
    .string({ error: 'confirmation.errors.titleRequired' })
    .trim()
    .min(2, { error: 'confirmation.errors.titleRequired' })
    .max(80, { error: 'errors.tooLong' }),
  sourceItemIds: idList.max(MAX_CONFIRMED_ITEMS).default([]),
})

export const droppedItemSchema = z.object({
  sourceItemId: z.coerce.number({ error: 'errors.badRequest' }).int().positive(),
  reason: z
    .string()
    .trim()
    .max(500, { error: 'errors.tooLong' })
    .optional()
    .transform((v) => (v ? v : undefined)),
})

/** The document's fields without the rules that need the filed items (see `checkDocument`). */
export const documentFields = z.object({
  items: z
    .array(confirmedItemSchema)
    .min(1, { error: 'confirmation.errors.noItems' })
    .max(MAX_CONFIRMED_ITEMS, { error: 'errors.tooManyItems' }),
  dropped: z.array(droppedItemSchema).max(MAX_CONFIRMED_ITEMS).default([]),
})

export type DocumentInput = z.output<typeof documentFields>

type Issue = { path: (string | number)[]; message: string }

/** The rules that relate a document to the filed items; reported on the offending field. */
interface CoverageShape {
  items: readonly { key: string; sourceItemIds: readonly number[] }[]
  dropped: readonly { sourceItemId: number; reason?: string | undefined }[]
}

export function documentIssues(doc: CoverageShape, filedIds: readonly number[]): Issue[] {
  const issues: Issue[] = []
  const filed = new Set(filedIds)
  const seenKeys = new Set<string>()
  const covered = new Set<number>()
  doc.items.forEach((item, i) => {
    if (seenKeys.has(item.key)) {
      issues.push({ path: ['items', i, 'key'], message: 'confirmation.errors.duplicateKey' })
    }
    seenKeys.add(item.key)
    for (const id of item.sourceItemIds) {
      if (!filed.has(id)) {
        issues.push({
          path: ['items', i, 'sourceItemIds'],
          message: 'confirmation.errors.unknownSource',
        })
        break
      }
      covered.add(id)
    }
  })
  const dropIndex = new Map<number, number>()
  doc.dropped.forEach((d, j) => {
    if (!filed.has(d.sourceItemId) || dropIndex.has(d.sourceItemId)) {
      issues.push({
        path: ['dropped', j, 'sourceItemId'],
        message: 'confirmation.errors.unknownSource',
      })
      return
    }
    dropIndex.set(d.sourceItemId, j)
  })
  // With no items at all, "add an item" is the one useful message.
  if (doc.items.length === 0) return issues
  let uncovered = false
  for (const id of filedIds) {
    if (covered.has(id)) continue
    const j = dropIndex.get(id)
    if (j === undefined) {
      if (!uncovered) issues.push({ path: ['dropped'], message: 'confirmation.errors.uncovered' })
      uncovered = true
    } else if (!doc.dropped[j]?.reason) {
      issues.push({
        path: ['dropped', j, 'reason'],
        message: 'confirmation.errors.dropReasonRequired',
      })
    }
  }
  return issues
}

/** A zod refinement for schemas that contain the document fields. */
export function checkDocument(filedIds: readonly number[]) {
  return (doc: CoverageShape, ctx: z.RefinementCtx) => {
    for (const issue of documentIssues(doc, filedIds)) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message })
    }
  }
}

/** The full schema of a document for a list with these filed items. */
export function documentSchema(filedIds: readonly number[]) {
  return documentFields.superRefine(checkDocument(filedIds))
}

const sortedUnique = (ids: readonly number[]) => [...new Set(ids)].sort((a, b) => a - b)

/** The canonical stored form: nulls for blanks, sorted id sets, reasons only for uncovered items. */
export function normaliseDocument(doc: DocumentInput): ConfirmationDocument {
  const items = doc.items.map(
    (i): ConfirmedItem => ({
      key: i.key,
      sourceItemIds: sortedUnique(i.sourceItemIds),
      category: i.category,
      title: i.title,
      description: i.description,
      urgency: i.urgency,
      headcount: i.headcount,
      skillIds: sortedUnique(i.skillIds),
      windowStart: i.windowStart ?? null,
      windowEnd: i.windowEnd ?? null,
      mode: i.mode,
      place: i.place ?? null,
      expectedOutcome: i.expectedOutcome ?? null,
    }),
  )
  const covered = new Set(items.flatMap((i) => i.sourceItemIds))
  const dropped = doc.dropped
    .filter((d): d is { sourceItemId: number; reason: string } => Boolean(d.reason))
    .filter((d) => !covered.has(d.sourceItemId))
    .map((d) => ({ sourceItemId: d.sourceItemId, reason: d.reason }))
    .sort((a, b) => a.sourceItemId - b.sourceItemId)
  return { items, dropped }
}

/** null and '' mean "not given" (as in stored documents and posted forms). */
function withoutBlanks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutBlanks)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== '')
      .map(([k, v]) => [k, withoutBlanks(v)]),
  )
}

export type ParseResult =
  | { ok: true; document: ConfirmationDocument }
  | { ok: false; issues: Issue[] }

const MESSAGE_KEY = /^[a-z][a-zA-Z]*(\.[a-zA-Z]+)+$/

/** Validates untrusted input against the filed items and normalises it. */
export function parseDocument(input: unknown, filedIds: readonly number[]): ParseResult {
  const parsed = documentSchema(filedIds).safeParse(withoutBlanks(input))
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
        // zod's own (untranslated) messages only come from crafted posts.
        message: MESSAGE_KEY.test(i.message) ? i.message : 'errors.badRequest',
      })),
    }
  }
  return { ok: true, document: normaliseDocument(parsed.data) }
}

// Stored documents were validated on the way in; this only checks the shape.
const storedItemSchema = z.object({
  key: z.string(),
  sourceItemIds: z.array(z.number()),
  category: z.string(),
  title: z.string(),
  description: z.string(),
  urgency: z.string(),
  headcount: z.number(),
  skillIds: z.array(z.number()),
  windowStart: z.string().nullable(),
  windowEnd: z.string().nullable(),
  mode: z.string(),
  place: z.string().nullable(),
  expectedOutcome: z.string().nullable(),
})
const storedDocumentSchema = z.object({
  items: z.array(storedItemSchema),
  dropped: z.array(z.object({ sourceItemId: z.number(), reason: z.string() })),
})

/** A document read back from a needs_revision row. */
export function storedDocument(json: unknown): ConfirmationDocument {
  return storedDocumentSchema.parse(typeof json === 'string' ? JSON.parse(json) : json)
}

export function sameDocument(a: ConfirmationDocument, b: ConfirmationDocument): boolean {
  return diffDocuments(a, b).unchanged
}

// ---------------------------------------------------------------------------
// The initial draft and new keys.

/** Key of the confirmed item drafted from a filed item. */
export const filedKey = (needItemId: number) => `f${needItemId}`

/** A title for an item filed without one: the description's first line, shortened. */
export function titleFrom(description: string): string {
  const line = description.trim().split(/\r?\n/)[0]?.trim() ?? ''
  const chars = Array.from(line)
  return chars.length > 30 ? `${chars.slice(0, 29).join('').trimEnd()}…` : line
}

/** The steward's starting point: one confirmed item per filed item, unchanged. */
export function initialDraft(filed: readonly FiledItem[]): ConfirmationDocument {
  return {
    items: filed.map((f) => ({
      key: filedKey(f.id),
      sourceItemIds: [f.id],
      category: f.category,
      title: f.title?.trim() ? f.title.trim() : titleFrom(f.description),
      description: f.description,
      urgency: f.urgency,
      headcount: f.headcount,
      skillIds: sortedUnique(f.skillIds),
      windowStart: f.windowStart,
      windowEnd: f.windowEnd,
      mode: f.mode,
      place: f.place,
      expectedOutcome: f.expectedOutcome,
    })),
    dropped: [],
  }
}

/** k of a key `n<k>`, else 0. */
export function newKeyNumber(key: unknown): number {
  const m = typeof key === 'string' ? /^n(\d{1,9})$/.exec(key) : null
  return m ? Number(m[1]) : 0
}

/** The highest `n<k>` used in these documents (so a new key never reuses a retired one). */
export function keySeedOf(docs: readonly ConfirmationDocument[]): number {
  return Math.max(0, ...docs.flatMap((d) => d.items.map((i) => newKeyNumber(i.key))))
}

/** A key not used by `keys` nor by any earlier revision (whose highest number is `seed`). */
export function nextKey(keys: Iterable<unknown>, seed: number): string {
  let max = seed
  for (const k of keys) max = Math.max(max, newKeyNumber(k))
  return `n${max + 1}`
}

// ---------------------------------------------------------------------------
// Split and merge, on form values (strings or lists of strings, possibly invalid),
// so the form can apply them before the steward has fixed every field.

export type LooseItem = Record<string, unknown>

const asList = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v])
    .map((x) => String(x).trim())
    .filter((x) => x !== '')

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

const union = (lists: string[][]) => [...new Set(lists.flat())]

/** Splits the item at `index`: a copy with a new key (same sources) right after it. */
export function splitItem(items: readonly LooseItem[], index: number, key: string): LooseItem[] {
  const item = items[index]
  if (!item) return [...items]
  return [...items.slice(0, index + 1), { ...item, key }, ...items.slice(index + 1)]
}

/**
 * Merges the items with these keys into the first of them (which keeps its key,
 * title, category and mode): descriptions and expected outcomes joined, skills and
 * sources combined, the highest urgency, the summed headcount (at most 50), the
 * widest window, the first place given. Null when fewer than two items match.
 */
export function mergeItems(
  items: readonly LooseItem[],
  keys: readonly string[],
): LooseItem[] | null {
  const wanted = new Set(keys)
  const chosen = items.filter((i) => wanted.has(String(i.key)))
  const first = chosen[0]
  if (!first || chosen.length < 2) return null
  const join = (field: string) =>
    [...new Set(chosen.map((i) => text(i[field])).filter((s) => s !== ''))].join('\n')
  const urgencies = chosen
    .map((i) => URGENCIES.indexOf(text(i.urgency) as (typeof URGENCIES)[number]))
    .filter((n) => n >= 0)
  const counts = chosen.map((i) => Number(text(i.headcount))).filter((n) => Number.isInteger(n))
  const starts = chosen.map((i) => text(i.windowStart)).filter((s) => s !== '')
  const ends = chosen.map((i) => text(i.windowEnd)).filter((s) => s !== '')
  const merged: LooseItem = {
    ...first,
    description: join('description'),
    expectedOutcome: join('expectedOutcome'),
    urgency: urgencies.length > 0 ? URGENCIES[Math.max(...urgencies)] : first.urgency,
    headcount:
      counts.length > 0
        ? String(
            Math.min(
              50,
              counts.reduce((a, b) => a + b, 0),
            ),
          )
        : first.headcount,
    skillIds: union(chosen.map((i) => asList(i.skillIds))),
    sourceItemIds: union(chosen.map((i) => asList(i.sourceItemIds))),
    windowStart: starts.length > 0 ? starts.sort()[0] : '',
    windowEnd: ends.length > 0 ? ends.sort().at(-1) : '',
    place: chosen.map((i) => text(i.place)).find((s) => s !== '') ?? '',
  }
  const result: LooseItem[] = []
  for (const item of items) {
    if (item === first) result.push(merged)
    else if (!wanted.has(String(item.key))) result.push(item)
  }
  return result
}

// ---------------------------------------------------------------------------
// Diff between two revisions.

export const SCALAR_FIELDS = [
  'title',
  'category',
  'description',
  'urgency',
  'headcount',
  'windowStart',
  'windowEnd',
  'mode',
  'place',
  'expectedOutcome',
] as const
export type ScalarField = (typeof SCALAR_FIELDS)[number]
export const SET_FIELDS = ['skillIds', 'sourceItemIds'] as const
export type SetField = (typeof SET_FIELDS)[number]

export type FieldChange =
  | { field: ScalarField; from: string | number | null; to: string | number | null }
  | { field: SetField; added: number[]; removed: number[] }

export interface AddedItem {
  item: ConfirmedItem
  position: number
  /** A kept item this one shares sources with (it was split off). */
  splitFrom: string | null
  /** Removed items whose sources it now carries, when there are several (a merge). */
  mergedFrom: string[]
}

export interface RemovedItem {
  item: ConfirmedItem
  /** A kept item that took over all of its sources (it was merged into that one). */
  mergedInto: string | null
}

export interface ChangedItem {
  key: string
  title: string
  position: number
  changes: FieldChange[]
}

export interface DroppedChange {
  sourceItemId: number
  /** null: newly dropped. */
  from: string | null
  /** null: carried over again. */
  to: string | null
}

export interface DocumentDiff {
  added: AddedItem[]
  removed: RemovedItem[]
  changed: ChangedItem[]
  /** The items both revisions have are in a different order. */
  reordered: boolean
  dropped: DroppedChange[]
  unchanged: boolean
}

const subset = (a: readonly number[], b: readonly number[]) => a.every((x) => b.includes(x))

/** What changed from `before` to `after`; items are matched by key, not position. */
export function diffDocuments(
  before: ConfirmationDocument,
  after: ConfirmationDocument,
): DocumentDiff {
  const old = new Map(before.items.map((i) => [i.key, i]))
  const now = new Map(after.items.map((i) => [i.key, i]))

  const changed: ChangedItem[] = []
  after.items.forEach((item, position) => {
    const prev = old.get(item.key)
    if (!prev) return
    const changes: FieldChange[] = []
    for (const field of SCALAR_FIELDS) {
      if (prev[field] !== item[field]) changes.push({ field, from: prev[field], to: item[field] })
    }
    for (const field of SET_FIELDS) {
      const added = item[field].filter((x) => !prev[field].includes(x))
      const removed = prev[field].filter((x) => !item[field].includes(x))
      if (added.length > 0 || removed.length > 0) changes.push({ field, added, removed })
    }
    if (changes.length > 0) changed.push({ key: item.key, title: item.title, position, changes })
  })

  const kept = after.items.filter((i) => old.has(i.key))
  const changedKeys = new Set(changed.map((c) => c.key))
  // Merged into a kept item: it carries all the removed item's sources now and
  // changed too (gained them, or took over its content when two halves of a
  // split are joined again). A half simply deleted leaves the other unchanged.
  const removed: RemovedItem[] = before.items
    .filter((i) => !now.has(i.key))
    .map((item) => {
      const into = kept.find(
        (k) =>
          item.sourceItemIds.length > 0 &&
          changedKeys.has(k.key) &&
          subset(item.sourceItemIds, k.sourceItemIds),
      )
      return { item, mergedInto: into?.key ?? null }
    })

  const added: AddedItem[] = []
  after.items.forEach((item, position) => {
    if (old.has(item.key)) return
    const from = kept.find((k) => k.sourceItemIds.some((s) => item.sourceItemIds.includes(s)))
    const mergedFrom = removed
      .filter(
        (r) => r.item.sourceItemIds.length > 0 && subset(r.item.sourceItemIds, item.sourceItemIds),
      )
      .map((r) => r.item.key)
    added.push({
      item,
      position,
      splitFrom: from?.key ?? null,
      mergedFrom: mergedFrom.length >= 2 ? mergedFrom : [],
    })
  })

  const orderBefore = before.items.filter((i) => now.has(i.key)).map((i) => i.key)
  const orderAfter = kept.map((i) => i.key)
  const reordered = orderBefore.some((k, i) => orderAfter[i] !== k)

  const oldDrops = new Map(before.dropped.map((d) => [d.sourceItemId, d.reason]))
  const newDrops = new Map(after.dropped.map((d) => [d.sourceItemId, d.reason]))
  const dropIds = [...new Set([...oldDrops.keys(), ...newDrops.keys()])].sort((a, b) => a - b)
  const dropped: DroppedChange[] = dropIds
    .map((id) => ({
      sourceItemId: id,
      from: oldDrops.get(id) ?? null,
      to: newDrops.get(id) ?? null,
    }))
    .filter((d) => d.from !== d.to)

  return {
    added,
    removed,
    changed,
    reordered,
    dropped,
    unchanged:
      added.length === 0 &&
      removed.length === 0 &&
      changed.length === 0 &&
      !reordered &&
      dropped.length === 0,
  }
}

/** The enterprise's comment when it sends the confirmed needs back. */
export const commentSchema = z
  .string({ error: 'confirmation.errors.commentRequired' })
  .trim()
  .min(2, { error: 'confirmation.errors.commentRequired' })
  .max(2000, { error: 'errors.tooLong' })

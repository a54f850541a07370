import { describe, expect, it } from 'vitest'
import {
  type ConfirmationDocument,
  type ConfirmedItem,
  diffDocuments,
  documentIssues,
  type FiledItem,
  initialDraft,
  keySeedOf,
  mergeItems,
  nextKey,
  normaliseDocument,
  parseDocument,
  sameDocument,
  splitItem,
  storedDocument,
  titleFrom,
} from '#workflows/confirmation.ts'

const FILED: FiledItem[] = [
  {
    id: 11,
    category: 'equipment_diagnosis',
    title: '',
    description: 'Health diagnosis of the power distribution boxes\nand the supply lines',
    urgency: 'high',
    headcount: 2,
    skillIds: [7, 3],
    windowStart: '2026-03-01',
    windowEnd: '2026-03-31',
    mode: 'onsite',
    place: 'Workshop 2',
    expectedOutcome: null,
  },
  {
    id: 12,
    category: 'skills_training',
    title: 'Welder training',
    description: 'Skills training for 20 welders',
    urgency: 'normal',
    headcount: 1,
    skillIds: [],
    windowStart: null,
    windowEnd: null,
    mode: 'either',
    place: null,
    expectedOutcome: 'Certified welders',
  },
]
const FILED_IDS = FILED.map((f) => f.id)

/** A form-like input for the item (strings where the form posts strings). */
function input(item: ConfirmedItem) {
  return {
    key: item.key,
    sourceItemIds: item.sourceItemIds.map(String),
    category: item.category,
    title: item.title,
    description: item.description,
    urgency: item.urgency,
    headcount: String(item.headcount),
    skillIds: item.skillIds.map(String),
    windowStart: item.windowStart ?? '',
    windowEnd: item.windowEnd ?? '',
    mode: item.mode,
    place: item.place ?? '',
    expectedOutcome: item.expectedOutcome ?? '',
  }
}

function draft(): ConfirmationDocument {
  return initialDraft(FILED)
}

function withItems(items: ConfirmedItem[], dropped = draft().dropped): ConfirmationDocument {
  return { items, dropped }
}

describe('the initial draft', () => {
  it('has one confirmed item per filed item, keyed by the filed id, with its fields', () => {
    const doc = draft()
    expect(doc.dropped).toEqual([])
    expect(doc.items).toEqual([
      {
        key: 'f11',
        sourceItemIds: [11],
        category: 'equipment_diagnosis',
        title: 'Health diagnosis of the power…',
        description: FILED[0]?.description,
        urgency: 'high',
        headcount: 2,
        skillIds: [3, 7],
        windowStart: '2026-03-01',
        windowEnd: '2026-03-31',
        mode: 'onsite',
        place: 'Workshop 2',
        expectedOutcome: null,
      },
      {
        key: 'f12',
        sourceItemIds: [12],
        category: 'skills_training',
        title: 'Welder training',
        description: 'Skills training for 20 welders',
        urgency: 'normal',
        headcount: 1,
        skillIds: [],
        windowStart: null,
        windowEnd: null,
        mode: 'either',
        place: null,
        expectedOutcome: 'Certified welders',
      },
    ])
  })

  it('derives a title from the first line of the description, counting characters', () => {
    expect(titleFrom('  配电箱健康诊断\n第二行')).toBe('配电箱健康诊断')
    expect(Array.from(titleFrom('诊'.repeat(40)))).toHaveLength(30)
    expect(titleFrom('诊'.repeat(40)).endsWith('…')).toBe(true)
  })

  it('is itself a valid document that round-trips through storage', () => {
    const parsed = parseDocument({ items: draft().items.map(input), dropped: [] }, FILED_IDS)
    expect(parsed).toEqual({ ok: true, document: draft() })
    const stored = storedDocument(JSON.stringify(draft()))
    expect(stored).toEqual(draft())
    expect(sameDocument(stored, draft())).toBe(true)
  })
})

describe('validation', () => {
  const items = () => draft().items.map(input)

  function issuesOf(doc: unknown) {
    const r = parseDocument(doc, FILED_IDS)
    return r.ok ? [] : r.issues.map((i) => [i.path.join('.'), i.message])
  }

  it('requires a title, a valid headcount, a category and an ordered window', () => {
    const [a, b] = items()
    if (!a || !b) throw new Error('fixture')
    expect(
      issuesOf({
        items: [
          { ...a, title: ' ', headcount: '0' },
          { ...b, category: 'Magic!', windowStart: '2026-05-02', windowEnd: '2026-05-01' },
        ],
      }).sort(),
    ).toEqual([
      ['items.0.headcount', 'errors.headcount'],
      ['items.0.title', 'confirmation.errors.titleRequired'],
      ['items.1.category', 'errors.category'],
      ['items.1.windowEnd', 'errors.windowOrder'],
    ])
    expect(issuesOf({ items: [{ ...a, headcount: '51' }, b] })).toEqual([
      ['items.0.headcount', 'errors.headcount'],
    ])
  })

  it('needs at least one item and unique, well-formed keys', () => {
    expect(issuesOf({ items: [] })).toEqual([['items', 'confirmation.errors.noItems']])
    const [a, b] = items()
    if (!a || !b) throw new Error('fixture')
    expect(issuesOf({ items: [a, { ...b, key: a.key }] })).toEqual([
      ['items.1.key', 'confirmation.errors.duplicateKey'],
    ])
    expect(issuesOf({ items: [a, { ...b, key: 'Bad Key' }] })).toEqual([
      ['items.1.key', 'confirmation.errors.badKey'],
    ])
  })

  it('requires every filed item to be carried over or dropped with a reason', () => {
    const [a] = items()
    if (!a) throw new Error('fixture')
    // Item 12 is neither covered nor listed as dropped.
    expect(issuesOf({ items: [a] })).toEqual([['dropped', 'confirmation.errors.uncovered']])
    // Listed, but without a reason: the error is on that reason field.
    expect(
      issuesOf({
        items: [a],
        dropped: [
          { sourceItemId: '11', reason: '' },
          { sourceItemId: '12', reason: '  ' },
        ],
      }),
    ).toEqual([['dropped.1.reason', 'confirmation.errors.dropReasonRequired']])
    const ok = parseDocument(
      {
        items: [a],
        dropped: [
          { sourceItemId: '11', reason: 'ignored: still covered' },
          { sourceItemId: '12', reason: ' Training is run by the city next month ' },
        ],
      },
      FILED_IDS,
    )
    expect(ok.ok && ok.document.dropped).toEqual([
      { sourceItemId: 12, reason: 'Training is run by the city next month' },
    ])
  })

  it('refuses sources that are not filed items of this list', () => {
    const [a, b] = items()
    if (!a || !b) throw new Error('fixture')
    expect(issuesOf({ items: [{ ...a, sourceItemIds: ['11', '99'] }, b] })).toEqual([
      ['items.0.sourceItemIds', 'confirmation.errors.unknownSource'],
    ])
    expect(
      issuesOf({ items: [a, b], dropped: [{ sourceItemId: '99', reason: 'not ours' }] }),
    ).toEqual([['dropped.0.sourceItemId', 'confirmation.errors.unknownSource']])
  })

  it('allows items the steward adds without a source', () => {
    const [a, b] = items()
    if (!a || !b) throw new Error('fixture')
    const extra = { ...b, key: 'n1', sourceItemIds: [], title: 'Safety walk' }
    const r = parseDocument({ items: [a, b, extra] }, FILED_IDS)
    expect(r.ok && r.document.items.map((i) => [i.key, i.sourceItemIds])).toEqual([
      ['f11', [11]],
      ['f12', [12]],
      ['n1', []],
    ])
  })

  it('normalises blanks to null and id sets to sorted unique lists', () => {
    const doc = normaliseDocument({
      items: [
        {
          key: 'n3',
          sourceItemIds: [12, 11, 12],
          category: 'other',
          title: 'Combined',
          description: 'Both things at once',
          urgency: 'low',
          headcount: 1,
          skillIds: [9, 2, 9],
          mode: 'remote',
          windowStart: undefined,
          windowEnd: undefined,
          place: undefined,
          expectedOutcome: undefined,
        },
      ],
      dropped: [],
    })
    expect(doc.items[0]).toMatchObject({
      sourceItemIds: [11, 12],
      skillIds: [2, 9],
      windowStart: null,
      place: null,
      expectedOutcome: null,
    })
    expect(documentIssues(doc, FILED_IDS)).toEqual([])
  })
})

describe('keys', () => {
  it('never reuses a key of an earlier revision', () => {
    const docs = [
      withItems([...draft().items, { ...(draft().items[0] as ConfirmedItem), key: 'n4' }]),
    ]
    const seed = keySeedOf(docs)
    expect(seed).toBe(4)
    // n4 was removed from the form since, yet the next key is n5.
    expect(nextKey(['f11', 'f12'], seed)).toBe('n5')
    expect(nextKey(['f11', 'n7'], seed)).toBe('n8')
    expect(nextKey([], 0)).toBe('n1')
  })
})

describe('split and merge on form values', () => {
  const [a, b] = draft().items.map(input)
  if (!a || !b) throw new Error('fixture')

  it('split copies the item right after it under a new key, with the same sources', () => {
    const out = splitItem([a, b], 0, 'n1')
    expect(out.map((i) => i.key)).toEqual(['f11', 'n1', 'f12'])
    expect(out[1]).toEqual({ ...a, key: 'n1' })
    expect(splitItem([a, b], 5, 'n1')).toEqual([a, b])
  })

  it('merge combines the chosen items into the first, in place', () => {
    const c = { ...b, key: 'n2', description: 'Train the apprentices', urgency: 'urgent' }
    const out = mergeItems([a, b, c], ['n2', 'f11'])
    expect(out?.map((i) => i.key)).toEqual(['f11', 'f12'])
    expect(out?.[0]).toMatchObject({
      key: 'f11',
      title: a.title,
      description: `${a.description}\nTrain the apprentices`,
      urgency: 'urgent',
      headcount: '3',
      skillIds: ['3', '7'],
      sourceItemIds: ['11', '12'],
      windowStart: '2026-03-01',
      windowEnd: '2026-03-31',
      place: 'Workshop 2',
      expectedOutcome: 'Certified welders',
    })
  })

  it('merge needs two items and tolerates single values and blanks', () => {
    expect(mergeItems([a, b], ['f11'])).toBeNull()
    expect(mergeItems([a, b], ['zz', 'yy'])).toBeNull()
    const out = mergeItems(
      [
        { ...a, skillIds: '3', sourceItemIds: '11', headcount: '40' },
        { ...b, skillIds: undefined, headcount: 'x', windowStart: '2026-01-05' },
        { ...b, key: 'n9', headcount: '30', sourceItemIds: ['12'] },
      ],
      ['f11', 'f12', 'n9'],
    )
    expect(out).toHaveLength(1)
    expect(out?.[0]).toMatchObject({
      skillIds: ['3'],
      sourceItemIds: ['11', '12'],
      headcount: '50',
      windowStart: '2026-01-05',
    })
  })
})

describe('the diff between two revisions', () => {
  const base = draft()
  const [a, b] = base.items as [ConfirmedItem, ConfirmedItem]

  it('is empty for the same document, and for a pure reorder only says so', () => {
    expect(diffDocuments(base, base)).toMatchObject({ unchanged: true, reordered: false })
    const reordered = diffDocuments(base, withItems([b, a]))
    expect(reordered).toMatchObject({
      unchanged: false,
      reordered: true,
      added: [],
      removed: [],
      changed: [],
    })
  })

  it('reports changed fields old → new, matched by key whatever the order', () => {
    const after = withItems([
      { ...b, headcount: 3, windowStart: '2026-04-01' },
      { ...a, title: 'Distribution box diagnosis', place: null },
    ])
    const diff = diffDocuments(base, after)
    expect(diff.reordered).toBe(true)
    expect(diff.changed).toEqual([
      {
        key: 'f12',
        title: b.title,
        position: 0,
        changes: [
          { field: 'headcount', from: 1, to: 3 },
          { field: 'windowStart', from: null, to: '2026-04-01' },
        ],
      },
      {
        key: 'f11',
        title: 'Distribution box diagnosis',
        position: 1,
        changes: [
          { field: 'title', from: a.title, to: 'Distribution box diagnosis' },
          { field: 'place', from: 'Workshop 2', to: null },
        ],
      },
    ])
  })

  it('reports skills added and removed', () => {
    const diff = diffDocuments(base, withItems([{ ...a, skillIds: [3, 8, 9] }, b]))
    expect(diff.changed).toEqual([
      {
        key: 'f11',
        title: a.title,
        position: 0,
        changes: [{ field: 'skillIds', added: [8, 9], removed: [7] }],
      },
    ])
  })

  it('shows a split as an added item split off a kept one', () => {
    const half = { ...a, key: 'n1', title: 'Supply lines', headcount: 1 }
    const diff = diffDocuments(base, withItems([{ ...a, headcount: 1 }, half, b]))
    expect(diff.added).toEqual([{ item: half, position: 1, splitFrom: 'f11', mergedFrom: [] }])
    expect(diff.removed).toEqual([])
    expect(diff.changed.map((c) => c.changes)).toEqual([[{ field: 'headcount', from: 2, to: 1 }]])
    expect(diff.reordered).toBe(false)
  })

  it('shows a merge into a kept item as a removal "merged into" plus gained sources', () => {
    const merged = { ...a, sourceItemIds: [11, 12], description: 'Both' }
    const diff = diffDocuments(base, withItems([merged]))
    expect(diff.removed).toEqual([{ item: b, mergedInto: 'f11' }])
    expect(diff.changed[0]?.changes).toEqual([
      { field: 'description', from: a.description, to: 'Both' },
      { field: 'sourceItemIds', added: [12], removed: [] },
    ])
  })

  it('shows joining the halves of a split as a merge, and deleting a half as a removal', () => {
    const half = { ...a, key: 'n1', title: 'Supply lines', headcount: 1 }
    const split = withItems([{ ...a, headcount: 1 }, half, b])
    const joined = diffDocuments(split, withItems([{ ...a, headcount: 2 }, b]))
    expect(joined.removed).toEqual([{ item: half, mergedInto: 'f11' }])
    const deleted = diffDocuments(split, withItems([{ ...a, headcount: 1 }, b]))
    expect(deleted.removed).toEqual([{ item: half, mergedInto: null }])
    expect(deleted.changed).toEqual([])
  })

  it('shows a merge into a new item as an addition "merged from" the removed ones', () => {
    const merged = { ...a, key: 'n2', sourceItemIds: [11, 12] }
    const diff = diffDocuments(base, withItems([merged]))
    expect(diff.added).toEqual([
      { item: merged, position: 0, splitFrom: null, mergedFrom: ['f11', 'f12'] },
    ])
    expect(diff.removed.map((r) => [r.item.key, r.mergedInto])).toEqual([
      ['f11', null],
      ['f12', null],
    ])
  })

  it('reports filed items newly dropped, reasons changed and items carried over again', () => {
    const dropped = { items: [a], dropped: [{ sourceItemId: 12, reason: 'Not now' }] }
    const first = diffDocuments(base, dropped)
    expect(first.removed).toEqual([{ item: b, mergedInto: null }])
    expect(first.dropped).toEqual([{ sourceItemId: 12, from: null, to: 'Not now' }])
    const reason = diffDocuments(dropped, {
      ...dropped,
      dropped: [{ sourceItemId: 12, reason: 'Next year' }],
    })
    expect(reason.dropped).toEqual([{ sourceItemId: 12, from: 'Not now', to: 'Next year' }])
    expect(reason.unchanged).toBe(false)
    const back = diffDocuments(dropped, base)
    expect(back.dropped).toEqual([{ sourceItemId: 12, from: 'Not now', to: null }])
    expect(back.added.map((x) => x.item.key)).toEqual(['f12'])
  })
})

describe('translations', () => {
  function lookup(dict: unknown, key: string): unknown {
    return key.split('.').reduce<unknown>((node, part) => {
      return typeof node === 'object' && node !== null
        ? (node as Record<string, unknown>)[part]
        : undefined
    }, dict)
  }

  it('has every key the feature uses, in both languages', async () => {
    const { readFile } = await import('node:fs/promises')
    const { resources } = await import('#app/i18n/config.ts')
    const { SCALAR_FIELDS, SET_FIELDS } = await import('#workflows/confirmation.ts')
    const { WORK_MODES } = await import('#workflows/needs-list.schema.ts')
    const files = [
      'workflows/confirmation.ts',
      'workflows/commands/confirmation.ts',
      'app/components/confirmation-view.tsx',
      'app/components/confirmed-items-form.tsx',
      'app/routes/needs-lists.$id.confirmation.tsx',
    ]
    const keys = new Set<string>()
    for (const file of files) {
      const text = await readFile(file, 'utf8')
      for (const m of text.matchAll(/'((?:confirmation|errors|taxonomy)\.[a-zA-Z.]+[a-zA-Z])'/g)) {
        if (m[1]) keys.add(m[1])
      }
    }
    for (const f of [...SCALAR_FIELDS, ...SET_FIELDS]) keys.add(`confirmation.field.${f}`)
    for (const m of WORK_MODES) keys.add(`confirmation.mode.${m}`)
    for (const k of ['edit', 'proposal', 'comment', 'approval']) {
      keys.add(`confirmation.history.kind.${k}`)
    }
    for (const n of ['saved', 'proposed', 'approved', 'commented']) {
      keys.add(`confirmation.notice.${n}`)
    }
    expect(keys.size).toBeGreaterThan(60)
    for (const locale of ['zh-CN', 'en'] as const) {
      const missing = [...keys].filter(
        (k) => typeof lookup(resources[locale].translation, k) !== 'string',
      )
      expect(missing, locale).toEqual([])
    }
  })
})

import type { DbOrTrx } from '#db/client.server.ts'
import { itemsOfOtherLists } from '#db/queries/need-items.ts'

/**
 * Similar open need items of the same enterprise, flagged when it submits a
 * list, so a need is not filed (and worked on) twice.
 *
 * The rule: two items are similar when they have the same category and their
 * texts overlap. A text is folded (Unicode NFKC, lower case) and cut into
 * tokens: Chinese/Japanese/Korean runs into overlapping character pairs
 * (a single character stays itself), Latin letters and digits into words
 * (a plural "s" dropped, a few English filler words ignored). The overlap of
 * two token sets is the Dice coefficient 2·|A∩B| / (|A|+|B|). Items are
 * similar when the overlap reaches SIMILARITY_THRESHOLD for their titles (both
 * given), for their descriptions, or for title and description together.
 */

export const SIMILARITY_THRESHOLD = 0.5

/** Statuses of lists whose items still count as open needs. */
export const OPEN_LIST_STATUSES = [
  'submitted',
  'returned',
  'awaiting_steward',
  'confirming',
  'awaiting_approval',
  'ready_for_matching',
] as const

export interface ComparableItem {
  category: string
  title: string | null | undefined
  description: string
}

const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'of',
  'for',
  'and',
  'or',
  'to',
  'in',
  'on',
  'at',
  'with',
  'by',
  'our',
  'we',
])

// Han, Hiragana/Katakana, Hangul.
const CJK_CHAR = '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}]'
const CJK = new RegExp(`^${CJK_CHAR}+$`, 'u')
// A CJK run, or a run of other letters and digits.
const RUN = new RegExp(`${CJK_CHAR}+|(?:(?!${CJK_CHAR})[\\p{L}\\p{N}])+`, 'gu')

/** The token set of a text (see the rule above). */
export function tokens(text: string): Set<string> {
  const out = new Set<string>()
  const folded = text.normalize('NFKC').toLowerCase()
  for (const [run] of folded.matchAll(RUN)) {
    if (CJK.test(run)) {
      const chars = [...run]
      if (chars.length === 1) out.add(run)
      for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`)
    } else {
      if (STOP_WORDS.has(run)) continue
      out.add(run.length > 3 && run.endsWith('s') && !run.endsWith('ss') ? run.slice(0, -1) : run)
    }
  }
  return out
}

/** Dice coefficient of two token sets; 0 when either is empty. */
export function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  let shared = 0
  for (const t of a) if (b.has(t)) shared++
  return (2 * shared) / (a.size + b.size)
}

/** How alike two items are, 0..1; 0 across categories. */
export function similarity(a: ComparableItem, b: ComparableItem): number {
  if (a.category !== b.category) return 0
  const titleA = a.title?.trim() ?? ''
  const titleB = b.title?.trim() ?? ''
  const scores = [
    overlap(tokens(a.description), tokens(b.description)),
    overlap(tokens(`${titleA} ${a.description}`), tokens(`${titleB} ${b.description}`)),
  ]
  if (titleA && titleB) scores.push(overlap(tokens(titleA), tokens(titleB)))
  return Math.max(...scores)
}

export function isSimilar(a: ComparableItem, b: ComparableItem): boolean {
  return similarity(a, b) >= SIMILARITY_THRESHOLD
}

export interface SimilarPair<C> {
  /** Index of the submitted item. */
  itemIndex: number
  candidate: C
  score: number
}

/** Every (submitted item, open candidate) pair that is similar, best first per item. */
export function findSimilar<C extends ComparableItem>(
  items: readonly ComparableItem[],
  candidates: readonly C[],
): SimilarPair<C>[] {
  const pairs: SimilarPair<C>[] = []
  items.forEach((item, itemIndex) => {
    const found = candidates
      .map((candidate) => ({ itemIndex, candidate, score: similarity(item, candidate) }))
      .filter((p) => p.score >= SIMILARITY_THRESHOLD)
      .sort((x, y) => y.score - x.score)
    pairs.push(...found)
  })
  return pairs
}

/** One open item of another list that resembles an item being submitted. */
export interface SimilarOpenItem {
  /** Position (0-based) of the item in the list being submitted. */
  itemIndex: number
  itemId: number
  category: string
  title: string
  description: string
  listId: number
  listTitle: string
  listStatus: string
  score: number
}

/** Items of the enterprise's other open lists similar to `items` (see the rule above). */
export async function similarOpenItems(
  db: DbOrTrx,
  input: { enterpriseId: number; listId: number; items: readonly ComparableItem[] },
): Promise<SimilarOpenItem[]> {
  const candidates = await itemsOfOtherLists(db, {
    enterpriseId: input.enterpriseId,
    excludeListId: input.listId,
    statuses: OPEN_LIST_STATUSES,
    categories: [...new Set(input.items.map((i) => i.category))],
  })
  return findSimilar(input.items, candidates).map(({ itemIndex, candidate, score }) => ({
    itemIndex,
    itemId: candidate.id,
    category: candidate.category,
    title: candidate.title,
    description: candidate.description,
    listId: candidate.listId,
    listTitle: candidate.listTitle,
    listStatus: candidate.listStatus,
    score: Math.round(score * 100) / 100,
  }))
}

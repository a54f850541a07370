import { data } from '@remix-run/node'
import type { Db } from '#db/client.server.ts'
import { attachmentsOf } from '#db/queries/attachments.ts'
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_LIST } from '#workflows/attachments.ts'
import type { needsListView } from '#workflows/commands/needs-lists.ts'
import type { SimilarItemsError } from '#workflows/errors.ts'
import { readNotice, withNotice } from './notice.ts'
import { categoryOptions, skillDomains } from './taxonomy.server.ts'
import { skillIndex } from './taxonomy.ts'

type View = Awaited<ReturnType<typeof needsListView>>

/** Outcomes of this feature's actions, announced after the redirect (?done=…). */
const NOTICES = {
  withdrawn: 'taxonomy.withdraw.done',
  attachmentAdded: 'taxonomy.attachments.added',
  attachmentDeleted: 'taxonomy.attachments.deleted',
} as const

export type ExtrasNotice = keyof typeof NOTICES

export function withExtrasNotice(path: string, notice: ExtrasNotice): string {
  return withNotice(path, notice)
}

/**
 * What the detail page shows beyond the core list: item details with skill
 * names in both languages, category labels from the table, the attachments,
 * and this feature's notices. The principal has been authorised by the view.
 */
export async function needsListExtras(db: Db, request: Request, view: View) {
  const [categories, domains, attachments] = await Promise.all([
    categoryOptions(db),
    skillDomains(db),
    attachmentsOf(db, view.list.id),
  ])
  const index = skillIndex(domains)
  return {
    notice: readNotice(request, NOTICES),
    categories,
    items: view.items.map((i) => ({
      id: i.id,
      category: i.category,
      title: i.title,
      description: i.description,
      urgency: i.urgency,
      headcount: i.headcount,
      windowStart: i.windowStart,
      windowEnd: i.windowEnd,
      mode: i.mode,
      place: i.place,
      expectedOutcome: i.expected_outcome,
      skills: i.skillIds.flatMap((id) => {
        const hit = index.get(id)
        if (!hit) return []
        const parents = [hit.domain, hit.field].filter((p) => p && p !== hit.skill)
        return [
          {
            id,
            nameZh: hit.skill.nameZh,
            nameEn: hit.skill.nameEn,
            pathZh: parents.map((p) => p?.nameZh).join(' / '),
            pathEn: parents.map((p) => p?.nameEn).join(' / '),
          },
        ]
      }),
    })),
    attachments: attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      sizeBytes: a.size_bytes,
      uploaderName: a.uploaderName,
      createdAt: a.created_at,
    })),
    // The enterprise's contact, while the list may be edited (draft, returned).
    canManageAttachments: view.can.edit,
    limits: { maxFiles: MAX_ATTACHMENTS_PER_LIST, maxBytes: MAX_ATTACHMENT_BYTES },
  }
}

export type NeedsListExtras = Awaited<ReturnType<typeof needsListExtras>>

/**
 * The submit action's answer when similar open items exist: nothing changed,
 * confirm to go on. No form result (the submit form has no fields to show),
 * which also keeps this shape apart from the action's other answers.
 */
export function similarItemsReply(err: SimilarItemsError) {
  return data(
    {
      result: undefined,
      similar: err.items.map((s) => ({
        itemIndex: s.itemIndex,
        itemId: s.itemId,
        title: s.title,
        description: s.description.slice(0, 120),
        listId: s.listId,
        listTitle: s.listTitle,
        listStatus: s.listStatus,
      })),
    },
    { status: 409 },
  )
}

import type { Db, DbOrTrx } from '#db/client.server.ts'
import { attachmentsOf } from '#db/queries/attachments.ts'
import {
  type ArchivedCasesFilter,
  archivedCases,
  archiveHead,
  caseTimeline,
  categoryLabels,
  findingsForArchive,
  followUpsForArchive,
  isExpertOnCase,
  photosForArchive,
  planItemsForArchive,
  plansForArchive,
  proposalsForArchive,
  recordsForArchive,
  reportsForArchive,
  skillLabels,
  visitMembersForArchive,
  visitsForArchive,
} from '#db/queries/case-archive.ts'
import { confirmedItemsOf, filedItemsOf, revisionsOf } from '#db/queries/confirmation.ts'
import { invitationsOfList } from '#db/queries/invitations.ts'
import { outcomesOf, pairedExpertIdsOf } from '#db/queries/outcomes.ts'
import { confirmationsOf, findAgreement, findMeeting, pairingsOf } from '#db/queries/pairing.ts'
import { expertRatingsOf, findServiceRating } from '#db/queries/ratings.ts'
import { runsOf } from '#db/queries/resource-list.ts'
import { assignmentHistory } from '#db/queries/stewards.ts'
import {
  canRead,
  hasRole,
  isAssignedSteward,
  membershipFor,
  type Principal,
  scopesFor,
} from '../access.ts'
import { storedDocument } from '../confirmation.ts'
import { NotFoundError } from '../errors.ts'
import { aggregateOutcomes, type CaseAggregate } from '../outcomes/aggregate.ts'

/**
 * The case archive (办结归档): every record of a case in the order it came
 * about, as the archive page shows it and the ZIP export writes it
 * (archive.json is this object).
 *
 * Who may read it:
 * - the enterprise (its own cases), the union users (coordinators, federation
 *   admins, stewards) of the case's org subtree and the case's own steward:
 *   everything ('full');
 * - an expert who took part (paired on the case in person or through a paired
 *   team, or on one of its visits' teams): everything but the resource list
 *   and the invitations, which name other candidates ('expert');
 * - anyone else: not found (the case's existence is not confirmed).
 *
 * The visits follow the visits' own rules (commands/onsite.ts visitAccess):
 * union readers see every visit with its records; the enterprise sees every
 * visit, but its records, findings, photos and actions only once the report
 * is in (reported, report_confirmed); an expert sees the visits they were on.
 */

export const ARCHIVE_SCHEMA = 'zhuqi.case-archive'
/** Bump when archive.json changes shape. */
export const ARCHIVE_SCHEMA_VERSION = 1

export type CaseAudience = 'full' | 'expert'

type Head = NonNullable<Awaited<ReturnType<typeof archiveHead>>>

const iso = (d: Date | string | null | undefined): string | null =>
  d === null || d === undefined ? null : new Date(d).toISOString()

const isoOf = (d: Date | string): string => new Date(d).toISOString()

/** How a principal may read a case (see the module comment), or null. */
export async function caseAudience(
  db: DbOrTrx,
  principal: Principal,
  head: Pick<Head, 'id' | 'orgPath' | 'enterpriseId' | 'stewardUserId' | 'pairedUserIds'>,
): Promise<CaseAudience | null> {
  const scope = {
    orgPath: head.orgPath,
    enterpriseId: head.enterpriseId,
    stewardUserId: head.stewardUserId,
  }
  if (canRead(principal, scope)) return 'full'
  if (!hasRole(principal, 'expert')) return null
  if ((head.pairedUserIds ?? []).includes(principal.userId)) return 'expert'
  return (await isExpertOnCase(db, head.id, principal.userId)) ? 'expert' : null
}

/** Who reads an archive: what they may see of the case and of its visits. */
export interface ArchiveReader {
  audience: CaseAudience
  userId: number
  /** A union reader (coordinator, admin, steward in scope, the case steward): every visit's records. */
  unionReader: boolean
}

/** The case's head row and the principal's audience; not found for those who may not read it. */
export async function readableCase(db: DbOrTrx, principal: Principal, listId: number) {
  const head = await archiveHead(db, listId)
  if (!head) throw new NotFoundError('needs_list', listId)
  const audience = await caseAudience(db, principal, head)
  if (!audience) throw new NotFoundError('needs_list', listId)
  const scope = {
    orgPath: head.orgPath,
    enterpriseId: head.enterpriseId,
    stewardUserId: head.stewardUserId,
  }
  const reader: ArchiveReader = {
    audience,
    userId: principal.userId,
    unionReader:
      isAssignedSteward(principal, scope) ||
      membershipFor(principal, scope, ['coordinator', 'federation_admin', 'steward']) !== undefined,
  }
  return { head, audience, reader }
}

/** Visit states in which the enterprise sees what was recorded (the report is in). */
const REPORTED_VISIT_STATES = new Set(['reported', 'report_confirmed'])

// ---------------------------------------------------------------------------
// The archive object.

export interface Label {
  zh: string
  en: string
}

export interface ArchiveTimelineEntry {
  id: number
  subjectType: string
  subjectId: number
  /** Who or what the event is about when it is an invitation's or a visit's. */
  subject:
    | { kind: 'invitation'; name: string; item: string }
    | { kind: 'visit'; sequence: number }
    | null
  type: string
  actorName: string | null
  actorRole: string
  fromState: string | null
  toState: string
  at: string
  reason: string | null
  comment: string | null
  revision: number | null
  deadline: { stage: string; phase: string } | null
}

/** A photo file of the export, and where it sits in the ZIP. */
export interface ArchivePhotoFile {
  photoId: number
  storageKey: string
  zipPath: string
  sizeBytes: number
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null
}

/** A safe ZIP file name: ASCII letters, digits, dots, dashes; the extension kept. */
export function zipName(filename: string, fallback: string): string {
  const dot = filename.lastIndexOf('.')
  const ext =
    dot > 0
      ? filename
          .slice(dot + 1)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '')
      : ''
  const base = (dot > 0 ? filename.slice(0, dot) : filename)
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 40)
  return `${base || fallback}${ext ? `.${ext}` : ''}`
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** Everything of the case, as archive.json holds it, and the photo files to put beside it. */
export async function loadCaseArchive(db: DbOrTrx, head: Head, reader: ArchiveReader, now: Date) {
  const listId = head.id
  const { audience } = reader
  const [
    filed,
    attachments,
    revisions,
    confirmed,
    assignments,
    runs,
    proposals,
    invitations,
    meeting,
    pairings,
    agreement,
    visits,
    members,
    plans,
    planItems,
    lineRecords,
    findings,
    photos,
    followUps,
    reports,
    outcomes,
    pairedExpertIds,
    rating,
    expertRatings,
    events,
  ] = await Promise.all([
    filedItemsOf(db, listId),
    attachmentsOf(db, listId),
    revisionsOf(db, listId),
    confirmedItemsOf(db, listId),
    assignmentHistory(db, head.enterpriseId),
    audience === 'full' ? runsOf(db, listId, 500) : Promise.resolve([]),
    audience === 'full' ? proposalsForArchive(db, listId) : Promise.resolve([]),
    invitationsOfList(db, listId),
    findMeeting(db, listId),
    pairingsOf(db, listId),
    findAgreement(db, listId),
    visitsForArchive(db, listId),
    visitMembersForArchive(db, listId),
    plansForArchive(db, listId),
    planItemsForArchive(db, listId),
    recordsForArchive(db, listId),
    findingsForArchive(db, listId),
    photosForArchive(db, listId),
    followUpsForArchive(db, listId),
    reportsForArchive(db, listId),
    outcomesOf(db, listId),
    pairedExpertIdsOf(db, listId),
    findServiceRating(db, listId),
    expertRatingsOf(db, listId),
    caseTimeline(db, listId),
  ])
  const agreementConfirmations = agreement ? await confirmationsOf(db, agreement.id) : []

  // Labels of every category and skill named anywhere in the needs.
  const documents = revisions
    .filter((r) => r.kind === 'edit' && r.items !== null)
    .map((r) => ({ revision: r, document: storedDocument(r.items) }))
  const [categories, skills] = await Promise.all([
    categoryLabels(db, [
      ...filed.map((f) => f.category),
      ...confirmed.map((c) => c.category),
      ...documents.flatMap((d) => d.document.items.map((i) => i.category)),
    ]),
    skillLabels(db, [
      ...filed.flatMap((f) => f.skillIds),
      ...confirmed.flatMap((c) => c.skill_ids),
      ...documents.flatMap((d) => d.document.items.flatMap((i) => i.skillIds)),
    ]),
  ])
  const categoryLabel = (code: string): Label => {
    const c = categories.find((x) => x.code === code)
    return { zh: c?.name_zh ?? code, en: c?.name_en ?? code }
  }
  const skillsOf = (ids: readonly number[]) =>
    ids.map((id) => {
      const s = skills.find((x) => x.id === id)
      return { id, zh: s?.name_zh ?? String(id), en: s?.name_en ?? String(id) }
    })

  // The case's period bounds which steward assignments of the enterprise belong to it.
  const from = new Date(head.createdAt).getTime()
  const until = head.closedAt ? new Date(head.closedAt).getTime() : Number.POSITIVE_INFINITY
  const stewards = assignments
    .filter(
      (a) =>
        new Date(a.assignedAt).getTime() <= until &&
        (a.endedAt === null || new Date(a.endedAt).getTime() >= from),
    )
    .reverse()
    .map((a) => ({
      stewardName: a.stewardName,
      assignedByName: a.assignedByName,
      reason: a.reason,
      assignedAt: isoOf(a.assignedAt),
      endedAt: iso(a.endedAt),
      endedReason: a.endedReason,
    }))

  const visibleInvitations =
    audience === 'full'
      ? invitations
      : invitations.filter((i) => pairings.some((p) => p.invitation_id === i.id))

  // Which visits the reader sees, and whether with what was recorded (see the module comment).
  const onTeam = (visitId: number) =>
    members.some((m) => m.visit_id === visitId && m.user_id === reader.userId)
  const shownVisits = visits.filter(
    (v) => reader.unionReader || audience === 'full' || onTeam(v.id),
  )
  const readsRecords = (v: (typeof visits)[number]) =>
    reader.unionReader || onTeam(v.id) || REPORTED_VISIT_STATES.has(v.status)

  const files: ArchivePhotoFile[] = []
  const visitsOut = shownVisits.map((v) => {
    const records = readsRecords(v)
    const folder = `photos/visit-${pad(v.sequence)}`
    const own = records ? photos.filter((p) => p.visit_id === v.id) : []
    const visitPhotos = own.map((p, k) => {
      const zipPath = `${folder}/${pad(k + 1, 3)}-${zipName(p.filename, `photo-${p.id}`)}`
      files.push({ photoId: p.id, storageKey: p.storage_key, zipPath, sizeBytes: p.size_bytes })
      return {
        id: p.id,
        findingId: p.finding_id,
        filename: p.filename,
        contentType: p.content_type,
        sizeBytes: p.size_bytes,
        caption: p.caption,
        createdAt: isoOf(p.created_at),
        zipPath,
      }
    })
    const report = reports.find((r) => r.visit_id === v.id)
    return {
      id: v.id,
      sequence: v.sequence,
      kind: v.kind,
      status: v.status,
      startsAt: isoOf(v.starts_at),
      durationMinutes: v.duration_minutes,
      place: v.place,
      cancelReason: v.cancel_reason,
      checkedInAt: iso(v.checked_in_at),
      checkedInByName: v.checkedInByName,
      members: members
        .filter((m) => m.visit_id === v.id)
        .map((m) => ({ role: m.role, name: m.name, expertId: m.expert_id, userId: m.user_id })),
      plans: plans
        .filter((p) => p.visit_id === v.id)
        .map((p) => ({
          version: p.version,
          objectives: p.objectives,
          notes: p.notes,
          itemIds: p.item_ids,
          createdAt: isoOf(p.created_at),
          createdByName: p.createdByName,
          lines: planItems
            .filter((i) => i.plan_id === p.id)
            .map((i) => {
              const r = records
                ? lineRecords.find((x) => x.plan_item_id === i.id && x.visit_id === v.id)
                : undefined
              return {
                id: i.id,
                position: i.position,
                section: { zh: i.section_zh, en: i.section_en },
                label: { zh: i.label_zh, en: i.label_en },
                kind: i.kind,
                unit: i.unit,
                min: i.min_value,
                max: i.max_value,
                record: r
                  ? {
                      valueNumber: r.value_number,
                      valueText: r.value_text,
                      passed: r.passed,
                      flagged: r.flagged,
                      note: r.note,
                      recordedByName: r.recordedByName,
                      recordedAt: isoOf(r.recorded_at),
                    }
                  : null,
              }
            }),
        })),
      /** Whether the lines' records, findings, photos and actions are shown. */
      recordsShown: records,
      findings: findings
        .filter((f) => records && f.visit_id === v.id)
        .map((f) => ({
          id: f.id,
          severity: f.severity,
          title: f.title,
          description: f.description,
          recommendation: f.recommendation,
          planItemId: f.plan_item_id,
          createdByName: f.createdByName,
          createdAt: isoOf(f.created_at),
          photoIds: visitPhotos.filter((p) => p.findingId === f.id).map((p) => p.id),
        })),
      photos: visitPhotos,
      followUps: followUps
        .filter((a) => records && a.visit_id === v.id)
        .map((a) => ({
          description: a.description,
          owner: a.owner,
          dueOn: a.due_on,
          status: a.status,
          createdAt: isoOf(a.created_at),
        })),
      report: report
        ? {
            summary: report.summary,
            recommendations: report.recommendations,
            submittedByName: report.submittedByName,
            submittedAt: isoOf(report.submitted_at),
            confirmedName: report.confirmed_name,
            confirmedAt: iso(report.confirmed_at),
            enterpriseRemarks: report.enterprise_remarks,
          }
        : null,
    }
  })

  const aggregate: CaseAggregate = aggregateOutcomes({
    itemIds: confirmed.map((c) => c.id),
    outcomes: outcomes.map((o) => ({
      itemId: o.confirmed_item_id,
      result: o.result,
      benefitYuan: o.benefit_yuan,
      benefitStatus: o.benefit_status,
      workersTrained: o.workers_trained,
      personTimes: o.person_times,
      patents: o.patents,
      innovations: o.innovations,
      followUpNeeded: o.follow_up_needed,
    })),
    pairedExpertIds,
    // The case's totals, whatever the reader sees of its visits.
    visits: visits.map((v) => ({
      status: v.status,
      expertIds: members.flatMap((m) =>
        m.visit_id === v.id && m.role === 'expert' && m.expert_id !== null ? [m.expert_id] : [],
      ),
    })),
  })

  const invitationById = new Map(invitations.map((i) => [i.id, i]))
  const visitById = new Map(visits.map((v) => [v.id, v]))
  const timeline: ArchiveTimelineEntry[] = events
    .filter((e) => {
      // The expert audience does not see other candidates' invitations, nor visits it was not on.
      if (e.subject_type === 'visit') return shownVisits.some((v) => v.id === e.subject_id)
      if (e.subject_type !== 'invitation' || audience === 'full') return true
      return visibleInvitations.some((i) => i.id === e.subject_id)
    })
    .map((e) => {
      const payload = (e.payload ?? {}) as Record<string, unknown>
      const inv = e.subject_type === 'invitation' ? invitationById.get(e.subject_id) : undefined
      const visit = e.subject_type === 'visit' ? visitById.get(e.subject_id) : undefined
      return {
        id: e.id,
        subjectType: e.subject_type,
        subjectId: e.subject_id,
        subject: inv
          ? {
              kind: 'invitation' as const,
              name: inv.teamName ? `${inv.teamName}（${inv.expertName}）` : inv.expertName,
              item: inv.itemTitle,
            }
          : visit
            ? { kind: 'visit' as const, sequence: visit.sequence }
            : null,
        type: e.event_type,
        actorName: e.actorName,
        actorRole: e.actor_role,
        fromState: e.from_state,
        toState: e.to_state,
        at: isoOf(e.at),
        reason: text(payload.reason),
        comment: text(payload.comment),
        revision: typeof payload.revision === 'number' ? payload.revision : null,
        deadline:
          e.event_type === 'DEADLINE' &&
          typeof payload.stage === 'string' &&
          typeof payload.phase === 'string'
            ? { stage: payload.stage, phase: payload.phase }
            : null,
      }
    })

  const approval = [...revisions].reverse().find((r) => r.kind === 'approval')
  const archive = {
    schema: ARCHIVE_SCHEMA,
    schemaVersion: ARCHIVE_SCHEMA_VERSION,
    generatedAt: now.toISOString(),
    audience,
    case: {
      id: head.id,
      title: head.title,
      status: head.status,
      closeKind: head.closeKind,
      createdAt: isoOf(head.createdAt),
      submittedAt: iso(head.submittedAt),
      closedAt: iso(head.closedAt),
      archivedAt: iso(head.archivedAt),
      createdByName: head.createdByName,
      enterprise: {
        id: head.enterpriseId,
        name: head.enterpriseName,
        creditCode: head.creditCode,
        address: head.address,
        district: head.district,
        park: head.park,
        industry: head.industry,
      },
      org: { name: head.orgName },
      steward: head.stewardName ? { name: head.stewardName } : null,
    },
    filed: {
      items: filed.map((f) => ({
        id: f.id,
        position: f.position,
        category: f.category,
        categoryLabel: categoryLabel(f.category),
        title: f.title,
        description: f.description,
        urgency: f.urgency,
        headcount: f.headcount,
        mode: f.mode,
        place: f.place,
        expectedOutcome: f.expectedOutcome,
        windowStart: f.windowStart,
        windowEnd: f.windowEnd,
        skills: skillsOf(f.skillIds),
      })),
      attachments: attachments.map((a) => ({
        filename: a.filename,
        contentType: a.content_type,
        sizeBytes: a.size_bytes,
        uploadedByName: a.uploaderName,
        createdAt: isoOf(a.created_at),
      })),
    },
    confirmation: {
      approvedRevision: approval?.subject_revision ?? null,
      revisions: revisions.map((r) => {
        const doc = documents.find((d) => d.revision.id === r.id)?.document
        return {
          revision: r.revision,
          kind: r.kind,
          subjectRevision: r.subject_revision,
          authorName: r.authorName,
          authorRole: r.author_role,
          createdAt: isoOf(r.created_at),
          comment: r.comment,
          items: doc
            ? doc.items.map((i) => ({
                ...i,
                categoryLabel: categoryLabel(i.category),
                skills: skillsOf(i.skillIds),
              }))
            : null,
          dropped: doc ? doc.dropped : null,
        }
      }),
      items: confirmed.map((c) => ({
        id: c.id,
        position: c.position,
        revision: c.revision,
        category: c.category,
        categoryLabel: categoryLabel(c.category),
        title: c.title,
        description: c.description,
        urgency: c.urgency,
        headcount: c.headcount,
        mode: c.mode,
        place: c.place,
        expectedOutcome: c.expected_outcome,
        windowStart: c.windowStart,
        windowEnd: c.windowEnd,
        sourceItemIds: c.source_item_ids,
        skills: skillsOf(c.skill_ids),
      })),
    },
    triage: timeline
      .filter(
        (e) =>
          e.subjectType === 'needs_list' &&
          ['SUBMIT', 'ACCEPT', 'RETURN', 'REJECT', 'ROUTE', 'WITHDRAW'].includes(e.type),
      )
      .map((e) => ({
        type: e.type,
        actorName: e.actorName,
        actorRole: e.actorRole,
        at: e.at,
        toState: e.toState,
        reason: e.reason,
      })),
    stewards,
    resources:
      audience === 'full'
        ? {
            runs: runs
              .map((r) => ({
                id: r.id,
                createdAt: isoOf(r.createdAt),
                createdByName: r.createdByName,
                totalScore: r.totalScore,
              }))
              .reverse(),
            proposals: proposals.map((p) => ({
              id: p.id,
              itemId: p.itemId,
              runId: p.runId,
              kind: p.teamId !== null ? ('team' as const) : ('expert' as const),
              name: p.teamId !== null ? (p.teamName ?? '') : (p.expertName ?? ''),
              leaderName: p.leaderName,
              employer: p.employer,
              jobTitle: p.jobTitle,
              score: p.score,
              source: p.source,
              status: p.status,
              createdAt: isoOf(p.createdAt),
            })),
          }
        : null,
    invitations: visibleInvitations.map((i) => ({
      id: i.id,
      itemId: i.confirmed_item_id,
      itemTitle: i.itemTitle,
      name: i.teamName ? `${i.teamName}（${i.expertName}）` : i.expertName,
      status: i.status,
      reason: i.reason,
      createdAt: isoOf(i.created_at),
      respondedAt: iso(i.responded_at),
    })),
    pairing: {
      meeting: meeting
        ? {
            heldAt: isoOf(meeting.held_at),
            place: meeting.place,
            attendees: meeting.attendees,
            notes: meeting.notes,
            recordedByName: meeting.recordedByName,
          }
        : null,
      pairings: pairings.map((p) => ({
        itemId: p.confirmed_item_id,
        itemTitle: p.itemTitle,
        expertId: p.expert_id,
        name: p.teamName ? `${p.teamName}（${p.expertName}）` : p.expertName,
        employer: p.employer,
        jobTitle: p.jobTitle,
        decision: p.decision,
        createdAt: isoOf(p.created_at),
      })),
    },
    agreement: agreement
      ? {
          number: agreement.number,
          termStart: agreement.term_start,
          termEnd: agreement.term_end,
          content: agreement.content,
          createdAt: isoOf(agreement.created_at),
          generatedByName: agreement.generatedByName,
          confirmations: agreementConfirmations.map((c) => ({
            party: c.party,
            userName: c.userName,
            confirmedAt: isoOf(c.confirmed_at),
          })),
        }
      : null,
    visits: visitsOut,
    outcomes: {
      items: confirmed.map((c) => {
        const o = outcomes.find((x) => x.confirmed_item_id === c.id)
        return {
          itemId: c.id,
          itemTitle: c.title,
          position: c.position,
          outcome: o
            ? {
                id: o.id,
                result: o.result,
                description: o.description,
                benefitYuan: o.benefit_yuan,
                benefitStatus: o.benefit_status,
                benefitBasis: o.benefit_basis,
                workersTrained: o.workers_trained,
                personTimes: o.person_times,
                patents: o.patents,
                innovations: o.innovations,
                followUpNeeded: o.follow_up_needed,
                followUpNote: o.follow_up_note,
                recordedByName: o.recordedByName,
                recordedAt: isoOf(o.recorded_at),
                updatedAt: isoOf(o.updated_at),
              }
            : null,
        }
      }),
      aggregate,
    },
    rating: rating
      ? {
          scores: rating.scores as Record<string, number>,
          average: rating.average,
          comment: rating.comment,
          ratedByName: rating.ratedByName,
          ratedAt: isoOf(rating.rated_at),
          experts: expertRatings.map((r) => ({
            expertId: r.expert_id,
            name: r.expertName,
            score: r.score,
          })),
        }
      : null,
    timeline,
  }
  return { archive, files }
}

export type CaseArchive = Awaited<ReturnType<typeof loadCaseArchive>>['archive']

/** The archive of a case for a principal who may read it (else not found). */
export async function caseArchive(
  db: Db,
  principal: Principal,
  listId: number,
  options: { now?: Date } = {},
) {
  const { head, reader } = await readableCase(db, principal, listId)
  return loadCaseArchive(db, head, reader, options.now ?? new Date())
}

// ---------------------------------------------------------------------------
// The archived cases list.

export const ARCHIVE_PAGE_SIZE = 50

/**
 * Archived cases a principal may see: union users those of their org
 * subtrees, enterprise contacts their enterprise's, experts those they took
 * part in; newest first, a page at a time.
 */
export async function archivedCasesFor(
  db: Db,
  principal: Principal,
  input: { q?: string; year?: number | null; page?: number } = {},
) {
  const orgPaths = scopesFor(principal, ['coordinator', 'federation_admin', 'steward']).map(
    (m) => m.orgPath,
  )
  const enterpriseIds = principal.memberships
    .filter((m) => m.role === 'enterprise_contact' && m.enterpriseId !== null)
    .map((m) => m.enterpriseId as number)
  const page = Math.max(1, Math.min(input.page ?? 1, 10_000))
  const filter: ArchivedCasesFilter = {
    orgPaths,
    enterpriseIds,
    expertUserId: hasRole(principal, 'expert') ? principal.userId : null,
    q: (input.q ?? '').trim(),
    year: input.year ?? null,
    limit: ARCHIVE_PAGE_SIZE,
    offset: (page - 1) * ARCHIVE_PAGE_SIZE,
  }
  const rows = await archivedCases(db, filter)
  return {
    page,
    total: Number(rows[0]?.total ?? 0),
    pageSize: ARCHIVE_PAGE_SIZE,
    cases: rows.map((r) => ({
      id: r.id,
      title: r.title,
      enterpriseName: r.enterpriseName,
      orgName: r.orgName,
      stewardName: r.stewardName,
      closedAt: iso(r.closedAt),
      archivedAt: iso(r.archivedAt),
      closeKind: r.closeKind,
      average: r.average,
      items: Number(r.items ?? 0),
      solved: Number(r.solved ?? 0),
    })),
  }
}

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buffer } from 'node:stream/consumers'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { streamCaseArchive } from '#app/components/archive-export.server.tsx'
import { createLocalStorage, type FileStorage } from '#app/storage/storage.server.ts'
import { makeUser } from '#db/factories.ts'
import {
  ARCHIVE_SCHEMA_VERSION,
  archivedCasesFor,
  type CaseArchive,
  caseArchive,
} from '#workflows/commands/case-archive.ts'
import { addPhotos, recordLine } from '#workflows/commands/onsite.ts'
import { rateService } from '#workflows/commands/rating.ts'
import { submitReport } from '#workflows/commands/reports.ts'
import { DomainError } from '#workflows/errors.ts'
import {
  confirmedAgreement,
  FIXTURE_SCORES,
  jpegOf,
  reportedVisit,
  toFeedback,
} from '../helpers/closing-world.ts'
import { addExpert } from '../helpers/matching-world.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase, scheduleTestVisit } from '../helpers/visit-world.ts'
import { principalOf, TEST_PASSWORD } from '../helpers/world.ts'

let tdb: TestDatabase
let uploads: string
let storage: FileStorage
let world: PairedCase
let visitId: number
const PHOTOS = 6

beforeAll(async () => {
  tdb = await createTestDatabase('archive')
  uploads = mkdtempSync(path.join(tmpdir(), 'zhuqi-archive-'))
  storage = createLocalStorage(uploads)
  world = await buildPairedCase(tdb.db)
  await confirmedAgreement(tdb.db, world)
  const visit = await reportedVisit(tdb.db, world, storage, { photos: PHOTOS })
  visitId = visit.visitId
  await toFeedback(tdb.db, world)
  await rateService(tdb.db, world.principals.contact, world.listId, {
    scores: FIXTURE_SCORES,
    comment: '服务很好',
  })
})

afterAll(async () => {
  await tdb?.drop()
  if (uploads) rmSync(uploads, { recursive: true, force: true })
})

async function refusal(p: Promise<unknown>) {
  try {
    await p
  } catch (err) {
    if (err instanceof DomainError) return err.code
    throw err
  }
  throw new Error('expected a refusal')
}

describe('the archive of a closed case', () => {
  let archive: CaseArchive

  beforeAll(async () => {
    archive = (await caseArchive(tdb.db, world.principals.contact, world.listId)).archive
  })

  it('holds the case, closed and archived after the rating', () => {
    expect(archive).toMatchObject({
      schema: 'zhuqi.case-archive',
      schemaVersion: ARCHIVE_SCHEMA_VERSION,
      audience: 'full',
      case: {
        id: world.listId,
        status: 'archived',
        closeKind: 'rated',
        enterprise: { id: world.enterprise.id, name: world.enterprise.name },
        steward: { name: world.users.steward.name },
      },
    })
    expect(archive.case.closedAt).not.toBeNull()
    expect(archive.case.archivedAt).toBe(archive.case.closedAt)
  })

  it('the needs as filed and as confirmed, triage and the steward', () => {
    expect(archive.filed.items.map((i) => i.title)).toEqual(['配电箱健康诊断', '谐波治理'])
    expect(archive.filed.items[0]?.skills.length).toBe(1)
    expect(archive.confirmation.items.map((i) => i.id)).toEqual(world.itemIds)
    expect(archive.confirmation.revisions.map((r) => r.kind)).toEqual([
      'edit',
      'proposal',
      'approval',
    ])
    // The revision as the steward confirmed it, with its items.
    expect(archive.confirmation.revisions[0]?.items?.map((i) => i.title)).toEqual([
      '配电箱健康诊断',
      '谐波治理',
    ])
    expect(archive.confirmation.approvedRevision).not.toBeNull()
    expect(archive.triage.map((e) => e.type)).toEqual(['SUBMIT', 'ACCEPT'])
    expect(archive.case.steward?.name).toBe(world.users.steward.name)
  })

  it('the steward assignments of the enterprise during the case', async () => {
    const at = (iso: string) => new Date(iso)
    const created = new Date(archive.case.createdAt)
    const rows = [
      // Ended before the case began: not part of it.
      { from: at('2020-01-01T00:00:00Z'), to: at('2020-06-01T00:00:00Z'), reason: '早年' },
      // Began before the case and still running: part of it.
      { from: new Date(created.getTime() - 86_400_000), to: null, reason: '园区统一安排' },
    ]
    for (const r of rows) {
      await tdb.db
        .insertInto('steward_assignment')
        .values({
          enterprise_id: world.enterprise.id,
          steward_user_id: world.users.steward.id,
          assigned_by: world.users.coordinator.id,
          reason: r.reason,
          assigned_at: r.from,
          ended_at: r.to,
        })
        .execute()
    }
    const again = (await caseArchive(tdb.db, world.principals.contact, world.listId)).archive
    expect(again.stewards.map((s) => [s.stewardName, s.assignedByName, s.reason])).toEqual([
      [world.users.steward.name, world.users.coordinator.name, '园区统一安排'],
    ])
  })

  it('the resource list, invitations, meeting, pairing and confirmed agreement', () => {
    expect(archive.resources?.runs.length).toBeGreaterThan(0)
    expect(archive.resources?.proposals.length).toBeGreaterThanOrEqual(2)
    expect(archive.invitations.map((i) => i.status)).toEqual(['accepted', 'accepted'])
    expect(archive.pairing.meeting?.place).toBe('软件园工会会议室')
    expect(archive.pairing.pairings.map((p) => p.expertId).sort()).toEqual(
      world.experts.map((e) => e.expert.id).sort(),
    )
    expect(archive.agreement?.number).toMatch(/^ZQ-\d{4}-\d{6}$/)
    expect(archive.agreement?.confirmations.map((c) => c.party).sort()).toEqual([
      'enterprise',
      'expert',
      'expert',
      'steward',
    ])
  })

  it('the visit: plan with records (the out-of-range one flagged), finding, photos, report', () => {
    expect(archive.visits).toHaveLength(1)
    const v = archive.visits[0]
    expect(v).toMatchObject({ id: visitId, sequence: 1, status: 'report_confirmed' })
    expect(v?.members.filter((m) => m.role === 'expert')).toHaveLength(2)
    const lines = v?.plans.at(-1)?.lines ?? []
    const recorded = lines.filter((l) => l.record)
    expect(recorded.map((l) => [l.kind, l.record?.flagged])).toEqual([
      ['check', false],
      ['measurement', true],
    ])
    expect(recorded[1]?.record?.valueNumber).toBe(420)
    expect(v?.findings.map((f) => [f.title, f.severity])).toEqual([['配电箱接地松动', 'high']])
    expect(v?.photos).toHaveLength(PHOTOS)
    expect(v?.findings[0]?.photoIds).toHaveLength(5)
    expect(v?.photos.map((p) => p.zipPath)).toEqual(
      Array.from({ length: PHOTOS }, (_, k) =>
        expect.stringMatching(new RegExp(`^photos/visit-01/00${k + 1}-`)),
      ),
    )
    expect(v?.followUps.map((a) => a.owner)).toEqual(['企业设备科'])
    expect(v?.report).toMatchObject({
      summary: '配电系统总体良好，2 号箱接地需整改。',
      confirmedName: '张经理',
      enterpriseRemarks: '情况属实',
    })
  })

  it('outcomes with their totals, and the rating', () => {
    expect(archive.outcomes.items.map((i) => i.outcome?.result)).toEqual([
      'solved',
      'partly_solved',
    ])
    expect(archive.outcomes.aggregate).toMatchObject({
      items: 2,
      recorded: 2,
      problemsSolved: 1,
      partlySolved: 1,
      benefit: { estimated: '120000.50', confirmed: '8000.00', total: '128000.50' },
      workersTrained: 12,
      personTimes: 20,
      patents: 1,
      innovations: 2,
      followUps: 1,
      visitsHeld: 1,
      // Both paired experts were on the visit.
      expertParticipations: 2,
    })
    expect(archive.rating).toMatchObject({
      average: '4.50',
      comment: '服务很好',
      scores: FIXTURE_SCORES,
    })
    expect(archive.rating?.experts).toHaveLength(2)
  })

  it('the audit trail of the case, its invitations and its visits, in order', () => {
    const t = archive.timeline
    const at = t.map((e) => Date.parse(e.at))
    expect(at).toEqual([...at].sort((a, b) => a - b))
    const kinds = new Set(t.map((e) => e.subjectType))
    expect(kinds).toEqual(new Set(['needs_list', 'invitation', 'visit']))
    const visitEvents = t.filter((e) => e.subjectType === 'visit').map((e) => e.type)
    expect(visitEvents).toEqual([
      'CREATE',
      'CONFIRM',
      'CHECK_IN',
      'SUBMIT_REPORT',
      'CONFIRM_REPORT',
    ])
    expect(t.find((e) => e.subjectType === 'visit')?.subject).toEqual({
      kind: 'visit',
      sequence: 1,
    })
    expect(t.find((e) => e.subjectType === 'invitation')?.subject).toMatchObject({
      kind: 'invitation',
    })
    expect(t.slice(-2).map((e) => e.type)).toEqual(['RATE', 'ARCHIVE'])
  })
})

describe('who reads the archive', () => {
  it('the enterprise, the steward, union users of the subtree; paired experts without the resource list', async () => {
    const p = world.principals
    for (const who of [p.contact, p.steward, p.coordinator, p.admin, p.provinceCoordinator]) {
      const { archive } = await caseArchive(tdb.db, who, world.listId)
      expect(archive.audience).toBe('full')
    }
    const { archive } = await caseArchive(tdb.db, p.expert, world.listId)
    expect(archive.audience).toBe('expert')
    expect(archive.resources).toBeNull()
    // Only the invitations that became pairings, and their events.
    expect(archive.invitations).toHaveLength(2)
    expect(archive.visits[0]?.photos).toHaveLength(PHOTOS)
  })

  it('anyone else: not found', async () => {
    const p = world.principals
    const bystander = await addExpert(tdb.db, world, { name: '旁观专家', skills: [['ppe', 4]] })
    const noRole = await makeUser(tdb.db, {
      email: 'archive-nobody@zhuqi.test',
      name: 'nobody',
      password: TEST_PASSWORD,
      role: 'expert',
      orgId: world.orgs.otherCity.id,
    })
    for (const who of [
      p.otherContact,
      p.otherCoordinator,
      bystander.principal,
      await principalOf(tdb.db, noRole.id),
    ]) {
      expect(await refusal(caseArchive(tdb.db, who as never, world.listId))).toBe('notFound')
    }
    expect(await refusal(caseArchive(tdb.db, p.contact, 987654))).toBe('notFound')
  })
})

describe('what each reader sees of the visits (the visits’ own rules)', () => {
  it('the enterprise sees records once the report is in; an expert the visits they were on', async () => {
    const other = await buildPairedCase(tdb.db)
    const [onTeam, offTeam] = other.experts
    const visit = await scheduleTestVisit(tdb.db, other, {
      checkIn: true,
      expertIds: [onTeam?.expert.id as number],
    })
    await recordLine(tdb.db, other.principals.steward, visit.visitId, {
      planItemId: visit.planItemIds[0],
      value: 'fail',
    })
    await addPhotos(
      tdb.db,
      storage,
      other.principals.steward,
      visit.visitId,
      [{ name: 'a.jpg', bytes: jpegOf(1_000) }],
      {},
    )
    const seen = async (who: typeof other.principals.contact) =>
      (await caseArchive(tdb.db, who, other.listId)).archive

    // On site: the enterprise sees the visit, not what is being recorded.
    const contact = await seen(other.principals.contact)
    expect(contact.visits.map((v) => [v.status, v.recordsShown, v.photos.length])).toEqual([
      ['on_site', false, 0],
    ])
    expect(contact.visits[0]?.plans[0]?.lines.every((l) => l.record === null)).toBe(true)
    for (const who of [other.principals.steward, other.principals.coordinator, onTeam?.principal]) {
      const a = await seen(who as typeof other.principals.contact)
      expect(a.visits.map((v) => [v.recordsShown, v.photos.length])).toEqual([[true, 1]])
      expect(a.visits[0]?.plans[0]?.lines[0]?.record?.flagged).toBe(true)
    }
    // The paired expert who was not on the visit: not shown, nor its events.
    const off = await seen(offTeam?.principal as typeof other.principals.contact)
    expect(off.audience).toBe('expert')
    expect(off.visits).toEqual([])
    expect(off.timeline.filter((e) => e.subjectType === 'visit')).toEqual([])
    // The totals are the case's all the same.
    expect(off.outcomes.aggregate.visitsHeld).toBe(1)

    // The report is in: the enterprise sees everything of the visit.
    await submitReport(tdb.db, other.principals.steward, visit.visitId, { summary: '总体良好。' })
    const after = await seen(other.principals.contact)
    expect(after.visits.map((v) => [v.status, v.recordsShown, v.photos.length])).toEqual([
      ['reported', true, 1],
    ])
  })
})

describe('the ZIP export', () => {
  async function exported(locale: 'zh-CN' | 'en') {
    const { archive, files } = await caseArchive(tdb.db, world.principals.contact, world.listId)
    const { stream, done } = streamCaseArchive({ archive, files, storage, locale })
    const bytes = await buffer(stream)
    const summary = await done
    return { zip: await JSZip.loadAsync(bytes), summary, archive, bytes }
  }

  it('holds a printable HTML file per document, the photos and archive.json', async () => {
    const { zip, summary, bytes } = await exported('zh-CN')
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]?.dir)
    expect(names.filter((n) => n.endsWith('.html')).sort()).toEqual([
      '01-needs-list.html',
      '02-confirmed-needs.html',
      '03-resource-list.html',
      '04-agreement.html',
      '05-visit-01-report.html',
      '06-outcomes-rating.html',
      '07-timeline.html',
      'index.html',
    ])
    expect(names.filter((n) => n.startsWith('photos/'))).toHaveLength(PHOTOS)
    expect(summary).toMatchObject({ photos: PHOTOS, missingPhotoIds: [], bytes: bytes.length })

    // Each photo is the stored file, byte for byte.
    const photos = await tdb.db
      .selectFrom('visit_photo')
      .selectAll()
      .where('visit_id', '=', visitId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    const json = JSON.parse((await zip.file('archive.json')?.async('string')) ?? '{}')
    expect(json.schema).toBe('zhuqi.case-archive')
    expect(json.schemaVersion).toBe(ARCHIVE_SCHEMA_VERSION)
    expect(json.case.id).toBe(world.listId)
    expect(json.export.photos).toHaveLength(PHOTOS)
    for (const photo of photos) {
      const entry = json.export.photos.find((x: { photoId: number }) => x.photoId === photo.id)
      const inZip = await zip.file(entry.path)?.async('uint8array')
      const stored = await storage.get(photo.storage_key)
      expect(inZip && stored && Buffer.compare(Buffer.from(inZip), Buffer.from(stored))).toBe(0)
    }
    // The archive object in full.
    expect(json.outcomes.aggregate.benefit.total).toBe('128000.50')
    expect(json.timeline.length).toBeGreaterThan(20)

    const report = (await zip.file('05-visit-01-report.html')?.async('string')) ?? ''
    expect(report).toMatch(/^<!doctype html>\n<html lang="zh-CN">/)
    expect(report).toContain('<style>')
    expect(report).toContain('@media print')
    expect(report).toContain('第 1 次走访勘查报告')
    expect(report).toContain('超出范围')
    expect(report).toContain('配电箱接地松动')
    expect(report).toContain('src="photos/visit-01/001-')
    // Self-contained: no scripts, no outside style sheets or images.
    expect(report).not.toMatch(/<script|<link|src="https?:|src="\//)
    // Every label translated: no message key left in any document.
    for (const name of names.filter((n) => n.endsWith('.html'))) {
      const html = (await zip.file(name)?.async('string')) ?? ''
      const keys = (
        html.match(/\b(?:archive|outcomes|matching|event|status|roles)\.[a-zA-Z_.]+/g) ?? []
      ).filter((k) => k !== 'archive.json')
      expect(keys, name).toEqual([])
    }
    const index = (await zip.file('index.html')?.async('string')) ?? ''
    expect(index).toContain('href="04-agreement.html"')
    const outcomes = (await zip.file('06-outcomes-rating.html')?.async('string')) ?? ''
    expect(outcomes).toContain('解决问题数')
    expect(outcomes).toContain('128,000.50')
  })

  it('in English on request', async () => {
    const { zip } = await exported('en')
    const report = (await zip.file('05-visit-01-report.html')?.async('string')) ?? ''
    expect(report).toContain('<html lang="en">')
    expect(report).toContain('Inspection report of visit 1')
    expect(report).toContain('Out of range')
    const timeline = (await zip.file('07-timeline.html')?.async('string')) ?? ''
    expect(timeline).toContain('Rated by the enterprise')
    expect(timeline).toContain('Report confirmed by the enterprise')
  })

  it('a photo missing from storage is left out and named in archive.json', async () => {
    const { archive, files } = await caseArchive(tdb.db, world.principals.contact, world.listId)
    const gone = files[0]
    if (!gone) throw new Error('no photo')
    const reader = { get: (key: string) => (key === gone.storageKey ? null : storage.get(key)) }
    const { stream, done } = streamCaseArchive({
      archive,
      files,
      storage: { get: async (k) => reader.get(k) },
      locale: 'zh-CN',
    })
    const zip = await JSZip.loadAsync(await buffer(stream))
    expect((await done).missingPhotoIds).toEqual([gone.photoId])
    expect(zip.file(gone.zipPath)).toBeNull()
    const json = JSON.parse((await zip.file('archive.json')?.async('string')) ?? '{}')
    expect(json.export.missingPhotoIds).toEqual([gone.photoId])
  })
})

describe('streaming', () => {
  it('reads the next photo only once the reader has (nearly) caught up', async () => {
    const { archive, files } = await caseArchive(tdb.db, world.principals.contact, world.listId)
    const size = 200_000
    let taken = 0
    const takenAtRead: number[] = []
    const reader = {
      get: async () => {
        takenAtRead.push(taken)
        return jpegOf(size)
      },
    }
    const { stream, done } = streamCaseArchive({
      archive,
      files,
      storage: reader,
      locale: 'zh-CN',
      maxBufferedBytes: 0,
    })
    // A slow reader.
    for await (const chunk of stream) {
      taken += (chunk as Buffer).length
      await new Promise((r) => setTimeout(r, 1))
    }
    expect((await done).photos).toBe(PHOTOS)
    // Before photo k is read, the reader has taken every photo before it but the
    // last one, which may still wait in the stream's buffer: the export holds
    // about two photos whatever the case's size (and without the wait it would
    // read them all at once, before the reader took anything).
    takenAtRead.forEach((t, k) => {
      expect(t).toBeGreaterThanOrEqual((k - 1) * size)
    })
    expect(takenAtRead.at(-1)).toBeGreaterThan((PHOTOS - 2) * size)
  })

  it('stops when the reader goes away', async () => {
    const { archive, files } = await caseArchive(tdb.db, world.principals.contact, world.listId)
    let reads = 0
    const { stream, done } = streamCaseArchive({
      archive,
      files,
      storage: {
        get: async () => {
          reads++
          return jpegOf(200_000)
        },
      },
      locale: 'zh-CN',
      maxBufferedBytes: 0,
    })
    for await (const _ of stream) {
      stream.destroy()
      break
    }
    await expect(done).rejects.toThrow()
    expect(reads).toBeLessThan(PHOTOS)
  })
})

describe('the archived cases list', () => {
  it('shows each reader the archived cases of their scope', async () => {
    const p = world.principals
    const ids = async (who: typeof p.contact, input = {}) =>
      (await archivedCasesFor(tdb.db, who, input)).cases.map((c) => c.id)
    expect(await ids(p.contact)).toEqual([world.listId])
    expect(await ids(p.coordinator)).toEqual([world.listId])
    expect(await ids(p.steward)).toEqual([world.listId])
    expect(await ids(p.expert)).toEqual([world.listId])
    expect(await ids(p.otherContact)).toEqual([])
    expect(await ids(p.otherCoordinator)).toEqual([])
    const page = await archivedCasesFor(tdb.db, p.contact)
    expect(page.total).toBe(1)
    expect(page.cases[0]).toMatchObject({
      title: expect.stringContaining('配电设备诊断'),
      closeKind: 'rated',
      average: '4.50',
      items: 2,
      solved: 1,
    })
    // Filters: words in the title or enterprise, and the year archived.
    expect(await ids(p.contact, { q: '配电' })).toEqual([world.listId])
    expect(await ids(p.contact, { q: 'nothing like it' })).toEqual([])
    expect(await ids(p.contact, { q: '50%_\\' })).toEqual([])
    const year = Number(
      new Date(Date.parse(page.cases[0]?.archivedAt ?? '') + 8 * 3_600_000)
        .toISOString()
        .slice(0, 4),
    )
    expect(await ids(p.contact, { year })).toEqual([world.listId])
    expect(await ids(p.contact, { year: year - 1 })).toEqual([])
    expect(await ids(p.contact, { page: 2 })).toEqual([])
  })
})

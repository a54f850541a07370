/**
 * The case archive export end to end, on a real PostgreSQL (a fresh database,
 * dropped afterwards) and local file storage (a temporary directory):
 * a case taken to `paired` through the real commands (tests/helpers/
 * visit-world.ts), then 10 visits written directly (team, plan of the
 * electrical template, a record per line with some out of range, findings,
 * a follow-up action, a confirmed report) with 10 photos each: 100 generated
 * JPEGs of about 200 KB (random bytes inside: they do not compress), and
 * every item's outcome.
 *
 * Measured: caseArchive (every query, authorisation included) + the ZIP
 * streamed to a file (HTML documents, the photos read from storage one at a
 * time, archive.json) until the file is closed. Median of 5 runs after a
 * warm-up. Target: under 2 s. Also printed: the query part alone, the ZIP's
 * size, and the most photo data the export held at any moment (read from
 * storage, not yet in the file): a photo or two, not the 20 MB of the case,
 * because the photos are streamed, not gathered.
 *
 *   npm run bench -- archive
 *   TEST_DATABASE_URL=postgres://…/postgres to use another server
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { streamCaseArchive } from '#app/components/archive-export.server.tsx'
import { createLocalStorage } from '#app/storage/storage.server.ts'
import type { Db } from '#db/client.server.ts'
import { jpegOf } from '#tests/helpers/closing-world.ts'
import { createTestDatabase } from '#tests/helpers/test-db.ts'
import { buildPairedCase, type PairedCase } from '#tests/helpers/visit-world.ts'
import { caseArchive } from '#workflows/commands/case-archive.ts'
import type { Bench, BenchOptions, Figure } from './types.ts'

const VISITS = 10
const PHOTOS_PER_VISIT = 10
const PHOTO_BYTES = 200 * 1024
const WARMUP = 1
const RUNS = 5
const TARGET_MS = 2_000

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor((s.length - 1) / 2)] as number
}

/** Ten visits of the case, written directly, with their photos in `storage`. */
async function writeVisits(
  db: Db,
  world: PairedCase,
  storage: ReturnType<typeof createLocalStorage>,
) {
  const template = await db
    .selectFrom('checklist_template')
    .select('id')
    .where('code', '=', 'electrical_health')
    .executeTakeFirstOrThrow()
  const lines = await db
    .selectFrom('checklist_template_item')
    .selectAll()
    .where('template_id', '=', template.id)
    .orderBy('position')
    .execute()
  const steward = world.users.steward
  const start = Date.parse('2026-03-02T01:30:00Z')
  for (let n = 1; n <= VISITS; n++) {
    const startsAt = new Date(start + (n - 1) * 7 * 86_400_000)
    const visit = await db
      .insertInto('visit')
      .values({
        needs_list_id: world.listId,
        sequence: n,
        kind: n === 1 ? 'inspection' : n % 3 === 0 ? 'training' : 'follow_up',
        starts_at: startsAt,
        duration_minutes: 120,
        place: '厦门市思明区软件园二期 8 号',
        status: 'report_confirmed',
        checked_in_at: startsAt,
        checked_in_by: steward.id,
        created_by: steward.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('visit_member')
      .values([
        ...world.experts.map((e) => ({
          visit_id: visit.id,
          role: 'expert' as const,
          user_id: e.user.id,
          expert_id: e.expert.id,
          name: e.expert.name,
        })),
        { visit_id: visit.id, role: 'steward' as const, user_id: steward.id, name: steward.name },
      ])
      .execute()
    const plan = await db
      .insertInto('inspection_plan')
      .values({
        visit_id: visit.id,
        version: 1,
        objectives: `第 ${n} 次：排查配电设备隐患并复查整改`,
        item_ids: world.itemIds,
        template_ids: [template.id],
        created_by: steward.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const items = await db
      .insertInto('plan_item')
      .values(
        lines.map((l, k) => ({
          plan_id: plan.id,
          position: k,
          template_item_id: l.id,
          section_zh: l.section_zh,
          section_en: l.section_en,
          label_zh: l.label_zh,
          label_en: l.label_en,
          kind: l.kind,
          unit: l.unit,
          min_value: l.min_value,
          max_value: l.max_value,
        })),
      )
      .returning(['id', 'kind', 'min_value', 'max_value'])
      .execute()
    await db
      .insertInto('visit_record')
      .values(
        items.map((i, k) => {
          const out = k % 4 === 3
          const value =
            i.kind === 'measurement' || i.kind === 'count'
              ? out
                ? (i.max_value ?? 100) * 1.1
                : (i.min_value ?? 0) + 1
              : null
          return {
            visit_id: visit.id,
            plan_item_id: i.id,
            value_number: value,
            value_text: i.kind === 'text' ? '现场情况良好' : null,
            passed: i.kind === 'check' ? !out : null,
            flagged: out,
            note: out ? '需整改' : null,
            recorded_by: steward.id,
            recorded_at: startsAt,
          }
        }),
      )
      .execute()
    const finding = await db
      .insertInto('finding')
      .values({
        visit_id: visit.id,
        client_key: `bench-${n}-a`,
        severity: 'high',
        title: `第 ${n} 次发现：配电箱接地松动`,
        description: 'PE 端子松动，接地电阻偏大',
        recommendation: '紧固并复测',
        plan_item_id: items[3]?.id ?? null,
        created_by: steward.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const photos = []
    for (let k = 1; k <= PHOTOS_PER_VISIT; k++) {
      const key = `visits/${visit.id}/photos/bench-${k}`
      const bytes = jpegOf(PHOTO_BYTES)
      await storage.put(key, bytes)
      photos.push({
        visit_id: visit.id,
        finding_id: k <= 3 ? finding.id : null,
        filename: `现场照片-${n}-${k}.jpg`,
        content_type: 'image/jpeg',
        size_bytes: bytes.byteLength,
        storage_key: key,
        caption: k === 1 ? '配电箱内部' : null,
        uploaded_by: steward.id,
      })
    }
    await db.insertInto('visit_photo').values(photos).execute()
    await db
      .insertInto('follow_up_action')
      .values({
        visit_id: visit.id,
        client_key: `bench-${n}-f`,
        description: '更换 PE 端子',
        owner: '企业设备科',
        due_on: '2026-12-31',
        created_by: steward.id,
      })
      .execute()
    await db
      .insertInto('visit_report')
      .values({
        visit_id: visit.id,
        summary: `第 ${n} 次走访：配电系统总体良好，个别隐患已提出整改。`,
        recommendations: '一个月内复查接地电阻。',
        submitted_by: steward.id,
        submitted_at: new Date(startsAt.getTime() + 3 * 3_600_000),
        confirmed_by: world.users.contact.id,
        confirmed_name: '张经理',
        confirmed_at: new Date(startsAt.getTime() + 26 * 3_600_000),
      })
      .execute()
  }
  await db
    .insertInto('item_outcome')
    .values(
      world.itemIds.map((itemId, k) => ({
        needs_list_id: world.listId,
        confirmed_item_id: itemId,
        result: k === 0 ? ('solved' as const) : ('partly_solved' as const),
        description: '排查整改隐患，培训电工',
        benefit_yuan: k === 0 ? '120000.50' : '8000.00',
        benefit_status: k === 0 ? ('estimated' as const) : ('confirmed' as const),
        benefit_basis: '估算',
        workers_trained: 12,
        person_times: 20,
        recorded_by: steward.id,
      })),
    )
    .execute()
}

export const bench: Bench = {
  description: `archive export of a case with ${VISITS} visits and ${VISITS * PHOTOS_PER_VISIT} photos of ~${PHOTO_BYTES / 1024} KB (query + ZIP to a file)`,
  async run(options: BenchOptions): Promise<Figure[]> {
    const { log } = options
    const dir = mkdtempSync(path.join(tmpdir(), 'zhuqi-bench-archive-'))
    const storage = createLocalStorage(path.join(dir, 'uploads'))
    const tdb = await createTestDatabase('bench_archive')
    try {
      const t0 = performance.now()
      const world = await buildPairedCase(tdb.db, { label: 'bench' })
      await writeVisits(tdb.db, world, storage)
      log(`built the case in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
      const principal = world.principals.contact
      const out = path.join(dir, 'archive.zip')

      const once = async () => {
        // Photo bytes read from storage and not yet in the file: what the export holds.
        let read = 0
        let written = 0
        let ahead = 0
        const reader = {
          get: async (key: string) => {
            const bytes = await storage.get(key)
            read += bytes?.byteLength ?? 0
            ahead = Math.max(ahead, read - written)
            return bytes
          },
        }
        const count = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            written += chunk.length
            callback(null, chunk)
          },
        })
        const q0 = performance.now()
        const { archive, files } = await caseArchive(tdb.db, principal, world.listId)
        const queryMs = performance.now() - q0
        const { stream, done } = streamCaseArchive({
          archive,
          files,
          storage: reader,
          locale: 'zh-CN',
        })
        await pipeline(stream, count, createWriteStream(out))
        const summary = await done
        return { totalMs: performance.now() - q0, queryMs, summary, aheadMb: ahead / 1024 / 1024 }
      }

      for (let k = 0; k < WARMUP; k++) await once()
      const totals: number[] = []
      const queries: number[] = []
      const aheads: number[] = []
      let last: Awaited<ReturnType<typeof once>> | null = null
      for (let k = 0; k < RUNS; k++) {
        last = await once()
        totals.push(last.totalMs)
        queries.push(last.queryMs)
        aheads.push(last.aheadMb)
      }
      const size = statSync(out).size
      if (last?.summary.photos !== VISITS * PHOTOS_PER_VISIT) {
        throw new Error(`expected ${VISITS * PHOTOS_PER_VISIT} photos, got ${last?.summary.photos}`)
      }
      log(
        `runs (ms): ${totals.map((t) => t.toFixed(0)).join(', ')}; ${last.summary.entries} entries, ${(size / 1024 / 1024).toFixed(1)} MB`,
      )
      return [
        {
          name: 'archive export, 10 visits + 100 photos (p50)',
          value: median(totals),
          unit: 'ms',
          target: TARGET_MS,
        },
        { name: 'archive queries (p50)', value: median(queries), unit: 'ms' },
        { name: 'archive ZIP size', value: size / 1024 / 1024, unit: 'MB' },
        {
          name: 'archive export: most photo data held ahead of the file',
          value: Math.max(...aheads),
          unit: 'MB',
        },
      ]
    } finally {
      await tdb.drop()
      rmSync(dir, { recursive: true, force: true })
      if (options.keep) log('(--keep does not apply: the archive bench always starts afresh)')
    }
  },
}

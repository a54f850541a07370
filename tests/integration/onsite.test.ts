import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalStorage, type FileStorage } from '#app/storage/storage.server.ts'
import {
  addPhotos,
  checkIn,
  deleteFinding,
  linesOf,
  photoForDownload,
  recordLine,
  saveFinding,
  saveFollowUpAction,
} from '#workflows/commands/onsite.ts'
import { submitReport } from '#workflows/commands/reports.ts'
import { DomainError } from '#workflows/errors.ts'
import { MAX_PHOTO_BYTES } from '#workflows/inspection/photos.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase, scheduleTestVisit } from '../helpers/visit-world.ts'

let tdb: TestDatabase
let otherWorld: PairedCase
let uploads: string
let storage: FileStorage

beforeAll(async () => {
  tdb = await createTestDatabase('onsite')
  otherWorld = await buildPairedCase(tdb.db)
  uploads = mkdtempSync(path.join(tmpdir(), 'zhuqi-onsite-'))
  storage = createLocalStorage(uploads)
})

afterAll(async () => {
  await tdb?.drop()
  if (uploads) rmSync(uploads, { recursive: true, force: true })
})

/**
 * A visit of a case of its own (tests share nothing), with one expert on the
 * team: experts[1] is paired on the case but not on the visit.
 */
async function visit(opts: { confirm?: boolean; checkIn?: boolean } = {}) {
  const w = await buildPairedCase(tdb.db)
  const v = await scheduleTestVisit(tdb.db, w, {
    ...opts,
    expertIds: [w.experts[0]?.expert.id as number],
  })
  return { ...v, w }
}

/** The refusal a command threw: its code and message key. */
async function refusal(p: Promise<unknown>) {
  try {
    await p
  } catch (err) {
    if (err instanceof DomainError) {
      return { code: err.code, key: (err.details.messageKey as string | undefined) ?? null }
    }
    throw err
  }
  throw new Error('expected a refusal')
}

const visitRow = (id: number) =>
  tdb.db.selectFrom('visit').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const recordsOf = (visitId: number) =>
  tdb.db
    .selectFrom('visit_record')
    .selectAll()
    .where('visit_id', '=', visitId)
    .orderBy('id')
    .execute()
const photoRows = (visitId: number) =>
  tdb.db.selectFrom('visit_photo').selectAll().where('visit_id', '=', visitId).execute()
const filesOnDisk = () =>
  existsSync(uploads)
    ? readdirSync(uploads, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
        .length
    : 0

/** The plan's lines by kind and label, for picking the ones a test needs. */
async function lines(visitId: number) {
  const { lines } = await linesOf(tdb.db, visitId)
  const find = (label: string) => {
    const line = lines.find((l) => l.item.label_zh === label)
    if (!line) throw new Error(`no line ${label}`)
    return line.item
  }
  return {
    voltage: find('线电压'),
    terminal: find('接线端子温度'),
    check: lines.find((l) => l.item.kind === 'check')?.item as NonNullable<
      (typeof lines)[number]['item']
    >,
  }
}

/** A real (tiny) PNG, as a phone would send. */
function png(width = 2, height = 2): Uint8Array {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(body.length, 0)
    head.write(type, 4, 'ascii')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0)
    return Buffer.concat([head, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const raw = Buffer.alloc((width * 3 + 1) * height, 0x80)
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  )
}

describe('check-in', () => {
  it('a team member checks in through the workflow; who and when are stamped', async () => {
    const v = await visit({ confirm: true })
    const at = new Date('2026-12-01T01:30:00Z')
    await checkIn(tdb.db, v.w.principals.expert, v.visitId, { now: at })
    const row = await visitRow(v.visitId)
    expect(row.status).toBe('on_site')
    expect(row.checked_in_at?.toISOString()).toBe(at.toISOString())
    expect(row.checked_in_by).toBe(v.w.experts[0]?.user.id)
    const event = await tdb.db
      .selectFrom('workflow_event')
      .selectAll()
      .where('subject_type', '=', 'visit')
      .where('subject_id', '=', v.visitId)
      .where('event_type', '=', 'CHECK_IN')
      .executeTakeFirstOrThrow()
    expect(event).toMatchObject({
      actor_role: 'expert',
      from_state: 'scheduled',
      to_state: 'on_site',
    })
  })

  it('the enterprise, a coordinator and an expert off the team may not; nor before confirmation', async () => {
    const v = await visit({ confirm: true })
    expect(await refusal(checkIn(tdb.db, v.w.principals.contact, v.visitId))).toMatchObject({
      code: 'forbidden',
    })
    expect(await refusal(checkIn(tdb.db, v.w.principals.coordinator, v.visitId))).toMatchObject({
      code: 'forbidden',
    })
    expect(await refusal(checkIn(tdb.db, v.w.principals.expert2, v.visitId))).toMatchObject({
      code: 'notFound',
    })
    expect(await refusal(checkIn(tdb.db, otherWorld.principals.steward, v.visitId))).toMatchObject({
      code: 'notFound',
    })
    const proposed = await visit()
    expect(
      await refusal(checkIn(tdb.db, proposed.w.principals.steward, proposed.visitId)),
    ).toMatchObject({ code: 'transitionNotAllowed' })
    expect((await visitRow(v.visitId)).checked_in_at).toBeNull()
    expect((await visitRow(proposed.visitId)).status).toBe('proposed')
  })
})

describe('recording the checklist', () => {
  it('flags a value from the line range on the server, and saving a line again replaces it', async () => {
    const v = await visit({ checkIn: true })
    const { voltage, terminal, check } = await lines(v.visitId)
    const expert = v.w.principals.expert
    const saved = await recordLine(tdb.db, expert, v.visitId, {
      planItemId: voltage.id,
      value: '380.5',
      note: '  A 相  ',
    })
    expect(saved).toMatchObject({ value: '380.5', note: 'A 相', passed: true, flagged: false })
    await recordLine(tdb.db, expert, v.visitId, { planItemId: terminal.id, value: '82' })
    await recordLine(tdb.db, v.w.principals.steward, v.visitId, {
      planItemId: check.id,
      value: 'fail',
    })
    // Again, twice: still one row per line, with the latest value and flag.
    await recordLine(tdb.db, expert, v.visitId, { planItemId: voltage.id, value: '420' })
    const again = await recordLine(tdb.db, expert, v.visitId, {
      planItemId: voltage.id,
      value: '420',
    })
    expect(again).toMatchObject({ flagged: true, passed: false })
    const rows = await recordsOf(v.visitId)
    expect(rows).toHaveLength(3)
    const byLine = new Map(rows.map((r) => [r.plan_item_id, r]))
    expect(byLine.get(voltage.id)).toMatchObject({
      value_number: 420,
      flagged: true,
      passed: false,
      note: null,
      recorded_by: v.w.experts[0]?.user.id,
    })
    expect(byLine.get(terminal.id)).toMatchObject({ value_number: 82, flagged: true })
    expect(byLine.get(check.id)).toMatchObject({
      passed: false,
      flagged: true,
      recorded_by: v.w.users.steward.id,
    })
  })

  it('refuses bad values and changes nothing', async () => {
    const v = await visit({ checkIn: true })
    const { voltage, check } = await lines(v.visitId)
    const expert = v.w.principals.expert
    await recordLine(tdb.db, expert, v.visitId, { planItemId: voltage.id, value: '380' })
    const before = await recordsOf(v.visitId)
    for (const [value, key] of [
      ['abc', 'onsite.errors.notANumber'],
      ['NaN', 'onsite.errors.notANumber'],
      ['Infinity', 'onsite.errors.notANumber'],
      ['1e400', 'onsite.errors.notFinite'],
    ] as const) {
      expect(
        await refusal(recordLine(tdb.db, expert, v.visitId, { planItemId: voltage.id, value })),
      ).toEqual({ code: 'validation', key })
    }
    expect(
      await refusal(recordLine(tdb.db, expert, v.visitId, { planItemId: check.id, value: 'ok' })),
    ).toEqual({ code: 'validation', key: 'onsite.errors.notPassFail' })
    expect(
      await refusal(recordLine(tdb.db, expert, v.visitId, { planItemId: 'x', value: '1' })),
    ).toMatchObject({ code: 'validation' })
    expect(await recordsOf(v.visitId)).toEqual(before)
  })

  it('refuses a line of another visit', async () => {
    const v = await visit({ checkIn: true })
    const other = await visit({ checkIn: true })
    const { voltage } = await lines(other.visitId)
    expect(
      await refusal(
        recordLine(tdb.db, v.w.principals.expert, v.visitId, {
          planItemId: voltage.id,
          value: '380',
        }),
      ),
    ).toMatchObject({ code: 'notFound' })
    expect(await recordsOf(v.visitId)).toEqual([])
  })

  it('only the team and the case steward record, and only while on site', async () => {
    const scheduled = await visit({ confirm: true })
    const onSite = await visit({ checkIn: true })
    const { voltage } = await lines(onSite.visitId)
    const { voltage: early } = await lines(scheduled.visitId)
    const input = (planItemId: number) => ({ planItemId, value: '380' })
    expect(
      await refusal(
        recordLine(tdb.db, scheduled.w.principals.expert, scheduled.visitId, input(early.id)),
      ),
    ).toMatchObject({ code: 'transitionNotAllowed' })
    for (const [who, code] of [
      ['contact', 'forbidden'],
      ['coordinator', 'forbidden'],
      ['admin', 'forbidden'],
      ['expert2', 'notFound'],
      ['otherContact', 'notFound'],
    ] as const) {
      expect(
        await refusal(
          recordLine(tdb.db, onSite.w.principals[who], onSite.visitId, input(voltage.id)),
        ),
        who,
      ).toMatchObject({ code })
    }
    expect(
      await refusal(
        recordLine(tdb.db, otherWorld.principals.steward, onSite.visitId, input(voltage.id)),
      ),
    ).toMatchObject({ code: 'notFound' })
    expect(await recordsOf(onSite.visitId)).toEqual([])
    expect(await recordsOf(scheduled.visitId)).toEqual([])

    // Once the report is in, the record is closed.
    await recordLine(tdb.db, onSite.w.principals.expert, onSite.visitId, input(voltage.id))
    await submitReport(tdb.db, onSite.w.principals.steward, onSite.visitId, {
      summary: '配电设备总体良好',
    })
    expect(
      await refusal(
        recordLine(tdb.db, onSite.w.principals.expert, onSite.visitId, {
          planItemId: voltage.id,
          value: '999',
        }),
      ),
    ).toMatchObject({ code: 'transitionNotAllowed' })
    expect((await recordsOf(onSite.visitId))[0]?.value_number).toBe(380)
  })

  it('an empty value without a note clears the line', async () => {
    const v = await visit({ checkIn: true })
    const { voltage } = await lines(v.visitId)
    const expert = v.w.principals.expert
    await recordLine(tdb.db, expert, v.visitId, { planItemId: voltage.id, value: '380' })
    const noted = await recordLine(tdb.db, expert, v.visitId, {
      planItemId: voltage.id,
      value: '',
      note: '仪表故障，未测',
    })
    expect(noted).toMatchObject({ value: '', note: '仪表故障，未测', flagged: false })
    expect((await recordsOf(v.visitId))[0]).toMatchObject({ value_number: null, passed: null })
    await recordLine(tdb.db, expert, v.visitId, { planItemId: voltage.id, value: '', note: '' })
    expect(await recordsOf(v.visitId)).toEqual([])
  })

  it('a new plan version shows what an earlier version of a line recorded', async () => {
    const v = await visit({ checkIn: true })
    const { voltage } = await lines(v.visitId)
    await recordLine(tdb.db, v.w.principals.expert, v.visitId, {
      planItemId: voltage.id,
      value: '420',
    })
    // The plan changes on site: a version 2 with the same lines copied.
    const plan = await tdb.db
      .selectFrom('inspection_plan')
      .selectAll()
      .where('visit_id', '=', v.visitId)
      .executeTakeFirstOrThrow()
    const v2 = await tdb.db
      .insertInto('inspection_plan')
      .values({
        visit_id: v.visitId,
        version: 2,
        item_ids: plan.item_ids,
        template_ids: plan.template_ids,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const items = await tdb.db
      .selectFrom('plan_item')
      .selectAll()
      .where('plan_id', '=', plan.id)
      .execute()
    await tdb.db
      .insertInto('plan_item')
      .values(items.map(({ id: _id, plan_id: _p, ...rest }) => ({ ...rest, plan_id: v2.id })))
      .execute()
    const now = await linesOf(tdb.db, v.visitId)
    const line = now.lines.find((l) => l.item.label_zh === '线电压')
    expect(line?.item.id).not.toBe(voltage.id)
    expect(line?.record).toMatchObject({ value: '420', flagged: true, fromVersion: 1 })
    // A line of the superseded version can no longer be recorded.
    expect(
      await refusal(
        recordLine(tdb.db, v.w.principals.expert, v.visitId, {
          planItemId: voltage.id,
          value: '380',
        }),
      ),
    ).toEqual({ code: 'validation', key: 'onsite.errors.planChanged' })
  })
})

describe('findings and follow-up actions', () => {
  it('a retried save under the same client key never makes a second finding; the key edits it', async () => {
    const v = await visit({ checkIn: true })
    const { terminal } = await lines(v.visitId)
    const input = {
      clientKey: 'f-0123456789abcdef',
      severity: 'high',
      title: '2 号配电箱端子过热',
      description: '红外测温 82 °C',
      recommendation: '停电紧固端子',
      planItemId: terminal.id,
    }
    const first = await saveFinding(tdb.db, v.w.principals.expert, v.visitId, input)
    const retry = await saveFinding(tdb.db, v.w.principals.expert, v.visitId, input)
    expect(retry.id).toBe(first.id)
    const edited = await saveFinding(tdb.db, v.w.principals.steward, v.visitId, {
      ...input,
      severity: 'critical',
    })
    expect(edited).toMatchObject({
      id: first.id,
      severity: 'critical',
      created_by: first.created_by,
    })
    await saveFinding(tdb.db, v.w.principals.expert, v.visitId, {
      ...input,
      clientKey: 'f-another-key-000',
      title: '漏电保护器未动作',
      planItemId: undefined,
    })
    const rows = await tdb.db
      .selectFrom('finding')
      .selectAll()
      .where('visit_id', '=', v.visitId)
      .orderBy('id')
      .execute()
    expect(rows.map((r) => [r.title, r.severity, r.plan_item_id])).toEqual([
      ['2 号配电箱端子过热', 'critical', terminal.id],
      ['漏电保护器未动作', 'high', null],
    ])
  })

  it('refuses bad findings, lines of other visits and outsiders, storing nothing', async () => {
    const v = await visit({ checkIn: true })
    const other = await visit({ checkIn: true })
    const { voltage } = await lines(other.visitId)
    const base = { clientKey: 'f-bad-000000000', severity: 'low', title: '标识不清' }
    const cases: [unknown, string | null][] = [
      [{ ...base, severity: 'urgent' }, 'onsite.errors.severity'],
      [{ ...base, title: ' ' }, 'errors.required'],
      [{ ...base, title: '短' }, 'onsite.errors.titleTooShort'],
      [{ ...base, clientKey: 'bad key!' }, 'errors.badRequest'],
      [{ ...base, planItemId: voltage.id }, 'onsite.errors.lineUnknown'],
      [{ ...base, title: 'x'.repeat(201) }, 'errors.tooLong'],
    ]
    for (const [input, key] of cases) {
      expect(await refusal(saveFinding(tdb.db, v.w.principals.expert, v.visitId, input))).toEqual({
        code: 'validation',
        key,
      })
    }
    expect(
      await refusal(saveFinding(tdb.db, v.w.principals.contact, v.visitId, base)),
    ).toMatchObject({ code: 'forbidden' })
    expect(
      await refusal(saveFinding(tdb.db, v.w.principals.expert2, v.visitId, base)),
    ).toMatchObject({ code: 'notFound' })
    const rows = await tdb.db
      .selectFrom('finding')
      .selectAll()
      .where('visit_id', '=', v.visitId)
      .execute()
    expect(rows).toEqual([])
  })

  it('follow-up actions are idempotent by client key too', async () => {
    const v = await visit({ checkIn: true })
    const input = {
      clientKey: 'a-0123456789abcdef',
      description: '更换 2 号配电箱端子排',
      owner: '设备科 张主任',
      dueOn: '2026-12-31',
    }
    const a = await saveFollowUpAction(tdb.db, v.w.principals.expert, v.visitId, input)
    const b = await saveFollowUpAction(tdb.db, v.w.principals.expert, v.visitId, {
      ...input,
      owner: '设备科',
    })
    expect(b).toMatchObject({ id: a.id, owner: '设备科', due_on: '2026-12-31' })
    expect(
      await refusal(
        saveFollowUpAction(tdb.db, v.w.principals.expert, v.visitId, {
          ...input,
          clientKey: 'a-2-000000000000',
          dueOn: '2026-02-30',
        }),
      ),
    ).toEqual({ code: 'validation', key: 'errors.date' })
    const rows = await tdb.db
      .selectFrom('follow_up_action')
      .selectAll()
      .where('visit_id', '=', v.visitId)
      .execute()
    expect(rows).toHaveLength(1)
  })
})

describe('photos', () => {
  it('stores photos of a finding: rows and files, typed by content', async () => {
    const v = await visit({ checkIn: true })
    const finding = await saveFinding(tdb.db, v.w.principals.expert, v.visitId, {
      clientKey: 'f-photo-00000000',
      severity: 'medium',
      title: '箱门锁损坏',
    })
    const files = filesOnDisk()
    const rows = await addPhotos(
      tdb.db,
      storage,
      v.w.principals.expert,
      v.visitId,
      [
        { name: 'IMG_0001.jpg', bytes: png() },
        { name: '门锁.png', bytes: png(3, 3) },
      ],
      { findingId: finding.id, caption: '箱门' },
    )
    expect(rows.map((r) => [r.filename, r.content_type, r.finding_id, r.caption])).toEqual([
      ['IMG_0001.jpg.png', 'image/png', finding.id, '箱门'],
      ['门锁.png', 'image/png', finding.id, '箱门'],
    ])
    expect(filesOnDisk()).toBe(files + 2)
    const stored = await storage.get(rows[0]?.storage_key ?? '')
    expect(stored).toEqual(png())

    // Deleting the finding removes its photos, rows and files.
    await deleteFinding(tdb.db, storage, v.w.principals.expert, v.visitId, finding.id)
    expect(await photoRows(v.visitId)).toEqual([])
    expect(filesOnDisk()).toBe(files)
  })

  it('a wrong type or an oversized file stores nothing at all, not even the good ones', async () => {
    const v = await visit({ checkIn: true })
    const files = filesOnDisk()
    const big = new Uint8Array(MAX_PHOTO_BYTES + 1)
    big.set(png())
    const heic = new Uint8Array([
      0,
      0,
      0,
      0x18,
      ...new TextEncoder().encode('ftypheic'),
      0,
      0,
      0,
      0,
    ])
    const cases: [{ name: string; bytes: Uint8Array }[], string][] = [
      [
        [{ name: 'x.jpg', bytes: new TextEncoder().encode('<html>not a photo</html>') }],
        'onsite.errors.photoType',
      ],
      [
        [
          { name: 'ok.png', bytes: png() },
          { name: 'big.png', bytes: big },
        ],
        'onsite.errors.photoTooLarge',
      ],
      [[{ name: 'IMG_1.HEIC', bytes: heic }], 'onsite.errors.photoHeif'],
      [[{ name: 'empty.jpg', bytes: new Uint8Array() }], 'onsite.errors.photoEmpty'],
      [[], 'onsite.errors.noPhoto'],
      [
        Array.from({ length: 6 }, (_, i) => ({ name: `${i}.png`, bytes: png() })),
        'onsite.errors.tooManyPhotosAtOnce',
      ],
    ]
    for (const [batch, key] of cases) {
      expect(
        await refusal(addPhotos(tdb.db, storage, v.w.principals.expert, v.visitId, batch, {})),
        key,
      ).toEqual({ code: 'validation', key })
    }
    expect(
      await refusal(
        addPhotos(
          tdb.db,
          storage,
          v.w.principals.expert,
          v.visitId,
          [{ name: 'a.png', bytes: png() }],
          {
            findingId: 2_000_000_000,
          },
        ),
      ),
    ).toEqual({ code: 'validation', key: 'onsite.errors.findingUnknown' })
    expect(await photoRows(v.visitId)).toEqual([])
    expect(filesOnDisk()).toBe(files)
  })

  it('a storage failure midway leaves no rows and no files', async () => {
    const v = await visit({ checkIn: true })
    const files = filesOnDisk()
    let puts = 0
    const flaky: FileStorage = {
      ...storage,
      put: async (key, data) => {
        if (++puts === 2) throw new Error('disk full')
        await storage.put(key, data)
      },
    }
    await expect(
      addPhotos(
        tdb.db,
        flaky,
        v.w.principals.expert,
        v.visitId,
        [
          { name: '1.png', bytes: png() },
          { name: '2.png', bytes: png() },
        ],
        {},
      ),
    ).rejects.toThrow('disk full')
    expect(await photoRows(v.visitId)).toEqual([])
    expect(filesOnDisk()).toBe(files)
  })

  it('outsiders cannot upload or see photos; the enterprise sees them once the report is in', async () => {
    const v = await visit({ checkIn: true })
    expect(
      await refusal(
        addPhotos(
          tdb.db,
          storage,
          v.w.principals.contact,
          v.visitId,
          [{ name: 'a.png', bytes: png() }],
          {},
        ),
      ),
    ).toMatchObject({ code: 'forbidden' })
    const [photo] = await addPhotos(
      tdb.db,
      storage,
      v.w.principals.steward,
      v.visitId,
      [{ name: 'a.png', bytes: png() }],
      {},
    )
    const id = photo?.id as number
    expect((await photoForDownload(tdb.db, v.w.principals.expert, id)).id).toBe(id)
    expect((await photoForDownload(tdb.db, v.w.principals.coordinator, id)).id).toBe(id)
    for (const p of [
      v.w.principals.contact,
      v.w.principals.expert2,
      v.w.principals.otherContact,
      otherWorld.principals.steward,
    ]) {
      expect(await refusal(photoForDownload(tdb.db, p, id))).toMatchObject({ code: 'notFound' })
    }
    await submitReport(tdb.db, v.w.principals.steward, v.visitId, { summary: '总体良好，见照片' })
    expect((await photoForDownload(tdb.db, v.w.principals.contact, id)).id).toBe(id)
    expect(await refusal(photoForDownload(tdb.db, v.w.principals.otherContact, id))).toMatchObject({
      code: 'notFound',
    })
  })
})

import { existsSync, readdirSync, rmSync } from 'node:fs'
import { crc32, deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as photoRoute from '#app/routes/visit-photos.$id.tsx'
import * as onsite from '#app/routes/visits.$id.onsite.tsx'
import { linesOf } from '#workflows/commands/onsite.ts'
import { MAX_PHOTO_BYTES } from '#workflows/inspection/photos.ts'
import {
  anonymous,
  BASE_URL,
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase, scheduleTestVisit } from '../helpers/visit-world.ts'

let tdb: TestDatabase
let ctx: TestContext
let world: PairedCase
let outsider: PairedCase
let visitId: number
let voltage: number
let as: Record<
  'expert' | 'expert2' | 'steward' | 'contact' | 'coordinator' | 'otherContact' | 'otherSteward',
  Browser
>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_onsite')
  ctx = buildContext(tdb.db)
  world = await buildPairedCase(tdb.db)
  outsider = await buildPairedCase(tdb.db)
  const v = await scheduleTestVisit(tdb.db, world, {
    checkIn: true,
    expertIds: [world.experts[0]?.expert.id as number],
  })
  visitId = v.visitId
  const { lines } = await linesOf(tdb.db, visitId)
  voltage = lines.find((l) => l.item.label_zh === '线电压')?.item.id as number
  as = {
    expert: await signIn(ctx, world.experts[0]?.user.id as number),
    expert2: await signIn(ctx, world.experts[1]?.user.id as number),
    steward: await signIn(ctx, world.users.steward.id),
    contact: await signIn(ctx, world.users.contact.id),
    coordinator: await signIn(ctx, world.users.coordinator.id),
    otherContact: await signIn(ctx, outsider.users.contact.id),
    otherSteward: await signIn(ctx, outsider.users.steward.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
  if (ctx) rmSync(ctx.uploadsDir, { recursive: true, force: true })
})

const page = (id = visitId) => `/visits/${id}/onsite`
const load = (browser: Browser, id = visitId) =>
  call(onsite.loader, browser.get(page(id)), ctx, { id: String(id) })
const post = (browser: Browser, fields: Record<string, string | number>, id = visitId) =>
  call(onsite.action, browser.post(page(id), fields), ctx, { id: String(id) })

const records = () =>
  tdb.db.selectFrom('visit_record').selectAll().where('visit_id', '=', visitId).execute()
const photos = () =>
  tdb.db.selectFrom('visit_photo').selectAll().where('visit_id', '=', visitId).execute()
const storedFiles = () =>
  existsSync(ctx.uploadsDir)
    ? readdirSync(ctx.uploadsDir, { recursive: true, withFileTypes: true }).filter((e) =>
        e.isFile(),
      ).length
    : 0

const replyOf = (data: unknown) => data as { error?: string; ok?: boolean; saved?: unknown }

function png(): Uint8Array {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(body.length, 0)
    head.write(type, 4, 'ascii')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0)
    return Buffer.concat([head, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(1, 0)
  ihdr.writeUInt32BE(1, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.from([0, 200, 30, 30]))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  )
}

type Part = string | { filename: string; bytes: Uint8Array; type?: string }

/** A multipart post as the page sends it: the CSRF token first, then the fields and files. */
function upload(browser: Browser, parts: [string, Part][], id = visitId) {
  const form = new FormData()
  form.append('csrf', browser.csrf ?? '')
  for (const [name, part] of parts) {
    if (typeof part === 'string') form.append(name, part)
    else
      form.append(
        name,
        new Blob([new Uint8Array(part.bytes)], { type: part.type ?? '' }),
        part.filename,
      )
  }
  const headers = new Headers()
  if (browser.cookieHeader) headers.set('Cookie', browser.cookieHeader)
  return call(
    onsite.action,
    new Request(`${BASE_URL}${page(id)}`, { method: 'POST', headers, body: form }),
    ctx,
    { id: String(id) },
  )
}

describe('who sees the on-site page', () => {
  it('the team and the case steward, with the checklist of the current plan', async () => {
    for (const who of ['expert', 'steward'] as const) {
      const out = await load(as[who])
      expect(out.status, who).toBe(200)
      const data = out.data as { lines: unknown[]; can: { record: boolean } }
      expect(data.lines.length).toBeGreaterThan(5)
      expect(data.can.record).toBe(true)
    }
    const coordinator = await load(as.coordinator)
    expect(coordinator.status).toBe(200)
    expect((coordinator.data as { can: { record: boolean } }).can.record).toBe(false)
  })

  it('an expert not on the visit and another enterprise get 404; this enterprise the report', async () => {
    for (const who of ['expert2', 'otherContact', 'otherSteward'] as const) {
      const out = await load(as[who])
      expect(out, who).toMatchObject({ status: 404, thrown: true, body: 'errors.notFound' })
    }
    expect(await load(as.contact)).toMatchObject({
      status: 302,
      location: `/visits/${visitId}/report`,
    })
    const anon = await load(await anonymous(ctx))
    expect(anon.status).toBe(302)
    expect(anon.location).toMatch(/^\/sign-in\?redirectTo=/)
    expect(
      await call(onsite.loader, as.expert.get('/visits/abc/onsite'), ctx, { id: 'abc' }),
    ).toMatchObject({ status: 404 })
    expect(await load(as.expert, 2_000_000_000)).toMatchObject({ status: 404 })
  })
})

describe('recording a line', () => {
  it('saves for a script (data) and for a plain form (redirect back to the line)', async () => {
    const js = await post(as.expert, {
      intent: 'record',
      js: '1',
      planItemId: voltage,
      value: '420',
      note: '',
    })
    expect(js.status).toBe(200)
    expect(replyOf(js.data).saved).toMatchObject({
      planItemId: voltage,
      flagged: true,
      value: '420',
    })
    const plain = await post(as.steward, { intent: 'record', planItemId: voltage, value: '380' })
    expect(plain).toMatchObject({
      status: 302,
      location: `/visits/${visitId}/onsite?done=saved#line-${voltage}`,
    })
    const [row] = await records()
    expect(row).toMatchObject({ value_number: 380, flagged: false })
  })

  it('bad input gets a translated error and changes nothing; no 500', async () => {
    const before = await records()
    const cases: [Record<string, string | number>, number, string][] = [
      [
        { intent: 'record', js: '1', planItemId: voltage, value: '三百八' },
        400,
        'onsite.errors.notANumber',
      ],
      [
        { intent: 'record', js: '1', planItemId: voltage, value: 'Infinity' },
        400,
        'onsite.errors.notANumber',
      ],
      [{ intent: 'record', js: '1', planItemId: 'x', value: '1' }, 400, 'errors.badRequest'],
      [{ intent: 'record', js: '1', value: '1' }, 400, 'errors.badRequest'],
      [
        { intent: 'record', js: '1', planItemId: voltage, value: '1', note: 'x'.repeat(2001) },
        400,
        'errors.tooLong',
      ],
      [
        {
          intent: 'finding',
          js: '1',
          clientKey: 'k-000000000001',
          severity: 'urgent',
          title: '端子过热',
        },
        400,
        'onsite.errors.severity',
      ],
      [
        { intent: 'finding', js: '1', clientKey: 'k-000000000001', severity: 'high', title: '' },
        400,
        'errors.required',
      ],
      [
        {
          intent: 'followUp',
          js: '1',
          clientKey: 'k-000000000002',
          description: '更换端子',
          owner: '张工',
          dueOn: 'tomorrow',
        },
        400,
        'errors.date',
      ],
      [{ intent: 'deleteFinding', js: '1', findingId: 'x' }, 400, 'errors.badRequest'],
      [{ intent: 'launch', js: '1' }, 400, 'errors.badRequest'],
    ]
    for (const [fields, status, error] of cases) {
      const out = await post(as.expert, fields)
      expect(out.status, JSON.stringify(fields)).toBe(status)
      expect(replyOf(out.data).error).toBe(error)
    }
    expect(await records()).toEqual(before)
    const findings = await tdb.db
      .selectFrom('finding')
      .selectAll()
      .where('visit_id', '=', visitId)
      .execute()
    expect(findings).toEqual([])
  })

  it('a plain form refused keeps what was typed for the page to show again', async () => {
    const out = await post(as.expert, {
      intent: 'record',
      planItemId: voltage,
      value: '38O',
      note: '表笔接触不良',
    })
    expect(out.status).toBe(400)
    expect(out.data).toMatchObject({
      intent: 'record',
      planItemId: voltage,
      error: 'onsite.errors.notANumber',
      values: { value: '38O', note: '表笔接触不良' },
    })
  })

  it('outsiders are refused before anything is read or written', async () => {
    const before = await records()
    const fields = { intent: 'record', js: '1', planItemId: voltage, value: '1' }
    expect(await post(as.expert2, fields)).toMatchObject({ status: 404, thrown: true })
    expect(await post(as.otherContact, fields)).toMatchObject({ status: 404, thrown: true })
    expect(await post(as.contact, fields)).toMatchObject({ status: 403, thrown: true })
    expect(await post(as.coordinator, fields)).toMatchObject({ status: 403, thrown: true })
    const forged = await call(
      onsite.action,
      as.expert.post(page(), fields, { csrf: 'forged' }),
      ctx,
      { id: String(visitId) },
    )
    expect(forged).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await records()).toEqual(before)
  })

  it('findings are idempotent by client key through the page too', async () => {
    const fields = {
      intent: 'finding',
      js: '1',
      clientKey: 'page-finding-0001',
      severity: 'high',
      title: '2 号箱端子过热',
      description: '',
      recommendation: '停电紧固',
      planItemId: voltage,
    }
    expect(replyOf((await post(as.expert, fields)).data)).toMatchObject({ ok: true })
    expect(replyOf((await post(as.expert, fields)).data)).toMatchObject({ ok: true })
    const plain = await post(as.expert, { ...fields, js: '' })
    expect(plain).toMatchObject({
      status: 302,
      location: `/visits/${visitId}/onsite?done=findingSaved#findings`,
    })
    const rows = await tdb.db
      .selectFrom('finding')
      .selectAll()
      .where('visit_id', '=', visitId)
      .execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ description: null, recommendation: '停电紧固' })
  })
})

describe('photos', () => {
  it('stores a PNG and serves it to the team only', async () => {
    const files = storedFiles()
    const out = await upload(as.expert, [
      ['intent', 'photos'],
      ['caption', '配电箱全景'],
      ['photos', { filename: 'IMG_2041.PNG', bytes: png(), type: 'image/png' }],
    ])
    expect(out).toMatchObject({
      status: 302,
      location: `/visits/${visitId}/onsite?done=photosUploaded#photos`,
    })
    const [row] = await photos()
    expect(row).toMatchObject({
      content_type: 'image/png',
      caption: '配电箱全景',
      finding_id: null,
    })
    expect(storedFiles()).toBe(files + 1)

    const get = (b: Browser) =>
      call(photoRoute.loader, b.get(`/visit-photos/${row?.id}`), ctx, { id: String(row?.id) })
    const served = await get(as.expert)
    expect(served.status).toBe(200)
    for (const who of ['expert2', 'otherContact', 'otherSteward', 'contact'] as const) {
      expect(await get(as[who]), who).toMatchObject({ status: 404, thrown: true })
    }
    const response = (await photoRoute.loader({
      request: as.steward.get(`/visit-photos/${row?.id}`),
      context: ctx,
      params: { id: String(row?.id) },
    })) as Response
    expect(response.headers.get('Content-Type')).toBe('image/png')
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(response.headers.get('Content-Disposition')).toMatch(/^inline;/)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png())
  })

  it('a wrong type, an oversized file or too many files: a translated error, no row, no file', async () => {
    const rows = (await photos()).length
    const files = storedFiles()
    const big = new Uint8Array(MAX_PHOTO_BYTES + 1)
    big.set(png())
    const cases: [[string, Part][], number, string][] = [
      [
        [
          [
            'photos',
            {
              filename: 'photo.jpg',
              bytes: new TextEncoder().encode('<script>alert(1)</script>'),
              type: 'image/jpeg',
            },
          ],
        ],
        400,
        'onsite.errors.photoType',
      ],
      [
        [
          ['js', '1'],
          ['photos', { filename: 'a.png', bytes: png() }],
          ['photos', { filename: 'b.png', bytes: big }],
        ],
        413,
        'onsite.errors.photoTooLarge',
      ],
      [
        Array.from({ length: 6 }, (_, i): [string, Part] => [
          'photos',
          { filename: `${i}.png`, bytes: png() },
        ]),
        400,
        'onsite.errors.tooManyPhotosAtOnce',
      ],
      [[['photos', { filename: '', bytes: new Uint8Array() }]], 400, 'onsite.errors.noPhoto'],
      [
        [
          ['findingId', '999999'],
          ['photos', { filename: 'a.png', bytes: png() }],
        ],
        400,
        'onsite.errors.findingUnknown',
      ],
      [[['other', { filename: 'a.png', bytes: png() }]], 400, 'onsite.errors.badUpload'],
    ]
    for (const [parts, status, error] of cases) {
      const out = await upload(as.expert, parts)
      expect(out.status, error).toBe(status)
      expect(replyOf(out.data).error).toBe(error)
    }
    expect(
      await upload(as.contact, [['photos', { filename: 'a.png', bytes: png() }]]),
    ).toMatchObject({
      status: 403,
      thrown: true,
    })
    expect((await photos()).length).toBe(rows)
    expect(storedFiles()).toBe(files)
  })
})

describe('check-in through the page', () => {
  it('the team member checks in; the enterprise may not; nothing is recorded before', async () => {
    const w = await buildPairedCase(tdb.db)
    const v = await scheduleTestVisit(tdb.db, w, { confirm: true })
    const { lines } = await linesOf(tdb.db, v.visitId)
    const line = lines[0]?.item.id as number
    const member = await signIn(ctx, w.experts[0]?.user.id as number)
    const contact = await signIn(ctx, w.users.contact.id)
    const early = await post(
      member,
      { intent: 'record', js: '1', planItemId: line, value: 'pass' },
      v.visitId,
    )
    expect(early).toMatchObject({ status: 409, data: { error: 'errors.transitionNotAllowed' } })
    expect(await post(contact, { intent: 'checkIn' }, v.visitId)).toMatchObject({ status: 403 })
    const loaded = await load(member, v.visitId)
    expect((loaded.data as { can: { checkIn: boolean } }).can.checkIn).toBe(true)
    expect(await post(member, { intent: 'checkIn' }, v.visitId)).toMatchObject({
      status: 302,
      location: `/visits/${v.visitId}/onsite?done=checkedIn`,
    })
    const row = await tdb.db
      .selectFrom('visit')
      .selectAll()
      .where('id', '=', v.visitId)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'on_site', checked_in_by: w.experts[0]?.user.id })
    expect(await post(member, { intent: 'checkIn' }, v.visitId)).toMatchObject({
      status: 409,
      data: { error: 'errors.transitionNotAllowed' },
    })
  })
})

import { existsSync, readdirSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as download from '#app/routes/attachments.$id.tsx'
import * as detail from '#app/routes/needs-lists.$id._index.tsx'
import * as page from '#app/routes/needs-lists.$id.attachments.tsx'
import { MAX_ATTACHMENT_BYTES } from '#workflows/attachments.ts'
import { submitNeedsList } from '#workflows/commands/needs-lists.ts'
import { samples } from '../helpers/attachment-files.ts'
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
import { buildWorld, draftList, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let as: Record<
  'contact' | 'contact2' | 'otherContact' | 'coordinator' | 'otherCoordinator' | 'steward',
  Browser
>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_attachments')
  world = await buildWorld(tdb.db, 'ra')
  ctx = buildContext(tdb.db)
  const u = world.users
  as = {
    contact: await signIn(ctx, u.contact.id),
    contact2: await signIn(ctx, u.contact2.id),
    otherContact: await signIn(ctx, u.otherContact.id),
    coordinator: await signIn(ctx, u.coordinator.id),
    otherCoordinator: await signIn(ctx, u.otherCoordinator.id),
    steward: await signIn(ctx, u.steward.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
  rmSync(ctx.uploadsDir, { recursive: true, force: true })
})

type Part = string | { filename: string; bytes: Uint8Array; type?: string }

/** A multipart post as a browser sends it: parts in order (CsrfInput first). */
function upload(
  browser: Browser,
  listId: number,
  parts: [string, Part][],
  headers: Record<string, string> = {},
): Request {
  const form = new FormData()
  for (const [name, part] of parts) {
    if (typeof part === 'string') form.append(name, part)
    else
      form.append(
        name,
        new Blob([new Uint8Array(part.bytes)], { type: part.type ?? '' }),
        part.filename,
      )
  }
  const h = new Headers(headers)
  if (browser.cookieHeader) h.set('Cookie', browser.cookieHeader)
  return new Request(`${BASE_URL}/needs-lists/${listId}/attachments`, {
    method: 'POST',
    headers: h,
    body: form,
  })
}

function post(request: Request, listId: number) {
  return call(page.action, request, ctx, { id: String(listId) })
}

function uploadFile(browser: Browser, listId: number, file: Part) {
  return post(
    upload(browser, listId, [
      ['csrf', browser.csrf ?? ''],
      ['file', file],
    ]),
    listId,
  )
}

const storedFiles = () =>
  existsSync(ctx.uploadsDir)
    ? readdirSync(ctx.uploadsDir, { recursive: true, withFileTypes: true }).filter((e) =>
        e.isFile(),
      ).length
    : 0

const rowsOf = (listId: number) =>
  tdb.db.selectFrom('attachment').selectAll().where('needs_list_id', '=', listId).execute()

async function nothingStored(listId: number, files: number) {
  expect(await rowsOf(listId)).toEqual([])
  expect(storedFiles()).toBe(files)
}

const errorOf = (data: unknown) => (data as { error: string }).error

describe('uploading', () => {
  it('stores a PDF for the enterprise and shows it on the list', async () => {
    const id = await draftList(tdb.db, world, 'Upload a PDF')
    const out = await uploadFile(as.contact, id, {
      filename: '配电房检测报告.pdf',
      bytes: samples.pdf(),
      type: 'application/pdf',
    })
    expect(out.status).toBe(302)
    expect(out.location).toBe(`/needs-lists/${id}?done=attachmentAdded`)
    const [row] = await rowsOf(id)
    expect(row).toMatchObject({
      filename: '配电房检测报告.pdf',
      content_type: 'application/pdf',
      size_bytes: samples.pdf().byteLength,
      uploaded_by: world.users.contact.id,
    })
    expect(await ctx.storage.get(row?.storage_key ?? '')).toEqual(samples.pdf())

    const view = await call(
      detail.loader,
      as.contact.get(`/needs-lists/${id}?done=attachmentAdded`),
      ctx,
      { id: String(id) },
    )
    expect(view.data).toMatchObject({
      extras: {
        notice: 'taxonomy.attachments.added',
        canManageAttachments: true,
        attachments: [{ id: row?.id, filename: '配电房检测报告.pdf' }],
      },
    })
  })

  it('refuses a file whose content is not an accepted type, whatever its name (400, nothing stored)', async () => {
    const id = await draftList(tdb.db, world, 'Wrong type')
    const files = storedFiles()
    for (const [filename, bytes, type] of [
      ['invoice.pdf', samples.exe(), 'application/pdf'],
      ['photo.png', samples.html(), 'image/png'],
      [
        'macro.docx',
        samples.docm(),
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ],
      ['archive.xlsx', samples.plainZip(), 'application/zip'],
    ] as const) {
      const out = await uploadFile(as.contact, id, { filename, bytes, type })
      expect(out.status, filename).toBe(400)
      expect(errorOf(out.data), filename).toBe('taxonomy.errors.fileType')
    }
    await nothingStored(id, files)
  })

  it('accepts JPEG, PNG, DOCX and XLSX by content, with the type it found', async () => {
    const id = await draftList(tdb.db, world, 'Every type')
    for (const [filename, bytes] of [
      ['a.jpg', samples.jpeg()],
      ['b', samples.png()],
      ['c.docx', samples.docx()],
      ['d.bin', samples.xlsx()],
    ] as const) {
      const out = await uploadFile(as.contact, id, {
        filename,
        bytes,
        type: 'application/octet-stream',
      })
      expect(out.status, filename).toBe(302)
    }
    expect((await rowsOf(id)).map((r) => [r.filename, r.content_type])).toEqual([
      ['a.jpg', 'image/jpeg'],
      ['b.png', 'image/png'],
      ['c.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['d.bin.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ])
  })

  it('refuses a file over 10 MB (413, nothing stored)', async () => {
    const id = await draftList(tdb.db, world, 'Too large')
    const files = storedFiles()
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1)
    big.set(samples.pdf())
    const out = await uploadFile(as.contact, id, { filename: 'big.pdf', bytes: big })
    expect(out.status).toBe(413)
    expect(errorOf(out.data)).toBe('taxonomy.errors.fileTooLarge')
    // Exactly at the limit is fine.
    const atLimit = big.slice(0, MAX_ATTACHMENT_BYTES)
    await nothingStored(id, files)
    expect((await uploadFile(as.contact, id, { filename: 'ok.pdf', bytes: atLimit })).status).toBe(
      302,
    )
    expect((await rowsOf(id)).map((r) => r.size_bytes)).toEqual([MAX_ATTACHMENT_BYTES])
  })

  it('refuses an announced oversized body before reading it', async () => {
    const id = await draftList(tdb.db, world, 'Announced too large')
    const files = storedFiles()
    let pulled = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        controller.enqueue(new Uint8Array(1024))
      },
    })
    const headers = new Headers({
      Cookie: as.contact.cookieHeader ?? '',
      'Content-Type': 'multipart/form-data; boundary=x',
      'Content-Length': String(50 * 1024 * 1024),
    })
    const request = new Request(`${BASE_URL}/needs-lists/${id}/attachments`, {
      method: 'POST',
      headers,
      body,
      duplex: 'half',
    } as RequestInit)
    const out = await post(request, id)
    expect(out.status).toBe(413)
    expect(errorOf(out.data)).toBe('taxonomy.errors.fileTooLarge')
    expect(pulled).toBeLessThanOrEqual(1)
    await nothingStored(id, files)
  })

  it('stops reading a streamed upload at the limit', async () => {
    const id = await draftList(tdb.db, world, 'Streamed too large')
    const files = storedFiles()
    const enc = new TextEncoder()
    const chunk = new Uint8Array(1024 * 1024)
    const totalChunks = 40
    let sent = 0
    const head = enc.encode(
      `--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${as.contact.csrf}\r\n` +
        '--b\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n' +
        'Content-Type: application/pdf\r\n\r\n%PDF-',
    )
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head)
      },
      pull(controller) {
        if (sent === totalChunks) {
          controller.enqueue(enc.encode('\r\n--b--\r\n'))
          controller.close()
          return
        }
        sent++
        controller.enqueue(chunk)
      },
    })
    const request = new Request(`${BASE_URL}/needs-lists/${id}/attachments`, {
      method: 'POST',
      headers: {
        Cookie: as.contact.cookieHeader ?? '',
        'Content-Type': 'multipart/form-data; boundary=b',
      },
      body,
      duplex: 'half',
    } as RequestInit)
    const out = await post(request, id)
    expect(out.status).toBe(413)
    expect(errorOf(out.data)).toBe('taxonomy.errors.fileTooLarge')
    expect(sent).toBeLessThan(totalChunks / 2)
    await nothingStored(id, files)
  })

  it('checks the CSRF token before the file, and refuses a missing, wrong or late one (403)', async () => {
    const id = await draftList(tdb.db, world, 'CSRF upload')
    const files = storedFiles()
    const file = { filename: 'a.pdf', bytes: samples.pdf() }
    const cases: [string, [string, Part][]][] = [
      ['no token', [['file', file]]],
      [
        'wrong token',
        [
          ['csrf', 'x'.repeat(43)],
          ['file', file],
        ],
      ],
      [
        "another browser's token",
        [
          ['csrf', as.contact2.csrf ?? ''],
          ['file', file],
        ],
      ],
      [
        'token after the file',
        [
          ['file', file],
          ['csrf', as.contact.csrf ?? ''],
        ],
      ],
      ['only a token field missing its file and value', [['intent', 'upload']]],
    ]
    for (const [what, parts] of cases) {
      const out = await post(upload(as.contact, id, parts), id)
      expect(out, what).toMatchObject({ status: 403, body: 'errors.csrf' })
    }
    await nothingStored(id, files)
  })

  it('asks for a file when none was chosen (400)', async () => {
    const id = await draftList(tdb.db, world, 'No file')
    const out = await uploadFile(as.contact, id, { filename: '', bytes: new Uint8Array() })
    expect(out.status).toBe(400)
    expect(errorOf(out.data)).toBe('taxonomy.errors.noFile')
    const empty = await uploadFile(as.contact, id, {
      filename: 'empty.pdf',
      bytes: new Uint8Array(),
    })
    expect(errorOf(empty.data)).toBe('taxonomy.errors.fileEmpty')
    expect(await rowsOf(id)).toEqual([])
  })

  it('is 403 for another enterprise and for union roles, and 409 once the list is submitted', async () => {
    const id = await draftList(tdb.db, world, 'Not your upload')
    const files = storedFiles()
    const file = { filename: 'a.pdf', bytes: samples.pdf() }
    for (const browser of [as.otherContact, as.coordinator, as.steward]) {
      const out = await uploadFile(browser, id, file)
      expect(out).toMatchObject({ status: 403, body: 'errors.forbidden' })
    }
    await nothingStored(id, files)
    await submitNeedsList(tdb.db, world.principals.contact, id, 1)
    const late = await uploadFile(as.contact, id, file)
    expect(late.status).toBe(409)
    expect(errorOf(late.data)).toBe('errors.transitionNotAllowed')
    await nothingStored(id, files)
  })

  it('sends anonymous visitors to sign in', async () => {
    const id = await draftList(tdb.db, world, 'Anonymous upload')
    const anon = await anonymous(ctx)
    const out = await uploadFile(anon, id, { filename: 'a.pdf', bytes: samples.pdf() })
    expect(out.status).toBe(302)
    expect(out.location).toMatch(/^\/sign-in\?/)
    expect(await rowsOf(id)).toEqual([])
  })
})

describe('downloading', () => {
  async function withAttachment(title: string, filename: string) {
    const id = await draftList(tdb.db, world, title)
    await uploadFile(as.contact, id, { filename, bytes: samples.jpeg(), type: 'image/jpeg' })
    const [row] = await rowsOf(id)
    if (!row) throw new Error('no attachment')
    return { listId: id, attachmentId: row.id }
  }

  const get = (browser: Browser, attachmentId: number | string) =>
    download.loader({
      request: browser.get(`/attachments/${attachmentId}`),
      context: ctx,
      params: { id: String(attachmentId) },
    })

  it('serves the bytes with their type and a UTF-8 file name to readers of the list', async () => {
    const { attachmentId } = await withAttachment('Download me', '配电房照片.jpg')
    for (const browser of [as.contact, as.contact2, as.coordinator, as.steward]) {
      const res = await get(browser, attachmentId)
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toBe('image/jpeg')
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(res.headers.get('Content-Disposition')).toBe(
        `attachment; filename="_____.jpg"; filename*=UTF-8''${encodeURIComponent('配电房照片.jpg')}`,
      )
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(samples.jpeg())
    }
  })

  it("is 403 for another enterprise's contact and a coordinator of another subtree", async () => {
    const { attachmentId } = await withAttachment('Private', 'secret.jpg')
    for (const browser of [as.otherContact, as.otherCoordinator]) {
      const out = await call(download.loader, browser.get(`/attachments/${attachmentId}`), ctx, {
        id: String(attachmentId),
      })
      expect(out).toMatchObject({ status: 403, body: 'errors.forbidden' })
    }
    const missing = await call(download.loader, as.contact.get('/attachments/99999999'), ctx, {
      id: '99999999',
    })
    expect(missing.status).toBe(404)
    const anon = await anonymous(ctx)
    const out = await call(download.loader, anon.get(`/attachments/${attachmentId}`), ctx, {
      id: String(attachmentId),
    })
    expect(out.status).toBe(302)
  })
})

describe('deleting', () => {
  it('removes the row and the file, for the enterprise while editable', async () => {
    const id = await draftList(tdb.db, world, 'Delete me')
    await uploadFile(as.contact, id, { filename: 'a.png', bytes: samples.png() })
    const [row] = await rowsOf(id)
    if (!row) throw new Error('no attachment')
    const del = (browser: Browser, options?: { csrf?: string | null }) =>
      post(
        browser.post(
          `/needs-lists/${id}/attachments`,
          { intent: 'delete', attachmentId: row.id },
          options,
        ),
        id,
      )

    expect(await del(as.otherContact)).toMatchObject({ status: 403 })
    expect(await del(as.coordinator)).toMatchObject({ status: 403 })
    expect(await del(as.contact, { csrf: null })).toMatchObject({
      status: 403,
      body: 'errors.csrf',
    })
    expect(await rowsOf(id)).toHaveLength(1)

    const out = await del(as.contact2)
    expect(out.status).toBe(302)
    expect(out.location).toBe(`/needs-lists/${id}?done=attachmentDeleted`)
    expect(await rowsOf(id)).toEqual([])
    expect(await ctx.storage.get(row.storage_key)).toBeNull()

    const again = await del(as.contact)
    expect(again.status).toBe(404)
  })

  it('refuses a malformed delete (400)', async () => {
    const id = await draftList(tdb.db, world, 'Odd delete')
    const out = await post(
      as.contact.post(`/needs-lists/${id}/attachments`, { intent: 'delete', attachmentId: 'x' }),
      id,
    )
    expect(out.status).toBe(400)
    expect(errorOf(out.data)).toBe('errors.badRequest')
  })
})

describe('the attachments page', () => {
  it('lists attachments for readers; only the enterprise may change them', async () => {
    const id = await draftList(tdb.db, world, 'Page')
    await uploadFile(as.contact, id, { filename: 'a.pdf', bytes: samples.pdf() })
    const own = await call(page.loader, as.contact.get(`/needs-lists/${id}/attachments`), ctx, {
      id: String(id),
    })
    expect(own.data).toMatchObject({
      title: 'Page',
      extras: { canManageAttachments: true, attachments: [{ filename: 'a.pdf' }] },
    })
    const coordinator = await call(
      page.loader,
      as.coordinator.get(`/needs-lists/${id}/attachments`),
      ctx,
      { id: String(id) },
    )
    expect(coordinator.data).toMatchObject({ extras: { canManageAttachments: false } })
    const other = await call(
      page.loader,
      as.otherContact.get(`/needs-lists/${id}/attachments`),
      ctx,
      {
        id: String(id),
      },
    )
    expect(other.status).toBe(403)
  })
})

import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as listPage from '#app/routes/archive._index.tsx'
import * as archivePage from '#app/routes/needs-lists.$id.archive.tsx'
import * as zipRoute from '#app/routes/needs-lists.$id.archive[.]zip.tsx'
import { rateService } from '#workflows/commands/rating.ts'
import {
  confirmedAgreement,
  FIXTURE_SCORES,
  reportedVisit,
  toFeedback,
} from '../helpers/closing-world.ts'
import { addExpert } from '../helpers/matching-world.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase } from '../helpers/visit-world.ts'

let tdb: TestDatabase
let ctx: TestContext
let world: PairedCase
let as: Record<
  | 'steward'
  | 'contact'
  | 'otherContact'
  | 'coordinator'
  | 'otherCoordinator'
  | 'expert'
  | 'bystander',
  Browser
>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_archive')
  ctx = buildContext(tdb.db)
  world = await buildPairedCase(tdb.db)
  await confirmedAgreement(tdb.db, world)
  await reportedVisit(tdb.db, world, ctx.storage, { photos: 2 })
  await toFeedback(tdb.db, world)
  await rateService(tdb.db, world.principals.contact, world.listId, { scores: FIXTURE_SCORES })
  const bystander = await addExpert(tdb.db, world, { name: '局外专家', skills: [['ppe', 4]] })
  as = {
    steward: await signIn(ctx, world.users.steward.id),
    contact: await signIn(ctx, world.users.contact.id),
    otherContact: await signIn(ctx, world.users.otherContact.id),
    coordinator: await signIn(ctx, world.users.coordinator.id),
    otherCoordinator: await signIn(ctx, world.users.otherCoordinator.id),
    expert: await signIn(ctx, world.experts[0]?.user.id as number),
    bystander: await signIn(ctx, bystander.user?.id as number),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

type LoaderFn = (args: {
  request: Request
  context: TestContext
  params: Record<string, string | undefined>
}) => unknown

/** Calls a loader; a Response (returned or thrown) comes back as it is. */
async function respond(fn: LoaderFn, request: Request, params: Record<string, string> = {}) {
  try {
    const value = await fn({ request, context: ctx, params })
    return value instanceof Response ? value : { data: value }
  } catch (err) {
    if (err instanceof Response) return err
    throw err
  }
}

const archivePath = (id: number | string) => `/needs-lists/${id}/archive`
const zipPath = (id: number | string) => `/needs-lists/${id}/archive.zip`

describe('the archive page', () => {
  it('readers of the case get everything; experts of the case without the resource list', async () => {
    for (const b of [as.contact, as.steward, as.coordinator]) {
      const out = (await respond(archivePage.loader as LoaderFn, b.get(archivePath(world.listId)), {
        id: String(world.listId),
      })) as { data: { archive: { audience: string; case: { status: string } } } }
      expect(out.data.archive).toMatchObject({ audience: 'full', case: { status: 'archived' } })
    }
    const expert = (await respond(
      archivePage.loader as LoaderFn,
      as.expert.get(archivePath(world.listId)),
      { id: String(world.listId) },
    )) as { data: { archive: { audience: string; resources: unknown } } }
    expect(expert.data.archive).toMatchObject({ audience: 'expert', resources: null })
  })

  it('another enterprise, an expert not on the case, another city: 404; signed out: sign in', async () => {
    for (const b of [as.otherContact, as.bystander, as.otherCoordinator]) {
      const out = await respond(archivePage.loader as LoaderFn, b.get(archivePath(world.listId)), {
        id: String(world.listId),
      })
      expect(out).toBeInstanceOf(Response)
      expect((out as Response).status).toBe(404)
    }
    for (const id of ['abc', '0', '-1', '123456789']) {
      const out = (await respond(archivePage.loader as LoaderFn, as.contact.get(archivePath(id)), {
        id,
      })) as Response
      expect(out.status).toBe(404)
    }
    const anon = await anonymous(ctx)
    const out = (await respond(
      archivePage.loader as LoaderFn,
      anon.get(archivePath(world.listId)),
      {
        id: String(world.listId),
      },
    )) as Response
    expect(out.status).toBe(302)
    expect(out.headers.get('Location')).toContain('/sign-in')
  })
})

describe('the ZIP download', () => {
  it('streams the archive for a reader of the case', async () => {
    const res = (await respond(zipRoute.loader as LoaderFn, as.contact.get(zipPath(world.listId)), {
      id: String(world.listId),
    })) as Response
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/zip')
    expect(res.headers.get('Content-Disposition')).toMatch(
      new RegExp(
        `^attachment; filename="zhuqi-case-${world.listId}-archive-\\d{4}-\\d{2}-\\d{2}\\.zip"`,
      ),
    )
    const zip = await JSZip.loadAsync(new Uint8Array(await res.arrayBuffer()))
    const names = Object.keys(zip.files)
    expect(names).toContain('archive.json')
    expect(names).toContain('05-visit-01-report.html')
    expect(names.filter((n) => n.startsWith('photos/') && !zip.files[n]?.dir)).toHaveLength(2)
    // Chinese by default, English on request.
    expect(await zip.file('index.html')?.async('string')).toContain('lang="zh-CN"')
    const en = (await respond(
      zipRoute.loader as LoaderFn,
      as.contact.get(`${zipPath(world.listId)}?lng=en`),
      { id: String(world.listId) },
    )) as Response
    const enZip = await JSZip.loadAsync(new Uint8Array(await en.arrayBuffer()))
    expect(await enZip.file('index.html')?.async('string')).toContain('lang="en"')
    // An unknown language falls back to the reader's.
    const odd = (await respond(
      zipRoute.loader as LoaderFn,
      as.contact.get(`${zipPath(world.listId)}?lng=xx`),
      { id: String(world.listId) },
    )) as Response
    expect(odd.status).toBe(200)
    await odd.arrayBuffer()
  })

  it('is not found for those who may not read the case, and for bad ids', async () => {
    for (const b of [as.otherContact, as.bystander, as.otherCoordinator]) {
      const res = (await respond(zipRoute.loader as LoaderFn, b.get(zipPath(world.listId)), {
        id: String(world.listId),
      })) as Response
      expect(res.status).toBe(404)
      expect(res.headers.get('Content-Type')).not.toBe('application/zip')
    }
    const res = (await respond(zipRoute.loader as LoaderFn, as.contact.get(zipPath('x1')), {
      id: 'x1',
    })) as Response
    expect(res.status).toBe(404)
  })
})

describe('the archived cases list', () => {
  const list = async (b: Browser, query = '') =>
    (
      (await respond(listPage.loader as LoaderFn, b.get(`/archive${query}`))) as {
        data: { cases: { id: number }[]; total: number; filters: unknown }
      }
    ).data

  it('lists the archived cases of each reader’s scope', async () => {
    expect((await list(as.contact)).cases.map((c) => c.id)).toEqual([world.listId])
    expect((await list(as.coordinator)).cases.map((c) => c.id)).toEqual([world.listId])
    expect((await list(as.expert)).cases.map((c) => c.id)).toEqual([world.listId])
    expect((await list(as.otherContact)).cases).toEqual([])
    expect((await list(as.bystander)).cases).toEqual([])
  })

  it('bad filters fall back instead of failing', async () => {
    for (const q of [
      '?page=-3',
      '?page=abc',
      '?year=20x6',
      '?year=1800',
      `?q=${'长'.repeat(80)}`,
      '?q=%25%5F',
      '?page=999999999999',
    ]) {
      const data = await list(as.contact, q)
      expect(Array.isArray(data.cases)).toBe(true)
    }
    expect((await list(as.contact, '?page=-3')).filters).toMatchObject({ page: 1 })
    expect((await list(as.contact, '?year=1800')).filters).toMatchObject({ year: null })
  })
})

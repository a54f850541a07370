import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEnv } from '#app/env.server.ts'
import { type Runtime, startRuntime } from '#app/runtime.server.ts'
import { savePreferences } from '#db/queries/notification-preferences.ts'
import { listCapturedMail } from '#jobs/delivery/file-mailbox.ts'
import { submitNeedsList } from '#workflows/commands/needs-lists.ts'
import { capturingLogger } from '../helpers/delivery.ts'
import { deletePrefix } from '../helpers/jobs.ts'
import {
  createTestDatabase,
  TEST_REDIS_URL,
  type TestDatabase,
  uniquePrefix,
} from '../helpers/test-db.ts'
import { buildWorld, draftList, type World, waitFor } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let dataDir: string
let runtime: Runtime | undefined
const prefix = uniquePrefix('devmail')
const log = capturingLogger()

beforeAll(async () => {
  tdb = await createTestDatabase('devmail')
  world = await buildWorld(tdb.db, 'devmail')
  dataDir = mkdtempSync(path.join(tmpdir(), 'zhuqi-devmail-'))
})

afterAll(async () => {
  await runtime?.stop()
  await deletePrefix(prefix)
  rmSync(dataDir, { recursive: true, force: true })
  await tdb?.drop()
})

describe('e-mail without SMTP outside production', () => {
  it('goes to the local mailbox: a missed deadline can be read there', async () => {
    const env = parseEnv({
      NODE_ENV: 'test',
      DATABASE_URL: tdb.url,
      REDIS_URL: TEST_REDIS_URL,
      DATA_DIR: dataDir,
      QUEUE_PREFIX: prefix,
      SEED_DEMO: 'never',
    })
    expect(env.SMTP_URL).toBeUndefined()
    runtime = await startRuntime({ env, web: false, worker: true, logger: log.logger })
    const messages = log.lines.map((l) => String(l.msg))
    expect(messages).toContain('no SMTP_URL: e-mail is kept in the local mailbox, see /dev/mail')
    expect(messages.some((m) => m.includes('e-mail channel off'))).toBe(false)

    // The intake desk takes e-mail at any hour, so the test does not depend on the clock.
    const desk = [world.users.coordinator, world.users.coordinator2]
    for (const user of [...desk, world.users.admin]) {
      await savePreferences(
        tdb.db,
        user.id,
        {
          email: true,
          sms: false,
          quietStart: 0,
          quietEnd: 0,
          quietOnNonWorkingDays: false,
          digest: false,
        },
        new Date(),
      )
    }
    const id = await draftList(tdb.db, world, 'Mailed reminder')
    await submitNeedsList(tdb.db, world.principals.contact, id, 1, {
      deadlines: (_deadline, from) => new Date(from.getTime() + 500),
    })
    runtime.jobs?.relay?.poke()

    const dir = path.join(dataDir, 'mail')
    // Each of the desk gets the submission and then the missed deadline.
    const mails = await waitFor(
      async () => {
        const all = await listCapturedMail(dir)
        const perDesk = desk.map((u) => all.filter((m) => m.to === u.email).length)
        return perDesk.every((n) => n >= 2) ? all : undefined
      },
      { timeoutMs: 30_000, what: 'two e-mails for each of the intake desk' },
    )
    for (const user of desk) {
      const subjects = mails.filter((m) => m.to === user.email).map((m) => m.subject)
      expect(new Set(subjects).size).toBe(subjects.length)
    }
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length)
  })
})

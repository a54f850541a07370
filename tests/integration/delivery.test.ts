import type { Queue } from 'bullmq'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import * as adminJobs from '#app/routes/admin.jobs.tsx'
import { makeUser } from '#db/factories.ts'
import { claimForSending, deliveryKey } from '#db/queries/deliveries.ts'
import { DEFAULT_PREFERENCES, savePreferences } from '#db/queries/notification-preferences.ts'
import { type DeliveryChannel, emailChannel, messageIdFor } from '#jobs/delivery/channels.ts'
import { deliveryJobId, processDelivery } from '#jobs/delivery/deliver.job.ts'
import { DIGEST_RUN_JOB, runDailyDigest } from '#jobs/delivery/digest.job.ts'
import { processNotifyJob } from '#jobs/notify.job.ts'
import { submitNeedsList } from '#workflows/commands/needs-lists.ts'
import type { NotifyJob } from '#workflows/effects.ts'
import {
  type DeliveryHarness,
  deliveryHarness,
  runningClock,
  TEST_APP_URL,
  TEST_MAIL_FROM,
  type TestClock,
  testClock,
} from '../helpers/delivery.ts'
import { keysUnder } from '../helpers/jobs.ts'
import { buildContext, call, signIn } from '../helpers/route-context.ts'
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, draftList, TEST_PASSWORD, type World, waitFor } from '../helpers/world.ts'

/** An instant given in Shanghai wall-clock time. */
const cst = (local: string) => new Date(`${local}+08:00`)
const THURSDAY_10 = '2026-03-05T10:00:00+08:00'
const LEASE_MS = 1_500

let tdb: TestDatabase
let world: World
let sink: SmtpSink

beforeAll(async () => {
  tdb = await createTestDatabase('delivery')
  world = await buildWorld(tdb.db, 'dl')
  sink = await startSmtpSink()
})

afterAll(async () => {
  await sink?.close()
  await tdb?.drop()
})

beforeEach(async () => {
  sink.reset()
  await tdb.db.deleteFrom('notification_preference').execute()
  await tdb.db.updateTable('app_user').set({ mobile: null, locale: 'zh-CN' }).execute()
  // Each test relays only its own outbox rows.
  await tdb.db
    .updateTable('outbox')
    .set({ relayed_at: new Date() })
    .where('relayed_at', 'is', null)
    .execute()
})

async function harness(
  label: string,
  options: { clock?: TestClock; smtp?: boolean; leaseMs?: number } = {},
): Promise<DeliveryHarness> {
  const h = await deliveryHarness(tdb.db, label, {
    smtpUrl: options.smtp === false ? undefined : sink.url,
    clock: options.clock ?? testClock(THURSDAY_10),
    leaseMs: options.leaseMs ?? LEASE_MS,
  })
  onTestFinished(async () => {
    await h.close()
    expect(await keysUnder(h.prefix)).toEqual([])
  })
  return h
}

let seq = 0

function notifyJob(
  userIds: number[],
  kind = 'needsList.accepted',
  params: Record<string, unknown> = { title: 'Welding training' },
): NotifyJob {
  return {
    kind,
    audience: 'users',
    userIds,
    subjectType: 'needs_list',
    subjectId: 1,
    orgPath: world.orgs.district.path,
    enterpriseId: null,
    link: '/needs-lists/1',
    params,
  }
}

/** Queues a notify job the way the relay would; returns its job id. */
async function notify(h: DeliveryHarness, job: NotifyJob): Promise<string> {
  const jobId = `test-notify-${++seq}`
  await h.queues.notify.add('notify', job, { jobId })
  return jobId
}

/** Delivery rows of the notifications a notify job wrote. */
function deliveriesOf(notifyJobId: string) {
  return tdb.db
    .selectFrom('delivery as d')
    .innerJoin('notification as n', 'n.id', 'd.notification_id')
    .selectAll('d')
    .select('n.kind')
    .where('n.dedupe_key', 'like', `${notifyJobId}:%`)
    .orderBy('d.user_id')
    .orderBy('d.channel')
    .execute()
}

async function deliveriesSettled(notifyJobId: string, count: number) {
  return waitFor(
    async () => {
      const rows = await deliveriesOf(notifyJobId)
      return rows.length === count ? rows : undefined
    },
    { what: `${count} delivery rows for ${notifyJobId}` },
  )
}

async function deliveryRow(id: number) {
  return tdb.db.selectFrom('delivery').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

function mails(count: number) {
  return waitFor(async () => (sink.received.length >= count ? sink.received : undefined), {
    what: `${count} e-mails`,
  })
}

async function jobState(queue: Queue, id: string) {
  const job = await queue.getJob(id)
  return job ? job.getState() : 'missing'
}

function untilState(queue: Queue, id: string, state: string) {
  return waitFor(async () => (await jobState(queue, id)) === state, {
    what: `job ${id} to be ${state}`,
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('e-mail over SMTP', () => {
  it('sends each intake coordinator the inbox sentence in their language, with the link', async () => {
    const h = await harness('mail-content')
    const { coordinator, coordinator2 } = world.users
    await tdb.db
      .updateTable('app_user')
      .set({ locale: 'en' })
      .where('id', '=', coordinator2.id)
      .execute()
    const listId = await draftList(tdb.db, world, '焊工技能培训')
    await submitNeedsList(tdb.db, world.principals.contact, listId, 1)
    h.startDeliveryWorkers()
    // The notice and the triage deadline's two timers.
    expect(await h.relay.runOnce()).toBe(3)

    const received = await mails(2)
    await sleep(100)
    expect(received).toHaveLength(2)
    const link = `${TEST_APP_URL}/needs-lists/${listId}`
    const zh = received.find((m) => m.to[0] === coordinator.email)
    const en = received.find((m) => m.to[0] === coordinator2.email)
    expect(zh?.subject).toBe('【助企】新的需求清单待受理：焊工技能培训')
    expect(zh?.text).toContain(`${coordinator.name}，您好：`)
    expect(zh?.text).toContain('新的需求清单待受理：焊工技能培训')
    expect(zh?.text).toContain(link)
    expect(zh?.html).toContain('新的需求清单待受理：焊工技能培训')
    expect(zh?.html).toContain(`href="${link}"`)
    expect(zh?.html).toContain('查看详情')
    expect(zh?.parsed.from?.text).toContain('noreply@zhuqi.example.org')
    expect(en?.subject).toBe('[Zhuqi] New needs list awaiting intake: 焊工技能培训')
    expect(en?.text).toContain(`Dear ${coordinator2.name},`)
    expect(en?.text).toContain(link)
    expect(en?.html).toContain(`href="${link}"`)
    expect(en?.html).toContain('Open in Zhuqi')
    expect(en?.text).toContain(`${TEST_APP_URL}/settings/notifications`)

    // The rows: one e-mail each (no mobiles, so no SMS), sent, with the deterministic Message-ID.
    const rows = await waitFor(async () => {
      const found = await tdb.db
        .selectFrom('delivery as d')
        .innerJoin('notification as n', 'n.id', 'd.notification_id')
        .select([
          'd.id',
          'd.status',
          'd.channel',
          'd.message_id',
          'd.notification_id',
          'd.attempts',
        ])
        .where('n.link', '=', `/needs-lists/${listId}`)
        .orderBy('d.id')
        .execute()
      return found.every((r) => r.status === 'sent') ? found : undefined
    })
    expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['email', 'sent', 1],
      ['email', 'sent', 1],
    ])
    for (const r of rows) {
      const id = messageIdFor(deliveryKey(r.notification_id, 'email'), TEST_MAIL_FROM)
      expect(r.message_id).toBe(id)
      expect(received.map((m) => m.messageId)).toContain(id)
    }
  })

  it('turns the e-mail channel off without SMTP: inbox only, no e-mail rows', async () => {
    const h = await harness('mail-off', { smtp: false })
    h.startDeliveryWorkers()
    const jobId = await notify(h, notifyJob([world.users.contact.id]))
    await waitFor(async () => (await jobState(h.queues.notify, jobId)) === 'completed')
    expect(await deliveriesOf(jobId)).toEqual([])
    expect(
      await tdb.db
        .selectFrom('notification')
        .select('id')
        .where('dedupe_key', 'like', `${jobId}:%`)
        .execute(),
    ).toHaveLength(1)
  })
})

describe('SMS through the logging transport', () => {
  it('writes the message, masked number and key to the log and marks the row sent', async () => {
    const h = await harness('sms-log', { smtp: false })
    const { contact } = world.users
    await tdb.db
      .updateTable('app_user')
      .set({ mobile: '13812345678' })
      .where('id', '=', contact.id)
      .execute()
    h.startDeliveryWorkers()
    const jobId = await notify(
      h,
      notifyJob([contact.id], 'needsList.accepted', { title: '设备诊断' }),
    )
    const [row] = await deliveriesSettled(jobId, 1)
    await waitFor(async () => (await deliveryRow(row?.id ?? 0)).status === 'sent')
    expect(h.smsLog).toHaveLength(1)
    expect(h.smsLog[0]).toMatchObject({
      msg: 'sms (logging transport, not sent)',
      sms: {
        to: '138****5678',
        text: `【助企】您的需求清单已受理：设备诊断 ${TEST_APP_URL}/needs-lists/1`,
        key: `${row?.notification_id}:sms`,
      },
    })
  })
})

describe('quiet hours', () => {
  it('delays a delivery at 23:00 to 08:00 the next working day; a visit-day reminder goes at once', async () => {
    const clock = testClock('2026-03-05T23:00:00+08:00') // a Thursday
    const h = await harness('quiet-night', { clock })
    const { contact } = world.users
    await tdb.db
      .updateTable('app_user')
      .set({ mobile: '13812345678' })
      .where('id', '=', contact.id)
      .execute()
    h.startDeliveryWorkers()
    const late = await notify(h, notifyJob([contact.id]))
    const visit = await notify(
      h,
      notifyJob([contact.id], 'visit.dayBefore', { title: 'Site visit' }),
    )

    const deferred = await deliveriesSettled(late, 2)
    expect(deferred.map((d) => [d.channel, d.status, d.not_before])).toEqual([
      ['email', 'pending', cst('2026-03-06T08:00:00')],
      ['sms', 'pending', cst('2026-03-06T08:00:00')],
    ])
    const [email] = deferred
    const job = await h.queues.deliver.getJob(deliveryJobId(email?.id ?? 0))
    expect(await job?.getState()).toBe('delayed')
    expect(job?.delay).toBe(9 * 3600 * 1000)

    // The visit-day reminder ignores the quiet hours on both channels.
    const urgent = await deliveriesSettled(visit, 2)
    expect(urgent.map((d) => d.not_before)).toEqual([clock.now(), clock.now()])
    const [urgentMail] = await mails(1)
    expect(urgentMail?.subject).toBe('【助企】明天有现场勘查，请按时到达：Site visit')
    await waitFor(async () => h.smsLog.length === 1, { what: 'the visit SMS' })

    // Run early (a duplicate, or a promoted job): it goes back to waiting, nothing is sent.
    await job?.promote()
    await untilState(h.queues.deliver, deliveryJobId(email?.id ?? 0), 'delayed')
    expect((await deliveryRow(email?.id ?? 0)).status).toBe('pending')
    expect(sink.received).toHaveLength(1)

    // At 08:00 it goes.
    clock.set('2026-03-06T08:00:00+08:00')
    await (await h.queues.deliver.getJob(deliveryJobId(email?.id ?? 0)))?.promote()
    await mails(2)
    expect(sink.received[1]?.subject).toBe('【助企】您的需求清单已受理：Welding training')
    await waitFor(async () => (await deliveryRow(email?.id ?? 0)).status === 'sent')
  })

  it('defers over weekends and holidays, and honours each user’s own settings', async () => {
    const clock = testClock('2026-03-06T23:00:00+08:00') // a Friday
    const h = await harness('quiet-weekend', { clock })
    const { contact, contact2 } = world.users
    // contact2 accepts messages on non-working days and has no quiet hours.
    await savePreferences(
      tdb.db,
      contact2.id,
      { ...DEFAULT_PREFERENCES, quietStart: 0, quietEnd: 0, quietOnNonWorkingDays: false },
      new Date(),
    )
    h.startDeliveryWorkers()
    const friday = await notify(h, notifyJob([contact.id, contact2.id]))
    const rows = await deliveriesSettled(friday, 2)
    expect(rows.map((d) => [d.user_id, d.not_before])).toEqual([
      [contact.id, cst('2026-03-09T08:00:00')], // Monday
      [contact2.id, clock.now()],
    ])
    await mails(1)
    expect(sink.received.map((m) => m.to[0])).toEqual([contact2.email])

    // On the eve of National Day the next working day is 8 October.
    clock.set('2026-09-30T23:00:00+08:00')
    const holiday = await notify(h, notifyJob([contact.id]))
    expect((await deliveriesSettled(holiday, 1))[0]?.not_before).toEqual(cst('2026-10-08T08:00:00'))
  })
})

describe('daily digest', () => {
  it('sends one e-mail with the day’s notifications instead of single messages, once per day', async () => {
    const clock = testClock('2026-03-05T15:00:00+08:00')
    const h = await harness('digest', { clock })
    const { contact2 } = world.users
    await tdb.db
      .updateTable('app_user')
      .set({ mobile: '13900000000' })
      .where('id', '=', contact2.id)
      .execute()
    await savePreferences(tdb.db, contact2.id, { ...DEFAULT_PREFERENCES, digest: true }, new Date())
    h.startDeliveryWorkers()
    const titles = ['电气设备健康诊断', '新能源建设咨询', '数控钣金工艺改进']
    const jobIds: string[] = []
    for (const title of titles)
      jobIds.push(await notify(h, notifyJob([contact2.id], 'needsList.accepted', { title })))
    for (const id of jobIds) {
      const [row] = await deliveriesSettled(id, 1)
      // E-mail held for the digest; no SMS with the digest on.
      expect([row?.channel, row?.status]).toEqual(['email', 'held'])
    }
    await sleep(200)
    expect(sink.received).toEqual([])
    expect(h.smsLog).toEqual([])

    // 08:30 the next working day: one digest e-mail listing all three.
    clock.set('2026-03-06T08:30:00+08:00')
    await h.queues.deliver.add(DIGEST_RUN_JOB, {}, { jobId: 'digest-run-1' })
    const [digestMail] = await mails(1)
    expect(digestMail?.to).toEqual([contact2.email])
    expect(digestMail?.subject).toBe('【助企】每日摘要：3 条新通知')
    for (const title of titles) {
      expect(digestMail?.text).toContain(`您的需求清单已受理：${title}`)
      expect(digestMail?.html).toContain(`您的需求清单已受理：${title}`)
    }
    expect(digestMail?.html.match(/<li>/g)).toHaveLength(3)
    expect(digestMail?.text).toContain(`${TEST_APP_URL}/needs-lists/1`)

    const digests = await waitFor(async () => {
      const rows = await tdb.db
        .selectFrom('digest')
        .selectAll()
        .where('user_id', '=', contact2.id)
        .execute()
      return rows[0]?.status === 'sent' ? rows : undefined
    })
    expect(digests.map((d) => [d.digest_date, d.status, d.item_count])).toEqual([
      ['2026-03-06', 'sent', 3],
    ])
    const folded = await Promise.all(jobIds.map((id) => deliveriesOf(id)))
    expect(folded.flat().map((d) => [d.status, d.digest_id])).toEqual(
      titles.map(() => ['digested', digests[0]?.id]),
    )

    // The run again the same day (a duplicated scheduler job): nothing new.
    await h.queues.deliver.add(DIGEST_RUN_JOB, {}, { jobId: 'digest-run-2' })
    await untilState(h.queues.deliver, 'digest-run-2', 'completed')
    expect(await runDailyDigest({ ...h.deps, db: tdb.db })).toMatchObject({ created: 0 })
    await sleep(200)
    expect(sink.received).toHaveLength(1)

    // A notification after the digest waits for the next working day's; weekends do nothing.
    const later = await notify(
      h,
      notifyJob([contact2.id], 'needsList.accepted', { title: '焊工培训' }),
    )
    await deliveriesSettled(later, 1)
    clock.set('2026-03-07T08:30:00+08:00') // Saturday
    expect(await runDailyDigest({ ...h.deps, db: tdb.db })).toEqual({
      date: '2026-03-07',
      workingDay: false,
      created: 0,
      queued: 0,
    })
    clock.set('2026-03-09T08:30:00+08:00') // Monday
    expect(await runDailyDigest({ ...h.deps, db: tdb.db })).toMatchObject({ created: 1, queued: 1 })
    const [, monday] = await mails(2)
    expect(monday?.subject).toBe('【助企】每日摘要：1 条新通知')
    expect(monday?.text).toContain('焊工培训')
    expect(monday?.messageId).not.toBe(digestMail?.messageId)
  })
})

describe('exactly once as the user sees it', () => {
  it('a duplicated notify job and a duplicated deliver job send one e-mail', async () => {
    const h = await harness('dup-jobs')
    const job = notifyJob([world.users.contact.id])
    // The notify job runs twice (BullMQ is at-least-once): the same rows, the same job ids.
    expect(await processNotifyJob(tdb.db, 'dup-notify', job, h.deps)).toBe(1)
    expect(await processNotifyJob(tdb.db, 'dup-notify', job, h.deps)).toBe(0)
    const [row] = await deliveriesOf('dup-notify')
    const id = row?.id ?? 0
    expect(await h.queues.deliver.getJobCounts('waiting')).toEqual({ waiting: 1 })
    // And a second job for the same row under another id (e.g. an operator re-queued it).
    await h.queues.deliver.add('deliver', { deliveryId: id }, { jobId: `dup-${id}` })

    h.startDeliveryWorkers()
    await untilState(h.queues.deliver, deliveryJobId(id), 'completed')
    await untilState(h.queues.deliver, `dup-${id}`, 'completed')
    expect(sink.received).toHaveLength(1)
    expect(await deliveryRow(id)).toMatchObject({ status: 'sent', attempts: 1 })
    const results = await Promise.all(
      [deliveryJobId(id), `dup-${id}`].map(
        async (j) => (await h.queues.deliver.getJob(j))?.returnvalue,
      ),
    )
    expect(results.map((r) => r.outcome).sort()).toEqual(['sent', 'skipped'])
  })

  it('concurrent runs of the same delivery: one claim wins, one e-mail', async () => {
    const h = await harness('dup-concurrent')
    await processNotifyJob(tdb.db, 'race-notify', notifyJob([world.users.contact.id]), h.deps)
    const [row] = await deliveriesOf('race-notify')
    const outcomes = await Promise.all(
      [1, 2, 3, 4].map(() => processDelivery(h.deps, row?.id ?? 0)),
    )
    expect(outcomes.filter((o) => o.outcome === 'sent')).toHaveLength(1)
    expect(
      outcomes
        .filter((o) => o.outcome !== 'sent')
        .every((o) => o.outcome === 'deferred' || o.outcome === 'skipped'),
    ).toBe(true)
    expect(sink.received).toHaveLength(1)
    // Once sent, any later run is a no-op.
    expect(await processDelivery(h.deps, row?.id ?? 0)).toEqual({
      outcome: 'skipped',
      status: 'sent',
    })
    expect(sink.received).toHaveLength(1)
  })

  it('a worker that died after claiming: the row waits out the lease, then the e-mail goes once', async () => {
    const clock = testClock(THURSDAY_10)
    const h = await harness('crash-before-send', { clock })
    await processNotifyJob(tdb.db, 'crash-1', notifyJob([world.users.contact.id]), h.deps)
    const [row] = await deliveriesOf('crash-1')
    const id = row?.id ?? 0
    // The dead worker's claim: 'sending', never marked sent, nothing left the building.
    expect(await claimForSending(tdb.db, 'delivery', id, 'dead-worker', clock.now())).toBe(true)

    // Within the lease nobody touches it.
    expect(await processDelivery(h.deps, id)).toEqual({
      outcome: 'deferred',
      until: new Date(clock.now().getTime() + LEASE_MS),
      reason: 'claimed',
    })
    expect(sink.received).toEqual([])
    // After it, the stale claim is taken over and the e-mail is sent with its deterministic Message-ID.
    clock.advance(LEASE_MS + 1)
    expect(await processDelivery(h.deps, id)).toMatchObject({ outcome: 'sent', resent: true })
    const [mail] = await mails(1)
    expect(mail?.messageId).toBe(
      messageIdFor(deliveryKey(row?.notification_id ?? 0, 'email'), TEST_MAIL_FROM),
    )
    expect(await deliveryRow(id)).toMatchObject({ status: 'sent', attempts: 2 })
  })

  it('the documented window: died after the server accepted, before recording it → a second copy with the same Message-ID', async () => {
    const clock = testClock(THURSDAY_10)
    const h = await harness('crash-after-send', { clock })
    await processNotifyJob(tdb.db, 'crash-2', notifyJob([world.users.contact.id]), h.deps)
    const [row] = await deliveriesOf('crash-2')
    const id = row?.id ?? 0
    // A worker whose process "dies" right after SMTP said 250: its send never returns.
    const real = emailChannel({ url: sink.url, from: TEST_MAIL_FROM })
    onTestFinished(() => real.close())
    const dying: DeliveryChannel = {
      ...real,
      send: async (...args) => {
        await real.send(...args)
        return new Promise(() => {})
      },
    }
    void processDelivery({ ...h.deps, channels: { email: dying } }, id)
    await mails(1)
    expect((await deliveryRow(id)).status).toBe('sending')

    clock.advance(LEASE_MS + 1)
    expect(await processDelivery(h.deps, id)).toMatchObject({ outcome: 'sent', resent: true })
    const received = await mails(2)
    expect(received).toHaveLength(2)
    expect(received[0]?.messageId).toBe(received[1]?.messageId)
    expect(received[0]?.subject).toBe(received[1]?.subject)
  })

  it('a worker killed mid-job under BullMQ: the stalled job is re-run, waits out the lease, sends once', async () => {
    const clock = runningClock(THURSDAY_10)
    const h = await harness('crash-bullmq', { clock })
    // Worker A takes the job and hangs inside the send (it never reaches the server).
    let hung = false
    const real = emailChannel({ url: sink.url, from: TEST_MAIL_FROM })
    onTestFinished(() => real.close())
    const hanging: DeliveryChannel = {
      ...real,
      send: () => {
        hung = true
        return new Promise(() => {})
      },
    }
    const a = h.startDeliveryWorkers({
      channels: { email: hanging },
      workerOptions: { lockDuration: 1_000, stalledInterval: 300 },
    })
    const jobId = await notify(h, notifyJob([world.users.contact.id]))
    const [row] = await deliveriesSettled(jobId, 1)
    const id = row?.id ?? 0
    await waitFor(async () => hung, { what: 'worker A to hang' })
    expect((await deliveryRow(id)).status).toBe('sending')
    // Kill A: no lock renewals any more, its job stays active until the lock runs out.
    await Promise.all(a.workers.map((w) => w.close(true)))

    h.startDeliveryWorkers({ workerOptions: { lockDuration: 1_000, stalledInterval: 300 } })
    const [mail] = await waitFor(
      async () => (sink.received.length >= 1 ? sink.received : undefined),
      {
        what: 'the e-mail from worker B',
        timeoutMs: 15_000,
      },
    )
    await untilState(h.queues.deliver, deliveryJobId(id), 'completed')
    await sleep(300)
    expect(sink.received).toHaveLength(1)
    expect(mail?.to).toEqual([world.users.contact.email])
    expect(await deliveryRow(id)).toMatchObject({ status: 'sent', attempts: 2 })
    expect((await h.queues.deliver.getJob(deliveryJobId(id)))?.returnvalue).toMatchObject({
      outcome: 'sent',
      resent: true,
    })
  })

  it('an SMS whose worker died is not resent automatically: failed, shown to admins, retried by hand', async () => {
    const clock = testClock(THURSDAY_10)
    const h = await harness('crash-sms', { clock, smtp: false })
    const { contact, admin } = world.users
    await tdb.db
      .updateTable('app_user')
      .set({ mobile: '13812345678' })
      .where('id', '=', contact.id)
      .execute()
    await processNotifyJob(tdb.db, 'crash-sms', notifyJob([contact.id]), h.deps)
    const [row] = await deliveriesOf('crash-sms')
    const id = row?.id ?? 0
    expect(row?.channel).toBe('sms')
    await claimForSending(tdb.db, 'delivery', id, 'dead-worker', clock.now())
    clock.advance(LEASE_MS + 1)
    expect(await processDelivery(h.deps, id)).toEqual({ outcome: 'gave-up' })
    expect(h.smsLog).toEqual([])
    expect(await deliveryRow(id)).toMatchObject({ status: 'failed', claim_token: null })
    expect((await deliveryRow(id)).last_error).toMatch(/outcome unknown/)
    // A duplicate job cannot send a failed row.
    expect(await processDelivery(h.deps, id)).toEqual({ outcome: 'skipped', status: 'failed' })

    const ctx = buildContext(tdb.db)
    ctx.jobs = h.jobs
    const browser = await signIn(ctx, admin.id)
    const page = await call(adminJobs.loader, browser.get('/admin/jobs'), ctx)
    const shown = (page.data as AdminData).backlog?.deliveries.find((d) => d.id === id)
    expect(shown).toMatchObject({ channel: 'sms', status: 'failed' })

    // An admin of another city neither sees it nor can retry it.
    const outsider = await makeUser(tdb.db, {
      email: 'dl-other-admin@zhuqi.test',
      name: 'dl other admin',
      password: TEST_PASSWORD,
      role: 'federation_admin',
      orgId: world.orgs.otherCity.id,
    })
    const other = await signIn(ctx, outsider.id)
    const theirs = await call(adminJobs.loader, other.get('/admin/jobs'), ctx)
    expect((theirs.data as AdminData).backlog?.deliveries).toEqual([])
    expect(
      await call(
        adminJobs.action,
        other.post('/admin/jobs', { intent: 'retrySend', kind: 'delivery', id }),
        ctx,
      ),
    ).toMatchObject({ status: 404 })
    expect((await deliveryRow(id)).status).toBe('failed')

    h.startDeliveryWorkers()
    const out = await call(
      adminJobs.action,
      browser.post('/admin/jobs', { intent: 'retrySend', kind: 'delivery', id }),
      ctx,
    )
    expect(out).toMatchObject({ status: 302, location: '/admin/jobs?done=retried' })
    await waitFor(async () => (await deliveryRow(id)).status === 'sent', {
      what: 'the retried SMS',
    })
    expect(h.smsLog).toHaveLength(1)
    // Retrying again finds nothing failed.
    const again = await call(
      adminJobs.action,
      browser.post('/admin/jobs', { intent: 'retrySend', kind: 'delivery', id }),
      ctx,
    )
    expect(again).toMatchObject({ status: 409, data: { formError: 'delivery.jobs.notRetryable' } })
  })
})

type AdminData = Awaited<ReturnType<typeof adminJobs.loader>>

describe('failures and the jobs page', () => {
  it('SMTP refusing with 451: retries with backoff, then failed and visible; retry sends it', async () => {
    const h = await harness('smtp-fail')
    const { contact, admin } = world.users
    sink.failWith(451)
    h.startDeliveryWorkers()
    const jobId = await notify(h, notifyJob([contact.id]))
    const [row] = await deliveriesSettled(jobId, 1)
    const id = row?.id ?? 0
    await untilState(h.queues.deliver, deliveryJobId(id), 'failed')
    const job = await h.queues.deliver.getJob(deliveryJobId(id))
    expect(job?.attemptsMade).toBe(3)
    expect(sink.refused()).toBe(3)
    // Exponential backoff of 50 ms: 50 + 100 ms at least between the first try and the last.
    expect((job?.finishedOn ?? 0) - (job?.processedOn ?? 0)).toBeGreaterThanOrEqual(0)
    expect((job?.finishedOn ?? 0) - (job?.timestamp ?? 0)).toBeGreaterThanOrEqual(150)
    expect(job?.failedReason).toMatch(/451/)
    const failed = await deliveryRow(id)
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, claim_token: null })
    expect(failed.last_error).toMatch(/451/)
    expect(sink.received).toEqual([])

    const ctx = buildContext(tdb.db)
    ctx.jobs = h.jobs
    const browser = await signIn(ctx, admin.id)
    const page = await call(adminJobs.loader, browser.get('/admin/jobs'), ctx)
    expect(page.status).toBe(200)
    const data = page.data as AdminData
    const deliver = data.queues?.find((q) => q.name === 'deliver')
    expect(deliver?.counts.failed).toBe(1)
    expect(deliver?.failed).toEqual([
      expect.objectContaining({
        id: deliveryJobId(id),
        name: 'deliver',
        attemptsMade: 3,
        error: expect.stringMatching(/451/),
      }),
    ])
    expect(data.queues?.map((q) => q.name)).toEqual(['notify', 'timeout', 'deliver'])
    expect(data.backlog?.deliveries.map((d) => [d.id, d.status, d.attempts])).toContainEqual([
      id,
      'failed',
      3,
    ])

    // The mail server is back; an admin retries the failed job.
    sink.failWith(null)
    const out = await call(
      adminJobs.action,
      browser.post('/admin/jobs', {
        intent: 'retryJob',
        queue: 'deliver',
        jobId: deliveryJobId(id),
      }),
      ctx,
    )
    expect(out).toMatchObject({ status: 302, location: '/admin/jobs?done=retried' })
    const [mail] = await mails(1)
    expect(mail?.to).toEqual([contact.email])
    await waitFor(async () => (await deliveryRow(id)).status === 'sent', {
      what: 'the retried e-mail',
    })
    await untilState(h.queues.deliver, deliveryJobId(id), 'completed')
    expect(sink.received).toHaveLength(1)
  })

  it('a permanent refusal (550) fails at once without retries', async () => {
    const h = await harness('smtp-550')
    sink.failWith(550)
    h.startDeliveryWorkers()
    const jobId = await notify(h, notifyJob([world.users.contact.id]))
    const [row] = await deliveriesSettled(jobId, 1)
    await untilState(h.queues.deliver, deliveryJobId(row?.id ?? 0), 'failed')
    expect(sink.refused()).toBe(1)
    expect(await deliveryRow(row?.id ?? 0)).toMatchObject({ status: 'failed', attempts: 1 })
  })

  it('is for federation admins only, and refuses bad or forged posts without changing anything', async () => {
    const h = await harness('jobs-page')
    const ctx = buildContext(tdb.db)
    ctx.jobs = h.jobs
    const coordinator = await signIn(ctx, world.users.coordinator.id)
    const contact = await signIn(ctx, world.users.contact.id)
    for (const browser of [coordinator, contact]) {
      expect(await call(adminJobs.loader, browser.get('/admin/jobs'), ctx)).toMatchObject({
        status: 403,
      })
      expect(
        await call(
          adminJobs.action,
          browser.post('/admin/jobs', { intent: 'retryJob', queue: 'deliver', jobId: 'x' }),
          ctx,
        ),
      ).toMatchObject({ status: 403 })
    }
    const anon = await call(adminJobs.loader, new Request('http://zhuqi.test/admin/jobs'), ctx)
    expect(anon).toMatchObject({ status: 302 })

    const admin = await signIn(ctx, world.users.admin.id)
    const post = (fields: Record<string, string | number>, csrf?: string | null) =>
      call(adminJobs.action, admin.post('/admin/jobs', fields, { csrf }), ctx)
    expect(await post({ intent: 'retryJob', queue: 'deliver', jobId: 'x' }, null)).toMatchObject({
      status: 403,
      body: 'errors.csrf',
    })
    expect(await post({ intent: 'burn' })).toMatchObject({
      status: 400,
      data: { formError: 'errors.badRequest' },
    })
    expect(await post({ intent: 'retrySend', kind: 'delivery', id: 'abc' })).toMatchObject({
      status: 400,
    })
    expect(await post({ intent: 'retryJob', queue: 'nope', jobId: 'x' })).toMatchObject({
      status: 404,
    })
    expect(await post({ intent: 'retryJob', queue: 'deliver', jobId: 'missing' })).toMatchObject({
      status: 404,
      data: { formError: 'errors.notFound' },
    })
    // A job that has not failed is not retried.
    await h.queues.notify.add('notify', notifyJob([]), { jobId: 'waiting-one', delay: 60_000 })
    expect(await post({ intent: 'retryJob', queue: 'notify', jobId: 'waiting-one' })).toMatchObject(
      {
        status: 409,
        data: { formError: 'delivery.jobs.notRetryable' },
      },
    )
    expect(await jobState(h.queues.notify, 'waiting-one')).toBe('delayed')

    // The outbox backlog shows what waits and why.
    const id = await draftList(tdb.db, world, 'Backlog list')
    await submitNeedsList(tdb.db, world.principals.contact, id, 1)
    const page = await call(adminJobs.loader, admin.get('/admin/jobs'), ctx)
    const data = page.data as AdminData
    expect(data.backlog?.outbox.pending).toBe(3)
    expect(data.backlog?.outbox.oldest.map((r) => r.queue)).toEqual([
      'notify',
      'timeout',
      'timeout',
    ])
  })
})

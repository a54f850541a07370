import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_USERS } from '#db/seed.server.ts'
import { READY_CASE_TITLE } from '#db/seed-matching.server.ts'
import { buildApp, launchBrowser, startTestApp, type TestApp } from './harness.ts'

let app: TestApp
let browser: Browser

beforeAll(async () => {
  await buildApp()
  app = await startTestApp()
  browser = await launchBrowser()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

async function pageAs(email: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  await page.goto(`${app.url}/sign-in`)
  await page.getByLabel('电子邮箱').fill(email)
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByRole('button', { name: '退出' }).waitFor()
  return page
}

/** The steward pins a pool member, found by name, on one item of the resource list. */
async function pin(page: Page, name: string, itemTitle: string) {
  await page.locator('#pool-q').fill(name)
  await page.getByRole('button', { name: '查找' }).click()
  // The expert's own row, not a team they lead.
  const row = page
    .locator('ul.candidates li')
    .filter({ has: page.locator('select[id^="pin-item-expert-"]') })
    .filter({ hasText: name })
  await row.locator('select[name="itemId"]').selectOption({ label: itemTitle })
  await row.getByRole('button', { name: '指定' }).click()
  await page.getByText('已指定该人选并重新匹配').waitFor()
}

/** The expert opens the invitation for `itemTitle` from their list. */
async function openInvitation(page: Page, itemTitle: string) {
  await page.goto(`${app.url}/my-invitations`)
  await page.getByRole('row').filter({ hasText: itemTitle }).getByRole('link').first().click()
  await page.getByText('推荐您的理由').waitFor()
}

describe('matching and pairing in the browser', () => {
  it('a steward takes the confirmed demo case to a confirmed pairing; experts answer as themselves; the agreement prints', async () => {
    const list = await app.db.db
      .selectFrom('needs_list')
      .select(['id', 'status'])
      .where('title', '=', READY_CASE_TITLE)
      .executeTakeFirstOrThrow()
    expect(list.status).toBe('ready_for_matching')
    const base = `${app.url}/needs-lists/${list.id}`

    // The steward drafts the resource list: every proposal says why.
    const steward = await pageAs(DEMO_USERS.steward)
    await steward.goto(`${base}/resources`)
    await steward.getByRole('button', { name: '生成资源清单' }).click()
    await steward.getByText('已生成资源清单').waitFor()
    await expect(
      steward
        .getByText(/完全匹配/)
        .first()
        .isVisible(),
    ).resolves.toBe(true)

    // Pins: the demo experts with sign-ins take the safety and training items.
    await pin(steward, '王建国', '车间电气安全隐患排查')
    await pin(steward, '李秀英', '电工持证上岗培训')
    await steward.getByRole('button', { name: '向待邀请人选发出邀请' }).click()
    await steward.getByText('邀请已发出').waitFor()

    // 王建国 accepts; 李秀英 declines with a reason.
    const wang = await pageAs(DEMO_USERS.expert)
    await openInvitation(wang, '车间电气安全隐患排查')
    await wang.getByRole('button', { name: '接受邀请' }).click()
    await wang.getByText('您已接受邀请').waitFor()

    const li = await pageAs(DEMO_USERS.expert2)
    await openInvitation(li, '电工持证上岗培训')
    await li.getByLabel('婉拒原因').fill('本月在外地参加技能竞赛集训')
    await li.getByRole('button', { name: '婉拒', exact: true }).click()
    await li.getByText('您已婉拒邀请').waitFor()

    // The decline brought the next best candidate in, already invited.
    await steward.goto(`${base}/resources`)
    await steward.getByText('递补推荐').first().waitFor()
    const replacement = await app.db.db
      .selectFrom('resource_proposal')
      .select(['status'])
      .where('needs_list_id', '=', list.id)
      .where('source', '=', 'replacement')
      .executeTakeFirstOrThrow()
    expect(replacement.status).toBe('invited')

    // The pairing meeting, then the one-to-one pairing.
    await steward.goto(`${base}/pairing`)
    await steward.getByLabel('会议时间').fill('2026-12-10T09:30')
    await steward.getByLabel('会议地点').fill('鹭江高新技术产业园工会会议室')
    await steward.getByLabel('姓名 1').fill('陈志远')
    await steward.getByLabel('身份 1').fill('专属管家')
    await steward.getByRole('button', { name: '安排会议' }).click()
    await steward.getByText('专项会议已安排').waitFor()
    await steward.getByRole('button', { name: '确认一一配对' }).click()
    await steward.getByText('一一配对已确认').waitFor()
    await steward.getByRole('button', { name: '生成结对服务协议' }).click()
    await steward.getByText('结对服务协议已生成').waitFor()

    // Each party confirms the agreement as themselves.
    await steward.goto(`${base}/agreement`)
    await steward.getByRole('button', { name: '确认本协议' }).click()
    await steward.getByText('您已确认结对服务协议').waitFor()
    await wang.goto(`${base}/agreement`)
    await wang.getByRole('button', { name: '确认本协议' }).click()
    await wang.getByText('您已确认结对服务协议').waitFor()
    const enterprise = await pageAs(DEMO_USERS.enterprise2)
    await enterprise.goto(`${base}/agreement`)
    await enterprise.getByText('结对服务协议').first().waitFor()
    await enterprise.getByRole('button', { name: '确认本协议' }).click()
    await enterprise.getByText('您已确认结对服务协议').waitFor()

    // It prints: in print media the navigation is gone and the agreement text stays.
    await enterprise.emulateMedia({ media: 'print' })
    const printed = await enterprise.evaluate(() => ({
      print: matchMedia('print').matches,
      topbar: getComputedStyle(document.querySelector('header.topbar') as Element).display,
    }))
    expect(printed).toEqual({ print: true, topbar: 'none' })
    await expect(enterprise.getByText('一、服务事项').isVisible()).resolves.toBe(true)
    const pdf = await enterprise.pdf({ format: 'A4' })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')

    const after = await app.db.db
      .selectFrom('needs_list')
      .select('status')
      .where('id', '=', list.id)
      .executeTakeFirstOrThrow()
    expect(after.status).toBe('paired')
    const confirmations = await app.db.db
      .selectFrom('agreement_confirmation as c')
      .innerJoin('agreement as a', 'a.id', 'c.agreement_id')
      .select('c.party')
      .where('a.needs_list_id', '=', list.id)
      .execute()
    expect(confirmations.map((c) => c.party).sort()).toEqual(['enterprise', 'expert', 'steward'])
  })

  it('shows the expert their invitations and the reasons in English too', async () => {
    const wang = await pageAs(DEMO_USERS.expert)
    await wang.goto(`${app.url}/my-invitations`)
    await wang.getByRole('button', { name: 'English' }).click()
    await wang.getByRole('heading', { name: 'My invitations' }).waitFor()
    await wang
      .getByRole('row')
      .filter({ hasText: '车间电气安全隐患排查' })
      .getByRole('link')
      .first()
      .click()
    await wang.getByText('national model worker', { exact: false }).first().waitFor()
  })
})

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_USERS } from '#db/seed.server.ts'
import { buildApp, launchBrowser, startTestApp, type TestApp } from './harness.ts'

let app: TestApp
let browser: Browser

beforeAll(async () => {
  buildApp()
  app = await startTestApp()
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

async function signIn(page: Page, email: string) {
  await page.goto(`${app.url}/sign-in`)
  await page.getByLabel('电子邮箱').fill(email)
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

describe('browser', () => {
  it('serves the zh-CN sign-in page and refuses a wrong password with a translated message', async () => {
    const page = await browser.newPage()
    await page.goto(`${app.url}/sign-in`)
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    await page.getByLabel('电子邮箱').fill(DEMO_USERS.enterprise)
    await page.getByLabel('密码').fill('wrong-password')
    await page.getByRole('button', { name: '登录' }).click()
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('邮箱或密码不正确')
    await page.close()
  })

  it('signs in and out', async () => {
    const page = await browser.newPage()
    await signIn(page, DEMO_USERS.enterprise)
    expect(await page.textContent('header')).toContain('林晓梅')
    await page.getByRole('button', { name: '退出' }).click()
    await page.waitForURL(/\/sign-in/)
    await page.close()
  })
})

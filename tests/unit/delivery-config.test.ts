import { describe, expect, it } from 'vitest'
import { parseEnv } from '#app/env.server.ts'
import { maskMobile, messageIdFor } from '#jobs/delivery/channels.ts'

describe('mail and SMS configuration', () => {
  it('has no e-mail by default, logs SMS, and links to localhost', () => {
    const env = parseEnv({})
    expect(env.SMTP_URL).toBeUndefined()
    expect(env.MAIL_FROM).toBeUndefined()
    expect(env.SMS_TRANSPORT).toBe('log')
    expect(env.APP_URL).toBe('http://localhost:3000')
  })

  it('accepts SMTP with a From address, and names every bad value', () => {
    const env = parseEnv({
      SMTP_URL: 'smtps://mailer:secret@smtp.example.org:465',
      MAIL_FROM: '助企 Zhuqi <noreply@zhuqi.example.org>',
      APP_URL: 'https://zhuqi.example.org',
      SMS_TRANSPORT: 'off',
    })
    expect(env).toMatchObject({ SMS_TRANSPORT: 'off', APP_URL: 'https://zhuqi.example.org' })
    expect(parseEnv({ SMTP_URL: 'smtp://h:25', MAIL_FROM: 'noreply@x.org' }).MAIL_FROM).toBe(
      'noreply@x.org',
    )
    expect(() => parseEnv({ SMTP_URL: 'smtp://h:25' })).toThrow(/MAIL_FROM: required when SMTP_URL/)
    let message = ''
    try {
      parseEnv({
        SMTP_URL: 'mail.example.org',
        MAIL_FROM: 'Zhuqi <not an address>',
        APP_URL: 'zhuqi.example.org',
        SMS_TRANSPORT: 'carrier-pigeon',
      })
    } catch (err) {
      message = String(err)
    }
    expect(message).toMatch(/SMTP_URL: must look like smtp:/)
    expect(message).toMatch(/MAIL_FROM: must be an address/)
    expect(message).toMatch(/APP_URL: must start with http/)
    expect(message).toMatch(/SMS_TRANSPORT/)
  })

  it('derives Message-IDs from the idempotency key and the sender domain', () => {
    expect(messageIdFor('42:email', '助企 <noreply@zhuqi.example.org>')).toBe(
      '<zhuqi.42.email@zhuqi.example.org>',
    )
    expect(messageIdFor('digest:7:2026-03-06', 'noreply@x.org')).toBe(
      '<zhuqi.digest.7.2026-03-06@x.org>',
    )
  })

  it('masks mobile numbers in logs', () => {
    expect(maskMobile('13812345678')).toBe('138****5678')
    expect(maskMobile('+86 138 1234 5678')).toBe('+86****5678')
    expect(maskMobile('123')).toBe('****')
  })
})

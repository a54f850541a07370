import { createTransport } from 'nodemailer'
import type { DeliveryChannelName } from '#db/schema.ts'
import type { Logger } from '../logger.ts'
import { captureMail } from './file-mailbox.ts'
import type { RenderedMessage } from './render.ts'

/**
 * Every way a notification reaches a user, behind one interface. The in-app
 * inbox is not a channel here: the notify job always writes it at once, and
 * each channel below gets a `delivery` row of its own on top.
 */
export interface Recipient {
  name: string
  email: string | null
  mobile: string | null
  locale: string
}

export interface SendResult {
  /** What the far side calls the message (the e-mail Message-ID, a provider's id), if anything. */
  messageId: string | null
}

export interface DeliveryChannel {
  readonly name: DeliveryChannelName
  /** Whether the user has an address on this channel. */
  reaches(to: Recipient): boolean
  /**
   * What to do when a worker vanished between claiming a message and recording it
   * sent, so nobody knows whether it left: 'resend' when a second copy is
   * recognisable as the same message (e-mail, same Message-ID), 'give-up' when it
   * is not (the row is marked failed for an admin to decide).
   */
  readonly afterCrash: 'resend' | 'give-up'
  /**
   * Sends one message; throws on failure. `key` is the delivery's idempotency key,
   * the same on every retry. Errors with `permanent: true` are not retried.
   */
  send(to: Recipient, message: RenderedMessage, key: string): Promise<SendResult>
  close(): Promise<void>
}

export type Channels = Partial<Record<DeliveryChannelName, DeliveryChannel>>

/** An error a retry cannot fix (e.g. the mail server refused the address for good). */
export class PermanentSendError extends Error {
  readonly permanent = true
}

// E-mail ------------------------------------------------------------------------------

/** An SMTP server, or (development without one) a local mailbox directory. */
export type EmailConfig = SmtpConfig | MailboxConfig

export interface SmtpConfig {
  /** smtp://user:pass@host:587 or smtps://…:465 */
  url: string
  /** The From header, e.g. `助企 Zhuqi <noreply@zhuqi.example.org>`. */
  from: string
  /** Per-connection timeouts; keep them well under the claim lease. */
  timeoutMs?: number
}

/**
 * Development only: each message is rendered exactly as it would be sent and
 * written to this directory (file-mailbox.ts) instead; /dev/mail lists them.
 */
export interface MailboxConfig {
  mailbox: string
  from: string
}

/** Domain part of the From address, for Message-IDs. */
function domainOf(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from)
  return match?.[1] ?? 'zhuqi.localhost'
}

/**
 * Deterministic Message-ID from the idempotency key: if a crash makes the
 * same e-mail go out twice, both copies carry the same id, which mail clients
 * and mailbox providers treat as one message (and a person can recognise).
 */
export function messageIdFor(key: string, from: string): string {
  return `<zhuqi.${key.replace(/[^A-Za-z0-9.-]/g, '.')}@${domainOf(from)}>`
}

function mailTransport(config: EmailConfig) {
  if ('mailbox' in config) {
    // The message as raw RFC 822 bytes, for the mailbox to keep.
    return createTransport(
      { streamTransport: true, buffer: true, newline: 'unix' },
      { from: config.from },
    )
  }
  const timeout = config.timeoutMs ?? 30_000
  return createTransport(
    {
      url: config.url,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    },
    { from: config.from },
  )
}

export function emailChannel(config: EmailConfig): DeliveryChannel {
  const transport = mailTransport(config)
  return {
    name: 'email',
    afterCrash: 'resend',
    reaches: (to) => Boolean(to.email),
    async send(to, message, key) {
      const messageId = messageIdFor(key, config.from)
      try {
        const info = await transport.sendMail({
          to: to.email ?? undefined,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId,
          headers: { 'X-Zhuqi-Key': key },
        })
        if ('mailbox' in config) {
          await captureMail(
            config.mailbox,
            { ...message, to: to.email ?? '', messageId, key, date: new Date() },
            (info as { message: Buffer }).message,
          )
        }
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode
        // 5xx replies are final (unknown mailbox, policy); 4xx and network errors are retried.
        if (typeof code === 'number' && code >= 500 && code < 600) {
          throw new PermanentSendError(String((err as Error).message ?? err))
        }
        throw err
      }
      return { messageId }
    },
    async close() {
      transport.close()
    },
  }
}

// SMS ---------------------------------------------------------------------------------

export interface SmsMessage {
  /** The mobile number as stored on the user. */
  to: string
  text: string
  /** Stable across retries: pass it to a provider that deduplicates (an "out id"). */
  idempotencyKey: string
}

/**
 * The SMS adapter. Only the logging transport ships. To plug a provider (e.g.
 * Alibaba Cloud SMS, Tencent Cloud SMS or an operator gateway):
 *   1. implement this interface in a new file next to this one, calling the
 *      provider's API in `send` and throwing on a refused or failed request
 *      (`PermanentSendError` for a refusal a retry cannot fix);
 *   2. pass `idempotencyKey` as the provider's out/request id when it
 *      deduplicates on it, and return the provider's message id;
 *   3. add its name to SMS_TRANSPORT in app/env.server.ts and construct it in
 *      `createSmsTransport` below (credentials from new env variables).
 */
export interface SmsTransport {
  readonly name: string
  send(message: SmsMessage): Promise<{ providerId: string | null }>
  close?(): Promise<void>
}

/** Hides the middle of a number in logs: 13812345678 → 138****5678. */
export function maskMobile(mobile: string): string {
  const digits = mobile.replace(/\s+/g, '')
  return digits.length < 7 ? '****' : `${digits.slice(0, 3)}****${digits.slice(-4)}`
}

/** Default transport: writes each SMS to the log instead of sending it. */
export class LoggingSmsTransport implements SmsTransport {
  readonly name = 'log'
  constructor(private readonly logger: Logger) {}

  async send(message: SmsMessage) {
    this.logger.info(
      { sms: { to: maskMobile(message.to), text: message.text, key: message.idempotencyKey } },
      'sms (logging transport, not sent)',
    )
    return { providerId: null }
  }
}

export type SmsTransportName = 'log' | 'off'

export function createSmsTransport(name: SmsTransportName, logger: Logger): SmsTransport | null {
  switch (name) {
    case 'off':
      return null
    case 'log':
      return new LoggingSmsTransport(logger)
  }
}

export function smsChannel(transport: SmsTransport): DeliveryChannel {
  return {
    name: 'sms',
    // A second SMS cannot be told apart from the first, so an unknown outcome is not resent.
    afterCrash: 'give-up',
    reaches: (to) => Boolean(to.mobile?.trim()),
    async send(to, message, key) {
      const { providerId } = await transport.send({
        to: to.mobile ?? '',
        text: message.sms,
        idempotencyKey: key,
      })
      return { messageId: providerId }
    },
    async close() {
      await transport.close?.()
    },
  }
}

/** The channels a worker process sends through, from its configuration. */
export function createChannels(options: {
  email?: EmailConfig
  sms?: SmsTransport | null
}): Channels {
  const channels: Channels = {}
  if (options.email) channels.email = emailChannel(options.email)
  if (options.sms) channels.sms = smsChannel(options.sms)
  return channels
}

export async function closeChannels(channels: Channels): Promise<void> {
  await Promise.all(Object.values(channels).map((c) => c?.close()))
}

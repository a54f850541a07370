import { defineMessages } from '../define.ts'

// Keys are used as t('devmail.<key>').
export const devmailMessages = defineMessages(
  {
    title: '开发邮箱',
    intro:
      '未配置 SMTP_URL 时（生产环境除外），系统发出的每封邮件都保存在本地邮箱 {{dir}}，不会真正发送。这里按时间倒序列出最近的邮件；.eml 文件可用任何邮件客户端打开。',
    smtpInUse: '已配置 SMTP_URL：邮件通过 SMTP 发出，这里不再收录新邮件。',
    empty: '还没有邮件。提醒和通知会按收件人的通知设置（免打扰时段、每日摘要）发送。',
    to: '收件人',
    subject: '主题',
    time: '时间',
    open: '查看',
    back: '返回列表',
    notFound: '没有这封邮件。',
    messageId: '邮件 ID',
    html: 'HTML 正文',
    text: '纯文本正文',
  },
  {
    title: 'Development mailbox',
    intro:
      'Without SMTP_URL (outside production) every e-mail the system sends is kept in the local mailbox {{dir}} instead of being sent. The latest ones are listed here, newest first; the .eml files open in any mail client.',
    smtpInUse: 'SMTP_URL is set: e-mail goes out over SMTP and nothing new is kept here.',
    empty:
      "No e-mail yet. Reminders and notifications are sent as each recipient's notification settings say (quiet hours, daily digest).",
    to: 'To',
    subject: 'Subject',
    time: 'Time',
    open: 'Open',
    back: 'Back to the list',
    notFound: 'There is no such message.',
    messageId: 'Message-ID',
    html: 'HTML body',
    text: 'Plain text body',
  },
)

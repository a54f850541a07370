import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one instead.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per user who changed anything; no row means the defaults below.
  await db.schema
    .createTable('notification_preference')
    .addColumn('user_id', 'integer', (c) =>
      c.primaryKey().references('app_user.id').onDelete('cascade'),
    )
    .addColumn('email', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('sms', 'boolean', (c) => c.notNull().defaultTo(true))
    // Minutes after midnight, Asia/Shanghai; start = end means no quiet hours.
    .addColumn('quiet_start', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(22 * 60)
        .check(sql`quiet_start between 0 and 1439`),
    )
    .addColumn('quiet_end', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(8 * 60)
        .check(sql`quiet_end between 0 and 1439`),
    )
    .addColumn('quiet_on_non_working_days', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('digest', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // The daily digest e-mail: one per user and Shanghai calendar day.
  await db.schema
    .createTable('digest')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'integer', (c) =>
      c.notNull().references('app_user.id').onDelete('cascade'),
    )
    // 'YYYY-MM-DD' as text: pg would turn a date column into a local-midnight Date.
    .addColumn('digest_date', 'text', (c) =>
      c.notNull().check(sql`digest_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
    )
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','sending','sent','failed')`),
    )
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('not_before', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claim_token', 'text')
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('message_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('digest_user_date', ['user_id', 'digest_date'])
    .execute()

  // One row per (notification, channel) beyond the in-app inbox.
  await db.schema
    .createTable('delivery')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('notification_id', 'integer', (c) =>
      c.notNull().references('notification.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (c) =>
      c.notNull().references('app_user.id').onDelete('cascade'),
    )
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email','sms')`))
    // '<notification id>:<channel>': what a provider sees as the idempotency key.
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('held','pending','sending','sent','failed','digested')`),
    )
    .addColumn('not_before', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claim_token', 'text')
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('message_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('digest_id', 'integer', (c) => c.references('digest.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('delivery_notification_channel', ['notification_id', 'channel'])
    .execute()
  await sql`create index delivery_open on delivery (status, not_before) where status in ('pending','sending','failed')`.execute(
    db,
  )
  await sql`create index delivery_held on delivery (user_id, created_at) where status = 'held'`.execute(
    db,
  )
  await db.schema.createIndex('delivery_digest').on('delivery').column('digest_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delivery').execute()
  await db.schema.dropTable('digest').execute()
  await db.schema.dropTable('notification_preference').execute()
}

import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one instead.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('union_org')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('parent_id', 'integer', (c) => c.references('union_org.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // Materialised path of ancestor ids, e.g. '/1/4/9/': a subtree is one prefix range scan.
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index union_org_path_prefix on union_org (path text_pattern_ops)`.execute(db)
  await db.schema.createIndex('union_org_parent').on('union_org').column('parent_id').execute()

  await db.schema
    .createTable('app_user')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('enterprise')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('union_org.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.unique())
    .addColumn('district', 'text')
    .addColumn('park', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('enterprise_org').on('enterprise').column('org_id').execute()

  await db.schema
    .createTable('membership')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'integer', (c) =>
      c.notNull().references('app_user.id').onDelete('cascade'),
    )
    .addColumn('org_id', 'integer', (c) => c.notNull().references('union_org.id'))
    .addColumn('role', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`role in ('enterprise_contact','steward','expert','coordinator','federation_admin')`,
        ),
    )
    .addColumn('enterprise_id', 'integer', (c) => c.references('enterprise.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'membership_enterprise_role',
      sql`(role = 'enterprise_contact') = (enterprise_id is not null)`,
    )
    .execute()
  await sql`create unique index membership_unique on membership (user_id, org_id, role, coalesce(enterprise_id, 0))`.execute(
    db,
  )
  await db.schema
    .createIndex('membership_org_role')
    .on('membership')
    .columns(['org_id', 'role'])
    .execute()
  await db.schema
    .createIndex('membership_enterprise')
    .on('membership')
    .column('enterprise_id')
    .execute()

  await db.schema
    .createTable('user_session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) =>
      c.notNull().references('app_user.id').onDelete('cascade'),
    )
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('user_session_user').on('user_session').column('user_id').execute()

  await db.schema
    .createTable('sign_in_attempt')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('succeeded', 'boolean', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('sign_in_attempt_email_at')
    .on('sign_in_attempt')
    .columns(['email', 'at'])
    .execute()
  await db.schema
    .createIndex('sign_in_attempt_ip_at')
    .on('sign_in_attempt')
    .columns(['ip', 'at'])
    .execute()

  await db.schema
    .createTable('needs_list')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('enterprise_id', 'integer', (c) => c.notNull().references('enterprise.id'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('union_org.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    // Mirror of the workflow state, kept in the same transaction, for indexed queues.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('needs_list_org_status')
    .on('needs_list')
    .columns(['org_id', 'status', 'submitted_at'])
    .execute()
  await db.schema
    .createIndex('needs_list_enterprise')
    .on('needs_list')
    .columns(['enterprise_id', 'updated_at'])
    .execute()

  await db.schema
    .createTable('need_item')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('headcount', 'integer', (c) => c.notNull().check(sql`headcount between 1 and 50`))
    .execute()
  await db.schema
    .createIndex('need_item_list')
    .on('need_item')
    .columns(['needs_list_id', 'position'])
    .execute()

  await db.schema
    .createTable('workflow_instance')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('machine_id', 'text', (c) => c.notNull())
    .addColumn('machine_version', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    // Bumped on every transition; a client that read version N may only change version N.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('workflow_instance_subject', ['subject_type', 'subject_id'])
    .execute()

  await db.schema
    .createTable('workflow_event')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('workflow_id', 'integer', (c) => c.notNull().references('workflow_instance.id'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer', (c) => c.references('app_user.id'))
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('workflow_event_version', ['workflow_id', 'version'])
    .execute()
  await db.schema
    .createIndex('workflow_event_subject')
    .on('workflow_event')
    .columns(['subject_type', 'subject_id', 'id'])
    .execute()

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('job_name', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('run_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('relayed_at', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute()
  await sql`create index outbox_pending on outbox (id) where relayed_at is null`.execute(db)

  await db.schema
    .createTable('notification')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'integer', (c) =>
      c.notNull().references('app_user.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('link', 'text')
    // One row per (effect, recipient): a redelivered job can never notify twice.
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('notification_user_created')
    .on('notification')
    .columns(['user_id', 'created_at'])
    .execute()
  await sql`create index notification_user_unread on notification (user_id) where read_at is null`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'notification',
    'outbox',
    'workflow_event',
    'workflow_instance',
    'need_item',
    'needs_list',
    'sign_in_attempt',
    'user_session',
    'membership',
    'enterprise',
    'app_user',
    'union_org',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}

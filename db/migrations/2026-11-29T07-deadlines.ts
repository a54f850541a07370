import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one instead.
export async function up(db: Kysely<any>): Promise<void> {
  // Local changes to China's official working-day calendar (a local holiday, an
  // extra working day); the official data comes with the code.
  await db.schema
    .createTable('calendar_override')
    // 'YYYY-MM-DD' as text: pg would turn a date column into a local-midnight Date.
    .addColumn('date', 'text', (c) =>
      c.primaryKey().check(sql`date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
    )
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('workday','holiday')`))
    .addColumn('note', 'text')
    .addColumn('updated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // Deadlines per stage and org; an org without a row inherits its nearest
  // ancestor's, and the root falls back to the defaults in code.
  await db.schema
    .createTable('sla_policy')
    .addColumn('org_id', 'integer', (c) =>
      c.notNull().references('union_org.id').onDelete('cascade'),
    )
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('working_days', 'integer', (c) =>
      c.notNull().check(sql`working_days between 1 and 60`),
    )
    .addColumn('remind_before_working_days', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('sla_policy_pk', ['org_id', 'stage'])
    .addCheckConstraint(
      'sla_policy_remind_before',
      sql`remind_before_working_days >= 0 and remind_before_working_days < working_days`,
    )
    .execute()

  // One row per scheduled deadline timer (a reminder or a breach of one stage
  // entry). Leaving the stage cancels the pending ones in the same transaction;
  // a timer job whose row is not pending any more is dropped.
  await db.schema
    .createTable('workflow_timer')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('workflow_id', 'integer', (c) =>
      c.notNull().references('workflow_instance.id').onDelete('cascade'),
    )
    .addColumn('stage', 'text', (c) => c.notNull())
    // The workflow's count of stage entries when the stage began: a later entry
    // of the same stage makes this timer stale.
    .addColumn('entry', 'integer', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull().check(sql`phase in ('remind','breach')`))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    // The outbox row that carries the job (BullMQ job id outbox-<id>).
    .addColumn('outbox_id', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','fired','cancelled')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('workflow_timer_entry_phase', ['workflow_id', 'stage', 'entry', 'phase'])
    .execute()
  await sql`create index workflow_timer_pending on workflow_timer (workflow_id) where status = 'pending'`.execute(
    db,
  )

  // The current stage's deadline, mirrored for queues ("due" sorting, "overdue").
  await db.schema.alterTable('needs_list').addColumn('due_at', 'timestamptz').execute()
  await db.schema
    .createIndex('needs_list_status_due')
    .on('needs_list')
    .columns(['status', 'due_at', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('needs_list_status_due').ifExists().execute()
  await db.schema.alterTable('needs_list').dropColumn('due_at').execute()
  await db.schema.dropTable('workflow_timer').ifExists().execute()
  await db.schema.dropTable('sla_policy').ifExists().execute()
  await db.schema.dropTable('calendar_override').ifExists().execute()
}

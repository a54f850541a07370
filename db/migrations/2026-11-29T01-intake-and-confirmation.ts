import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one instead.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('need_category')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute()

  await db.schema
    .createTable('skill')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('parent_id', 'integer', (c) => c.references('skill.id'))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('domain','field','skill')`))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    // Materialised path of ancestor ids, like union_org.path.
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await sql`create index skill_path_prefix on skill (path text_pattern_ops)`.execute(db)
  await db.schema.createIndex('skill_parent').on('skill').column('parent_id').execute()

  await db.schema.alterTable('app_user').addColumn('mobile', 'text').execute()

  await db.schema
    .alterTable('enterprise')
    .addColumn('industry', 'text')
    .addColumn('size', 'text', (c) => c.check(sql`size in ('micro','small','medium','large')`))
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('address', 'text')
    .addColumn('normalized_name', 'text')
    .addColumn('steward_user_id', 'integer', (c) => c.references('app_user.id'))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
    .execute()
  await db.schema
    .createIndex('enterprise_normalized_name')
    .on('enterprise')
    .column('normalized_name')
    .execute()
  await db.schema
    .createIndex('enterprise_steward')
    .on('enterprise')
    .column('steward_user_id')
    .execute()

  await db.schema
    .createTable('enterprise_invitation')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('enterprise_id', 'integer', (c) => c.notNull().references('enterprise.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mobile', 'text')
    // Only a hash is stored: the token itself is shown once to the inviter.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('accepted_user_id', 'integer', (c) => c.references('app_user.id'))
    .execute()
  await db.schema
    .createIndex('enterprise_invitation_enterprise')
    .on('enterprise_invitation')
    .column('enterprise_id')
    .execute()

  await db.schema
    .alterTable('need_item')
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('window_start', 'date')
    .addColumn('window_end', 'date')
    .addColumn('mode', 'text', (c) =>
      c.notNull().defaultTo('onsite').check(sql`mode in ('onsite','remote','either')`),
    )
    .addColumn('place', 'text')
    .addColumn('expected_outcome', 'text')
    .execute()

  await db.schema
    .createTable('need_item_skill')
    .addColumn('need_item_id', 'integer', (c) =>
      c.notNull().references('need_item.id').onDelete('cascade'),
    )
    .addColumn('skill_id', 'integer', (c) => c.notNull().references('skill.id'))
    .addPrimaryKeyConstraint('need_item_skill_pk', ['need_item_id', 'skill_id'])
    .execute()
  await db.schema
    .createIndex('need_item_skill_skill')
    .on('need_item_skill')
    .column('skill_id')
    .execute()

  await db.schema
    .createTable('attachment')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('attachment_list').on('attachment').column('needs_list_id').execute()

  await db.schema
    .alterTable('needs_list')
    .addColumn('steward_user_id', 'integer', (c) => c.references('app_user.id'))
    .addColumn('stage_entered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('needs_list_steward_status')
    .on('needs_list')
    .columns(['steward_user_id', 'status', 'stage_entered_at'])
    .execute()

  await db.schema
    .createTable('steward_profile')
    .addColumn('user_id', 'integer', (c) =>
      c.primaryKey().references('app_user.id').onDelete('cascade'),
    )
    .addColumn('org_id', 'integer', (c) => c.notNull().references('union_org.id'))
    .addColumn('capacity', 'integer', (c) =>
      c.notNull().defaultTo(10).check(sql`capacity between 1 and 500`),
    )
    .addColumn('districts', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('parks', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('industries', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute()
  await db.schema
    .createIndex('steward_profile_org')
    .on('steward_profile')
    .column('org_id')
    .execute()

  await db.schema
    .createTable('steward_assignment')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('enterprise_id', 'integer', (c) => c.notNull().references('enterprise.id'))
    .addColumn('steward_user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('assigned_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('reason', 'text')
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_reason', 'text')
    .execute()
  // One current dedicated steward per enterprise.
  await sql`create unique index steward_assignment_current on steward_assignment (enterprise_id) where ended_at is null`.execute(
    db,
  )
  await db.schema
    .createIndex('steward_assignment_steward')
    .on('steward_assignment')
    .columns(['steward_user_id', 'ended_at'])
    .execute()

  await db.schema
    .createTable('needs_revision')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('edit','proposal','comment','approval')`),
    )
    .addColumn('items', 'jsonb')
    .addColumn('comment', 'text')
    .addColumn('author_user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('author_role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('needs_revision_number', ['needs_list_id', 'revision'])
    .execute()

  await db.schema
    .createTable('confirmed_item')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('headcount', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'date')
    .addColumn('window_end', 'date')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('expected_outcome', 'text')
    .addColumn('skill_ids', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'::integer[]`))
    .addColumn('source_item_ids', sql`integer[]`, (c) =>
      c.notNull().defaultTo(sql`'{}'::integer[]`),
    )
    .execute()
  await db.schema
    .createIndex('confirmed_item_list')
    .on('confirmed_item')
    .columns(['needs_list_id', 'position'])
    .execute()

  // The 'accepted' state became 'awaiting_steward' (machine v3).
  await sql`update needs_list set status = 'awaiting_steward' where status = 'accepted'`.execute(db)
  await sql`update workflow_instance set state = 'awaiting_steward' where state = 'accepted' and subject_type = 'needs_list'`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'confirmed_item',
    'needs_revision',
    'steward_assignment',
    'steward_profile',
    'attachment',
    'need_item_skill',
    'enterprise_invitation',
    'skill',
    'need_category',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}

import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one instead.
export async function up(db: Kysely<any>): Promise<void> {
  // Checklist templates (勘查清单模板) maintained by federation admins.
  await db.schema
    .createTable('checklist_template')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('description_zh', 'text')
    .addColumn('description_en', 'text')
    // The need category it usually serves (need_category.code), for suggestions.
    .addColumn('category', 'text')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('updated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('checklist_template_item')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('template_id', 'integer', (c) =>
      c.notNull().references('checklist_template.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('section_zh', 'text')
    .addColumn('section_en', 'text')
    .addColumn('label_zh', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    // check: pass/fail; measurement: a number with unit and acceptable range;
    // count: a whole number (attendance); text: a note.
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('check','measurement','count','text')`),
    )
    .addColumn('unit', 'text')
    .addColumn('min_value', sql`double precision`)
    .addColumn('max_value', sql`double precision`)
    .addColumn('guidance_zh', 'text')
    .addColumn('guidance_en', 'text')
    .addCheckConstraint(
      'checklist_template_item_range',
      sql`min_value is null or max_value is null or min_value <= max_value`,
    )
    .execute()
  await db.schema
    .createIndex('checklist_template_item_template')
    .on('checklist_template_item')
    .columns(['template_id', 'position'])
    .execute()

  // A visit (现场勘查, follow-up, training session) of a case; its own workflow.
  await db.schema
    .createTable('visit')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    // 1, 2, 3… within the case.
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('inspection','follow_up','training')`),
    )
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) =>
      c.notNull().check(sql`duration_minutes between 15 and 1440`),
    )
    .addColumn('place', 'text', (c) => c.notNull())
    // Mirror of the visit workflow's state.
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('proposed'))
    // The enterprise's counter-proposal, until the steward reschedules.
    .addColumn('counter_starts_at', 'timestamptz')
    .addColumn('counter_note', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('checked_in_at', 'timestamptz')
    .addColumn('checked_in_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('due_at', 'timestamptz')
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('visit_sequence', ['needs_list_id', 'sequence'])
    .execute()
  await db.schema.createIndex('visit_starts').on('visit').columns(['starts_at', 'id']).execute()

  // The team on a visit: paired experts, the steward, the stationed union cadre, others.
  await db.schema
    .createTable('visit_member')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('visit.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('expert','steward','cadre','other')`),
    )
    .addColumn('user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('expert_id', 'integer', (c) => c.references('expert.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('visit_member_visit').on('visit_member').column('visit_id').execute()
  await db.schema
    .createIndex('visit_member_expert')
    .on('visit_member')
    .columns(['expert_id', 'visit_id'])
    .execute()
  await db.schema
    .createIndex('visit_member_user')
    .on('visit_member')
    .columns(['user_id', 'visit_id'])
    .execute()

  // The inspection plan (勘查方案) of a visit. Edited in place until check-in;
  // after that every change is a new version.
  await db.schema
    .createTable('inspection_plan')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('visit.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('objectives', 'text')
    .addColumn('notes', 'text')
    // The confirmed need items the visit serves, and the templates it was built from.
    .addColumn('item_ids', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('template_ids', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('inspection_plan_version', ['visit_id', 'version'])
    .execute()
  await db.schema
    .createTable('plan_item')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('plan_id', 'integer', (c) =>
      c.notNull().references('inspection_plan.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('template_item_id', 'integer', (c) =>
      c.references('checklist_template_item.id').onDelete('set null'),
    )
    // Copied from the template so a later template edit never changes a plan.
    .addColumn('section_zh', 'text')
    .addColumn('section_en', 'text')
    .addColumn('label_zh', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('check','measurement','count','text')`),
    )
    .addColumn('unit', 'text')
    .addColumn('min_value', sql`double precision`)
    .addColumn('max_value', sql`double precision`)
    .addColumn('guidance_zh', 'text')
    .addColumn('guidance_en', 'text')
    .execute()
  await db.schema
    .createIndex('plan_item_plan')
    .on('plan_item')
    .columns(['plan_id', 'position'])
    .execute()

  // What was recorded on site for one checklist line: saved as it is entered.
  await db.schema
    .createTable('visit_record')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('visit.id').onDelete('cascade'))
    .addColumn('plan_item_id', 'integer', (c) =>
      c.notNull().references('plan_item.id').onDelete('cascade'),
    )
    .addColumn('value_number', sql`double precision`)
    .addColumn('value_text', 'text')
    // For a check: passed or not; for a measurement: inside the range.
    .addColumn('passed', 'boolean')
    .addColumn('flagged', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('visit_record_line', ['visit_id', 'plan_item_id'])
    .execute()

  await db.schema
    .createTable('finding')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('visit.id').onDelete('cascade'))
    // Chosen by the client so a retried save never makes a second finding.
    .addColumn('client_key', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) =>
      c.notNull().check(sql`severity in ('low','medium','high','critical')`),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('recommendation', 'text')
    .addColumn('plan_item_id', 'integer', (c) => c.references('plan_item.id').onDelete('set null'))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('finding_client_key', ['visit_id', 'client_key'])
    .execute()

  await db.schema
    .createTable('visit_photo')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('visit.id').onDelete('cascade'))
    .addColumn('finding_id', 'integer', (c) => c.references('finding.id').onDelete('set null'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('caption', 'text')
    .addColumn('uploaded_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('visit_photo_visit').on('visit_photo').column('visit_id').execute()

  await db.schema
    .createTable('follow_up_action')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('visit.id').onDelete('cascade'))
    .addColumn('client_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open','done')`),
    )
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('follow_up_action_client_key', ['visit_id', 'client_key'])
    .execute()

  // The inspection report of a visit and the enterprise's confirmation of it.
  await db.schema
    .createTable('visit_report')
    .addColumn('visit_id', 'integer', (c) =>
      c.primaryKey().references('visit.id').onDelete('cascade'),
    )
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('recommendations', 'text')
    .addColumn('submitted_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('confirmed_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('confirmed_name', 'text')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('enterprise_remarks', 'text')
    .execute()

  // The outcome of each confirmed need item.
  await db.schema
    .createTable('item_outcome')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('confirmed_item_id', 'integer', (c) =>
      c.notNull().unique().references('confirmed_item.id').onDelete('cascade'),
    )
    .addColumn('result', 'text', (c) =>
      c.notNull().check(sql`result in ('solved','partly_solved','not_feasible','transferred')`),
    )
    .addColumn('description', 'text', (c) => c.notNull())
    // Yuan; numeric so sums are exact.
    .addColumn('benefit_yuan', sql`numeric(14,2)`)
    .addColumn('benefit_status', 'text', (c) =>
      c.check(sql`benefit_status in ('estimated','confirmed')`),
    )
    .addColumn('benefit_basis', 'text')
    .addColumn('workers_trained', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('person_times', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('patents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('innovations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('follow_up_needed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('follow_up_note', 'text')
    .addColumn('recorded_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'item_outcome_counts',
      sql`workers_trained >= 0 and person_times >= 0 and patents >= 0 and innovations >= 0`,
    )
    .addCheckConstraint(
      'item_outcome_benefit',
      sql`benefit_yuan is null or (benefit_yuan >= 0 and benefit_status is not null)`,
    )
    .execute()
  await db.schema
    .createIndex('item_outcome_list')
    .on('item_outcome')
    .column('needs_list_id')
    .execute()

  // The enterprise's rating of the service (1-5 per question, and a comment).
  await db.schema
    .createTable('service_rating')
    .addColumn('needs_list_id', 'integer', (c) =>
      c.primaryKey().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('enterprise_id', 'integer', (c) => c.notNull().references('enterprise.id'))
    // { responsiveness: 5, expertise: 4, … }
    .addColumn('scores', 'jsonb', (c) => c.notNull())
    .addColumn('average', sql`numeric(3,2)`, (c) => c.notNull().check(sql`average between 1 and 5`))
    .addColumn('comment', 'text')
    .addColumn('rated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('rated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // When the case closed and how: rating received, or feedback deadline passed.
  await db.schema
    .alterTable('needs_list')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('archived_at', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('needs_list')
    .dropColumn('archived_at')
    .dropColumn('closed_at')
    .execute()
  for (const t of [
    'service_rating',
    'item_outcome',
    'visit_report',
    'follow_up_action',
    'visit_photo',
    'finding',
    'visit_record',
    'plan_item',
    'inspection_plan',
    'visit_member',
    'visit',
    'checklist_template_item',
    'checklist_template',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}

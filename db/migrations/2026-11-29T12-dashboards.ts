import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one instead.
//
// Federation dashboards read summary tables, never hand-kept counters:
// - case_* tables hold facts derived, one case at a time, from the real tables
//   (needs lists, items, outcomes, visits, pairings, ratings, audit events,
//   deadline timers), recomputed whole for every case marked dirty;
// - org_period_* and steward_period_* tables sum those facts per org (every
//   ancestor of the case's org) or steward, and per Beijing calendar month,
//   quarter and year; a refresh takes a dirty case's old contribution out and
//   puts the new one in (db/queries/dashboard/refresh.ts).
// Triggers on the real tables mark cases dirty in the writing transaction, so
// no code path can change a figure without the summaries hearing of it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_fact')
    .addColumn('needs_list_id', 'integer', (c) =>
      c.primaryKey().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('org_id', 'integer', (c) => c.notNull())
    // Org ids from the root down to the case's org (union_org.path as integers).
    .addColumn('ancestor_ids', sql`integer[]`, (c) => c.notNull())
    .addColumn('enterprise_id', 'integer', (c) => c.notNull())
    .addColumn('steward_user_id', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('industry', 'text')
    .addColumn('district', 'text')
    .addColumn('park', 'text')
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    // Distinct categories of the case's items (confirmed ones once confirmed).
    .addColumn('categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('filed_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('agreement_signed_at', 'timestamptz')
    .addColumn('items', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('problems_solved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('partly_solved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expert_participations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('workers_trained', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('benefit_estimated', sql`numeric(16,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('benefit_confirmed', sql`numeric(16,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('rating', sql`numeric(3,2)`)
    .execute()
  await sql`create index case_fact_closed_idx on case_fact (closed_at) where closed_at is not null`.execute(
    db,
  )
  await sql`create index case_fact_filed_idx on case_fact (filed_at) where filed_at is not null`.execute(
    db,
  )
  await sql`create index case_fact_ancestors_idx on case_fact using gin (ancestor_ids)`.execute(db)
  await sql`create index case_fact_steward_idx on case_fact (steward_user_id, closed_at)`.execute(
    db,
  )

  await db.schema
    .createTable('case_item_fact')
    .addColumn('confirmed_item_id', 'integer', (c) => c.primaryKey())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('workers_trained', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('benefit_estimated', sql`numeric(16,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('benefit_confirmed', sql`numeric(16,2)`, (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .createIndex('case_item_fact_list_idx')
    .on('case_item_fact')
    .column('needs_list_id')
    .execute()

  // One row per stay of a case in a workflow state, from the audit trail.
  await db.schema
    .createTable('case_stage_span')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('left_at', 'timestamptz')
    // Whole hours, rounded up (a stay of 10 minutes is 1 hour); null while open.
    .addColumn('hours', 'integer')
    .execute()
  await db.schema
    .createIndex('case_stage_span_list_idx')
    .on('case_stage_span')
    .column('needs_list_id')
    .execute()

  // Every deadline of a case (its own, its invitations', its visits') that is over:
  // met when the stage ended before the breach, missed when the breach fired.
  await db.schema
    .createTable('case_deadline_fact')
    .addColumn('timer_id', 'integer', (c) => c.primaryKey())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz', (c) => c.notNull())
    .addColumn('met', 'boolean', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('case_deadline_fact_list_idx')
    .on('case_deadline_fact')
    .column('needs_list_id')
    .execute()

  await db.schema
    .createTable('dashboard_dirty')
    .addColumn('needs_list_id', 'integer', (c) => c.primaryKey())
    .addColumn('marked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // Summaries are kept per reporting period: every contribution goes to its
  // month ('2026-11'), quarter ('2026-Q4') and year ('2026'), so any period a
  // federation reports on is read as one key, not summed over months.
  const periodCheck = sql`period ~ '^[0-9]{4}(-Q[1-4]|-[0-9]{2})?$'`

  // dim: all (key ''), category, industry, district, park, tag.
  await db.schema
    .createTable('org_period_figures')
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull().check(periodCheck))
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('cases_filed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cases_closed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_closed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('problems_solved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('partly_solved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expert_participations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('workers_trained', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('benefit_estimated', sql`numeric(18,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('benefit_confirmed', sql`numeric(18,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('agreements_signed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating_sum', sql`numeric(14,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('rating_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('org_period_figures_pk', ['org_id', 'period', 'dim', 'key'])
    .execute()
  await db.schema
    .createIndex('org_period_figures_period_idx')
    .on('org_period_figures')
    .column('period')
    .execute()

  // Histogram of finished stays per stage: percentiles to the hour up to three
  // days, to the day beyond (see refresh.ts).
  await db.schema
    .createTable('org_period_stage_hours')
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull().check(periodCheck))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('hours', 'integer', (c) => c.notNull())
    .addColumn('spans', 'integer', (c) => c.notNull())
    .execute()
  // Covering, so the dashboard reads the histogram from the index alone.
  await sql`alter table org_period_stage_hours add constraint org_period_stage_hours_pk
    primary key (org_id, period, stage, hours) include (spans)`.execute(db)
  await db.schema
    .createIndex('org_period_stage_hours_period_idx')
    .on('org_period_stage_hours')
    .column('period')
    .execute()

  await db.schema
    .createTable('org_period_sla')
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull().check(periodCheck))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('resolved', 'integer', (c) => c.notNull())
    .addColumn('met', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_period_sla_pk', ['org_id', 'period', 'stage'])
    .execute()
  await db.schema
    .createIndex('org_period_sla_period_idx')
    .on('org_period_sla')
    .column('period')
    .execute()

  // Enterprises served (distinct, so not a sum): one row per enterprise with a
  // case closed in the period, with how many; the count of rows is the figure.
  await db.schema
    .createTable('org_period_enterprise')
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull().check(periodCheck))
    .addColumn('enterprise_id', 'integer', (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_period_enterprise_pk', ['org_id', 'period', 'enterprise_id'])
    .execute()
  await db.schema
    .createIndex('org_period_enterprise_period_idx')
    .on('org_period_enterprise')
    .column('period')
    .execute()

  // A steward's own record, wherever their cases sit (for 选树优秀管家).
  await db.schema
    .createTable('steward_period_figures')
    .addColumn('steward_user_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull().check(periodCheck))
    .addColumn('cases_closed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating_sum', sql`numeric(14,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('rating_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deadlines_resolved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deadlines_met', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('steward_period_figures_pk', ['steward_user_id', 'period'])
    .execute()
  await db.schema
    .createIndex('steward_period_figures_period_idx')
    .on('steward_period_figures')
    .column('period')
    .execute()

  // A refresh drops rows a case's move left at zero; these tiny partial indexes
  // find them without reading a whole year's rows.
  const zero = (columns: string[]) => sql.raw(columns.map((c) => `${c} = 0`).join(' and '))
  const emptyIndexes: [string, string[]][] = [
    [
      'org_period_figures',
      [
        'cases_filed',
        'cases_closed',
        'items_closed',
        'problems_solved',
        'partly_solved',
        'expert_participations',
        'workers_trained',
        'benefit_estimated',
        'benefit_confirmed',
        'agreements_signed',
        'rating_sum',
        'rating_count',
      ],
    ],
    ['org_period_stage_hours', ['spans']],
    ['org_period_sla', ['resolved']],
    ['org_period_enterprise', ['cases']],
    [
      'steward_period_figures',
      ['cases_closed', 'rating_sum', 'rating_count', 'deadlines_resolved', 'deadlines_met'],
    ],
  ]
  for (const [table, columns] of emptyIndexes) {
    await sql`create index ${sql.raw(`${table}_empty_idx`)} on ${sql.table(table)} (period)
      where ${zero(columns)}`.execute(db)
  }

  // When each touched month was last recomputed ("figures as of").
  await db.schema
    .createTable('dashboard_refresh')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('refreshed_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('org_target')
    .addColumn('org_id', 'integer', (c) =>
      c.notNull().references('union_org.id').onDelete('cascade'),
    )
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('value', sql`numeric(18,2)`, (c) => c.notNull().check(sql`value >= 0`))
    .addColumn('updated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('org_target_pk', ['org_id', 'year', 'metric'])
    .execute()

  // Lists filter and sort on these.
  await sql`create index needs_list_submitted_idx on needs_list (submitted_at)`.execute(db)
  await sql`create index needs_list_closed_idx on needs_list (closed_at) where closed_at is not null`.execute(
    db,
  )
  await sql`create index needs_list_due_idx on needs_list (due_at) where due_at is not null`.execute(
    db,
  )
  await sql`create index item_outcome_list_idx on item_outcome (needs_list_id)`.execute(db)
  await sql`create index pairing_expert_idx on pairing (expert_id, created_at)`.execute(db)
  // The dashboard's overdue list: deadlines passed while still waiting.
  await sql`create index invitation_pending_due_idx on invitation (due_at) where status = 'pending'`.execute(
    db,
  )
  await sql`create index visit_due_idx on visit (due_at) where due_at is not null`.execute(db)
  // Facts of one case look up all its timers, not only pending ones.
  await sql`create index workflow_timer_workflow_idx on workflow_timer (workflow_id)`.execute(db)
  // Recomputing a month finds its stays, deadlines and agreements by time.
  await sql`create index case_stage_span_left_idx on case_stage_span (left_at) where left_at is not null`.execute(
    db,
  )
  await sql`create index case_deadline_fact_resolved_idx on case_deadline_fact (resolved_at)`.execute(
    db,
  )
  await sql`create index case_fact_signed_idx on case_fact (agreement_signed_at) where agreement_signed_at is not null`.execute(
    db,
  )

  // Dirty marking. One function per way a table leads to its case.
  await sql`
    create function dashboard_mark(list_id integer) returns void language sql as $$
      insert into dashboard_dirty (needs_list_id) values (list_id)
      on conflict (needs_list_id) do nothing
    $$`.execute(db)
  await sql`
    create function dashboard_mark_by_list_id() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        perform dashboard_mark(old.needs_list_id);
        return old;
      end if;
      perform dashboard_mark(new.needs_list_id);
      if tg_op = 'UPDATE' and old.needs_list_id <> new.needs_list_id then
        perform dashboard_mark(old.needs_list_id);
      end if;
      return new;
    end $$`.execute(db)
  for (const table of [
    'confirmed_item',
    'need_item',
    'item_outcome',
    'service_rating',
    'visit',
    'pairing',
    'agreement',
  ]) {
    await sql`
      create trigger ${sql.raw(`${table}_dashboard_dirty`)}
      after insert or update or delete on ${sql.table(table)}
      for each row execute function dashboard_mark_by_list_id()`.execute(db)
  }
  await sql`
    create function dashboard_mark_needs_list() returns trigger language plpgsql as $$
    begin
      perform dashboard_mark(new.id);
      return new;
    end $$`.execute(db)
  await sql`
    create trigger needs_list_dashboard_dirty after insert or update on needs_list
    for each row execute function dashboard_mark_needs_list()`.execute(db)
  await sql`
    create function dashboard_mark_event() returns trigger language plpgsql as $$
    begin
      if new.subject_type = 'needs_list' then
        perform dashboard_mark(new.subject_id);
      end if;
      return new;
    end $$`.execute(db)
  await sql`
    create trigger workflow_event_dashboard_dirty after insert on workflow_event
    for each row execute function dashboard_mark_event()`.execute(db)
  await sql`
    create function dashboard_mark_timer() returns trigger language plpgsql as $$
    declare
      subject record;
    begin
      select subject_type, subject_id into subject from workflow_instance where id = new.workflow_id;
      if subject.subject_type = 'needs_list' then
        perform dashboard_mark(subject.subject_id);
      elsif subject.subject_type = 'invitation' then
        perform dashboard_mark(needs_list_id) from invitation where id = subject.subject_id;
      elsif subject.subject_type = 'visit' then
        perform dashboard_mark(needs_list_id) from visit where id = subject.subject_id;
      end if;
      return new;
    end $$`.execute(db)
  await sql`
    create trigger workflow_timer_dashboard_dirty after insert or update on workflow_timer
    for each row execute function dashboard_mark_timer()`.execute(db)
  await sql`
    create function dashboard_mark_visit_member() returns trigger language plpgsql as $$
    begin
      perform dashboard_mark(needs_list_id) from visit
       where id = case when tg_op = 'DELETE' then old.visit_id else new.visit_id end;
      return null;
    end $$`.execute(db)
  await sql`
    create trigger visit_member_dashboard_dirty after insert or update or delete on visit_member
    for each row execute function dashboard_mark_visit_member()`.execute(db)
  await sql`
    create function dashboard_mark_enterprise() returns trigger language plpgsql as $$
    begin
      if (old.industry, old.district, old.park, old.tags, old.org_id)
         is distinct from (new.industry, new.district, new.park, new.tags, new.org_id) then
        perform dashboard_mark(id) from needs_list where enterprise_id = new.id;
      end if;
      return new;
    end $$`.execute(db)
  await sql`
    create trigger enterprise_dashboard_dirty after update on enterprise
    for each row execute function dashboard_mark_enterprise()`.execute(db)
}

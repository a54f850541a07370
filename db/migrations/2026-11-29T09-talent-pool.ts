import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one instead.
export async function up(db: Kysely<any>): Promise<void> {
  // The talent pool (人才库): model workers and master craftsmen who volunteer.
  await db.schema
    .createTable('expert')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // The union that manages the profile; coordinators of its subtree edit it.
    .addColumn('org_id', 'integer', (c) => c.notNull().references('union_org.id'))
    // The expert's own sign-in, when they have one (they then edit their own profile).
    .addColumn('user_id', 'integer', (c) =>
      c.unique().references('app_user.id').onDelete('set null'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('gender', 'text', (c) => c.check(sql`gender in ('male','female')`))
    // The mobile identifies a person across imports: re-importing updates.
    .addColumn('mobile', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text')
    .addColumn('employer', 'text')
    .addColumn('job_title', 'text')
    .addColumn('grade', 'text')
    .addColumn('districts', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('parks', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    // ISO weekdays (1 = Monday) the expert can usually serve.
    .addColumn('weekdays', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{1,2,3,4,5}'`))
    .addColumn('capacity', 'integer', (c) =>
      c.notNull().defaultTo(2).check(sql`capacity between 1 and 20`),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active','paused')`),
    )
    .addColumn('bio', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('expert_org').on('expert').columns(['org_id', 'id']).execute()

  await db.schema
    .createTable('expert_honour')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('expert_id', 'integer', (c) =>
      c.notNull().references('expert.id').onDelete('cascade'),
    )
    // One of HONOUR_TYPES (workflows/talent/honours.ts).
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) =>
      c.notNull().check(sql`level in ('national','provincial','city','district','enterprise')`),
    )
    .addColumn('year', 'integer', (c) => c.check(sql`year between 1950 and 2100`))
    .addUniqueConstraint('expert_honour_once', ['expert_id', 'type', 'level', 'year'], (c) =>
      c.nullsNotDistinct(),
    )
    .execute()

  await db.schema
    .createTable('expert_skill')
    .addColumn('expert_id', 'integer', (c) =>
      c.notNull().references('expert.id').onDelete('cascade'),
    )
    .addColumn('skill_id', 'integer', (c) => c.notNull().references('skill.id'))
    .addColumn('proficiency', 'integer', (c) => c.notNull().check(sql`proficiency between 1 and 5`))
    .addPrimaryKeyConstraint('expert_skill_pk', ['expert_id', 'skill_id'])
    .execute()
  await db.schema
    .createIndex('expert_skill_by_skill')
    .on('expert_skill')
    .columns(['skill_id', 'expert_id'])
    .execute()

  // Days the expert cannot serve, whatever the weekly pattern says ('YYYY-MM-DD', inclusive).
  await db.schema
    .createTable('expert_blackout')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('expert_id', 'integer', (c) =>
      c.notNull().references('expert.id').onDelete('cascade'),
    )
    .addColumn('starts_on', 'text', (c) =>
      c.notNull().check(sql`starts_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
    )
    .addColumn('ends_on', 'text', (c) =>
      c.notNull().check(sql`ends_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
    )
    .addColumn('note', 'text')
    .addCheckConstraint('expert_blackout_order', sql`starts_on <= ends_on`)
    .execute()
  await db.schema
    .createIndex('expert_blackout_expert')
    .on('expert_blackout')
    .column('expert_id')
    .execute()

  // Service teams (服务队/小分队), matched as one unit; the leader answers for the team.
  await db.schema
    .createTable('service_team')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('union_org.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('leader_expert_id', 'integer', (c) => c.notNull().references('expert.id'))
    .addColumn('capacity', 'integer', (c) =>
      c.notNull().defaultTo(1).check(sql`capacity between 1 and 20`),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active','paused')`),
    )
    .addColumn('bio', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('service_team_name', ['org_id', 'name'])
    .execute()
  await db.schema
    .createTable('service_team_member')
    .addColumn('team_id', 'integer', (c) =>
      c.notNull().references('service_team.id').onDelete('cascade'),
    )
    .addColumn('expert_id', 'integer', (c) =>
      c.notNull().references('expert.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('service_team_member_pk', ['team_id', 'expert_id'])
    .execute()

  // Enterprises' ratings of an expert's past service (1-5); matching weighs their average.
  await db.schema
    .createTable('expert_rating')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('expert_id', 'integer', (c) =>
      c.notNull().references('expert.id').onDelete('cascade'),
    )
    .addColumn('enterprise_id', 'integer', (c) => c.notNull().references('enterprise.id'))
    .addColumn('needs_list_id', 'integer', (c) => c.references('needs_list.id'))
    .addColumn('score', sql`numeric(3,2)`, (c) => c.notNull().check(sql`score between 1 and 5`))
    .addColumn('rated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('expert_rating_expert')
    .on('expert_rating')
    .columns(['expert_id', 'enterprise_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'expert_rating',
    'service_team_member',
    'service_team',
    'expert_blackout',
    'expert_skill',
    'expert_honour',
    'expert',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}

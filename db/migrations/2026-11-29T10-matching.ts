import { type Kysely, sql } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one instead.
export async function up(db: Kysely<any>): Promise<void> {
  // Matching weights per org; an org without a row inherits its nearest ancestor's.
  await db.schema
    .createTable('matching_weights')
    .addColumn('org_id', 'integer', (c) =>
      c.primaryKey().references('union_org.id').onDelete('cascade'),
    )
    .addColumn('weights', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // One run of the matching engine over a case: its total and the items it left unfilled.
  await db.schema
    .createTable('matching_run')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('total_score', sql`double precision`, (c) => c.notNull())
    // [{ itemId, missing, reason, detail }]: why an item is not (fully) filled.
    .addColumn('unfilled', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'`))
    .addColumn('stats', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('matching_run_list')
    .on('matching_run')
    .columns(['needs_list_id', 'id'])
    .execute()

  // The resource list (资源清单): one row per proposed expert or team per confirmed item.
  await db.schema
    .createTable('resource_proposal')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('confirmed_item_id', 'integer', (c) =>
      c.notNull().references('confirmed_item.id').onDelete('cascade'),
    )
    .addColumn('expert_id', 'integer', (c) => c.references('expert.id'))
    .addColumn('team_id', 'integer', (c) => c.references('service_team.id'))
    .addColumn('run_id', 'integer', (c) => c.references('matching_run.id').onDelete('set null'))
    .addColumn('score', sql`double precision`, (c) => c.notNull())
    // The scoring factors behind the score, rendered as an explanation in the UI language.
    .addColumn('factors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'`))
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('engine','pinned','replacement','volunteer','manual')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('proposed')
        .check(
          sql`status in ('proposed','invited','accepted','declined','lapsed','withdrawn','superseded')`,
        ),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'resource_proposal_one_candidate',
      sql`num_nonnulls(expert_id, team_id) = 1`,
    )
    .execute()
  await db.schema
    .createIndex('resource_proposal_list')
    .on('resource_proposal')
    .columns(['needs_list_id', 'confirmed_item_id'])
    .execute()
  await db.schema
    .createIndex('resource_proposal_expert')
    .on('resource_proposal')
    .columns(['expert_id', 'status'])
    .execute()

  // The steward's pins and exclusions, respected by every later run.
  await db.schema
    .createTable('match_constraint')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('confirmed_item_id', 'integer', (c) =>
      c.notNull().references('confirmed_item.id').onDelete('cascade'),
    )
    .addColumn('expert_id', 'integer', (c) => c.references('expert.id'))
    .addColumn('team_id', 'integer', (c) => c.references('service_team.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('pin','exclude')`))
    .addColumn('reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('match_constraint_one_candidate', sql`num_nonnulls(expert_id, team_id) = 1`)
    .addUniqueConstraint(
      'match_constraint_once',
      ['confirmed_item_id', 'expert_id', 'team_id'],
      (c) => c.nullsNotDistinct(),
    )
    .execute()

  // An invitation to one expert (or a team's leader) for one item; its own workflow.
  await db.schema
    .createTable('invitation')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('proposal_id', 'integer', (c) =>
      c.notNull().unique().references('resource_proposal.id').onDelete('cascade'),
    )
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('confirmed_item_id', 'integer', (c) =>
      c.notNull().references('confirmed_item.id').onDelete('cascade'),
    )
    // The invitee: the expert, or the team's leader answering for the team.
    .addColumn('expert_id', 'integer', (c) => c.notNull().references('expert.id'))
    .addColumn('team_id', 'integer', (c) => c.references('service_team.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('reason', 'text')
    .addColumn('due_at', 'timestamptz')
    .addColumn('responded_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('invitation_expert')
    .on('invitation')
    .columns(['expert_id', 'status'])
    .execute()
  await db.schema.createIndex('invitation_list').on('invitation').column('needs_list_id').execute()

  // The pairing meeting (专项会议) of a case, where the one-to-one pairing is confirmed.
  await db.schema
    .createTable('pairing_meeting')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().unique().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('held_at', 'timestamptz', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    // [{ name, role }]
    .addColumn('attendees', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'`))
    .addColumn('notes', 'text')
    .addColumn('recorded_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // The one-to-one pairing (一一配对): an accepted invitation confirmed at the meeting.
  await db.schema
    .createTable('pairing')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('confirmed_item_id', 'integer', (c) =>
      c.notNull().references('confirmed_item.id').onDelete('cascade'),
    )
    .addColumn('invitation_id', 'integer', (c) =>
      c.notNull().unique().references('invitation.id').onDelete('cascade'),
    )
    .addColumn('expert_id', 'integer', (c) => c.notNull().references('expert.id'))
    .addColumn('team_id', 'integer', (c) => c.references('service_team.id'))
    // What the meeting decided for this pair.
    .addColumn('decision', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('pairing_list').on('pairing').column('needs_list_id').execute()

  // The pairing service agreement (结对服务协议), generated from the pairing.
  await db.schema
    .createTable('agreement')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().unique().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('term_start', 'text', (c) => c.notNull())
    .addColumn('term_end', 'text', (c) => c.notNull())
    // The parties and items as generated, so the printed text does not drift.
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('generated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('agreement_confirmation')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('agreement_id', 'integer', (c) =>
      c.notNull().references('agreement.id').onDelete('cascade'),
    )
    .addColumn('party', 'text', (c) =>
      c.notNull().check(sql`party in ('enterprise','expert','steward')`),
    )
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('expert_id', 'integer', (c) => c.references('expert.id'))
    .addColumn('confirmed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('agreement_confirmation_once', ['agreement_id', 'party', 'user_id'])
    .execute()

  // Open challenges (揭榜挂帅): a need item published for experts to volunteer for.
  await db.schema
    .createTable('open_challenge')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('confirmed_item_id', 'integer', (c) =>
      c.notNull().unique().references('confirmed_item.id').onDelete('cascade'),
    )
    .addColumn('needs_list_id', 'integer', (c) =>
      c.notNull().references('needs_list.id').onDelete('cascade'),
    )
    .addColumn('org_id', 'integer', (c) => c.notNull().references('union_org.id'))
    .addColumn('note', 'text')
    .addColumn('closes_on', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open','closed')`),
    )
    .addColumn('published_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('challenge_volunteer')
    .addColumn('challenge_id', 'integer', (c) =>
      c.notNull().references('open_challenge.id').onDelete('cascade'),
    )
    .addColumn('expert_id', 'integer', (c) =>
      c.notNull().references('expert.id').onDelete('cascade'),
    )
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('challenge_volunteer_pk', ['challenge_id', 'expert_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'challenge_volunteer',
    'open_challenge',
    'agreement_confirmation',
    'agreement',
    'pairing',
    'pairing_meeting',
    'invitation',
    'match_constraint',
    'resource_proposal',
    'matching_run',
    'matching_weights',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}

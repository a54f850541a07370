import type { Kysely } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one instead.
export async function up(db: Kysely<any>): Promise<void> {
  // A proposal, comment or approval is about one saved edit revision of the
  // confirmed needs; this names it (null for edits themselves).
  await db.schema.alterTable('needs_revision').addColumn('subject_revision', 'integer').execute()
  await db.schema
    .createIndex('needs_revision_list_kind')
    .on('needs_revision')
    .columns(['needs_list_id', 'kind', 'revision'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('needs_revision_list_kind').ifExists().execute()
  await db.schema.alterTable('needs_revision').dropColumn('subject_revision').execute()
}

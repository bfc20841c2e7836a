"""the comments' words by office (PostgreSQL): a comment search in some offices' tickets
reads only those offices' matches.

PostgreSQL's comment search used a GIN index on the words of ``ticket_events``
(0012). A common word in one kelurahan's tickets had to fetch every match in the city
(37,000 rows of the wide events table for "unggah ulang") to keep the few hundred of that
office. Now the words live in a narrow table of their own, ``comment_words``, and hold
lexemes of the ticket's office too, which no text the ``simple`` parser reads yields:
``#<id>`` for the office itself and ``@<id>`` for it and each office above it (kelurahan,
kecamatan, kota). A search within a scope of offices asks the GIN index for the words AND
the scope's lexemes: ``@<id>`` of each whole subtree in it (one lexeme for an officer,
whose scope is their office and those below), ``#<id>`` of an office without all of its
own below (hub.search.service); the index answers it alone. Offices are seeded and never
moved in the tree while the hub runs (hub.offices); a move would need this table rebuilt.
The database keeps the table:

- a comment or internal note inserted → its row (the offices read from its ticket);
- its body edited or withdrawn → its words again;
- a ticket moved to another office (transfer) → the office lexemes of its rows;
- an event deleted → its row goes with it (foreign key, ``ON DELETE CASCADE``).

SQLite is unchanged: its FTS5 table ``comment_fts`` (0012) stays what it searches.

Revision ID: 0014_comment_words
Revises: 0013_search_indexes
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_comment_words"
down_revision: str | None = "0013_search_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The words of an event's body (the ``simple`` configuration: no stemming).
_BODY = "to_tsvector('simple', coalesce({row}payload->>'body', ''))"
_KINDS = "('comment', 'internal_note')"

PG = [
    """CREATE FUNCTION comment_words_offices(office BIGINT) RETURNS tsvector
       LANGUAGE plpgsql STABLE AS $$
       DECLARE
         lexemes TEXT[] := ARRAY['#' || office];
         here BIGINT := office;
         depth INT := 0;
       BEGIN
         WHILE here IS NOT NULL AND depth < 32 LOOP
           lexemes := lexemes || ('@' || here);
           SELECT parent_id INTO here FROM offices WHERE id = here;
           depth := depth + 1;
         END LOOP;
         RETURN array_to_tsvector(lexemes);
       END $$""",
    """CREATE TABLE comment_words (
         event_id BIGINT PRIMARY KEY REFERENCES ticket_events (id) ON DELETE CASCADE,
         kind VARCHAR(32) NOT NULL,
         words TSVECTOR NOT NULL
       )""",
    f"""INSERT INTO comment_words (event_id, kind, words)
        WITH lexemes AS (SELECT id, comment_words_offices(id) AS lx FROM offices)
        SELECT e.id, e.kind, {_BODY.format(row="e.")} || l.lx
        FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
        JOIN lexemes l ON l.id = t.office_id
        WHERE e.kind IN {_KINDS}""",
    "CREATE INDEX ix_comment_words_words ON comment_words USING gin (words)",
    f"""CREATE FUNCTION comment_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO comment_words (event_id, kind, words)
          SELECT NEW.id, NEW.kind,
                 {_BODY.format(row="NEW.")} || comment_words_offices(t.office_id)
          FROM tickets t WHERE t.id = NEW.ticket_id;
          RETURN NULL;
        END $$""",
    f"""CREATE FUNCTION comment_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE comment_words
          SET words = {_BODY.format(row="NEW.")} || comment_words_offices(t.office_id)
          FROM tickets t WHERE t.id = NEW.ticket_id AND comment_words.event_id = NEW.id;
          RETURN NULL;
        END $$""",
    f"""CREATE FUNCTION comment_words_move() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE comment_words
          SET words = ts_delete(words, tsvector_to_array(comment_words_offices(OLD.office_id)))
                      || comment_words_offices(NEW.office_id)
          WHERE event_id IN (
            SELECT id FROM ticket_events WHERE ticket_id = NEW.id AND kind IN {_KINDS}
          );
          RETURN NULL;
        END $$""",
    f"""CREATE TRIGGER comment_words_insert AFTER INSERT ON ticket_events
        FOR EACH ROW WHEN (NEW.kind IN {_KINDS}) EXECUTE FUNCTION comment_words_insert()""",
    f"""CREATE TRIGGER comment_words_update AFTER UPDATE OF payload ON ticket_events
        FOR EACH ROW WHEN (NEW.kind IN {_KINDS}) EXECUTE FUNCTION comment_words_update()""",
    """CREATE TRIGGER comment_words_move AFTER UPDATE OF office_id ON tickets
        FOR EACH ROW WHEN (OLD.office_id IS DISTINCT FROM NEW.office_id)
        EXECUTE FUNCTION comment_words_move()""",
    "DROP INDEX IF EXISTS ix_ticket_events_comment_tsv",
    "ANALYZE comment_words",
]

PG_DOWN = [
    "DROP TRIGGER IF EXISTS comment_words_move ON tickets",
    "DROP TRIGGER IF EXISTS comment_words_update ON ticket_events",
    "DROP TRIGGER IF EXISTS comment_words_insert ON ticket_events",
    "DROP FUNCTION IF EXISTS comment_words_move()",
    "DROP FUNCTION IF EXISTS comment_words_update()",
    "DROP FUNCTION IF EXISTS comment_words_insert()",
    "DROP TABLE IF EXISTS comment_words",
    "DROP FUNCTION IF EXISTS comment_words_offices(BIGINT)",
    f"""CREATE INDEX ix_ticket_events_comment_tsv ON ticket_events
        USING gin ({_BODY.format(row="")}) WHERE kind IN {_KINDS}""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_DOWN:
            op.execute(statement)

"""Regenerate the Rails ``db/structure.sql`` history of "shelfmate", a fictional book-lending app.

Usage::

    ARCHKIT_PG_DSN=postgresql://postgres@127.0.0.1:5432/test \\
        python tests/migrations/data/rails_structure/generate.py

Each of the eight releases is a group of migrations (the SQL Rails would run for them)
applied on top of the previous release in one scratch database; after each release the real
``pg_dump --schema-only --no-owner --no-privileges`` writes ``<n>.sql`` here, followed by the
``schema_migrations`` INSERT that Rails appends. The files are what ``rails db:schema:dump``
would leave in git, so ``tests/migrations/test_rails_structure.py`` can diff consecutive ones.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).parent

# (migration version, what it does); each inner list is one release.
RELEASES: list[list[tuple[str, str]]] = [
    [  # 1: members and their books
        ("20240105090000", """
            CREATE EXTENSION IF NOT EXISTS citext;
            CREATE EXTENSION IF NOT EXISTS pgcrypto;
            CREATE TABLE members (
                id bigserial PRIMARY KEY,
                email citext NOT NULL,
                display_name character varying NOT NULL,
                created_at timestamp(6) without time zone NOT NULL,
                updated_at timestamp(6) without time zone NOT NULL);
            CREATE UNIQUE INDEX index_members_on_email ON members (email);
        """),
        ("20240105090100", """
            CREATE TABLE books (
                id bigserial PRIMARY KEY,
                owner_id bigint NOT NULL,
                title character varying NOT NULL,
                author character varying,
                isbn character varying(13),
                created_at timestamp(6) without time zone NOT NULL,
                updated_at timestamp(6) without time zone NOT NULL);
            CREATE INDEX index_books_on_owner_id ON books (owner_id);
            ALTER TABLE books ADD CONSTRAINT fk_rails_6f3a1b9c20
                FOREIGN KEY (owner_id) REFERENCES members (id);
            CREATE TABLE book_tags (
                id bigserial PRIMARY KEY,
                book_id bigint NOT NULL,
                tag character varying NOT NULL);
            CREATE INDEX index_book_tags_on_book_id_and_tag ON book_tags (book_id, tag);
        """),
    ],
    [  # 2: loans, with a status enum and a trigger that keeps updated_at
        ("20240212101500", """
            CREATE TYPE loan_status AS ENUM ('requested', 'active', 'returned');
            CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.updated_at := now();
              RETURN NEW;
            END;
            $$;
            CREATE TABLE loans (
                id bigserial PRIMARY KEY,
                book_id bigint NOT NULL REFERENCES books (id) ON DELETE CASCADE,
                borrower_id bigint NOT NULL,
                status loan_status DEFAULT 'requested' NOT NULL,
                due_on date,
                created_at timestamp(6) without time zone NOT NULL,
                updated_at timestamp(6) without time zone NOT NULL);
            ALTER TABLE loans RENAME CONSTRAINT loans_book_id_fkey TO fk_rails_1d2c7a4e55;
            ALTER TABLE loans ADD CONSTRAINT fk_rails_90b1e2f3aa
                FOREIGN KEY (borrower_id) REFERENCES members (id);
            CREATE INDEX index_loans_on_borrower_id ON loans (borrower_id);
            CREATE UNIQUE INDEX index_loans_one_active_per_book ON loans (book_id)
                WHERE status = 'active';
            CREATE TRIGGER loans_touch_updated_at BEFORE UPDATE ON loans
                FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
        """),
    ],
    [  # 3: full-text and fuzzy search over books
        ("20240320143000", """
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            ALTER TABLE books ADD COLUMN search_vector tsvector;
            CREATE FUNCTION books_search_vector_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.search_vector :=
                setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A') ||
                setweight(to_tsvector('simple', coalesce(NEW.author, '')), 'B');
              RETURN NEW;
            END;
            $$;
            CREATE TRIGGER books_search_vector_refresh BEFORE INSERT OR UPDATE OF title, author
                ON books FOR EACH ROW EXECUTE FUNCTION books_search_vector_refresh();
            CREATE INDEX index_books_on_search_vector ON books USING gin (search_vector);
            CREATE INDEX index_books_on_title_trgm ON books USING gin (title gin_trgm_ops);
        """),
        ("20240320143100", """
            CREATE TRIGGER books_touch_updated_at BEFORE UPDATE ON books
                FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
        """),
    ],
    [  # 4: author renamed, public ids, a materialized view of popular books
        ("20240502080000", """
            ALTER TABLE books RENAME COLUMN author TO author_name;
            DROP TRIGGER books_search_vector_refresh ON books;
            CREATE OR REPLACE FUNCTION books_search_vector_refresh() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              NEW.search_vector :=
                setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A') ||
                setweight(to_tsvector('simple', coalesce(NEW.author_name, '')), 'B');
              RETURN NEW;
            END;
            $$;
            CREATE TRIGGER books_search_vector_refresh BEFORE INSERT OR UPDATE OF title,
                author_name ON books FOR EACH ROW EXECUTE FUNCTION books_search_vector_refresh();
        """),
        ("20240502081500", """
            ALTER TABLE members ADD COLUMN public_id uuid DEFAULT gen_random_uuid() NOT NULL;
            CREATE UNIQUE INDEX index_members_on_public_id ON members (public_id);
        """),
        ("20240502083000", """
            CREATE MATERIALIZED VIEW popular_books AS
                SELECT books.id AS book_id, books.title, count(loans.id) AS loans_count
                FROM books LEFT JOIN loans ON loans.book_id = books.id
                GROUP BY books.id, books.title;
            CREATE UNIQUE INDEX index_popular_books_on_book_id ON popular_books (book_id);
        """),
    ],
    [  # 5: reviews (an identity key, as newer Rails writes), tags go, loans can be overdue
        ("20240618120000", """
            CREATE TABLE reviews (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                book_id bigint NOT NULL,
                member_id bigint NOT NULL,
                rating smallint NOT NULL,
                body text,
                created_at timestamp(6) without time zone NOT NULL,
                updated_at timestamp(6) without time zone NOT NULL,
                CONSTRAINT rating_between_1_and_5 CHECK (rating BETWEEN 1 AND 5));
            CREATE UNIQUE INDEX index_reviews_on_book_id_and_member_id
                ON reviews (book_id, member_id);
            CREATE INDEX index_reviews_on_member_id ON reviews (member_id);
            ALTER TABLE reviews ADD CONSTRAINT fk_rails_4c1e0a7b21
                FOREIGN KEY (book_id) REFERENCES books (id) ON DELETE CASCADE;
            ALTER TABLE reviews ADD CONSTRAINT fk_rails_8e2d5f6c33
                FOREIGN KEY (member_id) REFERENCES members (id);
            CREATE TRIGGER reviews_touch_updated_at BEFORE UPDATE ON reviews
                FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
        """),
        ("20240618121000", "DROP TABLE book_tags;"),
        ("20240618122000", "ALTER TYPE loan_status ADD VALUE 'overdue' AFTER 'active';"),
    ],
    [  # 6: overdue loans are found fast, members get a role, the view counts reviews
        ("20240801070000", """
            CREATE INDEX index_loans_on_due_on_active ON loans (due_on)
                WHERE status = 'active' AND due_on IS NOT NULL;
            ALTER TABLE members ADD COLUMN role character varying DEFAULT 'reader' NOT NULL;
            ALTER TABLE members ADD CONSTRAINT members_role_known
                CHECK (role IN ('reader', 'librarian', 'admin'));
            COMMENT ON TABLE books IS 'A book a member lends to others';
        """),
        ("20240801071000", """
            CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW IS DISTINCT FROM OLD THEN
                NEW.updated_at := now();
              END IF;
              RETURN NEW;
            END;
            $$;
            DROP MATERIALIZED VIEW popular_books;
            CREATE MATERIALIZED VIEW popular_books AS
                SELECT books.id AS book_id, books.title, count(DISTINCT loans.id) AS loans_count,
                       avg(reviews.rating) AS average_rating
                FROM books LEFT JOIN loans ON loans.book_id = books.id
                LEFT JOIN reviews ON reviews.book_id = books.id
                GROUP BY books.id, books.title;
            CREATE UNIQUE INDEX index_popular_books_on_book_id ON popular_books (book_id);
        """),
    ],
    [  # 7: room bookings that must not overlap, invoice numbers, a view for the shelf page
        ("20240915100000", """
            CREATE EXTENSION IF NOT EXISTS btree_gist;
            CREATE TABLE room_bookings (
                id bigserial PRIMARY KEY,
                member_id bigint NOT NULL REFERENCES members (id),
                room character varying NOT NULL,
                during tsrange NOT NULL,
                CONSTRAINT room_bookings_no_overlap
                    EXCLUDE USING gist (room WITH =, during WITH &&));
            CREATE SEQUENCE invoice_numbers AS integer START WITH 1000;
            ALTER TABLE members ADD COLUMN invoice_number integer
                DEFAULT nextval('invoice_numbers') NOT NULL;
            COMMENT ON COLUMN members.role IS 'reader, librarian or admin';
            CREATE INDEX index_reviews_on_body_tsv ON reviews
                USING gin (to_tsvector('english', coalesce(body, '')));
            CREATE STATISTICS loans_book_status_stats ON book_id, status FROM loans;
        """),
        ("20240915101000", """
            ALTER TABLE books ALTER COLUMN isbn TYPE character varying(17);
            CREATE VIEW shelf_entries AS
                SELECT books.id, books.title, books.isbn, members.display_name AS owner_name
                FROM books JOIN members ON members.id = books.owner_id;
        """),
    ],
    [  # 8: isbn widened under the view, fuzzy title search dropped, overdue loans by a function
        ("20241020090000", """
            DROP VIEW shelf_entries;
            ALTER TABLE books ALTER COLUMN isbn TYPE text;
            CREATE VIEW shelf_entries AS
                SELECT books.id, books.title, books.isbn, members.display_name AS owner_name
                FROM books JOIN members ON members.id = books.owner_id;
        """),
        ("20241020091000", """
            DROP INDEX index_books_on_title_trgm;
            DROP EXTENSION pg_trgm;
            DROP TRIGGER reviews_touch_updated_at ON reviews;
        """),
        ("20241020092000", """
            CREATE FUNCTION loan_is_late(due date, state loan_status) RETURNS boolean
                LANGUAGE sql IMMUTABLE AS $$ SELECT state = 'active' AND due < DATE '2100-01-01' $$;
            CREATE INDEX index_loans_late ON loans (book_id) WHERE loan_is_late(due_on, status);
        """),
    ],
]

RAILS_TABLES = """
    CREATE TABLE schema_migrations (version character varying NOT NULL PRIMARY KEY);
    CREATE TABLE ar_internal_metadata (
        key character varying NOT NULL PRIMARY KEY,
        value character varying,
        created_at timestamp(6) without time zone NOT NULL,
        updated_at timestamp(6) without time zone NOT NULL);
"""


def psql(dsn: str, sql: str) -> None:
    """Run ``sql`` with psql, stopping at the first error."""
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", dsn],
                   input=sql, text=True, check=True)


def dump(dsn: str, versions: list[str]) -> str:
    """The structure.sql Rails writes: pg_dump's schema, then the migration versions."""
    out = subprocess.run(["pg_dump", "--schema-only", "--no-owner", "--no-privileges", dsn],
                         text=True, check=True, capture_output=True).stdout
    # pg_dump 15.14+ brackets its output in \restrict <random key>; Rails removes those lines
    out = re.sub(r"(?m)^\\(?:un)?restrict .*\n", "", out)
    values = ",\n".join(f"('{v}')" for v in sorted(versions, reverse=True))
    return (f"{out.rstrip()}\n\nSET search_path TO \"$user\", public;\n\n"
            f"INSERT INTO \"schema_migrations\" (version) VALUES\n{values};\n\n")


def generate(dsn: str) -> list[Path]:
    """Apply each release in a scratch database and write ``1.sql``, ``2.sql``… beside this file."""
    name = f"archkit_rails_gen_{secrets.token_hex(4)}"
    db = urlparse(dsn)._replace(path=f"/{name}").geturl()
    psql(dsn, f'CREATE DATABASE "{name}"')
    written, versions = [], []
    try:
        psql(db, RAILS_TABLES)
        for n, release in enumerate(RELEASES, 1):
            for version, sql in release:
                psql(db, f"BEGIN;\n{sql}\nINSERT INTO schema_migrations VALUES ('{version}');\n"
                         "COMMIT;\n")
                versions.append(version)
            path = HERE / f"{n}.sql"
            path.write_text(dump(db, versions), encoding="utf-8")
            written.append(path)
    finally:
        psql(dsn, f'DROP DATABASE IF EXISTS "{name}"')
    return written


if __name__ == "__main__":
    target = os.environ.get("ARCHKIT_PG_DSN")
    if not target:
        sys.exit("set ARCHKIT_PG_DSN, e.g. postgresql://postgres@127.0.0.1:5432/test")
    for p in generate(target):
        print(p.relative_to(HERE.parent.parent.parent.parent))

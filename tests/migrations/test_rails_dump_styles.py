"""What real Rails ``db/structure.sql`` histories do that a hand-written schema rarely does,
proved on PostgreSQL: diff(a, b).up takes a to b, down takes it back.

The schemas are written here, small, in pg_dump's style: an UNLOGGED table and storage
parameters (``WITH (fillfactor='90')``, as the que gem's tables have), and a dump made by an
older pg_dump that names the plpgsql extension next to one made by a newer that does not.
"""

from __future__ import annotations

import pytest

from archkit.migrations.diff import diff_sql
from archkit.migrations.verify import apply_schema, apply_sql, as_script, reset
from archkit.schema.engines import sandbox

STORAGE = ("SELECT c.relname, c.relpersistence::text, c.relreplident::text, "
           "(SELECT string_agg(i.indexrelid::regclass::text, ',') FROM pg_index i "
           "WHERE i.indrelid = c.oid AND i.indisclustered), coalesce((SELECT string_agg(o, ',' "
           "ORDER BY o) FROM unnest(c.reloptions) o), '') FROM pg_class c "
           "JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')")
EXTENSIONS = "SELECT extname FROM pg_extension"
NOT_VALID = ("SELECT conrelid::regclass::text, conname FROM pg_constraint "
             "WHERE NOT convalidated AND conrelid <> 0")
COMMENTS = ("SELECT d.classoid::regclass::text, coalesce(c.relname, co.conname), d.description "
            "FROM pg_description d LEFT JOIN pg_class c ON c.oid = d.objoid AND d.classoid = "
            "'pg_class'::regclass AND c.relkind IN ('i', 'S') LEFT JOIN pg_constraint co ON "
            "co.oid = d.objoid AND d.classoid = 'pg_constraint'::regclass "
            "WHERE c.oid IS NOT NULL OR co.oid IS NOT NULL")
SEQUENCES = ("SELECT seqrelid::regclass::text, format_type(seqtypid, NULL), seqstart, "
             "seqincrement, seqmin, seqmax, seqcache, seqcycle FROM pg_sequence")
COLLATIONS = ("SELECT a.attrelid::regclass::text, a.attname, co.collname FROM pg_attribute a "
              "JOIN pg_type t ON t.oid = a.atttypid JOIN pg_collation co ON co.oid = "
              "a.attcollation JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON "
              "n.oid = c.relnamespace WHERE n.nspname = 'public' AND a.attnum > 0 "
              "AND a.attcollation <> t.typcollation")


@pytest.fixture(scope="module")
def box(pg_dsn):
    with sandbox(pg_dsn) as b:
        yield b


def state(box) -> tuple:
    """The catalog, each table's persistence and storage parameters, the extensions, the
    columns' collations, the sequences' options, the NOT VALID constraints, the comments on
    indexes, sequences and constraints."""
    return (box.introspect(), frozenset(box.query(STORAGE)),
            frozenset(r[0] for r in box.query(EXTENSIONS)), frozenset(box.query(COLLATIONS)),
            frozenset(box.query(SEQUENCES)), frozenset(box.query(NOT_VALID)),
            frozenset(box.query(COMMENTS)))


def fresh(box, text: str) -> tuple:
    reset(box)
    assert apply_schema(box, text) is None
    return state(box)


def roundtrip(box, old: str, new: str):
    """Apply old, then up (must give new's state), then down (must give old's again)."""
    want_new, want_old = fresh(box, new), fresh(box, old)
    m = diff_sql(old, new, "postgres", allow_destructive=True, lint=False)
    assert apply_sql(box, as_script(m.up)) is None
    assert state(box) == want_new
    assert apply_sql(box, as_script(m.down)) is None
    assert state(box) == want_old
    return m


OLD_QUEUE = """
CREATE TABLE public.jobs (
    id bigint NOT NULL,
    queue text DEFAULT 'default'::text NOT NULL
);
"""

NEW_QUEUE = """
CREATE TABLE public.jobs (
    id bigint NOT NULL,
    queue text DEFAULT 'default'::text NOT NULL
)
WITH (fillfactor='90', autovacuum_enabled='false');

CREATE UNLOGGED TABLE public.lockers (
    pid integer NOT NULL,
    queues text[] NOT NULL
);

CREATE TABLE public.settings (
    key text NOT NULL
)
WITH (fillfactor='70');

ALTER TABLE ONLY public.lockers
    ADD CONSTRAINT lockers_pkey PRIMARY KEY (pid);
"""


def test_new_unlogged_table_and_storage_parameters_are_created_as_dumped(box):
    m = roundtrip(box, OLD_QUEUE, NEW_QUEUE)
    up = as_script(m.up)
    assert "CREATE UNLOGGED TABLE lockers" in up
    assert "WITH (fillfactor='70')" in up


def test_storage_parameters_and_unlogged_change_on_a_kept_table(box):
    logged = NEW_QUEUE.replace("CREATE UNLOGGED TABLE", "CREATE TABLE")
    m = roundtrip(box, logged, NEW_QUEUE.replace("fillfactor='70'", "fillfactor='50'"))
    assert "ALTER TABLE lockers SET UNLOGGED" in m.up
    assert "ALTER TABLE lockers SET LOGGED" in m.down
    roundtrip(box, NEW_QUEUE, OLD_QUEUE + NEW_QUEUE.split(";", 1)[1])  # jobs loses them


def test_another_table_option_that_changes_is_a_finding_not_a_silent_no_op():
    old = "CREATE TABLE public.t (id integer) TABLESPACE pg_default;"
    m = diff_sql(old, old.replace(" TABLESPACE pg_default", ""), "postgres")
    assert [f.code for f in m.findings if "t:" in f.message] == ["MG008"]


OLD_DUMP = """
CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;

COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';

SET search_path = public, pg_catalog;

CREATE TABLE events (
    id bigint NOT NULL
);
"""

NEW_DUMP = """
CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NEW; END $$;

CREATE TABLE public.events (
    id bigint NOT NULL
);

CREATE TRIGGER touch BEFORE UPDATE ON public.events FOR EACH ROW EXECUTE FUNCTION public.touch();
"""


def test_plpgsql_named_by_an_older_pg_dump_only_is_no_change(box):
    m = roundtrip(box, OLD_DUMP, NEW_DUMP)
    assert "plpgsql" not in " ".join(s for s in m.up + m.down if "EXTENSION" in s)


def restricted(body: str, key: str) -> str:
    """A dump as pg_dump 17.6 and later writes it: between psql's restrict meta-commands."""
    return f"\\restrict {key}\n\nSET statement_timeout = 0;\n{body}\n\\unrestrict {key}\n\n"


def test_pg_dump_restrict_lines_are_no_statement(box):
    old = restricted("CREATE TABLE public.events (\n    id bigint NOT NULL\n);\n", "k1AbC")
    new = restricted("CREATE TABLE public.events (\n    id bigint NOT NULL,\n    name text\n);\n",
                     "k2XyZ")
    m = roundtrip(box, old, new)
    assert [f.code for f in m.findings if f.code in ("MG007", "MG008")] == []
    assert m.up == ["ALTER TABLE events ADD COLUMN name text"]


def partitioned(months: list[int], *, kind: bool = False, indexes: tuple[str, ...] = ()) -> str:
    """A table partitioned by month as pg_dump writes it: the parent, each partition on its
    own and attached, the parent's keys and indexes ON ONLY it, each partition's copy
    attached to them. ``indexes``: extra parent indexes, ``name:cols:copy-suffix``."""
    cols = "    id bigint NOT NULL,\n    created_at timestamp without time zone NOT NULL" + (
        ",\n    kind integer DEFAULT 0 NOT NULL" if kind else "")
    kids = ["logs_default", *(f"logs_m{m}" for m in months)]
    out = [f"CREATE TABLE public.logs (\n{cols}\n)\nPARTITION BY RANGE (created_at);\n"]
    out += [f"CREATE TABLE public.{k} (\n{cols}\n);\n" for k in kids]
    out.append("ALTER TABLE ONLY public.logs ATTACH PARTITION public.logs_default DEFAULT;\n")
    out += [f"ALTER TABLE ONLY public.logs ATTACH PARTITION public.logs_m{m} FOR VALUES FROM "
            f"('2026-{m:02}-01 00:00:00') TO ('2026-{m + 1:02}-01 00:00:00');\n" for m in months]
    out += [f"ALTER TABLE ONLY public.{t}\n    ADD CONSTRAINT {t}_pkey PRIMARY KEY "
            "(id, created_at);\n" for t in ["logs", *kids]]
    out.append("CREATE INDEX index_logs_on_created_at ON ONLY public.logs USING btree "
               "(created_at);\n")
    out += [f"CREATE INDEX {k}_created_at_idx ON public.{k} USING btree (created_at);\n"
            for k in kids]
    for spec in indexes:
        name, cols_, suffix = spec.split(":")
        out.append(f"CREATE INDEX {name} ON ONLY public.logs USING btree ({cols_});\n")
        out += [f"CREATE INDEX {k}_{suffix} ON public.{k} USING btree ({cols_});\n" for k in kids]
        out += [f"ALTER INDEX public.{name} ATTACH PARTITION public.{k}_{suffix};\n" for k in kids]
    out += [f"ALTER INDEX public.logs_pkey ATTACH PARTITION public.{k}_pkey;\n" for k in kids]
    out += [f"ALTER INDEX public.index_logs_on_created_at ATTACH PARTITION "
            f"public.{k}_created_at_idx;\n" for k in kids]
    return "\n".join(out)


def test_a_new_partition_gets_its_parents_keys_and_indexes_from_postgresql(box):
    m = roundtrip(box, partitioned([1]), partitioned([1, 2]))
    assert "PRIMARY KEY" not in m.up[0] and not any("CREATE INDEX" in s for s in m.up)


def test_a_column_of_a_partitioned_table_is_added_on_the_parent_only(box):
    m = roundtrip(box, partitioned([1, 2]), partitioned([1, 2], kind=True))
    assert m.up == ["ALTER TABLE logs ADD COLUMN kind integer NOT NULL DEFAULT 0"]


def test_an_index_on_a_partitioned_table_and_its_copies_named_as_dumped(box):
    m = roundtrip(box, partitioned([1, 2], kind=True),
                  partitioned([1, 2], kind=True, indexes=("index_logs_on_kind:kind:by_kind",)))
    assert "CREATE INDEX index_logs_on_kind ON public.logs USING btree (kind)" in m.up
    assert "ALTER INDEX logs_m1_kind_idx RENAME TO logs_m1_by_kind" in m.up


def test_a_dropped_partition_comes_back_with_its_copies_named_as_dumped(box):
    extra = ("index_logs_on_kind:kind:by_kind",)
    roundtrip(box, partitioned([1, 2], kind=True, indexes=extra),
              partitioned([2], kind=True, indexes=extra))


def test_a_columns_collation_that_changes_is_migrated(box):
    old = ('CREATE TABLE public.tags (\n    id bigint NOT NULL,\n    name character varying '
           'COLLATE pg_catalog."C",\n    slug text\n);\n')
    new = old.replace(' COLLATE pg_catalog."C"', "").replace("slug text", 'slug text COLLATE "C"')
    m = roundtrip(box, old, new)
    assert 'ALTER TABLE tags ALTER COLUMN slug TYPE text COLLATE "C"' in m.up


NUMBERS = """
CREATE SEQUENCE public.ticket_number_seq
    START WITH 1000
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
"""


def test_a_sequence_keeps_its_options_when_created_and_when_they_change(box):
    m = roundtrip(box, "CREATE TABLE public.t (id integer);\n",
                  "CREATE TABLE public.t (id integer);\n" + NUMBERS)
    assert "START WITH 1000" in m.up[0]
    m = roundtrip(box, NUMBERS, NUMBERS.replace("INCREMENT BY 1", "INCREMENT BY 10").replace(
        "START WITH 1000", "AS integer\n    START WITH 1000"))
    assert m.up == ["ALTER SEQUENCE ticket_number_seq AS integer START WITH 1000 INCREMENT BY 10 "
                    "NO MINVALUE NO MAXVALUE CACHE 1"]
    assert m.down[0].startswith("ALTER SEQUENCE ticket_number_seq AS bigint START WITH 1000")


def test_a_column_numbered_from_a_sequence_not_its_own_keeps_that_default(box):
    table = ("CREATE TABLE public.tickets (\n    id bigint NOT NULL,\n    number integer DEFAULT "
             "nextval('public.ticket_number_seq'::regclass) NOT NULL\n);\n")
    roundtrip(box, NUMBERS, NUMBERS + table)
    altered = table.replace(" DEFAULT nextval('public.ticket_number_seq'::regclass)", "") + (
        "ALTER TABLE ONLY public.tickets ALTER COLUMN number SET DEFAULT "
        "nextval('public.ticket_number_seq'::regclass);\n")
    m = roundtrip(box, NUMBERS, NUMBERS + altered)
    assert "number integer NOT NULL DEFAULT nextval('public.ticket_number_seq'::regclass)" in \
        m.up[0]


PEOPLE = """
CREATE TABLE public.people (
    id bigint NOT NULL,
    email character varying
);

CREATE TABLE public.pets (
    id bigint NOT NULL,
    person_id bigint,
    name character varying
);

ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_pkey PRIMARY KEY (id);

CREATE INDEX index_people_on_email ON public.people USING btree (email);
"""

LATER = """
ALTER TABLE public.people
    ADD CONSTRAINT email_present CHECK ((email IS NOT NULL)) NOT VALID;

ALTER TABLE ONLY public.pets
    ADD CONSTRAINT fk_rails_person FOREIGN KEY (person_id) REFERENCES public.people(id) NOT VALID;

ALTER TABLE ONLY public.pets
    ADD CONSTRAINT pets_name_key UNIQUE (name);

COMMENT ON CONSTRAINT pets_name_key ON public.pets IS 'one name per pet';

COMMENT ON INDEX public.index_people_on_email IS 'lookups by email';
"""


def test_constraints_added_not_valid_stay_so_until_validated(box):
    m = roundtrip(box, PEOPLE, PEOPLE + LATER)
    assert "ALTER TABLE people ADD CONSTRAINT email_present CHECK ((email IS NOT NULL)) " \
        "NOT VALID" in m.up
    m = roundtrip(box, PEOPLE + LATER, PEOPLE + LATER.replace(" NOT VALID", ""))
    assert m.up == ["ALTER TABLE people VALIDATE CONSTRAINT email_present",
                    "ALTER TABLE pets VALIDATE CONSTRAINT fk_rails_person"]


def test_comments_on_indexes_and_constraints_are_migrated(box):
    m = roundtrip(box, PEOPLE + LATER, PEOPLE + LATER.replace("lookups by email", "by email"))
    assert m.up == ["COMMENT ON INDEX public.index_people_on_email IS 'by email'"]


def test_replica_identity_and_clustering_are_carried(box):
    settings = ("ALTER TABLE ONLY public.people REPLICA IDENTITY FULL;\n\n"
                "ALTER TABLE public.people CLUSTER ON people_pkey;\n")
    m = roundtrip(box, PEOPLE, PEOPLE + settings)
    assert [f.code for f in m.findings if f.code == "MG007"] == []
    assert "ALTER TABLE public.people SET WITHOUT CLUSTER" in m.down


NAMES = """
CREATE FUNCTION public.full_name(first text, last text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT first || ' ' || last $$;

CREATE TABLE public.authors (
    id bigint NOT NULL,
    first text,
    last text
);

CREATE VIEW public.author_names AS
 SELECT id,
    public.full_name(first, last) AS name
   FROM public.authors;

CREATE INDEX index_authors_on_full_name ON public.authors
    USING btree (public.full_name(first, last));
"""


def test_a_function_whose_arguments_change_takes_the_views_and_indexes_using_it_along(box):
    new = NAMES.replace("(first text, last text) RETURNS", "(first text, last text, "
                        "sep text DEFAULT ' '::text) RETURNS").replace("' ' || last", "sep || last")
    m = roundtrip(box, NAMES, new)
    assert m.up[:3] == ["DROP VIEW author_names", "DROP INDEX index_authors_on_full_name",
                        "DROP FUNCTION IF EXISTS public.full_name(first text, last text)"]


def test_an_index_on_a_partitioned_table_goes_with_its_copies(box):
    extra = ("index_logs_on_kind:kind:by_kind",)
    m = roundtrip(box, partitioned([1, 2], kind=True, indexes=extra),
                  partitioned([1, 2], kind=True))
    assert m.up == ["DROP INDEX index_logs_on_kind"]


LEVELS = """
CREATE TYPE public.level AS ENUM (
    'beginner',
    'intermediate',
    'advanced'
);

CREATE TABLE public.courses (
    id bigint NOT NULL,
    levels public.level[] DEFAULT '{}'::public.level[],
    main_level public.level DEFAULT 'beginner'::public.level NOT NULL
);
"""


def test_an_array_of_an_enum_stays_an_array_when_the_enum_is_made_again(box):
    m = roundtrip(box, LEVELS, LEVELS.replace("    'intermediate',\n", ""))
    assert "ALTER TABLE courses ALTER COLUMN levels TYPE level[] USING levels::text[]::level[]" \
        in m.up


def test_an_enum_made_again_under_a_view_and_a_function_that_use_it(box):
    used = LEVELS + """
CREATE VIEW public.advanced_courses AS
 SELECT id,
    main_level
   FROM public.courses
  WHERE (main_level = 'advanced'::public.level);

CREATE FUNCTION public.is_hard(l public.level) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT l = 'advanced' $$;
"""
    m = roundtrip(box, used, used.replace("    'intermediate',\n", ""))
    assert m.up[0] == "DROP VIEW advanced_courses"
    assert "DROP FUNCTION public.is_hard(l public.level__archkit_old)" in m.up


def test_a_serial_key_keeps_the_sequence_options_an_older_pg_dump_wrote():
    old = "CREATE TABLE public.a (id integer NOT NULL);\n"
    new = old + ("CREATE TABLE public.b (\n    id integer NOT NULL\n);\n\n"
                 "CREATE SEQUENCE public.b_id_seq\n    START WITH 1\n    INCREMENT BY 1\n"
                 "    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1;\n\n"
                 "ALTER SEQUENCE public.b_id_seq OWNED BY public.b.id;\n\n"
                 "ALTER TABLE ONLY public.b ALTER COLUMN id SET DEFAULT "
                 "nextval('public.b_id_seq'::regclass);\n")
    m = diff_sql(old, new, "postgres")
    assert m.up[1] == ("ALTER SEQUENCE b_id_seq AS bigint START WITH 1 INCREMENT BY 1 "
                       "NO MINVALUE NO MAXVALUE CACHE 1")


POSTS = "CREATE TABLE public.posts (\n    id bigint NOT NULL,\n    title text\n);\n"
POSTS_SEQUENCE = ("\nCREATE SEQUENCE public.posts_id_seq\n    START WITH 1\n    INCREMENT BY 1\n"
                  "    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1;\n\n"
                  "ALTER SEQUENCE public.posts_id_seq OWNED BY public.posts.id;\n")
POSTS_DEFAULT = ("\nALTER TABLE ONLY public.posts ALTER COLUMN id SET DEFAULT "
                 "nextval('public.posts_id_seq'::regclass);\n")


@pytest.mark.parametrize("old, new", [
    (POSTS + POSTS_SEQUENCE, POSTS + POSTS_SEQUENCE + POSTS_DEFAULT),  # the default comes
    (POSTS + POSTS_SEQUENCE + POSTS_DEFAULT, POSTS + POSTS_SEQUENCE),  # ... and goes
    (POSTS, POSTS + POSTS_SEQUENCE + POSTS_DEFAULT),  # a plain column becomes serial
], ids=["default-comes", "default-goes", "becomes-serial"])
def test_a_serial_column_is_a_default_over_its_sequence_not_an_identity(box, old, new):
    """A SERIAL is DEFAULT nextval() over a sequence the column owns: making or unmaking one
    sets or drops that default (and the sequence where one side has none). It was made an
    IDENTITY (its sequence then named posts_id_seq1), or dropped as one (an engine error)."""
    m = roundtrip(box, old, new)
    assert not [s for s in m.up + m.down if "IDENTITY" in s]
    serial = new if POSTS_DEFAULT in new else old
    steps = m.up if serial is new else m.down
    assert steps[-1] == "ALTER TABLE posts ALTER COLUMN id SET DEFAULT " \
        "nextval('posts_id_seq'::regclass)"
    assert [s.startswith("CREATE SEQUENCE") for s in steps].count(True) == \
        (POSTS_SEQUENCE not in (old if serial is new else new))
    assert box.query("SELECT count(*) FROM pg_class WHERE relkind = 'S'")[0][0] == \
        (1 if POSTS_SEQUENCE in old else 0)  # down left the sequences as they were


A_INT = ("CREATE TABLE public.a (id integer NOT NULL);\n"
         "ALTER TABLE ONLY public.a ADD CONSTRAINT a_pkey PRIMARY KEY (id);\n")
B_OF_A = ("CREATE TABLE public.b (id integer NOT NULL, a_id integer);\n"
          "ALTER TABLE ONLY public.b ADD CONSTRAINT fk_b_a FOREIGN KEY (a_id) "
          "REFERENCES public.a(id);\n")


@pytest.mark.parametrize("old, new", [
    (A_INT, (A_INT + B_OF_A).replace("integer", "text").replace("b (id text", "b (id integer")),
    (A_INT + B_OF_A, (A_INT + B_OF_A).replace("integer", "text")
     .replace("b (id text", "b (id integer")),
], ids=["new-table-references-it", "both-ends-change"])
def test_a_foreign_key_over_a_column_whose_type_changes_comes_after_the_change(box, old, new):
    """The engine cannot keep (or make) a foreign key between an integer and a text column:
    the key goes before the type changes and comes (back) after, both ways."""
    m = roundtrip(box, old, new)
    up = as_script(m.up)
    assert up.index("ALTER TABLE a ALTER COLUMN id TYPE text") < up.index("ADD CONSTRAINT fk_b_a")


KINDS = ("CREATE TYPE public.kind AS ENUM ('loyalty_credit', 'coupon');\n"
         "CREATE TABLE public.p (id bigint NOT NULL, kind public.kind NOT NULL);\n")
KIND_CHECK = ("ALTER TABLE ONLY public.p ADD CONSTRAINT p_kind_chk "
              "CHECK ((kind <> 'coupon'::public.kind) OR (id > 0));\n")


@pytest.mark.parametrize("old, new", [
    (KINDS + KIND_CHECK, (KINDS + KIND_CHECK).replace("loyalty_credit", "loyalty_cash")),
    (KINDS + KIND_CHECK, KINDS.replace("loyalty_credit", "loyalty_cash")),
], ids=["check-kept", "check-dropped"])
def test_a_check_over_an_enum_made_again_is_out_of_the_way(box, old, new):
    """A check's enum constants have no operator while the column moves to the new type:
    a kept check goes and comes back around it, a dropped one goes before it."""
    roundtrip(box, old, new)


def test_integer_keys_becoming_uuids_are_said_not_cast():
    m = diff_sql("CREATE TABLE a (id bigint PRIMARY KEY);",
                 "CREATE TABLE a (id uuid PRIMARY KEY);", "postgres", allow_destructive=True)
    assert [f.message for f in m.findings if f.code == "MG005"] == [
        "a.id: PostgreSQL has no cast from bigint to uuid",
        "a.id: PostgreSQL has no cast from uuid to bigint"]


GENERATED = """
CREATE TABLE public.people (
    id bigint NOT NULL,
    first text,
    last text,
    full_name text GENERATED ALWAYS AS (((first || ' '::text) || last)) STORED
);

CREATE INDEX index_people_on_full_name ON public.people USING btree (full_name);

CREATE VIEW public.named AS
 SELECT people.id, people.full_name FROM public.people;
"""


def test_a_generated_expression_that_changes_is_dropped_and_added_again(box):
    """PostgreSQL before 17 cannot change the expression in place: the column goes and comes
    back computed anew, with its index and the view over it made again."""
    changed = GENERATED.replace("(first || ' '::text) || last", "(last || ', '::text) || first")
    m = roundtrip(box, GENERATED, changed)
    up = as_script(m.up)
    assert "ALTER TABLE people DROP COLUMN full_name" in up
    assert "ALTER TABLE people ADD COLUMN full_name text GENERATED ALWAYS AS" in up
    assert up.index("DROP INDEX") < up.index("DROP COLUMN full_name") < \
        up.index("CREATE INDEX index_people_on_full_name")
    assert not [f for f in m.findings if f.code == "MG005"]  # the last column keeps its place


def test_a_generated_column_becoming_plain_keeps_its_values(box):
    plain = GENERATED.replace(
        " GENERATED ALWAYS AS (((first || ' '::text) || last)) STORED", "")
    m = roundtrip(box, GENERATED, plain)
    assert "ALTER TABLE people ALTER COLUMN full_name DROP EXPRESSION" in m.up
    assert "DROP COLUMN" not in as_script(m.up)
    assert "DROP COLUMN full_name" in as_script(m.down)
    change = next(c for c in m.changes if c.kind == "alter_column")
    assert not change.destructive and not change.down_exact
    roundtrip(box, plain, GENERATED)  # and a plain column becoming generated
    back = diff_sql(plain, GENERATED, "postgres", allow_destructive=True, lint=False)
    assert next(c for c in back.changes if c.kind == "alter_column").destructive


GENERATED_DEPENDENTS = """
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

CREATE TABLE public.slots (
    id bigint NOT NULL,
    room integer,
    code integer GENERATED ALWAYS AS ((room * 10)) STORED
);

ALTER TABLE public.slots ENABLE ROW LEVEL SECURITY;

CREATE POLICY by_code ON public.slots USING ((code > 0));

CREATE POLICY by_room ON public.slots USING ((room > 0));

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NEW; END $$;

CREATE TRIGGER on_code BEFORE UPDATE OF code ON public.slots
    FOR EACH ROW EXECUTE FUNCTION public.touch();

CREATE STATISTICS public.slots_room_code ON room, code FROM public.slots;

ALTER TABLE ONLY public.slots
    ADD CONSTRAINT one_code EXCLUDE USING gist (code WITH =);
"""


def test_what_names_a_regenerated_column_is_made_again_around_it(box):
    """PostgreSQL refuses to drop a column a policy or an UPDATE OF trigger names, and drops
    a statistics object or exclusion constraint with it: each goes first and comes back."""
    changed = GENERATED_DEPENDENTS.replace("room * 10", "room * 100")
    m = roundtrip(box, GENERATED_DEPENDENTS, changed)
    up = as_script(m.up)
    for drop, create in [("DROP POLICY IF EXISTS by_code", "CREATE POLICY by_code"),
                         ("DROP TRIGGER IF EXISTS on_code", "CREATE TRIGGER on_code"),
                         ("DROP STATISTICS IF EXISTS public.slots_room_code",
                          "CREATE STATISTICS public.slots_room_code"),
                         ("DROP CONSTRAINT one_code", "ADD CONSTRAINT one_code")]:
        assert up.index(drop) < up.index("DROP COLUMN code") < \
            up.index("ADD COLUMN code") < up.index(create), drop
    assert "by_room" not in up  # a policy on another column stays as it is


def test_a_generated_column_not_last_moves_to_the_end_and_says_so():
    old = "CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a * 2) STORED, z int);"
    m = diff_sql(old, old.replace("a * 2", "a * 3"), "postgres", allow_destructive=True)
    assert "ALTER TABLE t ADD COLUMN g integer GENERATED ALWAYS AS (a * 3) STORED" in m.up
    [said] = [f for f in m.findings if f.code == "MG005"]
    assert "moves to the end of the table" in said.message and "SET EXPRESSION" in said.fix


def test_a_generated_column_under_a_key_is_not_dropped_and_that_is_said():
    old = ("CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a * 2) STORED, "
           "CONSTRAINT t_g UNIQUE (g));")
    m = diff_sql(old, old.replace("a * 2", "a * 3"), "postgres", allow_destructive=True)
    assert not any("g" in s.split("COLUMN")[-1] for s in m.up if "DROP COLUMN" in s)
    [said] = [f for f in m.findings if f.code == "MG005"]
    assert "not migrated" in said.message


FUNCTION_INDEX = """
CREATE FUNCTION public.normalized(v text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT lower(v) $$;

CREATE TABLE public.users (
    id bigint NOT NULL,
    email text
);

CREATE INDEX index_users_on_normalized_email ON public.users USING btree (public.normalized(email));
"""


def test_an_index_over_a_function_whose_body_changes_is_made_again(box):
    """CREATE OR REPLACE keeps the index, which still holds what the old body computed:
    a lookup through it would miss every row. The index goes first and is made after."""
    new = FUNCTION_INDEX.replace("SELECT lower(v)", "SELECT upper(v)")
    m = roundtrip(box, FUNCTION_INDEX, new)
    up = as_script(m.up)
    assert up.index("DROP INDEX") < up.index("CREATE OR REPLACE FUNCTION") < \
        up.index("CREATE INDEX index_users_on_normalized_email")
    reset(box)
    assert apply_schema(box, FUNCTION_INDEX) is None
    assert apply_sql(box, "INSERT INTO users VALUES (1, 'Ann@Example.org')") is None
    assert apply_sql(box, as_script(m.up)) is None
    assert apply_sql(box, "SET enable_seqscan = off") is None
    assert box.query("SELECT id FROM users WHERE public.normalized(email) = "
                     "'ANN@EXAMPLE.ORG'") == [(1,)]

--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;


--
-- Name: EXTENSION btree_gist; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';


--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;


--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';


--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;


--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


--
-- Name: loan_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.loan_status AS ENUM (
    'requested',
    'active',
    'overdue',
    'returned'
);


--
-- Name: books_search_vector_refresh(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.books_search_vector_refresh() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
            BEGIN
              NEW.search_vector :=
                setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A') ||
                setweight(to_tsvector('simple', coalesce(NEW.author_name, '')), 'B');
              RETURN NEW;
            END;
            $$;


--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
            BEGIN
              IF NEW IS DISTINCT FROM OLD THEN
                NEW.updated_at := now();
              END IF;
              RETURN NEW;
            END;
            $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: ar_internal_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_internal_metadata (
    key character varying NOT NULL,
    value character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);


--
-- Name: books; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.books (
    id bigint NOT NULL,
    owner_id bigint NOT NULL,
    title character varying NOT NULL,
    author_name character varying,
    isbn character varying(17),
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    search_vector tsvector
);


--
-- Name: TABLE books; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.books IS 'A book a member lends to others';


--
-- Name: books_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.books_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: books_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.books_id_seq OWNED BY public.books.id;


--
-- Name: invoice_numbers; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.invoice_numbers
    AS integer
    START WITH 1000
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: loans; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.loans (
    id bigint NOT NULL,
    book_id bigint NOT NULL,
    borrower_id bigint NOT NULL,
    status public.loan_status DEFAULT 'requested'::public.loan_status NOT NULL,
    due_on date,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);


--
-- Name: loans_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.loans_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: loans_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.loans_id_seq OWNED BY public.loans.id;


--
-- Name: members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.members (
    id bigint NOT NULL,
    email public.citext NOT NULL,
    display_name character varying NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    public_id uuid DEFAULT gen_random_uuid() NOT NULL,
    role character varying DEFAULT 'reader'::character varying NOT NULL,
    invoice_number integer DEFAULT nextval('public.invoice_numbers'::regclass) NOT NULL,
    CONSTRAINT members_role_known CHECK (((role)::text = ANY ((ARRAY['reader'::character varying, 'librarian'::character varying, 'admin'::character varying])::text[])))
);


--
-- Name: COLUMN members.role; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.members.role IS 'reader, librarian or admin';


--
-- Name: members_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.members_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: members_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.members_id_seq OWNED BY public.members.id;


--
-- Name: reviews; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.reviews (
    id bigint NOT NULL,
    book_id bigint NOT NULL,
    member_id bigint NOT NULL,
    rating smallint NOT NULL,
    body text,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    CONSTRAINT rating_between_1_and_5 CHECK (((rating >= 1) AND (rating <= 5)))
);


--
-- Name: popular_books; Type: MATERIALIZED VIEW; Schema: public; Owner: -
--

CREATE MATERIALIZED VIEW public.popular_books AS
 SELECT books.id AS book_id,
    books.title,
    count(DISTINCT loans.id) AS loans_count,
    avg(reviews.rating) AS average_rating
   FROM ((public.books
     LEFT JOIN public.loans ON ((loans.book_id = books.id)))
     LEFT JOIN public.reviews ON ((reviews.book_id = books.id)))
  GROUP BY books.id, books.title
  WITH NO DATA;


--
-- Name: reviews_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.reviews ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.reviews_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: room_bookings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.room_bookings (
    id bigint NOT NULL,
    member_id bigint NOT NULL,
    room character varying NOT NULL,
    during tsrange NOT NULL
);


--
-- Name: room_bookings_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.room_bookings_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: room_bookings_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.room_bookings_id_seq OWNED BY public.room_bookings.id;


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL
);


--
-- Name: shelf_entries; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.shelf_entries AS
 SELECT books.id,
    books.title,
    books.isbn,
    members.display_name AS owner_name
   FROM (public.books
     JOIN public.members ON ((members.id = books.owner_id)));


--
-- Name: books id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.books ALTER COLUMN id SET DEFAULT nextval('public.books_id_seq'::regclass);


--
-- Name: loans id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loans ALTER COLUMN id SET DEFAULT nextval('public.loans_id_seq'::regclass);


--
-- Name: members id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.members ALTER COLUMN id SET DEFAULT nextval('public.members_id_seq'::regclass);


--
-- Name: room_bookings id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.room_bookings ALTER COLUMN id SET DEFAULT nextval('public.room_bookings_id_seq'::regclass);


--
-- Name: ar_internal_metadata ar_internal_metadata_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_internal_metadata
    ADD CONSTRAINT ar_internal_metadata_pkey PRIMARY KEY (key);


--
-- Name: books books_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.books
    ADD CONSTRAINT books_pkey PRIMARY KEY (id);


--
-- Name: loans loans_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loans
    ADD CONSTRAINT loans_pkey PRIMARY KEY (id);


--
-- Name: members members_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.members
    ADD CONSTRAINT members_pkey PRIMARY KEY (id);


--
-- Name: reviews reviews_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reviews
    ADD CONSTRAINT reviews_pkey PRIMARY KEY (id);


--
-- Name: room_bookings room_bookings_no_overlap; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.room_bookings
    ADD CONSTRAINT room_bookings_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);


--
-- Name: room_bookings room_bookings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.room_bookings
    ADD CONSTRAINT room_bookings_pkey PRIMARY KEY (id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: index_books_on_owner_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_books_on_owner_id ON public.books USING btree (owner_id);


--
-- Name: index_books_on_search_vector; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_books_on_search_vector ON public.books USING gin (search_vector);


--
-- Name: index_books_on_title_trgm; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_books_on_title_trgm ON public.books USING gin (title public.gin_trgm_ops);


--
-- Name: index_loans_on_borrower_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_loans_on_borrower_id ON public.loans USING btree (borrower_id);


--
-- Name: index_loans_on_due_on_active; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_loans_on_due_on_active ON public.loans USING btree (due_on) WHERE ((status = 'active'::public.loan_status) AND (due_on IS NOT NULL));


--
-- Name: index_loans_one_active_per_book; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_loans_one_active_per_book ON public.loans USING btree (book_id) WHERE (status = 'active'::public.loan_status);


--
-- Name: index_members_on_email; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_members_on_email ON public.members USING btree (email);


--
-- Name: index_members_on_public_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_members_on_public_id ON public.members USING btree (public_id);


--
-- Name: index_popular_books_on_book_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_popular_books_on_book_id ON public.popular_books USING btree (book_id);


--
-- Name: index_reviews_on_body_tsv; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_reviews_on_body_tsv ON public.reviews USING gin (to_tsvector('english'::regconfig, COALESCE(body, ''::text)));


--
-- Name: index_reviews_on_book_id_and_member_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_reviews_on_book_id_and_member_id ON public.reviews USING btree (book_id, member_id);


--
-- Name: index_reviews_on_member_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_reviews_on_member_id ON public.reviews USING btree (member_id);


--
-- Name: loans_book_status_stats; Type: STATISTICS; Schema: public; Owner: -
--

CREATE STATISTICS public.loans_book_status_stats ON book_id, status FROM public.loans;


--
-- Name: books books_search_vector_refresh; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER books_search_vector_refresh BEFORE INSERT OR UPDATE OF title, author_name ON public.books FOR EACH ROW EXECUTE FUNCTION public.books_search_vector_refresh();


--
-- Name: books books_touch_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER books_touch_updated_at BEFORE UPDATE ON public.books FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();


--
-- Name: loans loans_touch_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER loans_touch_updated_at BEFORE UPDATE ON public.loans FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();


--
-- Name: reviews reviews_touch_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER reviews_touch_updated_at BEFORE UPDATE ON public.reviews FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();


--
-- Name: loans fk_rails_1d2c7a4e55; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loans
    ADD CONSTRAINT fk_rails_1d2c7a4e55 FOREIGN KEY (book_id) REFERENCES public.books(id) ON DELETE CASCADE;


--
-- Name: reviews fk_rails_4c1e0a7b21; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reviews
    ADD CONSTRAINT fk_rails_4c1e0a7b21 FOREIGN KEY (book_id) REFERENCES public.books(id) ON DELETE CASCADE;


--
-- Name: books fk_rails_6f3a1b9c20; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.books
    ADD CONSTRAINT fk_rails_6f3a1b9c20 FOREIGN KEY (owner_id) REFERENCES public.members(id);


--
-- Name: reviews fk_rails_8e2d5f6c33; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reviews
    ADD CONSTRAINT fk_rails_8e2d5f6c33 FOREIGN KEY (member_id) REFERENCES public.members(id);


--
-- Name: loans fk_rails_90b1e2f3aa; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.loans
    ADD CONSTRAINT fk_rails_90b1e2f3aa FOREIGN KEY (borrower_id) REFERENCES public.members(id);


--
-- Name: room_bookings room_bookings_member_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.room_bookings
    ADD CONSTRAINT room_bookings_member_id_fkey FOREIGN KEY (member_id) REFERENCES public.members(id);


--
-- PostgreSQL database dump complete
--

SET search_path TO "$user", public;

INSERT INTO "schema_migrations" (version) VALUES
('20240915101000'),
('20240915100000'),
('20240801071000'),
('20240801070000'),
('20240618122000'),
('20240618121000'),
('20240618120000'),
('20240502083000'),
('20240502081500'),
('20240502080000'),
('20240320143100'),
('20240320143000'),
('20240212101500'),
('20240105090100'),
('20240105090000');


// Every table of the database (reports and crawl state alike) is made by this one list
// of steps, applied in order on open. Each step is frozen text: once released it is
// never edited and never built from the current template, so a database migrated today
// and one migrated next year end up with the same schema. A change is a new step.
import type Database from "better-sqlite3";
import { V3_WIDE_VIEW } from "./migrations/v3-wide-view.js";

/** A database made by a newer xxgk than this one: refused rather than guessed at. */
export class NewerSchemaError extends Error {
  override name = "NewerSchemaError";
}

/** Version 1: the tables and views. */
const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS sources (
  id INTEGER PRIMARY KEY,
  locator TEXT NOT NULL UNIQUE,          -- the path or URL the document came from
  path TEXT, url TEXT,
  first_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_type TEXT,
  seen_at TEXT NOT NULL,
  UNIQUE (source_id, sha256)
);
CREATE INDEX IF NOT EXISTS versions_sha ON versions(sha256);
CREATE TABLE IF NOT EXISTS reports (
  id INTEGER PRIMARY KEY,
  version_id INTEGER NOT NULL REFERENCES versions(id),
  parser_version TEXT NOT NULL,
  parsed_at TEXT NOT NULL,
  is_current INTEGER NOT NULL DEFAULT 1,  -- 0: an older version of the source, or a record from an older parser
  format TEXT NOT NULL,
  template TEXT NOT NULL,
  organ TEXT, organ_bare TEXT, organ_key TEXT,
  year INTEGER, published_on TEXT,
  region_code TEXT, region_name TEXT, province TEXT, city TEXT, county TEXT,
  region_by TEXT, region_confidence TEXT,
  record_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_version ON reports(version_id);
CREATE INDEX IF NOT EXISTS reports_organ ON reports(organ_key, year);
CREATE INDEX IF NOT EXISTS reports_region_organ ON reports(region_code, organ_bare);
CREATE TABLE IF NOT EXISTS cells (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  tbl TEXT NOT NULL,                     -- active | requests | reviews
  row TEXT NOT NULL,                     -- e.g. regulations, denied.stateSecret, litigationDirect
  col TEXT NOT NULL,                     -- e.g. issued, naturalPerson, pending
  value REAL,                            -- NULL: the document shows none (see warnings)
  PRIMARY KEY (report_id, tbl, row, col)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sections (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  number INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checks (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  rule TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, where_ TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS checks_report ON checks(report_id);
CREATE TABLE IF NOT EXISTS warnings (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  message TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
  id INTEGER PRIMARY KEY,
  version_id INTEGER REFERENCES versions(id),
  locator TEXT, sha256 TEXT,
  code TEXT NOT NULL, message TEXT NOT NULL,
  parser_version TEXT NOT NULL, at TEXT NOT NULL,
  is_current INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);

CREATE VIEW IF NOT EXISTS v_reports AS
  SELECT r.id AS report_id, r.organ, r.organ_key, r.year, r.published_on, r.template, r.format,
         r.region_code, r.region_name, r.province, r.city, r.county, r.region_by, r.region_confidence,
         s.path AS source_path, s.url AS source_url, v.sha256, r.parser_version, r.parsed_at,
         (SELECT count(*) FROM checks c WHERE c.report_id = r.id) AS checks_failed,
         (SELECT count(*) FROM warnings w WHERE w.report_id = r.id) AS warnings
  FROM reports r JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id
  WHERE r.is_current = 1;
CREATE VIEW IF NOT EXISTS v_cells AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, vr.province, vr.city, vr.county, vr.template, vr.format,
         vr.source_path, vr.source_url, vr.sha256, c.tbl AS "table", c.row, c.col AS "column", c.value
  FROM cells c JOIN v_reports vr ON vr.report_id = c.report_id;
CREATE VIEW IF NOT EXISTS v_checks AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, c.rule, c.severity, c.message, c.where_ AS "where"
  FROM checks c JOIN v_reports vr ON vr.report_id = c.report_id;
CREATE VIEW IF NOT EXISTS v_failures AS
  SELECT locator, sha256, code, message, parser_version, at FROM failures WHERE is_current = 1;
`;

/** The crawl state's tables (they were created by the crawler itself before version 4). */
const CRAWL_TABLES = `
CREATE TABLE IF NOT EXISTS crawl_urls (
  url TEXT PRIMARY KEY,
  portal TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('list', 'article', 'attachment')),
  status TEXT NOT NULL CHECK (status IN ('done', 'fetched', 'failed', 'gone', 'refused', 'blocked')),
  etag TEXT,
  last_modified TEXT,
  sha256 TEXT,
  last_status INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  fetched_at TEXT,
  final_url TEXT,
  content_type TEXT,
  ingest_status TEXT,
  ingest_code TEXT,
  report_id INTEGER
);
CREATE INDEX IF NOT EXISTS crawl_urls_portal ON crawl_urls (portal, status);
CREATE TABLE IF NOT EXISTS crawl_fetches (
  id INTEGER PRIMARY KEY,
  run_id INTEGER,
  url TEXT NOT NULL,
  final_url TEXT,
  fetched_at TEXT NOT NULL,
  status INTEGER,
  sha256 TEXT,
  bytes INTEGER,
  headers TEXT,
  error TEXT,
  requests INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS crawl_fetches_url ON crawl_fetches (url);
CREATE INDEX IF NOT EXISTS crawl_fetches_sha ON crawl_fetches (sha256);
CREATE TABLE IF NOT EXISTS crawl_links (
  parent_url TEXT NOT NULL,
  child_url TEXT NOT NULL,
  text TEXT,
  PRIMARY KEY (parent_url, child_url)
);
CREATE INDEX IF NOT EXISTS crawl_links_child ON crawl_links (child_url);
CREATE TABLE IF NOT EXISTS crawl_runs (
  id INTEGER PRIMARY KEY,
  pid INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  ok INTEGER,
  summary TEXT
);
`;

/** Version 4: crawl tables, one current record per bytes, record v2 (cell status and place, diagnostics). */
const V4 = `
${CRAWL_TABLES}
-- The bytes' identity on the record itself, and at most one current record (and one
-- current failure) per bytes: the unique indexes the insert relies on, so two processes
-- storing the same document at once cannot both succeed. Duplicates an older xxgk left
-- (two runs at once) are resolved first: the newest stays current.
ALTER TABLE reports ADD COLUMN sha256 TEXT;
UPDATE reports SET sha256 = (SELECT v.sha256 FROM versions v WHERE v.id = reports.version_id);
UPDATE reports SET is_current = 0
  WHERE is_current = 1 AND id NOT IN (SELECT max(id) FROM reports WHERE is_current = 1 GROUP BY sha256);
CREATE UNIQUE INDEX reports_one_current ON reports (sha256) WHERE is_current = 1;
UPDATE failures SET is_current = 0
  WHERE is_current = 1 AND sha256 IS NOT NULL
    AND id NOT IN (SELECT max(id) FROM failures WHERE is_current = 1 AND sha256 IS NOT NULL GROUP BY sha256);
CREATE UNIQUE INDEX failures_one_current ON failures (sha256) WHERE is_current = 1 AND sha256 IS NOT NULL;

DROP VIEW IF EXISTS v_wide;
DROP VIEW IF EXISTS v_cells;
DROP VIEW IF EXISTS v_checks;
DROP VIEW IF EXISTS v_failures;
DROP VIEW IF EXISTS v_reports;

-- cells: value NUMERIC (a whole number is stored, and loads, as an integer: 5, not 5.0),
-- with how it was read (status, the printed text) and where (place).
CREATE TABLE cells_v4 (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  tbl TEXT NOT NULL,
  row TEXT NOT NULL,
  col TEXT NOT NULL,
  value NUMERIC,
  status TEXT,                           -- printed | blank | dash | note | split | ocr | unreadable (NULL: read before version 4)
  text TEXT,                             -- the cell as printed
  page INTEGER, box TEXT,                -- PDF: 1-based page, [x0,y0,x1,y1] in points as JSON
  table_no INTEGER, row_no INTEGER, col_no INTEGER,  -- 1-based, in the document's own tables
  line INTEGER,                          -- text: 1-based line
  PRIMARY KEY (report_id, tbl, row, col)
) WITHOUT ROWID;
INSERT INTO cells_v4 (report_id, tbl, row, col, value) SELECT report_id, tbl, row, col, value FROM cells;
DROP TABLE cells;
ALTER TABLE cells_v4 RENAME TO cells;

-- diagnostics replace warnings: every note with a stable code, a severity, the key it is about and its place.
CREATE TABLE diagnostics (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
  key TEXT,
  message TEXT NOT NULL,
  page INTEGER, box TEXT, table_no INTEGER, row_no INTEGER, col_no INTEGER, line INTEGER
);
CREATE INDEX diagnostics_report ON diagnostics (report_id);
CREATE INDEX diagnostics_code ON diagnostics (code, key);
INSERT INTO diagnostics (report_id, code, severity, message) SELECT report_id, 'note.legacy', 'warning', message FROM warnings;
DROP TABLE warnings;

CREATE VIEW v_reports AS
  SELECT r.id AS report_id, r.organ, r.organ_key, r.year, r.published_on, r.template, r.format,
         r.region_code, r.region_name, r.province, r.city, r.county, r.region_by, r.region_confidence,
         s.path AS source_path, s.url AS source_url, v.sha256, r.parser_version, r.parsed_at,
         (SELECT count(*) FROM checks c WHERE c.report_id = r.id) AS checks_failed,
         (SELECT count(*) FROM diagnostics d WHERE d.report_id = r.id AND d.severity != 'info') AS warnings,
         (SELECT count(*) FROM diagnostics d WHERE d.report_id = r.id) AS diagnostics
  FROM reports r JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id
  WHERE r.is_current = 1;
CREATE VIEW v_cells AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, vr.province, vr.city, vr.county, vr.template, vr.format,
         vr.source_path, vr.source_url, vr.sha256, c.tbl AS "table", c.row, c.col AS "column",
         c.tbl || '.' || c.row || '.' || c.col AS key, c.value, c.status, c.text,
         c.page, c.box, c.table_no, c.row_no, c.col_no, c.line
  FROM cells c JOIN v_reports vr ON vr.report_id = c.report_id;
CREATE VIEW v_checks AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, c.rule, c.severity, c.message, c.where_ AS "where"
  FROM checks c JOIN v_reports vr ON vr.report_id = c.report_id;
CREATE VIEW v_diagnostics AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, d.code, d.severity, d.key, d.message,
         d.page, d.box, d.table_no, d.row_no, d.col_no, d.line
  FROM diagnostics d JOIN v_reports vr ON vr.report_id = d.report_id;
CREATE VIEW v_failures AS
  SELECT locator, sha256, code, message, parser_version, at FROM failures WHERE is_current = 1;
${V3_WIDE_VIEW};
`;

/**
 * Schema steps, in order; a fresh database runs every one. Append; never edit a released
 * step (its text is what older databases were built with).
 */
// Corrections made by people (xxgk correct, the review page), stored apart from what the
// machine read and applied on top of it (src/corrections.ts); review marks of reports.
const V5_CORRECTIONS = `
CREATE TABLE corrections (
  id INTEGER PRIMARY KEY,
  body_key TEXT NOT NULL,                -- reports.organ_key of the body
  year INTEGER NOT NULL,
  cell_key TEXT NOT NULL,                -- a cell key of the contract, e.g. requests.denied.stateSecret.total
  value NUMERIC,                            -- NULL: the document shows no value
  why TEXT NOT NULL,
  by TEXT,
  created_at TEXT NOT NULL,
  machine_value NUMERIC,                    -- what the machine read when the correction was made
  status TEXT NOT NULL DEFAULT 'active'  -- active | review (machine value changed since) | superseded | withdrawn
    CHECK (status IN ('active', 'review', 'superseded', 'withdrawn'))
);
CREATE INDEX corrections_report ON corrections(body_key, year, status);
CREATE TABLE review_marks (
  body_key TEXT NOT NULL,
  year INTEGER NOT NULL,
  reviewed_at TEXT NOT NULL,
  by TEXT,
  PRIMARY KEY (body_key, year)
);
-- The cells with corrections on top, for SQL users (the exports apply the same through applyCorrections).
CREATE VIEW v_cells_corrected AS
  SELECT vc.report_id, vc.organ, vc.year, vc.region_code, vc.province, vc.city, vc.county, vc.template, vc.format,
         vc.source_path, vc.source_url, vc.sha256, vc."table", vc.row, vc."column",
         CASE WHEN k.id IS NULL THEN vc.value ELSE k.value END AS value,
         k.id IS NOT NULL AS corrected, vc.value AS machine_value, k.status AS correction_status, k.why AS correction_why
  FROM v_cells vc
  JOIN reports r ON r.id = vc.report_id
  LEFT JOIN corrections k ON k.body_key = r.organ_key AND k.year = r.year AND k.status IN ('active', 'review')
       AND k.cell_key = vc."table" || '.' || vc.row || '.' || vc."column";
`;

// step 6 (cite): every place a document was seen, for citing it. A place is a version
// (these bytes at this locator): its first and last sighting, and for crawled bytes when
// they were fetched and the server's Last-Modified; the source says what kind of place it is.
const V6_PLACES = `
ALTER TABLE sources ADD COLUMN kind TEXT;        -- path | zip (a member of an archive) | url | bytes (given without either)
ALTER TABLE sources ADD COLUMN archive TEXT;     -- zip: the archive's path
ALTER TABLE sources ADD COLUMN member TEXT;      -- zip: the member's name inside the archive
UPDATE sources SET kind = CASE
  WHEN url IS NOT NULL THEN 'url'
  WHEN path IS NOT NULL AND instr(path, '!/') > 0 THEN 'zip'
  WHEN path IS NOT NULL THEN 'path'
  ELSE 'bytes' END;
UPDATE sources SET archive = substr(path, 1, instr(path, '!/') - 1), member = substr(path, instr(path, '!/') + 2) WHERE kind = 'zip';
ALTER TABLE versions ADD COLUMN last_seen TEXT;          -- the latest time these bytes were met at this place (seen_at: the first)
ALTER TABLE versions ADD COLUMN retrieved_at TEXT;       -- url: when the crawler fetched these bytes
ALTER TABLE versions ADD COLUMN http_last_modified TEXT; -- url: the server's Last-Modified header, as sent
ALTER TABLE versions ADD COLUMN listed_on TEXT;          -- url: the date printed beside the link on the portal's list page (ISO 8601)
UPDATE versions SET last_seen = seen_at;
UPDATE versions SET
  retrieved_at = (SELECT max(c.fetched_at) FROM crawl_urls c JOIN sources s ON s.id = versions.source_id
                  WHERE c.sha256 = versions.sha256 AND (c.final_url = s.url OR c.url = s.url)),
  http_last_modified = (SELECT max(c.last_modified) FROM crawl_urls c JOIN sources s ON s.id = versions.source_id
                  WHERE c.sha256 = versions.sha256 AND (c.final_url = s.url OR c.url = s.url))
  WHERE source_id IN (SELECT id FROM sources WHERE kind = 'url');
CREATE VIEW v_places AS
  SELECT r.id AS report_id, v.sha256, s.kind, s.locator, s.path, s.url, s.archive, s.member,
         v.seen_at AS first_seen, v.last_seen, v.retrieved_at, v.http_last_modified, v.listed_on
  FROM versions v JOIN sources s ON s.id = v.source_id
  LEFT JOIN reports r ON r.sha256 = v.sha256 AND r.is_current = 1;
`;

// step 7 (bodies): a person's decisions about bodies (aliases, regions; hints on stored
// bytes) kept apart from what the documents say, consulted every time a report is keyed;
// and the report (one body, one year) as SQL's default unit: report_records holds each
// report's record as normalizers/copies.ts consolidates its documents (refreshed by the
// store whenever a document of it is saved, re-keyed or reparsed), so SQL and the exports
// read one consolidation. The document-level views keep the old shapes under v_document*.
const V7_BODIES_REPORTS = `
CREATE TABLE body_aliases (
  name TEXT PRIMARY KEY,                 -- a body's name as printed (NFKC, no spaces) or its bare name
  canonical TEXT NOT NULL,               -- the name its reports are keyed under
  by TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE body_regions (
  name TEXT NOT NULL,                    -- the body's name (bare, as in reports.organ_bare, or as printed)
  from_region TEXT NOT NULL DEFAULT '',  -- the region the documents give ('' where they give none)
  region_code TEXT NOT NULL,             -- the GB/T 2260 code the body is placed in
  source TEXT NOT NULL CHECK (source IN ('person', 'hint', 'alias')),
  by TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (name, from_region)
);
CREATE INDEX reports_organ_name ON reports(organ);

CREATE TABLE report_records (
  report_id INTEGER PRIMARY KEY,         -- the report's best document (reports.id)
  unit TEXT NOT NULL UNIQUE,             -- organ_key|year; doc:ID for a document whose body or year was not read
  body_key TEXT, year INTEGER,
  documents INTEGER NOT NULL,            -- how many current documents carry the report
  record_json TEXT NOT NULL,             -- the consolidated record (normalizers/copies.ts)
  refreshed_at TEXT NOT NULL
);
CREATE INDEX report_records_body ON report_records(body_key, year);
CREATE TABLE report_documents (
  report_id INTEGER NOT NULL,
  document_id INTEGER NOT NULL,          -- reports.id of one document of the report
  rank INTEGER NOT NULL,                 -- 1: the best copy
  PRIMARY KEY (report_id, document_id)
) WITHOUT ROWID;
CREATE INDEX report_documents_document ON report_documents(document_id);
CREATE TABLE report_cells (
  report_id INTEGER NOT NULL,
  tbl TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL,
  value NUMERIC, status TEXT, text TEXT,
  page INTEGER, box TEXT, table_no INTEGER, row_no INTEGER, col_no INTEGER, line INTEGER,
  document_id INTEGER NOT NULL,          -- the document the value was read from
  PRIMARY KEY (report_id, tbl, row, col)
) WITHOUT ROWID;
CREATE TABLE report_checks (
  report_id INTEGER NOT NULL,
  rule TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, where_ TEXT NOT NULL
);
CREATE INDEX report_checks_report ON report_checks(report_id);
-- Reports to consolidate again: a document of theirs came, went (is_current), or changed body or year.
CREATE TABLE report_dirty (unit TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TRIGGER reports_unit_insert AFTER INSERT ON reports WHEN NEW.is_current = 1 BEGIN
  INSERT OR IGNORE INTO report_dirty (unit)
    VALUES (CASE WHEN NEW.organ_key IS NOT NULL AND NEW.year IS NOT NULL THEN NEW.organ_key || '|' || NEW.year ELSE 'doc:' || NEW.id END);
END;
CREATE TRIGGER reports_unit_update AFTER UPDATE OF is_current, organ_key, year ON reports
  WHEN OLD.is_current IS NOT NEW.is_current OR OLD.organ_key IS NOT NEW.organ_key OR OLD.year IS NOT NEW.year BEGIN
  INSERT OR IGNORE INTO report_dirty (unit)
    SELECT rr.unit FROM report_documents rd JOIN report_records rr ON rr.report_id = rd.report_id WHERE rd.document_id = OLD.id;
  INSERT OR IGNORE INTO report_dirty (unit)
    SELECT CASE WHEN NEW.organ_key IS NOT NULL AND NEW.year IS NOT NULL THEN NEW.organ_key || '|' || NEW.year ELSE 'doc:' || NEW.id END
    WHERE NEW.is_current = 1;
END;
-- Filled on the first writing open after this step (the consolidation is TypeScript's).
INSERT INTO meta (key, value) VALUES ('report_records', 'stale') ON CONFLICT(key) DO UPDATE SET value = 'stale';

DROP VIEW IF EXISTS v_wide;
DROP VIEW IF EXISTS v_cells_corrected;
DROP VIEW IF EXISTS v_diagnostics;
DROP VIEW IF EXISTS v_checks;
DROP VIEW IF EXISTS v_cells;
DROP VIEW IF EXISTS v_reports;

CREATE VIEW v_documents AS
  SELECT r.id AS document_id, r.id AS report_id, rd.report_id AS of_report, r.organ, r.organ_key, r.year, r.published_on, r.template, r.format,
         r.region_code, r.region_name, r.province, r.city, r.county, r.region_by, r.region_confidence,
         s.path AS source_path, s.url AS source_url, v.sha256, r.parser_version, r.parsed_at,
         (SELECT count(*) FROM checks c WHERE c.report_id = r.id) AS checks_failed,
         (SELECT count(*) FROM diagnostics d WHERE d.report_id = r.id AND d.severity != 'info') AS warnings,
         (SELECT count(*) FROM diagnostics d WHERE d.report_id = r.id) AS diagnostics
  FROM reports r JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id
  LEFT JOIN report_documents rd ON rd.document_id = r.id
  WHERE r.is_current = 1;
CREATE VIEW v_document_cells AS
  SELECT vd.document_id, vd.report_id, vd.of_report, vd.organ, vd.year, vd.region_code, vd.province, vd.city, vd.county, vd.template, vd.format,
         vd.source_path, vd.source_url, vd.sha256, c.tbl AS "table", c.row, c.col AS "column",
         c.tbl || '.' || c.row || '.' || c.col AS key, c.value, c.status, c.text,
         c.page, c.box, c.table_no, c.row_no, c.col_no, c.line
  FROM cells c JOIN v_documents vd ON vd.document_id = c.report_id;
CREATE VIEW v_reports AS
  SELECT rr.report_id, r.organ, rr.body_key AS organ_key, rr.year, json_extract(rr.record_json, '$.publishedOn') AS published_on, r.template, r.format,
         r.region_code, r.region_name, r.province, r.city, r.county, r.region_by, r.region_confidence,
         s.path AS source_path, COALESCE(s.url, json_extract(rr.record_json, '$.source.url')) AS source_url, v.sha256, r.parser_version, r.parsed_at,
         (SELECT count(*) FROM report_checks c WHERE c.report_id = rr.report_id) AS checks_failed,
         (SELECT count(*) FROM diagnostics d WHERE d.report_id = rr.report_id AND d.severity != 'info') AS warnings,
         (SELECT count(*) FROM diagnostics d WHERE d.report_id = rr.report_id) AS diagnostics,
         rr.documents
  FROM report_records rr JOIN reports r ON r.id = rr.report_id JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id;
CREATE VIEW v_cells AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, vr.province, vr.city, vr.county, vr.template, vr.format,
         vr.source_path, vr.source_url, vr.sha256, c.tbl AS "table", c.row, c.col AS "column",
         c.tbl || '.' || c.row || '.' || c.col AS key, c.value, c.status, c.text,
         c.page, c.box, c.table_no, c.row_no, c.col_no, c.line, c.document_id
  FROM report_cells c JOIN v_reports vr ON vr.report_id = c.report_id;
CREATE VIEW v_checks AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, c.rule, c.severity, c.message, c.where_ AS "where"
  FROM report_checks c JOIN v_reports vr ON vr.report_id = c.report_id;
CREATE VIEW v_document_checks AS
  SELECT vd.document_id, vd.report_id, vd.organ, vd.year, vd.region_code, c.rule, c.severity, c.message, c.where_ AS "where"
  FROM checks c JOIN v_documents vd ON vd.document_id = c.report_id;
CREATE VIEW v_diagnostics AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, d.code, d.severity, d.key, d.message,
         d.page, d.box, d.table_no, d.row_no, d.col_no, d.line
  FROM diagnostics d JOIN v_reports vr ON vr.report_id = d.report_id;
CREATE VIEW v_cells_corrected AS
  SELECT vc.report_id, vc.organ, vc.year, vc.region_code, vc.province, vc.city, vc.county, vc.template, vc.format,
         vc.source_path, vc.source_url, vc.sha256, vc."table", vc.row, vc."column",
         CASE WHEN k.id IS NULL THEN vc.value ELSE k.value END AS value,
         k.id IS NOT NULL AS corrected, vc.value AS machine_value, k.status AS correction_status, k.why AS correction_why
  FROM v_cells vc
  JOIN report_records rr ON rr.report_id = vc.report_id
  LEFT JOIN corrections k ON k.body_key = rr.body_key AND k.year = rr.year AND k.status IN ('active', 'review')
       AND k.cell_key = vc."table" || '.' || vc.row || '.' || vc."column";
CREATE VIEW v_bodies AS
  SELECT organ_key AS body_key, substr(organ_key, instr(organ_key, ':') + 1) AS name, region_code,
         group_concat(DISTINCT organ) AS names, count(DISTINCT year) AS years, count(*) AS documents,
         min(year) AS first_year, max(year) AS last_year
  FROM reports WHERE is_current = 1 AND organ_key IS NOT NULL GROUP BY organ_key;
${V3_WIDE_VIEW.replace("LEFT JOIN cells c ON", "LEFT JOIN report_cells c ON")};
-- A place belongs to a document; report_id is the report (its best document) that document belongs to.
DROP VIEW IF EXISTS v_places;
CREATE VIEW v_places AS
  SELECT rd.report_id, r.id AS document_id, v.sha256, s.kind, s.locator, s.path, s.url, s.archive, s.member,
         v.seen_at AS first_seen, v.last_seen, v.retrieved_at, v.http_last_modified, v.listed_on
  FROM versions v JOIN sources s ON s.id = v.source_id
  LEFT JOIN reports r ON r.sha256 = v.sha256 AND r.is_current = 1
  LEFT JOIN report_documents rd ON rd.document_id = r.id;
`;

// step 8 (serve): a person's reading of a document's metadata (organ, year, publishedOn) where
// the machine could not read it, by the document's bytes so it survives reparse; applied by
// the ingest service (re-keying the report), never written into record_json.
const V8_DOCUMENT_CORRECTIONS = `
CREATE TABLE document_corrections (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL,                  -- the document's bytes (reports.sha256)
  organ TEXT,                            -- NULL: the machine's reading stands
  year INTEGER,
  published_on TEXT,
  why TEXT NOT NULL,
  by TEXT,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'superseded', 'withdrawn'))
);
CREATE INDEX document_corrections_sha ON document_corrections(sha256, status);
`;

// step 9 (e2e): v_reports cites a report as the exports do (src/citation.ts): bytes stored
// from a folder before a crawl met them keep sources.url and the record's source.url null, so
// the report's URL is the one a crawl met its best document at, else another of its
// documents (own bytes first, then first seen first); a report whose documents print no date
// takes the date its portal's list page printed beside a link to one of them. Where the
// date was read is a column (published_on_source), as in the CSV exports.
const V9_REPORTS_CITED = `
DROP VIEW IF EXISTS v_reports;
CREATE VIEW v_reports AS
  SELECT rr.report_id, r.organ, rr.body_key AS organ_key, rr.year,
         COALESCE(json_extract(rr.record_json, '$.publishedOn'), listed.listed_on) AS published_on,
         r.template, r.format,
         r.region_code, r.region_name, r.province, r.city, r.county, r.region_by, r.region_confidence,
         s.path AS source_path,
         COALESCE(s.url, json_extract(rr.record_json, '$.source.url'),
           (SELECT s2.url FROM report_documents rd2 JOIN reports d2 ON d2.id = rd2.document_id
              JOIN versions v2 ON v2.sha256 = d2.sha256 JOIN sources s2 ON s2.id = v2.source_id
            WHERE rd2.report_id = rr.report_id AND s2.url IS NOT NULL
            ORDER BY d2.id = rd2.report_id DESC, v2.seen_at, v2.id LIMIT 1)) AS source_url,
         v.sha256, r.parser_version, r.parsed_at,
         (SELECT count(*) FROM report_checks c WHERE c.report_id = rr.report_id) AS checks_failed,
         (SELECT count(*) FROM diagnostics d WHERE d.report_id = rr.report_id AND d.severity != 'info') AS warnings,
         (SELECT count(*) FROM diagnostics d WHERE d.report_id = rr.report_id) AS diagnostics,
         rr.documents,
         CASE WHEN json_extract(rr.record_json, '$.publishedOn') IS NOT NULL
              THEN json_extract(rr.record_json, '$.provenance.publishedOn.source')
              WHEN listed.listed_on IS NOT NULL THEN 'list-page' END AS published_on_source
  FROM report_records rr JOIN reports r ON r.id = rr.report_id JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id
  LEFT JOIN (
    SELECT rd.report_id, v3.listed_on,
           row_number() OVER (PARTITION BY rd.report_id ORDER BY d3.id = rd.report_id DESC, v3.seen_at, v3.id) AS n
    FROM report_documents rd JOIN reports d3 ON d3.id = rd.document_id JOIN versions v3 ON v3.sha256 = d3.sha256
    WHERE v3.listed_on IS NOT NULL
  ) listed ON listed.report_id = rr.report_id AND listed.n = 1;
`;

// step 10 (ingest speed): a report of one document (most reports) is that document, not a
// copy of it. report_records.record_json is NULL for such a report (its record is the
// document's reports.record_json with the checks stored in `checks`), and the cells and
// checks of reports consolidated from two or more documents are kept in consolidated_cells
// and consolidated_checks; report_cells and report_checks become views giving every
// report's rows as before (a one-document report's from cells and checks). Before, every
// document was written twice (~126 KB a document, half of it copies), which bounded ingest.
const V10_ONE_DOCUMENT_REPORTS = `
DROP VIEW IF EXISTS v_wide;
DROP VIEW IF EXISTS v_cells_corrected;
DROP VIEW IF EXISTS v_diagnostics;
DROP VIEW IF EXISTS v_checks;
DROP VIEW IF EXISTS v_cells;
DROP VIEW IF EXISTS v_reports;
DROP TRIGGER IF EXISTS reports_unit_update;
DROP TABLE report_records;
DROP TABLE report_cells;
DROP TABLE report_checks;
DELETE FROM report_documents;
DELETE FROM report_dirty;

CREATE TABLE report_records (
  report_id INTEGER PRIMARY KEY,         -- the report's best document (reports.id)
  unit TEXT NOT NULL UNIQUE,             -- organ_key|year; doc:ID for a document whose body or year was not read
  body_key TEXT, year INTEGER,
  documents INTEGER NOT NULL,            -- how many current documents carry the report
  record_json TEXT,                      -- the consolidated record (normalizers/copies.ts); NULL: a report of one document,
                                         -- whose record is its document's (reports.record_json, checks as in checks)
  refreshed_at TEXT NOT NULL
);
CREATE INDEX report_records_body ON report_records(body_key, year);
-- Cells and checks of reports consolidated from two or more documents.
CREATE TABLE consolidated_cells (
  report_id INTEGER NOT NULL,
  tbl TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL,
  value NUMERIC, status TEXT, text TEXT,
  page INTEGER, box TEXT, table_no INTEGER, row_no INTEGER, col_no INTEGER, line INTEGER,
  document_id INTEGER NOT NULL,          -- the document the value was read from
  PRIMARY KEY (report_id, tbl, row, col)
) WITHOUT ROWID;
CREATE TABLE consolidated_checks (
  report_id INTEGER NOT NULL,
  rule TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, where_ TEXT NOT NULL
);
CREATE INDEX consolidated_checks_report ON consolidated_checks(report_id);
-- Every report's cells and checks: consolidated ones, and a one-document report's own.
CREATE VIEW report_cells AS
  SELECT report_id, tbl, row, col, value, status, text, page, box, table_no, row_no, col_no, line, document_id FROM consolidated_cells
  UNION ALL
  SELECT c.report_id, c.tbl, c.row, c.col, c.value, c.status, c.text, c.page, c.box, c.table_no, c.row_no, c.col_no, c.line, c.report_id
  FROM report_records rr JOIN cells c ON c.report_id = rr.report_id WHERE rr.record_json IS NULL;
CREATE VIEW report_checks AS
  SELECT report_id, rule, severity, message, where_ FROM consolidated_checks
  UNION ALL
  SELECT k.report_id, k.rule, k.severity, k.message, k.where_
  FROM report_records rr JOIN checks k ON k.report_id = rr.report_id WHERE rr.record_json IS NULL;
CREATE TRIGGER reports_unit_update AFTER UPDATE OF is_current, organ_key, year ON reports
  WHEN OLD.is_current IS NOT NEW.is_current OR OLD.organ_key IS NOT NEW.organ_key OR OLD.year IS NOT NEW.year BEGIN
  INSERT OR IGNORE INTO report_dirty (unit)
    SELECT rr.unit FROM report_documents rd JOIN report_records rr ON rr.report_id = rd.report_id WHERE rd.document_id = OLD.id;
  INSERT OR IGNORE INTO report_dirty (unit)
    SELECT CASE WHEN NEW.organ_key IS NOT NULL AND NEW.year IS NOT NULL THEN NEW.organ_key || '|' || NEW.year ELSE 'doc:' || NEW.id END
    WHERE NEW.is_current = 1;
END;
-- Filled on the first writing open after this step (the consolidation is TypeScript's).
INSERT INTO meta (key, value) VALUES ('report_records', 'stale') ON CONFLICT(key) DO UPDATE SET value = 'stale';

CREATE VIEW v_reports AS
  SELECT rr.report_id, r.organ, rr.body_key AS organ_key, rr.year,
         COALESCE(json_extract(COALESCE(rr.record_json, r.record_json), '$.publishedOn'), listed.listed_on) AS published_on,
         r.template, r.format,
         r.region_code, r.region_name, r.province, r.city, r.county, r.region_by, r.region_confidence,
         s.path AS source_path,
         COALESCE(s.url, json_extract(COALESCE(rr.record_json, r.record_json), '$.source.url'),
           (SELECT s2.url FROM report_documents rd2 JOIN reports d2 ON d2.id = rd2.document_id
              JOIN versions v2 ON v2.sha256 = d2.sha256 JOIN sources s2 ON s2.id = v2.source_id
            WHERE rd2.report_id = rr.report_id AND s2.url IS NOT NULL
            ORDER BY d2.id = rd2.report_id DESC, v2.seen_at, v2.id LIMIT 1)) AS source_url,
         v.sha256, r.parser_version, r.parsed_at,
         (SELECT count(*) FROM report_checks c WHERE c.report_id = rr.report_id) AS checks_failed,
         (SELECT count(*) FROM diagnostics d WHERE d.report_id = rr.report_id AND d.severity != 'info') AS warnings,
         (SELECT count(*) FROM diagnostics d WHERE d.report_id = rr.report_id) AS diagnostics,
         rr.documents,
         CASE WHEN json_extract(COALESCE(rr.record_json, r.record_json), '$.publishedOn') IS NOT NULL
              THEN json_extract(COALESCE(rr.record_json, r.record_json), '$.provenance.publishedOn.source')
              WHEN listed.listed_on IS NOT NULL THEN 'list-page' END AS published_on_source
  FROM report_records rr JOIN reports r ON r.id = rr.report_id JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id
  LEFT JOIN (
    SELECT rd.report_id, v3.listed_on,
           row_number() OVER (PARTITION BY rd.report_id ORDER BY d3.id = rd.report_id DESC, v3.seen_at, v3.id) AS n
    FROM report_documents rd JOIN reports d3 ON d3.id = rd.document_id JOIN versions v3 ON v3.sha256 = d3.sha256
    WHERE v3.listed_on IS NOT NULL
  ) listed ON listed.report_id = rr.report_id AND listed.n = 1;
CREATE VIEW v_cells AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, vr.province, vr.city, vr.county, vr.template, vr.format,
         vr.source_path, vr.source_url, vr.sha256, c.tbl AS "table", c.row, c.col AS "column",
         c.tbl || '.' || c.row || '.' || c.col AS key, c.value, c.status, c.text,
         c.page, c.box, c.table_no, c.row_no, c.col_no, c.line, c.document_id
  FROM report_cells c JOIN v_reports vr ON vr.report_id = c.report_id;
CREATE VIEW v_checks AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, c.rule, c.severity, c.message, c.where_ AS "where"
  FROM report_checks c JOIN v_reports vr ON vr.report_id = c.report_id;
CREATE VIEW v_diagnostics AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, d.code, d.severity, d.key, d.message,
         d.page, d.box, d.table_no, d.row_no, d.col_no, d.line
  FROM diagnostics d JOIN v_reports vr ON vr.report_id = d.report_id;
CREATE VIEW v_cells_corrected AS
  SELECT vc.report_id, vc.organ, vc.year, vc.region_code, vc.province, vc.city, vc.county, vc.template, vc.format,
         vc.source_path, vc.source_url, vc.sha256, vc."table", vc.row, vc."column",
         CASE WHEN k.id IS NULL THEN vc.value ELSE k.value END AS value,
         k.id IS NOT NULL AS corrected, vc.value AS machine_value, k.status AS correction_status, k.why AS correction_why
  FROM v_cells vc
  JOIN report_records rr ON rr.report_id = vc.report_id
  LEFT JOIN corrections k ON k.body_key = rr.body_key AND k.year = rr.year AND k.status IN ('active', 'review')
       AND k.cell_key = vc."table" || '.' || vc.row || '.' || vc."column";
${V3_WIDE_VIEW.replace("LEFT JOIN cells c ON", "LEFT JOIN report_cells c ON")};
`;

export const MIGRATIONS: readonly { to: number; why: string; sql: string }[] = [
  { to: 1, why: "the tables and views", sql: SCHEMA_V1 },
  {
    to: 2,
    why: "versions.format (the format a version was read as); indexes so failure look-ups stay O(log n)",
    sql: `
      ALTER TABLE versions ADD COLUMN format TEXT;
      UPDATE versions SET format = (SELECT r.format FROM reports r WHERE r.version_id = versions.id ORDER BY r.id DESC LIMIT 1);
      CREATE INDEX IF NOT EXISTS failures_sha ON failures(sha256);
      CREATE INDEX IF NOT EXISTS failures_version ON failures(version_id);
      CREATE INDEX IF NOT EXISTS failures_locator ON failures(locator);
    `,
  },
  { to: 3, why: "v_wide: one row per current report, one column per cell (the wide CSV's columns)", sql: V3_WIDE_VIEW },
  { to: 4, why: "crawl_* tables; one current record per bytes (unique); cells with status and place, NUMERIC values; diagnostics replace warnings", sql: V4 },
  { to: 5, why: "corrections and review marks, apart from machine output; v_cells_corrected", sql: V5_CORRECTIONS },
  { to: 6, why: "places (cite): kind, archive and member of a source; last_seen, retrieved_at, Last-Modified, list-page date of a version; v_places", sql: V6_PLACES },
  { to: 7, why: "bodies: aliases and regions decided by people; one row per report in SQL (report_records, v_documents)", sql: V7_BODIES_REPORTS },
  { to: 8, why: "document_corrections: a person's organ, year, publishedOn of a document, by its bytes", sql: V8_DOCUMENT_CORRECTIONS },
  { to: 9, why: "v_reports: the URL and list-page date of any of a report's documents (as the exports cite it); published_on_source", sql: V9_REPORTS_CITED },
  { to: 10, why: "a report of one document is that document, not a copy (record_json NULL; consolidated_cells/checks; report_cells/checks views)", sql: V10_ONE_DOCUMENT_REPORTS },
  {
    to: 11,
    why: "versions.found_as: what the caller knew of a version beyond its bytes (list-page date, link text), so reparse reads it as ingest did; crawl_links.listed_on, so a resumed run gives attachments their page's list date",
    sql: `
      ALTER TABLE versions ADD COLUMN found_as TEXT;      -- JSON {listedOn?, linkText?}: the hints it was read with
      ALTER TABLE crawl_links ADD COLUMN listed_on TEXT;  -- JSON ListedOn: the date the list page printed beside the parent's link
    `,
  },
  {
    to: 12,
    why: "crawl_links.page_title: an attachment's page title (as read, else as listed), a name that gives the body and year of an attachment that prints neither (a table alone, a scan)",
    sql: `
      ALTER TABLE crawl_links ADD COLUMN page_title TEXT;  -- an attachment link's: the title of the page that links it
    `,
  },
  {
    to: 13,
    why: "indexes of each document's 本年新收 total and of the documents read by OCR, so a scan whose body or year OCR misread finds the copies whose values it prints",
    sql: `
      CREATE INDEX cells_new_received_total ON cells (value) WHERE tbl = 'requests' AND row = 'newReceived' AND col = 'total';
      CREATE INDEX diagnostics_ocr ON diagnostics (report_id) WHERE code = 'ocr.read';
    `,
  },
  {
    to: 14,
    why: "each correction keeps the body it was made under (made_under), so undoing a bodies decision that merged two bodies' reports gives each its own corrections back",
    sql: `
      ALTER TABLE corrections ADD COLUMN made_under TEXT;
      UPDATE corrections SET made_under = body_key;
    `,
  },
];

/** The schema version this code writes (`PRAGMA user_version`). */
export const STORE_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].to;

/** The schema version of an open database. */
export const schemaVersionOf = (db: Database.Database) => db.pragma("user_version", { simple: true }) as number;

/**
 * Brings a database up to STORE_SCHEMA_VERSION, every step in one IMMEDIATE transaction
 * (two processes opening a fresh file do not both migrate it). Throws NewerSchemaError
 * for a database made by a newer xxgk.
 */
export function migrate(db: Database.Database): void {
  const at = schemaVersionOf(db);
  if (at > STORE_SCHEMA_VERSION)
    throw new NewerSchemaError(`made by a newer xxgk (store schema ${at}; this xxgk knows up to ${STORE_SCHEMA_VERSION}): update xxgk`);
  if (at === STORE_SCHEMA_VERSION) return;
  db.transaction(() => {
    for (const m of MIGRATIONS) {
      if (schemaVersionOf(db) >= m.to) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.to}`);
    }
  }).immediate();
}

/** Throws NewerSchemaError when the database was made by a newer xxgk (for read-only opens, which never migrate). */
export function checkSchema(db: Database.Database): void {
  const at = schemaVersionOf(db);
  if (at > STORE_SCHEMA_VERSION)
    throw new NewerSchemaError(`made by a newer xxgk (store schema ${at}; this xxgk knows up to ${STORE_SCHEMA_VERSION}): update xxgk`);
}

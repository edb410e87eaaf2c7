-- Outbound SMS segments sent per project per calendar month (in the project's time zone), for the
-- monthly segment budget (Mosio plans cap outbound messages per month). Counted when a send is accepted.

CREATE TABLE segment_usage (
  project   TEXT NOT NULL,
  month     TEXT NOT NULL,               -- YYYY-MM
  segments  INTEGER NOT NULL,
  PRIMARY KEY (project, month)
) STRICT;

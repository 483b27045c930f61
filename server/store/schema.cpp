#include "store/schema.h"

namespace kaodian::server {

const std::vector<SchemaStep> &serverSchema()
{
    static const std::vector<SchemaStep> steps{
        {1, R"SQL(
CREATE TABLE college (
  id {ID},
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE major (
  id {ID},
  college_id {BIGINT} NOT NULL REFERENCES college(id),
  name TEXT NOT NULL,
  UNIQUE (college_id, name)
);
CREATE TABLE certificate (
  id {ID},
  name TEXT NOT NULL UNIQUE,
  training_org TEXT NOT NULL DEFAULT ''
);
CREATE TABLE pilot (
  id {ID},
  college_id {BIGINT} NOT NULL REFERENCES college(id),
  certificate_id {BIGINT} NOT NULL REFERENCES certificate(id),
  level INTEGER NOT NULL,
  UNIQUE (college_id, certificate_id, level)
);
CREATE TABLE pilot_major (
  pilot_id {BIGINT} NOT NULL REFERENCES pilot(id),
  major_id {BIGINT} NOT NULL REFERENCES major(id),
  PRIMARY KEY (pilot_id, major_id)
);
CREATE TABLE site (
  id {ID},
  name TEXT NOT NULL UNIQUE,
  agreement_expires TEXT
);
CREATE TABLE room (
  id {ID},
  site_id {BIGINT} NOT NULL REFERENCES site(id),
  code TEXT NOT NULL,
  UNIQUE (site_id, code)
);
CREATE TABLE exam_session (
  id {ID},
  pilot_id {BIGINT} NOT NULL REFERENCES pilot(id),
  site_id {BIGINT} NOT NULL REFERENCES site(id),
  exam_date TEXT NOT NULL,
  start_time TEXT NOT NULL,
  end_time TEXT NOT NULL DEFAULT '',
  published_count INTEGER,
  results_final INTEGER NOT NULL DEFAULT 0,
  check_in_opens_minutes INTEGER NOT NULL DEFAULT 60,
  late_after_minutes INTEGER NOT NULL DEFAULT 15,
  UNIQUE (pilot_id, site_id, exam_date, start_time)
);
CREATE TABLE candidate (
  id {ID},
  id_number TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  student_number TEXT NOT NULL,
  major_id {BIGINT} NOT NULL REFERENCES major(id),
  class_name TEXT NOT NULL DEFAULT ''
);
-- A registration carries its derived state, recomputed from its events in
-- the transaction that stores them: attendance 0 not checked in,
-- 1 checked in, 2 absent, 3 excused; outcome 1 pass, 2 fail.
CREATE TABLE registration (
  id {ID},
  session_id {BIGINT} NOT NULL REFERENCES exam_session(id),
  candidate_id {BIGINT} NOT NULL REFERENCES candidate(id),
  ticket_number TEXT NOT NULL UNIQUE,
  room_id {BIGINT} NOT NULL REFERENCES room(id),
  seat TEXT NOT NULL,
  ticket_serial INTEGER NOT NULL DEFAULT 1,
  attendance INTEGER NOT NULL DEFAULT 0,
  late INTEGER NOT NULL DEFAULT 0,
  checked_in_at TEXT,
  checked_in_kiosk TEXT,
  active_checkins INTEGER NOT NULL DEFAULT 0,
  outcome INTEGER,
  score INTEGER,
  incidents INTEGER NOT NULL DEFAULT 0,
  UNIQUE (session_id, candidate_id),
  UNIQUE (session_id, room_id, seat)
);
CREATE INDEX registration_stats ON registration (session_id, attendance, outcome);
CREATE TABLE kiosk (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  site_id {BIGINT} NOT NULL REFERENCES site(id),
  room_id {BIGINT} REFERENCES room(id),
  credential_hash TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  revoked_at TEXT,
  last_seen_at TEXT
);
CREATE TABLE kiosk_event (
  id {ID},
  kiosk_id TEXT NOT NULL,
  event_id {BIGINT} NOT NULL,
  kind TEXT NOT NULL,
  session_id {BIGINT} NOT NULL,
  registration_id {BIGINT} NOT NULL,
  device_time TEXT NOT NULL,
  received_at TEXT NOT NULL,
  target_kiosk_id TEXT NOT NULL DEFAULT '',
  target_event_id {BIGINT} NOT NULL DEFAULT 0,
  late INTEGER NOT NULL DEFAULT 0,
  method INTEGER NOT NULL DEFAULT 1,
  incident INTEGER,
  outcome INTEGER,
  score INTEGER,
  reason TEXT NOT NULL DEFAULT '',
  UNIQUE (kiosk_id, event_id)
);
CREATE INDEX kiosk_event_registration ON kiosk_event (registration_id);
CREATE TABLE app_user (
  id {ID},
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  college_id {BIGINT} REFERENCES college(id),
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE web_session (
  token_hash TEXT PRIMARY KEY,
  user_id {BIGINT} NOT NULL REFERENCES app_user(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE audit_log (
  id {ID},
  occurred_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE TABLE import_batch (
  id {ID},
  sha256 TEXT NOT NULL UNIQUE,
  file_name TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  row_count INTEGER NOT NULL
);
CREATE TABLE ticket_revocation (
  ticket_number TEXT NOT NULL,
  serial INTEGER NOT NULL,
  revoked_at TEXT NOT NULL,
  PRIMARY KEY (ticket_number, serial)
);
)SQL"},
        {2, R"SQL(
-- How far each kiosk's events are held without a gap: advanced as batches
-- arrive, so acknowledging costs a few index look-ups, not a count.
CREATE TABLE kiosk_progress (
  kiosk_id TEXT PRIMARY KEY,
  high_water_mark {BIGINT} NOT NULL
);
)SQL"},
        {3, R"SQL(
-- How many events each kiosk said were still waiting in its outbox after
-- its last upload (NULL until a kiosk reports it).
ALTER TABLE kiosk ADD COLUMN events_waiting {BIGINT};
)SQL"},
        {4, R"SQL(
-- The token a metrics scraper presents (GET /api/v1/metrics): at most one
-- row, and only the token's hash.
CREATE TABLE metrics_token (
  token_hash TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
)SQL"},
        {5, R"SQL(
-- The installation that first presented the kiosk's enrolment code (the
-- SHA-256 of its X-Kaodian-Installation id) and when: the code is then
-- refused from any other (docs/api.md, "Kiosks"). NULL until then.
ALTER TABLE kiosk ADD COLUMN installation_hash TEXT;
ALTER TABLE kiosk ADD COLUMN installed_at TEXT;
)SQL"},
        {6, R"SQL(
-- Login attempts that have not succeeded, per address, for the throttle
-- that every server process over the store shares: written before the
-- password is checked (so parallel guesses cannot pass the limit together),
-- removed when the login succeeds, pruned after a minute.
CREATE TABLE login_attempt (
  id {ID},
  address TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX login_attempt_address ON login_attempt (address, at);
CREATE INDEX login_attempt_at ON login_attempt (at);
)SQL"},
        {7, R"SQL(
-- Session package versions (store/packageversions.h): the last number the
-- server gave (one row; the greater of the last plus one and the clock's
-- milliseconds), and the number and content tag of the last package of
-- each site, room ('' for every room) and day, kept while its content stays.
CREATE TABLE package_counter (
  id INTEGER PRIMARY KEY,
  last_version {BIGINT} NOT NULL
);
INSERT INTO package_counter (id, last_version) VALUES (1, 0);
CREATE TABLE package_version (
  site_id {BIGINT} NOT NULL REFERENCES site(id),
  room TEXT NOT NULL,
  exam_date TEXT NOT NULL,
  content_tag TEXT NOT NULL,
  version {BIGINT} NOT NULL,
  made_at TEXT NOT NULL,
  PRIMARY KEY (site_id, room, exam_date)
);
)SQL"},
        {8, R"SQL(
-- The public half of a kiosk's Ed25519 device key (raw, base64), sent with
-- X-Kaodian-Device-Key by the installation whose claim took the enrolment
-- code, in the same transaction; never replaced. The events file the kiosk
-- exports when revoked must be signed by it (docs/api.md, "Kiosks").
CREATE TABLE kiosk_device_key (
  kiosk_id TEXT PRIMARY KEY REFERENCES kiosk(id),
  public_key TEXT NOT NULL,
  registered_at TEXT NOT NULL
);
)SQL"},
        {9, R"SQL(
-- Results that do not come from a kiosk (store/resultstore.h): the
-- 培训评价组织's results file and the office's corrections. Append-only:
-- each row is a registration's result from then on, with the value it
-- replaced (previous_*; NULL when there was none). outcome 1 pass, 2 fail,
-- 3 absent (缺考); scores in tenths of a point. source is 'import',
-- 'replacement' or 'correction'. A registration's newest row is its
-- result: once it has one, the kiosks' events no longer change the
-- registration's outcome and score (store/eventlog.cpp).
CREATE TABLE result_record (
  id {ID},
  registration_id {BIGINT} NOT NULL REFERENCES registration(id),
  outcome INTEGER NOT NULL,
  theory_tenths INTEGER,
  practical_tenths INTEGER,
  total_tenths INTEGER,
  source TEXT NOT NULL,
  import_batch_id {BIGINT} REFERENCES import_batch(id),
  actor TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  recorded_at TEXT NOT NULL,
  previous_outcome INTEGER,
  previous_theory_tenths INTEGER,
  previous_practical_tenths INTEGER,
  previous_total_tenths INTEGER
);
CREATE INDEX result_record_registration ON result_record (registration_id, id);
)SQL"},
        {10, R"SQL(
-- Registration changes (office/registrations.h, docs/api.md "Registrations").
-- Withdrawn (退考): when it was recorded, the withdrawal's own date and
-- reason, and the seat it held (seat itself becomes '退考#<id>' so the seat
-- is free for another candidate); replaced_by names the registration of the
-- candidate who took its place. Excused in advance (请假): the reason and
-- when it was recorded; with no check-in the registration counts as excused.
ALTER TABLE registration ADD COLUMN withdrawn_at TEXT;
ALTER TABLE registration ADD COLUMN withdrawn_on TEXT;
ALTER TABLE registration ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE registration ADD COLUMN withdrawn_seat TEXT;
ALTER TABLE registration ADD COLUMN replaced_by {BIGINT};
ALTER TABLE registration ADD COLUMN excused_reason TEXT;
ALTER TABLE registration ADD COLUMN excused_at TEXT;
-- A withdrawn registration counts nowhere: the statistics read only the
-- others, still from one covering index. Not a partial index: SQLite 3.15
-- does not count a column named only in a partial index's WHERE as covered,
-- and would read every row of the table (1M registrations: 0.7 s, not 0.2).
DROP INDEX registration_stats;
CREATE INDEX registration_stats ON registration (session_id, attendance, outcome, withdrawn_at);
-- A revocation that withdrew the ticket (the kiosk says 已退考), not a re-issue.
ALTER TABLE ticket_revocation ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
)SQL"},
        {11, R"SQL(
-- The data the regulation's rules need (DESIGN.md, "The regulation's
-- rules"; docs/compliance.md), imported by the office, 教务处 and 人事处.
-- Dates are 'YYYY-MM-DD' (China time); instants are store times.
-- Majors: 专业代码 and 状态 (active 1: 在招, 0: 停招).
ALTER TABLE major ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE major ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
-- Pilots: registered 0 is 未登记 (made by a roster for a pilot nobody
-- imported); the rest is the pilots file's 培训评价组织, 批准人数,
-- 批准日期, 开始日期 and 状态 (active 1: 试点中, 0: 已结束). The approved
-- majors are pilot_major. withdrawn_at / withdrawn_case: 取消试点 by a case
-- (compliance_case); a withdrawn pilot takes no new sessions.
ALTER TABLE pilot ADD COLUMN registered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pilot ADD COLUMN training_org TEXT NOT NULL DEFAULT '';
ALTER TABLE pilot ADD COLUMN approved_count INTEGER;
ALTER TABLE pilot ADD COLUMN approved_on TEXT;
ALTER TABLE pilot ADD COLUMN start_date TEXT;
ALTER TABLE pilot ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE pilot ADD COLUMN withdrawn_at TEXT;
ALTER TABLE pilot ADD COLUMN withdrawn_case {BIGINT};
-- Sites: 地址, 合作协议编号 and its term (agreement_expires, from step 1, is
-- the last day it holds, inclusive). withdrawn_*: 取消考点 by a case.
ALTER TABLE site ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE site ADD COLUMN agreement_number TEXT NOT NULL DEFAULT '';
ALTER TABLE site ADD COLUMN agreement_starts TEXT;
ALTER TABLE site ADD COLUMN withdrawn_at TEXT;
ALTER TABLE site ADD COLUMN withdrawn_case {BIGINT};
-- A certificate cancelled (取消) by the ministry: in force from cancelled_on,
-- by the document cancel_document; recorded by cancelled_by at cancelled_at.
ALTER TABLE certificate ADD COLUMN cancelled_on TEXT;
ALTER TABLE certificate ADD COLUMN cancel_document TEXT NOT NULL DEFAULT '';
ALTER TABLE certificate ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT '';
ALTER TABLE certificate ADD COLUMN cancelled_at TEXT;
-- Teachers (人事处): by 工号, of a college and one of its majors.
CREATE TABLE teacher (
  id {ID},
  staff_number TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  college_id {BIGINT} NOT NULL REFERENCES college(id),
  major_id {BIGINT} REFERENCES major(id)
);
-- A teacher's qualification: kind 1 培训教师, 2 考评员; for a certificate
-- and level; valid from / until inclusive (NULL: no bound).
CREATE TABLE qualification (
  id {ID},
  teacher_id {BIGINT} NOT NULL REFERENCES teacher(id),
  kind INTEGER NOT NULL,
  certificate_id {BIGINT} NOT NULL REFERENCES certificate(id),
  level INTEGER NOT NULL,
  number TEXT NOT NULL DEFAULT '',
  valid_from TEXT,
  valid_until TEXT,
  UNIQUE (teacher_id, kind, certificate_id, level)
);
CREATE INDEX qualification_certificate ON qualification (certificate_id, valid_until);
)SQL"},
        {12, R"SQL(
-- Weekly reports (周报, 第七条(二)): a college's report for one of its
-- pilots and one week (week_monday, the week's Monday). Append-only: a
-- week's first submission decides on time or late; later ones are kept.
-- The attachment (PDF, DOCX or XLSX, at most 10 MB) is checked by content.
CREATE TABLE weekly_report (
  id {ID},
  pilot_id {BIGINT} NOT NULL REFERENCES pilot(id),
  week_monday TEXT NOT NULL,
  body TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  attachment_name TEXT,
  attachment_type TEXT,
  attachment_sha256 TEXT,
  attachment {BLOB}
);
CREATE INDEX weekly_report_pilot ON weekly_report (pilot_id, week_monday, submitted_at);
-- The office's exemption calendar: weeks (by Monday) that owe no report.
CREATE TABLE report_exemption (
  week_monday TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
-- Cases (DESIGN.md "Cases"): one per flag (flag_key names the flag: rule,
-- subject and what it saw; one open case per key) or per finding entered
-- by a person (flag_key NULL). state is the case's Chinese state word
-- (待核查, 核查中, 不属实, 属实, 整改中, 已整改, 未整改, 取消试点, 取消考点).
CREATE TABLE compliance_case (
  id {ID},
  rule TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_id {BIGINT} NOT NULL,
  college_id {BIGINT} REFERENCES college(id),
  flag_key TEXT,
  summary TEXT NOT NULL,
  state TEXT NOT NULL,
  deadline TEXT,
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  closed_at TEXT
);
CREATE INDEX compliance_case_subject ON compliance_case (subject_kind, subject_id, rule);
CREATE INDEX compliance_case_flag ON compliance_case (flag_key);
-- Every step of a case: who, when, from which state to which, why, and the
-- evidence (a note and optionally one attachment).
CREATE TABLE case_step (
  id {ID},
  case_id {BIGINT} NOT NULL REFERENCES compliance_case(id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  reason TEXT NOT NULL,
  deadline TEXT,
  attachment_name TEXT,
  attachment_type TEXT,
  attachment {BLOB}
);
CREATE INDEX case_step_case ON case_step (case_id, id);
)SQL"},
        {13, R"SQL(
-- Named proctors (store/proctorstore.h, docs/proctors.md): a proctor by
-- 工号 with name and phone, and the PIN's slow hash only (core/pinhash.h;
-- NULL until set), who set it (pin_source 'office' or 'kiosk:<id>') and
-- when. An assignment puts a proctor in a session's room.
CREATE TABLE proctor (
  id {ID},
  staff_number TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  pin_hash TEXT,
  pin_set_at TEXT,
  pin_source TEXT
);
CREATE TABLE proctor_assignment (
  session_id {BIGINT} NOT NULL REFERENCES exam_session(id),
  room_id {BIGINT} NOT NULL REFERENCES room(id),
  proctor_id {BIGINT} NOT NULL REFERENCES proctor(id),
  assigned_at TEXT NOT NULL,
  PRIMARY KEY (session_id, proctor_id)
);
-- Room events (sign_off, reopen, proctor_pin, a room's incident) name no
-- registration (registration_id 0) but a room; every event the proctor who
-- made it (工号, '' for a scan or the shared PIN); detail holds a sign-off's
-- counts and signers, a PIN's hash (protocol/roomevents.h).
ALTER TABLE kiosk_event ADD COLUMN room TEXT NOT NULL DEFAULT '';
ALTER TABLE kiosk_event ADD COLUMN proctor TEXT NOT NULL DEFAULT '';
ALTER TABLE kiosk_event ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE INDEX kiosk_event_kind_session ON kiosk_event (kind, session_id);
)SQL"},
        {14, R"SQL(
-- Candidate photos (store/photostore.h, office/photos.h): one a candidate,
-- normalised at import (300x400 JPEG). sealed is the JPEG sealed with
-- AES-256-GCM under a key derived from the ticket-signing key (base64 of
-- nonce | ciphertext | tag), on both stores: a PostgreSQL dump holds no
-- face in clear. sha256 is the plain JPEG's (hex): what the session
-- package names, so a kiosk fetches a photo it lacks and nothing more.
CREATE TABLE candidate_photo (
  candidate_id {BIGINT} PRIMARY KEY REFERENCES candidate(id),
  sha256 TEXT NOT NULL,
  sealed TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL
);
)SQL"},
        {16, R"SQL(
-- One case per flag key, ever (store/casestore.h): the key carries what the
-- flag saw, so two servers opening cases for the same flags at once, or a
-- retry, cannot double a case, and a flag whose case was closed (不属实,
-- 已整改) does not open another until it sees something new. Findings
-- (flag_key NULL) are not limited.
DROP INDEX compliance_case_flag;
CREATE UNIQUE INDEX compliance_case_flag ON compliance_case (flag_key);
)SQL"},
    };
    return steps;
}

} // namespace kaodian::server

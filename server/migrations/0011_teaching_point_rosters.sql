-- Night school per teaching point: a household may be assigned to one teaching point of its village. A point's
-- roster is the households assigned to it and every household of the village assigned to none (so no household
-- falls off every roster before the first secretary has divided the village). Portable to PostgreSQL.

CREATE TABLE teaching_point_households (
    household_id        TEXT PRIMARY KEY NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    teaching_point_id   TEXT NOT NULL REFERENCES teaching_points (id) ON DELETE CASCADE,
    assigned_at         TEXT NOT NULL
);
CREATE INDEX teaching_point_households_by_point ON teaching_point_households (teaching_point_id);

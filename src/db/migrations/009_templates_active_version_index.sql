-- The templates by their active version: CountInProgressPrebuilds (spec §2.4) joins each unfinished
-- job's build to the template whose active version it built. Without this index that join read
-- every template once per unfinished job (a hash of one row against a scan of all templates, the
-- plan made without statistics): 100 templates × 3,000 jobs a call at 1,000 presets (issue #19).
CREATE INDEX templates_active_version_id_idx ON templates (active_version_id);

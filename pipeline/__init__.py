"""vnplan pipeline: extract -> normalize -> parse -> record."""

# Bumped whenever a change alters records; part of the incremental-reprocessing key.
PIPELINE_VERSION = "0.3.0"

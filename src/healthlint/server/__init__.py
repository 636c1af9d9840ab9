"""``healthlint server``: a Language Server that shows findings, quick fixes and rule docs in the editor."""

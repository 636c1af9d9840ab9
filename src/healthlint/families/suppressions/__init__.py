"""The suppressions family: inline ``<!-- healthlint: disable=... -->`` comments."""

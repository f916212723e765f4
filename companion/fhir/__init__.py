"""FHIR R4 import and export, so nurses need not retype what the clinic's record already knows.

files (read Bundles, single resources, NDJSON) -> triage (what the app would not use, counted from the JSON alone)
-> parse (R4B models, one resource at a time) -> the *_map modules (FHIR to plain facts, no database) -> writer
(facts to rows, one transaction) -> importer (files, progress, cancel); exporter goes the other way.
Entry points: `importer.import_paths` and `exporter.export_visit`.
"""

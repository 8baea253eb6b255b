"""The content/ folder format: read and check (reader), import (importer), export (exporter)."""
from .exporter import content_export, content_files, module_files
from .importer import ImportReport, content_import
from .reader import ContentPlan, Problem, content_read

__all__ = ["ContentPlan", "ImportReport", "Problem", "content_export", "content_files", "content_import", "content_read",
           "module_files"]

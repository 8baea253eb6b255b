"""Courses: topics, modules, lessons and quizzes in several languages; authoring and content import/export."""

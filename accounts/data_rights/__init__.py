"""Data rights (GDPR, PIPL): export my data, delete my account, consent records. See docs/privacy.md."""
from .consent import consent_record_cohort_join, consent_record_signup
from .erasure import account_erase, user_relations
from .export import user_data_export, user_data_export_filename
from .policies import POLICIES

__all__ = ["POLICIES", "account_erase", "consent_record_cohort_join", "consent_record_signup", "user_data_export",
           "user_data_export_filename", "user_relations"]

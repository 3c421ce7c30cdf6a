"""The report tables hold counts only (privacy.registry)."""

from privacy.registry import exempt

for _model in ("ContactMonth", "ContactStaffMonth", "CallbackMonth", "CallbackStaffMonth",
               "RestrictionSpan"):
    exempt(f"dashboards.{_model}",
           "Counts per month and member of staff, kept by database triggers from the "
           "records themselves; no text about anyone. Anonymising a record in place keeps "
           "these counts.")

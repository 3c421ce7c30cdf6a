"""Roles, as Django groups (DESIGN.md, "Who uses it")."""

from django.db import models


class Role(models.TextChoices):
    CASEWORKER = "Caseworker", "Caseworker"
    LINE_MANAGER = "Line manager", "Line manager"
    SENIOR_STAFF = "Senior staff", "Senior staff"
    HEAD_OF_DEPARTMENT = "Head of Department", "Head of Department"
    COMPLIANCE = "Compliance", "Compliance"
    ADMINISTRATOR = "Administrator", "Administrator"


# Walking up the line-manager chain stops here, so a loop in the data cannot hang a page.
MAX_CHAIN_DEPTH = 12
